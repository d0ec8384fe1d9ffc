"""Registry and detection of build systems (``pkg.buildsys``)."""

from __future__ import annotations

import tomllib
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.buildsys import (
    ENTRY_POINT_GROUP,
    BuildPackage,
    BuildSystemError,
    build_system_names,
    detect,
    get_build_system,
)
from pkg.buildsys.cmake import CMakeBuildSystem
from pkg.buildsys.custom import CustomBuildSystem
from pkg.buildsys.make import MakeBuildSystem
from pkg.buildsys.python import PythonBuildSystem
from pkg.errors import BuildError, PkgError
from pkg.packages import Package
from pkg.packages.definition import load_definition
from tests.buildsys._support import package_for

if TYPE_CHECKING:
    from pkg.buildsys.base import BuildCommand

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _tree(root: Path, *files: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name in files:
        (root / name).write_text("")
    return root


def test_builtins_are_registered() -> None:
    assert build_system_names() == ["cmake", "custom", "make", "python"]
    assert isinstance(get_build_system("cmake"), CMakeBuildSystem)


def test_pyproject_declares_the_builtins_as_entry_points() -> None:
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["entry-points"][ENTRY_POINT_GROUP]
    loaded = {
        name: EntryPoint(name, value, ENTRY_POINT_GROUP).load() for name, value in declared.items()
    }
    assert loaded == {
        "cmake": CMakeBuildSystem,
        "custom": CustomBuildSystem,
        "make": MakeBuildSystem,
        "python": PythonBuildSystem,
    }
    assert all(cls.name == name for name, cls in loaded.items())


def test_unknown_system_names_the_source_and_the_choices() -> None:
    with pytest.raises(BuildSystemError, match=r"^/src: unknown build system 'scons' \(one of"):
        get_build_system("scons", source_dir="/src")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["CMakeLists.txt"], "cmake"),
        (["CMakeLists.txt", "Makefile"], "cmake"),  # make is cmake's child
        (["Makefile"], "make"),
        (["pyproject.toml"], "python"),
    ],
)
def test_detect_by_files(tmp_path: Path, files: list[str], expected: str) -> None:
    source = _tree(tmp_path / "src", "package.py", *files)
    assert detect(str(source), package_for(source)).name == expected


@pytest.mark.parametrize("command", ["make", ("make", "all"), False])
def test_build_command_selects_custom_over_files(tmp_path: Path, command: BuildCommand) -> None:
    source = _tree(tmp_path / "src", "CMakeLists.txt", "pyproject.toml")
    package = package_for(source, build_command=command, build_system="cmake")
    assert detect(str(source), package).name == "custom"


def test_build_system_attribute_wins_over_files(tmp_path: Path) -> None:
    source = _tree(tmp_path / "src", "CMakeLists.txt", "pyproject.toml")
    assert detect(str(source), package_for(source, build_system="python")).name == "python"


def test_unknown_build_system_attribute(tmp_path: Path) -> None:
    source = _tree(tmp_path / "src")
    with pytest.raises(BuildSystemError, match="unknown build system 'bjam'"):
        detect(str(source), package_for(source, build_system="bjam"))


def test_ambiguous_detection_lists_the_candidates(tmp_path: Path) -> None:
    source = _tree(tmp_path / "src", "CMakeLists.txt", "pyproject.toml")
    with pytest.raises(BuildSystemError) as caught:
        detect(str(source), package_for(source))
    message = str(caught.value)
    assert message == (
        f"{source}: the source could be built with any of cmake, python; "
        "choose one with -b/--build-system"
    )
    assert isinstance(caught.value, BuildError)
    assert isinstance(caught.value, PkgError)
    assert caught.value.source_dir == str(source)


def test_nothing_to_build(tmp_path: Path) -> None:
    source = _tree(tmp_path / "src", "package.py")
    with pytest.raises(BuildSystemError, match=r"no build system is associated") as caught:
        detect(str(source), package_for(source))
    assert str(caught.value).startswith(f"{source}: ")
    assert "\n" not in str(caught.value)


def test_forced_system(tmp_path: Path) -> None:
    source = _tree(tmp_path / "src", "CMakeLists.txt", "pyproject.toml")
    package = package_for(source, build_command="true")
    assert detect(str(source), package, forced="python").name == "python"
    assert detect(str(source), package, forced="cmake").name == "cmake"
    with pytest.raises(BuildSystemError, match="not a valid source directory for the 'make'"):
        detect(str(source), package, forced="make")
    with pytest.raises(BuildSystemError, match="not a valid source directory for the 'custom'"):
        detect(str(source), package_for(source), forced="custom")


def test_build_package_from_a_definition(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "package.py").write_text(
        "name = 'hello'\nversion = '1.2'\ndescription = '  Says hello.  '\n"
        "build_command = ['make', '{install}']\n"
    )
    package = Package(load_definition(source / "package.py", building=True))
    built = BuildPackage.from_package(package)
    assert built == BuildPackage(
        name="hello",
        version="1.2",
        filepath=str(source / "package.py"),
        description="Says hello.",
        build_command=("make", "{install}"),
        build_system=None,
    )
    assert built.root == str(source)


def test_build_package_refuses_a_bad_build_command(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "package.py").write_text("name = 'hello'\nversion = '1'\nbuild_command = 3\n")
    package = Package(load_definition(source / "package.py"))
    with pytest.raises(BuildSystemError, match=r"package\.py: build_command must be a string"):
        BuildPackage.from_package(package)
