"""The steps each build system returns for a request (nothing is run here)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from pkg.buildsys import BuildSystemError, build_environ, get_build_system, parse_build_args
from pkg.buildsys.cmake import CMAKE_FILES
from tests.buildsys._support import package_for, request_for

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.buildsys import BuildRequest, BuildStep
    from pkg.buildsys.base import BuildCommand


def _commands(steps: list[BuildStep]) -> list[tuple[str, tuple[str, ...] | str]]:
    return [(step.label, step.command) for step in steps]


# -- custom ------------------------------------------------------------------------------


def _custom(source: Path, command: BuildCommand, **fields: Any) -> BuildRequest:
    return request_for(source, package_for(source, build_command=command), **fields)


def test_custom_string_is_formatted_and_run_by_the_shell(tmp_path: Path) -> None:
    source = tmp_path / "src"
    request = _custom(
        source,
        "  ./build.sh {root} {install} {build_path} {install_path} {name} {variant_index}"
        " {version}  ",
        variant_index=2,
        build_args=("--fast", "two words"),
    )
    [step] = get_build_system("custom").steps(request)
    assert step.shell
    assert step.command == (
        f"./build.sh {source} install {source}/build {request.install_path} hello 2 1.0"
        "   --fast 'two words'"  # appended before formatting and stripping, as in Rez
    )
    assert step.cwd == request.build_path
    assert step.env == build_environ(request, get_build_system("custom"))


def test_custom_list_is_an_argument_vector(tmp_path: Path) -> None:
    source = tmp_path / "src"
    request = _custom(
        source, ("make", "-C", "{root}", "{install}"), install=False, build_args=("V=1",)
    )
    [step] = get_build_system("custom").steps(request)
    assert not step.shell
    assert step.command == ("make", "-C", str(source), "", "V=1")


def test_custom_without_variants_has_an_empty_index(tmp_path: Path) -> None:
    [step] = get_build_system("custom").steps(_custom(tmp_path, "echo [{variant_index}]"))
    assert step.command == "echo []"


def test_custom_false_and_scripts_run_nothing(tmp_path: Path) -> None:
    custom = get_build_system("custom")
    assert custom.steps(_custom(tmp_path, False)) == []
    assert custom.steps(_custom(tmp_path, "make", scripts=True)) == []


def test_custom_unknown_placeholder(tmp_path: Path) -> None:
    with pytest.raises(BuildSystemError, match=r"package\.py: build_command 'make \{prefix\}'"):
        get_build_system("custom").steps(_custom(tmp_path, "make {prefix}"))


def test_custom_needs_a_build_command(tmp_path: Path) -> None:
    with pytest.raises(BuildSystemError, match="needs a build_command"):
        get_build_system("custom").steps(request_for(tmp_path))


def test_parse_build_args(tmp_path: Path) -> None:
    (tmp_path / "parse_build_args.py").write_text(
        "parser.add_argument('--debug-mode', action='store_true')\n"
        "parser.add_argument('--flavour', choices=['mild', 'hot'], default='mild')\n"
        "parser.add_argument('--tag', action='append')\n"
    )
    values, rest = parse_build_args(
        str(tmp_path), ["--debug-mode", "--tag", "a", "--other", "--tag", "b c"]
    )
    assert values == {"debug_mode": True, "flavour": "mild", "tag": ["a", "b c"]}
    assert rest == ["--other"]


def test_parse_build_args_without_the_file(tmp_path: Path) -> None:
    assert parse_build_args(str(tmp_path), ["--x"]) == ({}, ["--x"])


def test_parse_build_args_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "parse_build_args.py"
    path.write_text("parser.add_argument('--level', type=int)\n")
    with pytest.raises(BuildSystemError, match=r"parse_build_args\.py: invalid custom build"):
        parse_build_args(str(tmp_path), ["--level", "high"])
    path.write_text("raise RuntimeError('no way')\n")
    with pytest.raises(BuildSystemError, match=r"parse_build_args\.py: no way$"):
        parse_build_args(str(tmp_path), [])


# -- cmake -------------------------------------------------------------------------------


def test_cmake_steps_follow_rez(tmp_path: Path) -> None:
    source = tmp_path / "src"
    request = request_for(source, build_args=("-DFOO=1",), child_build_args=("VERBOSE=1",))
    steps = get_build_system("cmake").steps(request)
    assert _commands(steps) == [
        (
            "configure",
            (
                "cmake",
                str(source),
                "-Wno-dev",
                "--no-warn-unused-cli",
                "-DFOO=1",
                f"-DCMAKE_INSTALL_PREFIX={request.install_path}",
                f"-DCMAKE_MODULE_PATH={CMAKE_FILES}",
                "-DCMAKE_BUILD_TYPE=Release",
                "-DREZ_BUILD_TYPE=local",
                "-DREZ_BUILD_INSTALL=1",
                "-G",
                "Unix Makefiles",
            ),
        ),
        ("build", ("make", "VERBOSE=1", "-j2")),
        ("install", ("make", "VERBOSE=1", "-j2", "install")),
    ]
    assert {step.cwd for step in steps} == {request.build_path}
    assert steps[0].env["CMAKE_MODULE_PATH"] == CMAKE_FILES


def test_cmake_options_and_settings(tmp_path: Path) -> None:
    request = request_for(
        tmp_path,
        install=False,
        build_type="central",
        options={"build_target": "Debug", "cmake_build_system": "ninja"},
        settings={"cmake_args": ["-Wdev"], "cmake_binary": "/opt/cmake"},
        context_environ={"CMAKE_MODULE_PATH": "/ctx/cmake"},
    )
    configure, build = get_build_system("cmake").steps(request)
    assert configure.command[:3] == ("/opt/cmake", str(tmp_path), "-Wdev")
    assert configure.command[-6:] == (
        f"-DCMAKE_MODULE_PATH={CMAKE_FILES};/ctx/cmake",
        "-DCMAKE_BUILD_TYPE=Debug",
        "-DREZ_BUILD_TYPE=central",
        "-DREZ_BUILD_INSTALL=0",
        "-G",
        "Ninja",
    )
    assert build.command == ("ninja", "-j2")


def test_cmake_build_tools(tmp_path: Path) -> None:
    cmake = get_build_system("cmake")

    def build_of(**fields: Any) -> tuple[str, ...] | str:
        return cmake.steps(request_for(tmp_path, install=False, **fields))[1].command

    assert build_of(options={"cmake_build_system": "nmake"}) == ("nmake",)
    assert build_of(options={"cmake_build_system": "mingw"}) == ("mingw32-make", "-j2")
    assert build_of(settings={"build_system": "codeblocks"}) == ("make", "-j2")
    assert build_of(settings={"make_binary": "gmake"}) == ("gmake", "-j2")
    assert build_of(child_build_args=("-j9",)) == ("make", "-j9")


def test_cmake_child_install_target_is_not_repeated(tmp_path: Path) -> None:
    steps = get_build_system("cmake").steps(request_for(tmp_path, child_build_args=("install",)))
    assert _commands(steps)[1:] == [("build", ("make", "install", "-j2"))]


def test_cmake_scripts_mode_only_configures(tmp_path: Path) -> None:
    steps = get_build_system("cmake").steps(request_for(tmp_path, scripts=True))
    assert [step.label for step in steps] == ["configure"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"build_target": "Fast"}, "unknown cmake build target 'Fast'"),
        ({"cmake_build_system": "scons"}, "unknown cmake build system 'scons'"),
    ],
)
def test_cmake_bad_options(tmp_path: Path, options: dict[str, str], message: str) -> None:
    with pytest.raises(BuildSystemError, match=message):
        get_build_system("cmake").steps(request_for(tmp_path, options=options))


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="Xcode is valid on macOS")
def test_cmake_xcode_only_on_macos(tmp_path: Path) -> None:
    with pytest.raises(BuildSystemError, match="Xcode generator is only available on macOS"):
        get_build_system("cmake").steps(
            request_for(tmp_path, options={"cmake_build_system": "xcode"})
        )


def test_cmake_cli_options() -> None:
    options = get_build_system("cmake").cli_options()
    assert [(option.flags, option.dest, option.setting) for option in options] == [
        (("--bt", "--build-target"), "build_target", "build_target"),
        (("--bs", "--cmake-build-system"), "cmake_build_system", "build_system"),
    ]
    assert options[0].choices == ("Debug", "Release", "RelWithDebInfo")
    assert get_build_system("make").cli_options() == ()


# -- make and python ---------------------------------------------------------------------


def test_make_steps(tmp_path: Path) -> None:
    source = tmp_path / "src"
    request = request_for(source, build_args=("CFLAGS=-O0",))
    common = (
        "make",
        "-f",
        str(source / "Makefile"),
        f"VPATH={source}",
        f"PREFIX={request.install_path}",
        "CFLAGS=-O0",
        "-j2",
    )
    make = get_build_system("make")
    assert _commands(make.steps(request)) == [("build", common), ("install", (*common, "install"))]
    assert len(make.steps(request_for(source, install=False))) == 1
    assert make.steps(request_for(source, scripts=True)) == []


def test_python_steps(tmp_path: Path) -> None:
    source = tmp_path / "src"
    request = request_for(source, settings={"python_binary": "/usr/bin/python3.11"})
    clean, wheel, install = get_build_system("python").steps(request)
    dist = str(source / "build" / "dist")
    assert clean.command[0] == "/usr/bin/python3.11"
    assert clean.command[-1] == dist
    assert wheel.command == (
        "/usr/bin/python3.11",
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--disable-pip-version-check",
        "-w",
        dist,
        str(source),
    )
    assert install.command[-2:] == (dist, os.path.join(request.install_path, "python"))
    assert [
        s.label for s in get_build_system("python").steps(request_for(source, install=False))
    ] == [
        "clean",
        "wheel",
    ]
    assert get_build_system("python").steps(request_for(source, scripts=True)) == []
