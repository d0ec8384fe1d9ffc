"""Each bind target, bound into a real repository, then resolved and run with pkg."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.api.resolve import resolve
from pkg.bind import BindError, bind_package, system_facts
from pkg.core import VersionRange
from pkg.packages import load_definition

if TYPE_CHECKING:
    from pkg.config import Config

PYTHON_VERSION = ".".join(str(part) for part in sys.version_info[:3])
PY_MAJOR_MINOR = f"python-{sys.version_info[0]}.{sys.version_info[1]}"


def _definition(repo: Path, name: str, version: str) -> dict[str, object]:
    return dict(load_definition(repo / name / version / "package.py").data)


def _bind_system(config: Config, repo: Path) -> None:
    """Bind platform, arch and os, which every system-specific variant requires."""
    for name in ("platform", "arch", "os"):
        bind_package(config, name, path=str(repo), no_deps=True)


def _pkg_env(
    repo: Path, requests: list[str], command: list[str]
) -> subprocess.CompletedProcess[str]:
    """``pkg env --paths REPO REQUESTS -- COMMAND``, in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "pkg", "env", "--paths", str(repo), *requests, "--", *command],
        capture_output=True,
        text=True,
        check=False,
    )


def test_platform_arch_os(config: Config, repo: Path, environ: dict[str, str]) -> None:
    system = system_facts(config)
    for name in ("platform", "arch", "os"):
        bind_package(config, name, path=str(repo), no_deps=True, environ=environ)
    assert _definition(repo, "platform", system.platform)["name"] == "platform"
    assert "requires" not in _definition(repo, "arch", system.arch)
    os_data = _definition(repo, "os", system.os)
    assert os_data["requires"] == [f"platform-{system.platform}", f"arch-{system.arch}"]
    # The default implicit packages (~platform==X ~arch==X ~os==X) accept what was bound.
    result = resolve(["os"], paths=[str(repo)], config=config)
    assert result.success
    assert sorted(v.name for v in result.resolved_packages) == ["arch", "os", "platform"]


def test_python(config: Config, repo: Path, environ: dict[str, str], bin_dir: Path) -> None:
    [bound] = bind_package(config, "python", path=str(repo), no_deps=True, environ=environ)
    system = system_facts(config)
    data = _definition(repo, "python", PYTHON_VERSION)
    assert data["tools"] == ["python"]
    assert data["variants"] == [system.variant]
    assert "post_commands" not in data
    assert bound.root is not None
    link = Path(bound.root) / "bin" / "python"
    assert os.readlink(link) == str(bin_dir / "python")
    _bind_system(config, repo)
    done = _pkg_env(repo, ["python"], ["python", "-c", "import sys; print(sys.argv[0] or 1)"])
    assert done.returncode == 0, done.stderr
    which = _pkg_env(repo, ["python"], ["sh", "-c", "command -v python"])
    assert which.stdout.strip() == str(link)


def test_python_exe_and_range(config: Config, repo: Path, environ: dict[str, str]) -> None:
    [bound] = bind_package(
        config,
        "python",
        path=str(repo),
        no_deps=True,
        version_range=VersionRange(PY_MAJOR_MINOR.partition("-")[2]),
        bind_args=["--exe", sys.executable],
        environ={**environ, "PATH": "/nonexistent"},
    )
    assert bound.version == PYTHON_VERSION
    assert bound.root is not None
    assert os.readlink(Path(bound.root) / "bin" / "python") == sys.executable
    with pytest.raises(BindError, match=f"cannot bind 'python': found version {PYTHON_VERSION}"):
        bind_package(
            config,
            "python",
            path=str(tmp := repo.parent / "other"),
            version_range=VersionRange("1.0"),
            environ=environ,
        )
    assert not tmp.exists()


FAKE_PYTHON = """\
import sys

code = sys.argv[-1]
if "version_info" in code:
    print("3.9.1.final.0")
elif "import os" in code:
    print({lib!r} + "/os.py")
elif "import setuptools" in code:
    print({site!r} + "/setuptools/__init__.py")
else:
    sys.exit(1)
"""


def test_python_copy_builtins(config: Config, repo: Path, tmp_path: Path) -> None:
    """``--copy-builtins`` copies the interpreter's library directories (here of a fake
    interpreter, to stay small) and puts them on PYTHONPATH."""
    lib, site = tmp_path / "lib", tmp_path / "site"
    (lib / "json").mkdir(parents=True)
    (lib / "os.py").write_text("# os\n")
    (site / "setuptools").mkdir(parents=True)
    (site / "setuptools" / "__init__.py").write_text("")
    fake = tmp_path / "fakepython"
    fake.write_text(f"#!{sys.executable}\n" + FAKE_PYTHON.format(lib=str(lib), site=str(site)))
    fake.chmod(0o755)
    [bound] = bind_package(
        config,
        "python",
        path=str(repo),
        no_deps=True,
        bind_args=["--exe", str(fake), "--copy-builtins"],
    )
    assert bound.version == "3.9.1"
    assert bound.root is not None
    root = Path(bound.root)
    assert (root / "python" / "lib" / "os.py").is_file()
    assert (root / "python" / "lib" / "json").is_dir()
    assert (root / "python" / "extra" / "setuptools" / "__init__.py").is_file()
    assert "post_commands" in _definition(repo, "python", "3.9.1")
    _bind_system(config, repo)
    done = _pkg_env(repo, ["--ni", "python"], ["sh", "-c", 'echo "$PYTHONPATH"'])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().split(os.pathsep) == [
        str(root / "python" / "extra"),
        str(root / "python" / "lib"),
    ]


@pytest.mark.skipif(shutil.which("cmake") is None, reason="cmake is not installed")
def test_cmake(config: Config, repo: Path, environ: dict[str, str]) -> None:
    cmake = shutil.which("cmake")
    assert cmake is not None
    [bound] = bind_package(
        config, "cmake", path=str(repo), no_deps=True, bind_args=["--exe", cmake]
    )
    assert bound.root is not None
    assert os.readlink(Path(bound.root) / "bin" / "cmake") == cmake
    assert _definition(repo, "cmake", bound.version)["tools"] == ["cmake"]
    _bind_system(config, repo)
    done = _pkg_env(repo, ["--ni", "cmake"], ["cmake", "--version"])
    assert done.returncode == 0, done.stderr
    assert bound.version in done.stdout.split("\n")[0]


def test_cmake_missing(config: Config, repo: Path, environ: dict[str, str]) -> None:
    with pytest.raises(BindError, match="could not find executable: cmake"):
        bind_package(config, "cmake", path=str(repo), environ={**environ, "PATH": "/nonexistent"})
    assert not repo.exists()


@pytest.mark.parametrize(
    ("name", "module", "tools"), [("pip", "pip", ["pip"]), ("setuptools", "setuptools", None)]
)
def test_python_modules(
    config: Config,
    repo: Path,
    environ: dict[str, str],
    bin_dir: Path,
    name: str,
    module: str,
    tools: list[str] | None,
) -> None:
    """pip and setuptools: the running interpreter's module, copied, importable in an env."""
    pip = Path(sys.executable).parent / "pip"
    if tools and pip.is_file():
        shutil.copy2(pip, bin_dir / "pip")
    [bound] = bind_package(config, name, path=str(repo), no_deps=True, environ=environ)
    data = _definition(repo, name, bound.version)
    system = system_facts(config)
    assert data["variants"] == [[*system.variant, PY_MAJOR_MINOR]]
    if tools and pip.is_file():
        assert data["tools"] == tools
    else:
        assert "tools" not in data
    assert bound.root is not None
    assert (Path(bound.root) / "python" / module / "__init__.py").is_file()
    if name == "setuptools":
        assert (Path(bound.root) / "python" / "pkg_resources").is_dir()
    # Its python requirement comes from binding the same interpreter.
    bind_package(config, "python", path=str(repo), no_deps=True, environ=environ)
    _bind_system(config, repo)
    code = f"import {module}; print({module}.__file__)"
    done = _pkg_env(repo, ["--ni", name], ["python", "-c", code])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(bound.root)


def test_hello_world(config: Config, repo: Path) -> None:
    [bound] = bind_package(config, "hello_world", path=str(repo))
    assert (bound.name, bound.version, bound.requires) == ("hello_world", "1.0", ())
    assert _definition(repo, "hello_world", "1.0")["tools"] == ["hello_world", "hello_world_gui"]
    done = _pkg_env(repo, ["--ni", "hello_world"], ["hello_world"])
    assert (done.returncode, done.stdout) == (0, "Hello Rez World!\n")
    done = _pkg_env(repo, ["--ni", "hello_world"], ["hello_world", "-q", "-r", "3"])
    assert (done.returncode, done.stdout) == (3, "")
    done = _pkg_env(repo, ["--ni", "hello_world"], ["sh", "-c", 'echo "$OH_HAI_WORLD"'])
    assert done.stdout == "hello\n"
