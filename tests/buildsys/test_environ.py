"""``pkg.buildsys.environ``: the ``REZ_BUILD_*`` variables and the per-system additions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.buildsys import build_environ, get_build_system, standard_environ
from pkg.buildsys.cmake import CMAKE_FILES, DOXYFILE
from tests.buildsys._support import package_for, request_for

if TYPE_CHECKING:
    from pathlib import Path


def test_standard_variables_of_a_variant(tmp_path: Path) -> None:
    source = tmp_path / "src"
    package = package_for(source, description="\n  A greeter.\n  ")
    request = request_for(
        source,
        package,
        install=False,
        build_type="central",
        build_path=str(source / "build" / "python-3.9"),
        install_path="/repo/hello/1.0/python-3.9",
        variant_index=1,
        variant_requires=("python-3.9", "~platform-linux"),
        variant_subpath="python-3.9",
        build_requires=("python-3.9", "~platform-linux", "!eek", "cmake-3+"),
        thread_count=6,
    )
    assert standard_environ(request) == {
        "REZ_BUILD_ENV": "1",
        "REZ_BUILD_PATH": str(source / "build" / "python-3.9"),
        "REZ_BUILD_THREAD_COUNT": "6",
        "REZ_BUILD_VARIANT_INDEX": "1",
        "REZ_BUILD_VARIANT_REQUIRES": "python-3.9 ~platform-linux",
        "REZ_BUILD_VARIANT_SUBPATH": "python-3.9",
        "REZ_BUILD_PROJECT_VERSION": "1.0",
        "REZ_BUILD_PROJECT_NAME": "hello",
        "REZ_BUILD_PROJECT_DESCRIPTION": "A greeter.",
        "REZ_BUILD_PROJECT_FILE": str(source / "package.py"),
        "REZ_BUILD_SOURCE_PATH": str(source),
        "REZ_BUILD_REQUIRES": "python-3.9 ~platform-linux !eek cmake-3+",
        "REZ_BUILD_REQUIRES_UNVERSIONED": "python platform eek cmake",
        "REZ_BUILD_TYPE": "central",
        "REZ_BUILD_INSTALL": "0",
        "REZ_BUILD_INSTALL_PATH": "/repo/hello/1.0/python-3.9",
    }


def test_package_without_variants(tmp_path: Path) -> None:
    environ = standard_environ(request_for(tmp_path / "src", install=True))
    assert environ["REZ_BUILD_VARIANT_INDEX"] == "0"
    assert environ["REZ_BUILD_VARIANT_REQUIRES"] == ""
    assert environ["REZ_BUILD_VARIANT_SUBPATH"] == ""
    assert environ["REZ_BUILD_INSTALL"] == "1"
    assert environ["REZ_BUILD_TYPE"] == "local"


def test_no_install_path_no_variable(tmp_path: Path) -> None:
    assert "REZ_BUILD_INSTALL_PATH" not in standard_environ(
        request_for(tmp_path / "src", install_path="")
    )


def test_cmake_additions(tmp_path: Path) -> None:
    cmake = get_build_system("cmake")
    request = request_for(
        tmp_path / "src",
        context_environ={"CMAKE_MODULE_PATH": "/a/cmake;/b\\cmake"},
        settings={"install_pyc": False},
    )
    environ = build_environ(request, cmake)
    assert environ["CMAKE_MODULE_PATH"] == f"{CMAKE_FILES};/a/cmake;/b/cmake"
    assert environ["REZ_BUILD_DOXYFILE"] == DOXYFILE
    assert environ["REZ_BUILD_INSTALL_PYC"] == "0"
    assert environ["REZ_BUILD_ENV"] == "1"
    plain = build_environ(request_for(tmp_path / "src"), cmake)
    assert plain["CMAKE_MODULE_PATH"] == CMAKE_FILES
    assert plain["REZ_BUILD_INSTALL_PYC"] == "1"


def test_custom_parse_arg_variables(tmp_path: Path) -> None:
    values = {"debug": True, "fast": False, "names": ["a", "b c"], "level": 3, "mode": None}
    request = request_for(tmp_path / "src", options={"parse_build_args": values})
    environ = build_environ(request, get_build_system("custom"))
    assert {key: value for key, value in environ.items() if key.startswith("__")} == {
        "__PARSE_ARG_DEBUG": "1",
        "__PARSE_ARG_FAST": "0",
        "__PARSE_ARG_NAMES": "a 'b c'",
        "__PARSE_ARG_LEVEL": "3",
        "__PARSE_ARG_MODE": "None",
    }


def test_make_and_python_add_nothing(tmp_path: Path) -> None:
    request = request_for(tmp_path / "src")
    for name in ("make", "python"):
        assert build_environ(request, get_build_system(name)) == standard_environ(request)
