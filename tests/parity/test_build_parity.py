"""``pkg build -i`` against ``rez-build -i`` on Rez's own build test packages.

Rez ships source packages for its build tests (``rez/data/tests/builds/packages``): custom
Python builds that need each other (``build_util``, ``floob``, ``foo``, ``bah``, ``anti``),
real CMake projects (``translate_lib``, ``sup_world``) and a Makefile (``hello``).  Each
tool builds and installs them, in dependency order, from its own copy of the sources into
its own repository.  The builds see a wrapped ``build_command`` (and a stand-in ``cmake``
first on ``PATH``) that records their environment before running the real step.

Then the installed layouts, the installed ``package.py`` files (as data) and the
``REZ_BUILD_*`` variables must be equal, once each tool's own directories are replaced by
placeholders.  (Skipped without rez.)
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pkg.buildsys.cmake import DOXYFILE
from pkg.packages.definition import load_definition

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

#: (directory under the packages root, installed name/version), in dependency order.
#: ``loco`` and ``whack`` are deliberately broken; ``testing_obj`` is about ``pkg test``.
PACKAGES = [
    ("build_util/1", "build_util/1"),
    ("floob", "floob/1.2.0"),
    ("foo/1.0.0", "foo/1.0.0"),
    ("foo/1.1.0", "foo/1.1.0"),
    ("bah/2.1", "bah/2.1"),
    ("anti/1.0.0", "anti/1.0.0"),
    ("translate_lib/2.2.0", "translate_lib/2.2.0"),
    ("sup_world/3.8", "sup_world/3.8"),
    ("hello/1.0", "hello/1.0"),
]

#: Each build's environment dump: ``<name>-<version>-<variant index>``.
DUMPS = [
    "build_util-1-0",
    "floob-1.2.0-0",
    "foo-1.0.0-0",
    "foo-1.1.0-0",
    "bah-2.1-0",
    "bah-2.1-1",  # its build context runs foo-1.1.0's commands, which use @include
    "anti-1.0.0-0",
    "translate_lib-2.2.0-0",
    "sup_world-3.8-0",
    "hello-1.0-0",
]

_INSTALLED = [installed for _, installed in PACKAGES]

#: Files that are not part of the layout (lock files).
IGNORED = {".lock"}

#: Attributes that differ by nature (when and where each tool installed).
VOLATILE = {"timestamp", "revision", "vcs", "changelog", "previous_version", "previous_revision"}

_DUMP_FILE = (
    "$PARITY_DUMP/$REZ_BUILD_PROJECT_NAME-$REZ_BUILD_PROJECT_VERSION-$REZ_BUILD_VARIANT_INDEX.env"
)
_CMAKE_STANDIN = f"""\
#!/bin/sh
env > {_DUMP_FILE}
exec {{cmake}} "$@"
"""


def _rez_packages() -> Path:
    import rez  # only the oracle side imports rez

    return Path(rez.__file__).parent / "data" / "tests" / "builds" / "packages"


def _rez_doxyfile() -> str:
    import rezplugins.build_system as rez_build_systems

    base = Path(rez_build_systems.__file__).parent
    return str(base / "template_files" / "Doxyfile")


def _late_bind() -> Path:
    import rez

    return Path(rez.__file__).parent / "data" / "tests" / "python" / "late_bind"


def _deps(root: Path) -> Path:
    """A repository holding a ``python`` package that puts this interpreter on ``PATH``."""
    base = root / "deps" / "python" / "3"
    (base / "bin").mkdir(parents=True)
    for name in ("python", "python3"):
        wrapper = base / "bin" / name
        wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
        wrapper.chmod(0o755)
    (base / "package.py").write_text(
        "name = 'python'\nversion = '3'\n\ndef commands():\n    env.PATH.prepend('{root}/bin')\n"
    )
    tools = root / "deps" / "parity_tools" / "1"
    (tools / "bin").mkdir(parents=True)
    cmake = shutil.which("cmake")
    assert cmake is not None
    (tools / "bin" / "cmake").write_text(_CMAKE_STANDIN.format(cmake=cmake))
    (tools / "bin" / "cmake").chmod(0o755)
    (tools / "package.py").write_text(
        "name = 'parity_tools'\nversion = '1'\n\n"
        "def commands():\n    env.PATH.prepend('{root}/bin')\n"
    )
    return root / "deps"


def _sources(root: Path) -> Path:
    """A copy of Rez's packages whose custom builds first dump their environment."""
    source = root / "src"
    shutil.copytree(_rez_packages(), source, ignore=shutil.ignore_patterns("__pycache__"))
    for package in source.glob("**/package.py"):
        text = package.read_text()
        if "build_command" in text:
            prefix = f"env > {_DUMP_FILE} && "
            for quote in "'\"":
                text = text.replace(f"build_command = {quote}", f"build_command = {quote}{prefix}")
            package.write_text(text)
    return source


def _build_all(root: Path, tool: str) -> dict[str, Any]:
    """Build and install every package of :data:`PACKAGES` with ``tool``."""
    deps = _deps(root) if not (root / "deps").exists() else root / "deps"
    work = root / tool
    work.mkdir()
    source = _sources(work)
    repo = work / "repo"
    repo.mkdir()
    dump = work / "env"
    dump.mkdir()
    packages_path = os.pathsep.join([str(deps), str(repo)])
    env = {
        "HOME": str(work),
        "PATH": os.environ["PATH"],
        "PARITY_DUMP": str(dump),
    }
    if tool == "rez":
        command = [str(Path(sys.executable).parent / "rez-build"), "-i", "-p", str(repo)]
        env |= {
            "REZ_DISABLE_HOME_CONFIG": "1",
            "REZ_PACKAGES_PATH": packages_path,
            "REZ_LOCAL_PACKAGES_PATH": str(repo),
            "REZ_IMPLICIT_PACKAGES_JSON": '["parity_tools"]',
            "REZ_PACKAGE_DEFINITION_PYTHON_PATH": str(_late_bind()),
            "REZ_WARN_UNTIMESTAMPED": "0",
        }
    else:
        # Without --keep-going variants are installed in index order, as rez-build does,
        # so hashed variants get the same _v shortlinks.
        pkg = str(Path(sys.executable).parent / "pkg")
        command = [pkg, "build", "-i", "-p", str(repo)]
        env |= {
            "PKG_PACKAGES_PATH": packages_path,
            "PKG_LOCAL_PACKAGES_PATH": str(repo),
            "PKG_IMPLICIT_PACKAGES_JSON": '["parity_tools"]',
            "PKG_PACKAGE_DEFINITION_PYTHON_PATH": str(_late_bind()),
        }
    failures = {}
    for directory, installed in PACKAGES:
        done = subprocess.run(
            command,
            cwd=source / directory,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            failures[installed] = f"{tool} build of {directory} failed:\n{done.stdout}{done.stderr}"
    return {
        "work": work,
        "source": source,
        "repo": repo,
        "dump": dump,
        "deps": deps,
        "failures": failures,
    }


def _built(builds: dict[str, dict[str, Any]], installed: str) -> None:
    """Fail unless both tools built ``installed``."""
    for tool in ("rez", "pkg"):
        failure = builds[tool]["failures"].get(installed)
        assert failure is None, failure


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Both tools' builds of every package (built once for the module)."""
    for tool in ("cmake", "make", "g++"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    root = tmp_path_factory.mktemp("build_parity")
    return {tool: _build_all(root, tool) for tool in ("rez", "pkg")}


def _layout(build: dict[str, Any], installed: str) -> list[tuple[str, str]]:
    """Every path under an installed package: (relative path, kind), kind naming a
    symlink's target (with the tool's own directory replaced by ``<WORK>``)."""
    root = build["repo"] / installed
    entries = []
    for path in sorted(root.rglob("*")):
        if path.name in IGNORED or "__pycache__" in path.parts:
            continue
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            target = os.readlink(path).replace(str(build["work"]), "<WORK>")
            entries.append((relative, f"-> {target}"))
        elif path.is_dir():
            entries.append((relative, "dir"))
        else:
            entries.append((relative, "file"))
    return entries


def _data(path: Path) -> dict[str, object]:
    """An installed ``package.py`` as plain data (functions as their source text)."""
    definition = load_definition(path)
    result: dict[str, object] = {}
    for key, value in definition.data.items():
        if key in VOLATILE:
            continue
        source = getattr(value, "source", None)
        result[key] = source.strip() if isinstance(source, str) else value
    return result


def _build_env(build: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ``REZ_BUILD_*`` variables each build saw, with the tool's own paths replaced."""
    replacements = [
        (_rez_doxyfile(), "<DOXYFILE>"),
        (DOXYFILE, "<DOXYFILE>"),
        (str(build["source"]), "<SRC>"),
        (str(build["repo"]), "<REPO>"),
        (str(build["deps"]), "<DEPS>"),
        (str(build["work"]), "<WORK>"),
    ]
    result = {}
    for dump in sorted(build["dump"].glob("*.env")):
        variables = {}
        for line in dump.read_text().splitlines():
            key, _, value = line.partition("=")
            if key.startswith("REZ_BUILD_"):
                for old, new in replacements:
                    value = value.replace(old, new)
                variables[key] = value
        result[dump.stem] = variables
    return result


@pytest.mark.parametrize("installed", _INSTALLED)
def test_installed_layout(builds: dict[str, dict[str, Any]], installed: str) -> None:
    _built(builds, installed)
    rez = _layout(builds["rez"], installed)
    ours = _layout(builds["pkg"], installed)
    assert rez
    assert ours == rez


@pytest.mark.parametrize("installed", _INSTALLED)
def test_installed_definition(builds: dict[str, dict[str, Any]], installed: str) -> None:
    _built(builds, installed)
    rez = _data(builds["rez"]["repo"] / installed / "package.py")
    ours = _data(builds["pkg"]["repo"] / installed / "package.py")
    assert ours == rez


def test_installed_cmake_module(builds: dict[str, dict[str, Any]]) -> None:
    """``rez_install_cmake`` wrote the same ``translate_lib.cmake`` (it names no directory
    of either tool: paths start at ``$ENV{REZ_TRANSLATE_LIB_ROOT}``)."""
    _built(builds, "translate_lib/2.2.0")
    module = Path("translate_lib", "2.2.0", "cmake", "translate_lib.cmake")
    rez = (builds["rez"]["repo"] / module).read_text()
    ours = (builds["pkg"]["repo"] / module).read_text()
    assert 'translate_lib_INCLUDE_DIRS "$ENV{REZ_TRANSLATE_LIB_ROOT}/include"' in rez
    assert ours == rez


def test_installed_tool_runs(builds: dict[str, dict[str, Any]]) -> None:
    """Each tool's ``greeter`` (``sup_world``, linked against its ``translate_lib`` found by
    ``rez_find_packages``) runs and prints the same."""
    _built(builds, "sup_world/3.8")
    outputs = []
    for tool in ("rez", "pkg"):
        repo = builds[tool]["repo"]
        libs = str(repo / "translate_lib" / "2.2.0" / "lib")
        done = subprocess.run(
            [str(repo / "sup_world" / "3.8" / "bin" / "greeter")],
            env={"LD_LIBRARY_PATH": libs, "DYLD_LIBRARY_PATH": libs},
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == "hola amigo\n"
    assert outputs[1] == outputs[0]


def _dump(builds: dict[str, dict[str, Any]], tool: str, name: str) -> dict[str, str]:
    dumps = _build_env(builds[tool])
    assert name in dumps, f"{tool}: no build of {name} ran"
    return dumps[name]


@pytest.mark.parametrize("dump", DUMPS)
def test_build_environment(builds: dict[str, dict[str, Any]], dump: str) -> None:
    """Every ``REZ_BUILD_*`` variable, the install path included: with ``-i`` both
    tools build straight into the variant's directory in the repository."""
    rez = _dump(builds, "rez", dump)
    ours = _dump(builds, "pkg", dump)
    assert "REZ_BUILD_PROJECT_NAME" in rez
    assert rez["REZ_BUILD_INSTALL_PATH"].startswith("<REPO>/")
    assert ours == rez


def test_no_other_build_environment(builds: dict[str, dict[str, Any]]) -> None:
    """No build ran that :data:`DUMPS` does not list."""
    names = set(DUMPS)
    assert set(_build_env(builds["rez"])) == names
    assert set(_build_env(builds["pkg"])) <= names


def test_build_install_path(builds: dict[str, dict[str, Any]]) -> None:
    rez = _dump(builds, "rez", "anti-1.0.0-0")
    ours = _dump(builds, "pkg", "anti-1.0.0-0")
    assert rez["REZ_BUILD_INSTALL_PATH"] == "<REPO>/anti/1.0.0"
    assert ours["REZ_BUILD_INSTALL_PATH"] == rez["REZ_BUILD_INSTALL_PATH"]
