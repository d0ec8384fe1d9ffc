"""Reading installed distributions and converting them (``pkg.pip.dist``, ``pkg.pip.convert``,
``pkg.pip.requirements``, ``pkg.pip.scripts``), on a real ``pip install --target``."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from pkg.core import Version
from pkg.pip import PipVersionError, find_distributions, rez_requirements
from pkg.pip.convert import ConvertError, convert_distribution, write_payload
from pkg.pip.dist import DistError, InstalledDist, read_distribution

if TYPE_CHECKING:
    from pathlib import Path

REMAPS = (
    {"record_path": r"^\.\./\.\./(bin/.*)", "pip_install": r"\1", "rez_install": r"\1"},
    {
        "record_path": r"^\.\./\.\./lib/python/(.*)",
        "pip_install": r"\1",
        "rez_install": r"python/\1",
    },
)
PY = Version("3.11.7")


def _dists(target: Path) -> dict[str, InstalledDist]:
    return {d.name: d for d in find_distributions(target)}


def _convert(dist: InstalledDist, target: Path, **kwargs: object) -> dict[str, object]:
    package = convert_distribution(
        dist,
        target,
        python_version=PY,
        platform="linux",
        arch="x86_64",
        remaps=REMAPS,
        **kwargs,  # type: ignore[arg-type]
    )
    return package.data


def test_find_distributions(pip_target: Path) -> None:
    dists = _dists(pip_target)
    assert sorted(dists) == [
        "chain-a",
        "chain-b",
        "chain-c",
        "fastmath",
        "hello-cli",
        "marked",
        "purelib",
    ]
    hello = dists["hello-cli"]
    assert (hello.version, hello.pure, hello.scripts) == ("2.0.1", True, ("hello-cli", "hello-gui"))
    assert "../../bin/hello-cli" in hello.record
    assert dists["fastmath"].pure is False
    assert dists["purelib"].name_and_version == "purelib (1.2.0)"
    assert dists["marked"].requires_dist[0] == "purelib>=1.0,<2"


def test_pure_package(pip_target: Path) -> None:
    data = _convert(_dists(pip_target)["purelib"], pip_target)
    commands = data.pop("commands")
    assert data == {
        "name": "purelib",
        "version": "1.2.0",
        "description": "A pure library.",
        "variants": [["python-3.11"]],
        "hashed_variants": True,
        "pip_name": "purelib (1.2.0)",
        "from_pip": True,
        "is_pure_python": True,
        "help": [["Home Page", "https://example.invalid/purelib"]],
        "authors": ["Ann ann@x.org"],
    }
    assert "env.PYTHONPATH.append('{root}/python')" in commands.source  # type: ignore[attr-defined]
    assert "PATH.append" not in commands.source.replace("PYTHONPATH", "")  # type: ignore[attr-defined]


def test_scripts_make_the_variant_platform_specific(pip_target: Path) -> None:
    package = convert_distribution(
        _dists(pip_target)["hello-cli"],
        pip_target,
        python_version=PY,
        platform="linux",
        arch="x86_64",
        remaps=REMAPS,
    )
    assert package.data["variants"] == [["platform-linux", "arch-x86_64", "python-3.11"]]
    assert package.data["tools"] == ["hello-cli", "hello-gui"]
    assert package.files["bin/hello-cli"] == "bin/hello-cli"
    assert package.files["hello_cli/cli.py"] == "python/hello_cli/cli.py"
    assert package.files["hello_cli-2.0.1.dist-info/RECORD"] == (
        "python/hello_cli-2.0.1.dist-info/RECORD"
    )
    assert "env.PATH.append('{root}/bin')" in package.data["commands"].source  # type: ignore[attr-defined]


def test_compiled_package(pip_target: Path) -> None:
    data = _convert(_dists(pip_target)["fastmath"], pip_target)
    assert (data["version"], data["is_pure_python"]) == ("1.0.post2", False)
    assert data["variants"] == [["platform-linux", "arch-x86_64", "python-3.11"]]
    assert "description" not in data


def test_markers_and_extras(pip_target: Path) -> None:
    dist = _dists(pip_target)["marked"]
    data = _convert(dist, pip_target)
    assert data["version"] == "0.3.rc1"
    assert data["requires"] == ["purelib-1.0+<2"]
    assert data["variants"] == [["python-3.11", "chain_c-3.1+<4"]]
    with_extra = _convert(dist, pip_target, extras=["fancy"])
    assert with_extra["requires"] == ["purelib-1.0+<2", "extra_dep"]


def test_requirements_of_another_python() -> None:
    lines = [
        'old; python_version < "3"',
        'new; python_version >= "3.12"',
        'win; sys_platform == "win32"',
        'x86; platform_machine == "x86_64" or platform_machine == "AMD64"',
        "Foo>=1",
        "bar[extra]==1.*",
    ]
    warnings: list[str] = []
    reqs = rez_requirements(
        lines,
        python_version=Version("3.12"),
        platform="linux",
        arch="x86_64",
        system_specific=False,
        names={"foo": "FOO"},
        warn=warnings.append,
    )
    assert reqs.requires == ("FOO-1+", "bar-1")
    # platform_machine adds arch (and, as with rez-pip, not platform).
    assert reqs.variant_requires == (
        "arch-x86_64",
        "python-3.12",
        "new",
        "x86",
    )
    assert len(reqs.skipped) == 2
    assert warnings == ["bar[extra]==1.*: the extras ['extra'] of bar are not converted"]


def test_unmappable_requirement() -> None:
    with pytest.raises(PipVersionError, match=r"'===1\.0' has no Rez equivalent"):
        rez_requirements(
            ["foo===1.0"],
            python_version=PY,
            platform="linux",
            arch="x86_64",
            system_specific=False,
        )


def test_file_outside_the_target_without_a_remap(pip_target: Path) -> None:
    dist = _dists(pip_target)["hello-cli"]
    with pytest.raises(ConvertError) as caught:
        convert_distribution(
            dist, pip_target, python_version=PY, platform="linux", arch="x86_64", remaps=()
        )
    assert str(caught.value) == (
        "hello-cli 2.0.1: '../../bin/hello-cli' (in hello_cli-2.0.1.dist-info/RECORD) is "
        "outside the pip target and no pip_install_remaps rule covers it; add one with "
        "record_path '{p}{s}{p}{s}bin{s}hello-cli', pip_install (where pip put it, relative "
        "to the target) and rez_install (where it goes in the package)"
    )


def test_missing_record_entries_are_skipped(pip_target: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    shutil.copytree(pip_target, target, symlinks=True)
    (target / "purelib" / "__init__.py").unlink()
    package = convert_distribution(
        _dists(target)["purelib"],
        target,
        python_version=PY,
        platform="linux",
        arch="x86_64",
        remaps=REMAPS,
    )
    assert package.missing == ("purelib/__init__.py",)
    assert "purelib/__init__.py" not in package.files


def test_broken_dist_info(tmp_path: Path) -> None:
    (tmp_path / "foo-1.dist-info").mkdir()
    (tmp_path / "foo-1.dist-info" / "METADATA").write_text("Name: foo\n")
    with pytest.raises(DistError, match="METADATA: no Name or Version"):
        read_distribution(tmp_path, "foo-1.dist-info")
    (tmp_path / "foo-1.dist-info" / "METADATA").write_text("Name: foo\nVersion: 1\n")
    with pytest.raises(DistError, match="RECORD: cannot be read"):
        read_distribution(tmp_path, "foo-1.dist-info")


def test_payload_and_wrappers(pip_target: Path, tmp_path: Path) -> None:
    package = convert_distribution(
        _dists(pip_target)["hello-cli"],
        pip_target,
        python_version=PY,
        platform="linux",
        arch="x86_64",
        remaps=REMAPS,
    )
    root = tmp_path / "variant"
    write_payload(package, pip_target, root, python_version=PY, interpreter="/nonexistent/python")
    assert sorted(os.listdir(root)) == ["bin", "python"]
    script = root / "bin" / "hello-cli"
    assert script.read_text().startswith("#!/bin/sh\n'''true'\nfor py in python3.11 ")
    assert os.access(script, os.X_OK)
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(root / "python")}
    out = subprocess.run(
        [str(script), "x", "y"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert out == "hello from hello-cli x y\n"
    nothing = subprocess.run(
        [str(script)], capture_output=True, text=True, env={"PATH": str(tmp_path)}, check=False
    )
    assert nothing.returncode == 127
    assert nothing.stderr == f"{script}: no Python interpreter found\n"
