"""Real builds: each build system's steps run with the test-side runner, then what was
installed is run (or imported)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from pkg.buildsys import detect, parse_build_args
from tests.buildsys._support import package_for, request_for, run_steps
from tests.conftest import needs, write_tree

CMAKE_PROJECT = {
    "package.py": "name = 'greet'\nversion = '2.5.1'\n",
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(greet C)
        include(RezBuild)
        add_library(greet SHARED src/greet.c)
        target_include_directories(greet PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
        add_executable(hello src/main.c)
        target_link_libraries(hello greet)
        target_compile_definitions(hello PRIVATE
            GREET_VERSION="${GREET_VERSION}" GREET_MAJOR=${GREET_MAJOR_VERSION})
        set_target_properties(hello PROPERTIES INSTALL_RPATH "${CMAKE_INSTALL_PREFIX}/lib")
        install(TARGETS greet hello RUNTIME DESTINATION bin LIBRARY DESTINATION lib)
        rez_install_files(include/greet.h RELATIVE include DESTINATION include)
        """,
    "include/greet.h": "const char *greeting(void);\n",
    "src/greet.c": '#include "greet.h"\nconst char *greeting(void) { return "hi there"; }\n',
    "src/main.c": """\
        #include <stdio.h>
        #include "greet.h"
        int main(void) {
            printf("%s from greet %s (major %d)\\n", greeting(), GREET_VERSION, GREET_MAJOR);
            return 0;
        }
        """,
}


@needs("cmake", "make", "cc")
def test_cmake_library_and_executable(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "greet", CMAKE_PROJECT)
    package = package_for(source, name="greet", version="2.5.1")
    system = detect(str(source), package)
    assert system.name == "cmake"
    request = request_for(source, package, variant_index=0, variant_subpath="")
    run_steps(system.steps(request))
    install = Path(request.install_path)
    assert (install / "include" / "greet.h").read_text() == "const char *greeting(void);\n"
    assert (install / "lib" / "libgreet.so").is_file()
    done = subprocess.run(
        [str(install / "bin" / "hello")], capture_output=True, text=True, check=True
    )
    assert done.stdout == "hi there from greet 2.5.1 (major 2)\n"


@needs("cmake", "make", "cc")
def test_cmake_scripts_mode_configures_only(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "greet", CMAKE_PROJECT)
    package = package_for(source, name="greet", version="2.5.1")
    request = request_for(source, package, scripts=True)
    run_steps(detect(str(source), package).steps(request))
    assert (Path(request.build_path) / "Makefile").is_file()
    assert not Path(request.install_path).exists()


@needs("cmake", "make", "cc")
def test_include_rezbuild_outside_a_build_fails(tmp_path: Path) -> None:
    source = write_tree(tmp_path / "greet", CMAKE_PROJECT)
    request = request_for(source, package_for(source, name="greet", version="2.5.1"))
    [configure, *_] = detect(str(source), request.package).steps(request)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REZ_")}
    os.makedirs(request.build_path)
    done = subprocess.run(
        configure.command,
        cwd=request.build_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "must be configured by `pkg build`" in done.stderr


@needs("make", "cc")
def test_make_project_builds_out_of_tree(tmp_path: Path) -> None:
    source = write_tree(
        tmp_path / "hello",
        {
            "package.py": "name = 'hello'\nversion = '1.0'\n",
            "hello.c": '#include <stdio.h>\nint main(void) { puts("hello, make"); return 0; }\n',
            "Makefile": (
                "hello: hello.c\n\t$(CC) -o $@ $<\n\n"
                ".PHONY: install\ninstall: hello\n"
                "\tmkdir -p $(PREFIX)/bin\n\tcp hello $(PREFIX)/bin/hello\n"
            ),
        },
    )
    package = package_for(source)
    system = detect(str(source), package)
    assert system.name == "make"
    request = request_for(source, package)
    run_steps(system.steps(request))
    assert (Path(request.build_path) / "hello").is_file()
    assert not (source / "hello").exists()
    installed = Path(request.install_path) / "bin" / "hello"
    done = subprocess.run([str(installed)], capture_output=True, text=True, check=True)
    assert done.stdout == "hello, make\n"


_BUILD_SCRIPT = """\
    import json, os, shutil, sys
    names = [k for k in os.environ if k.startswith(("REZ_BUILD_", "__PARSE_ARG_"))]
    record = {"argv": sys.argv[1:], "cwd": os.getcwd(), "env": {k: os.environ[k] for k in names}}
    with open("record.json", "w") as stream:
        json.dump(record, stream)
    if "install" in sys.argv[1:]:
        target = os.path.join(os.environ["REZ_BUILD_INSTALL_PATH"], "bin")
        os.makedirs(target, exist_ok=True)
        shutil.copy(os.path.join(os.environ["REZ_BUILD_SOURCE_PATH"], "tool.sh"), target)
    """


def _custom_source(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "tooly",
        {
            "package.py": "name = 'tooly'\nversion = '0.3'\n",
            "build.py": _BUILD_SCRIPT,
            "tool.sh": "echo tooly\n",
            "parse_build_args.py": (
                "parser.add_argument('--shout', action='store_true')\n"
                "parser.add_argument('--word', default='plain')\n"
            ),
        },
    )


def test_custom_build_command_string_with_parse_build_args(tmp_path: Path) -> None:
    source = _custom_source(tmp_path)
    command = f"{sys.executable} {{root}}/build.py {{install}} {{name}}-{{version}}"
    package = package_for(source, name="tooly", version="0.3", build_command=command)
    values, rest = parse_build_args(str(source), ["--shout", "--word", "two words", "extra"])
    system = detect(str(source), package)
    request = request_for(
        source,
        package,
        variant_index=1,
        variant_requires=("python-3",),
        variant_subpath="python-3",
        build_args=tuple(rest),
        options={"parse_build_args": values},
    )
    run_steps(system.steps(request))
    record = json.loads((Path(request.build_path) / "record.json").read_text())
    assert record["argv"] == ["install", "tooly-0.3", "extra"]
    assert record["cwd"] == request.build_path
    assert record["env"]["__PARSE_ARG_SHOUT"] == "1"
    assert record["env"]["__PARSE_ARG_WORD"] == "'two words'"
    assert record["env"]["REZ_BUILD_VARIANT_INDEX"] == "1"
    assert record["env"]["REZ_BUILD_INSTALL"] == "1"
    assert (Path(request.install_path) / "bin" / "tool.sh").read_text() == "echo tooly\n"


def test_custom_build_command_list_without_install(tmp_path: Path) -> None:
    source = _custom_source(tmp_path)
    command = [sys.executable, "{root}/build.py", "{install}", "{variant_index}"]
    package = package_for(source, name="tooly", version="0.3", build_command=command)
    request = request_for(source, package, install=False)
    run_steps(detect(str(source), package).steps(request))
    record = json.loads((Path(request.build_path) / "record.json").read_text())
    assert record["argv"] == ["", ""]
    assert record["env"]["REZ_BUILD_INSTALL"] == "0"
    assert record["env"]["REZ_BUILD_INSTALL_PATH"] == request.install_path
    assert not Path(request.install_path).exists()


def test_custom_build_command_false_builds_nothing(tmp_path: Path) -> None:
    source = _custom_source(tmp_path)
    package = package_for(source, name="tooly", version="0.3", build_command=False)
    assert detect(str(source), package).steps(request_for(source, package)) == []


@pytest.fixture(scope="session")
def wheel_tools(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Extra environment letting this interpreter's setuptools build wheels.

    setuptools older than 70.1 needs the ``wheel`` distribution; when it is absent it is
    installed (with pip's configured indexes) into a temporary directory put on PYTHONPATH,
    the way a build context would provide it as a build requirement.
    """
    major, minor = (int(part) for part in metadata.version("setuptools").split(".")[:2])
    if (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None:
        return {}
    target = tmp_path_factory.mktemp("wheel-tools")
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--no-deps",
                "--disable-pip-version-check",
                "--quiet",
                "--retries",
                "0",
                "--timeout",
                "20",
                "--target",
                str(target),
                "wheel",
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
    except (subprocess.SubprocessError, OSError):
        pytest.skip("setuptools cannot build wheels here and 'wheel' cannot be installed")
    return {"PYTHONPATH": str(target)}


def test_python_project_is_installed_into_the_payload(
    tmp_path: Path, wheel_tools: dict[str, str]
) -> None:
    source = write_tree(
        tmp_path / "greetpy",
        {
            "package.py": "name = 'greetpy'\nversion = '1.4'\n",
            "pyproject.toml": """\
                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"

                [project]
                name = "greetpy"
                version = "1.4"

                [project.scripts]
                greetpy = "greetpy:main"
                """,
            "src/greetpy/__init__.py": (
                "GREETING = 'hello from a wheel'\n\ndef main():\n    print(GREETING)\n"
            ),
        },
    )
    package = package_for(source, name="greetpy", version="1.4")
    system = detect(str(source), package)
    assert system.name == "python"
    request = request_for(source, package, settings={"python_binary": sys.executable})
    stale = Path(request.build_path) / "dist" / "greetpy-1.3-py3-none-any.whl"
    stale.parent.mkdir(parents=True)
    stale.write_text("a wheel of an earlier build")  # removed by the clean step
    run_steps(system.steps(request), extra_env=wheel_tools)
    payload = Path(request.install_path) / "python"
    assert (payload / "bin" / "greetpy").is_file()
    done = subprocess.run(
        [sys.executable, "-c", "import greetpy; print(greetpy.GREETING, greetpy.__file__)"],
        env={**os.environ, "PYTHONPATH": str(payload)},
        capture_output=True,
        text=True,
        check=True,
    )
    message, module_file = done.stdout.split()[:-1], done.stdout.split()[-1]
    assert " ".join(message) == "hello from a wheel"
    assert Path(module_file).is_relative_to(payload)
    assert [wheel.name for wheel in (Path(request.build_path) / "dist").iterdir()] == [
        "greetpy-1.4-py3-none-any.whl"
    ]
