"""pkg's Rez-compatible CMake modules (``pkg/buildsys/data/cmake``): real cmake + make
builds of tiny projects that ``include(RezBuild)`` and call its functions.

Projects that compile nothing declare ``project(<name> NONE)`` first, so cmake looks for
no compiler and configures quickly.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pkg.buildsys.cmake import CMakeBuildSystem
from tests.buildsys._support import package_for, request_for, run_steps
from tests.conftest import needs, write_tree

pytestmark = needs("cmake", "make")


def _build(
    root: Path,
    name: str,
    files: dict[str, str],
    extra_env: dict[str, str] | None = None,
    **fields: Any,
) -> tuple[Path, str]:
    """Build (and by default install) the project ``files`` as package ``name`` 1.2.3;
    return its install path and the steps' combined output."""
    source = write_tree(root / name, {"package.py": f"name = {name!r}\nversion = '1.2.3'\n"})
    write_tree(source, files)
    request = request_for(source, package_for(source, name=name, version="1.2.3"), **fields)
    outputs = run_steps(CMakeBuildSystem().steps(request), extra_env)
    return Path(request.install_path), "".join(outputs)


def _configure_error(root: Path, body: str, **fields: Any) -> str:
    """Configure a project whose CMakeLists.txt ends with ``body``; return its stderr
    (the configure step must fail)."""
    source = write_tree(
        root / "broken",
        {
            "package.py": "name = 'broken'\nversion = '1'\n",
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\nproject(broken NONE)\n"
            "include(RezBuild)\n" + body,
        },
    )
    request = request_for(source, package_for(source, name="broken", version="1"), **fields)
    [configure, *_] = CMakeBuildSystem().steps(request)
    os.makedirs(configure.cwd)
    done = subprocess.run(
        configure.command,
        cwd=configure.cwd,
        env={**os.environ, **configure.env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0, done.stdout
    return " ".join(done.stderr.split())


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


FILES_PROJECT = {
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(files NONE)
        include(RezBuild)
        rez_install_files(src/a.h src/sub/b.h RELATIVE src DESTINATION include/files)
        rez_install_files(tools/run.sh DESTINATION . EXECUTABLE)
        file(GLOB docs "docs/*")
        rez_install_files(${docs} RELATIVE src DESTINATION docs LOCAL_SYMLINK)
        """,
    "src/a.h": "// a\n",
    "src/sub/b.h": "// b\n",
    "tools/run.sh": "#!/bin/sh\necho run\n",
    "docs/a spaced doc": "spaced\n",
    "docs/plain": "plain\n",
}


@pytest.mark.parametrize("build_type", ["local", "central"])
def test_install_files(tmp_path: Path, build_type: str) -> None:
    install, _ = _build(tmp_path, "files", FILES_PROJECT, build_type=build_type)
    source = tmp_path / "files"
    assert (install / "include" / "files" / "a.h").read_text() == "// a\n"
    assert (install / "include" / "files" / "sub" / "b.h").read_text() == "// b\n"
    assert _mode(install / "include" / "files" / "a.h") == 0o644
    assert _mode(install / "tools" / "run.sh") == 0o555
    # Outside RELATIVE: the `..` comes back out (docs/../docs).
    for name in ("a spaced doc", "plain"):
        installed = install / "docs" / name
        if build_type == "local":
            assert installed.is_symlink()
            assert os.readlink(installed) == str(source / "docs" / name)
        else:
            assert not installed.is_symlink()
            assert installed.read_text() == (source / "docs" / name).read_text()
    assert sorted(p.name for p in (install / "docs").iterdir()) == ["a spaced doc", "plain"]


def test_install_dirs(tmp_path: Path) -> None:
    project = {
        "CMakeLists.txt": """\
            cmake_minimum_required(VERSION 3.10)
            project(dirs NONE)
            include(RezBuild)
            rez_install_dirs(data DESTINATION share)
            rez_install_dirs(scripts/ DESTINATION bin EXECUTABLE)
            rez_install_dirs(linked/ DESTINATION share LOCAL_SYMLINK)
            """,
        "data/x.txt": "x\n",
        "data/deep/y.txt": "y\n",
        "data/.svn/entries": "svn\n",
        "scripts/run": "#!/bin/sh\n",
        "linked/z.txt": "z\n",
    }
    install, _ = _build(tmp_path, "dirs", project)
    assert (install / "share" / "data" / "x.txt").read_text() == "x\n"
    assert _mode(install / "share" / "data" / "x.txt") == 0o644
    assert (install / "share" / "data" / "deep" / "y.txt").read_text() == "y\n"
    assert not (install / "share" / "data" / ".svn").exists()
    assert _mode(install / "bin" / "run") == 0o555  # the trailing / installs the contents
    link = install / "share" / "linked"
    assert os.readlink(link) == str(tmp_path / "dirs" / "linked")


MODULES = {
    "one/alpha.cmake": """\
        set(alpha_ROOT "/opt/alpha")
        set(alpha_INCLUDE_DIRS "/opt/alpha/include")
        set(alpha_LIBRARY_DIRS "/opt/alpha/lib")
        set(alpha_LIBRARIES "alpha;m")
        set(alpha_DEFINITIONS "-DALPHA=1;-DSHARED")
        """,
    "two/beta.cmake": """\
        set(beta_INCLUDE_DIRS "/opt/beta/include;/opt/beta/extra")
        set(beta_LIBRARY_DIRS "/opt/beta/lib")
        set(beta_LIBRARIES "beta")
        set(beta_DEFINITIONS "-DSHARED;-DNAME=\\"beta\\"")
        set(beta_USE_SYSTEM_INCLUDE_DIRS "TRUE")
        """,
    "two/alpha.cmake": 'message(FATAL_ERROR "the first alpha.cmake on the path wins")\n',
}

FIND_PROJECT = {
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(finder NONE)
        include(RezBuild)
        rez_find_packages(PREFIX deps AUTO)
        get_directory_property(includes INCLUDE_DIRECTORIES)
        get_directory_property(links LINK_DIRECTORIES)
        foreach(name deps_INCLUDE_DIRS deps_SYSTEM_INCLUDE_DIRS deps_LIBRARY_DIRS
                     deps_LIBRARIES deps_DEFINITIONS alpha_ROOT includes links
                     CMAKE_CXX_FLAGS)
            message(STATUS "${name}=[${${name}}]")
        endforeach()
        rez_find_packages(beta PREFIX only INCLUDE_DIRS_NO_SYSTEM)
        foreach(name only_INCLUDE_DIRS only_SYSTEM_INCLUDE_DIRS only_LIBRARIES)
            message(STATUS "${name}=[${${name}}]")
        endforeach()
        """,
}


def test_find_packages_variables(tmp_path: Path) -> None:
    modules = write_tree(tmp_path / "modules", MODULES)
    _, output = _build(
        tmp_path,
        "finder",
        FIND_PROJECT,
        install=False,
        build_requires=("alpha-1", "~beta", "gamma"),  # gamma has no module: skipped
        context_environ={"CMAKE_MODULE_PATH": f"{modules / 'one'};{modules / 'two'}"},
    )
    values = dict(
        line.removeprefix("-- ").split("=", 1) for line in output.splitlines() if "=[" in line
    )
    assert values == {
        "deps_INCLUDE_DIRS": "[/opt/alpha/include]",
        "deps_SYSTEM_INCLUDE_DIRS": "[/opt/beta/include;/opt/beta/extra]",
        "deps_LIBRARY_DIRS": "[/opt/alpha/lib;/opt/beta/lib]",
        "deps_LIBRARIES": "[alpha;m;beta]",
        "deps_DEFINITIONS": '[-DALPHA=1;-DSHARED;-DNAME="beta"]',
        "alpha_ROOT": "[/opt/alpha]",
        "includes": "[/opt/alpha/include;/opt/beta/include;/opt/beta/extra]",
        "links": "[/opt/alpha/lib;/opt/beta/lib]",
        "CMAKE_CXX_FLAGS": '[ -DALPHA=1 -DSHARED -DNAME=\\"beta\\"]',
        "only_INCLUDE_DIRS": "[/opt/beta/include;/opt/beta/extra]",
        "only_SYSTEM_INCLUDE_DIRS": "[]",
        "only_LIBRARIES": "[beta]",
    }


def test_install_cmake_auto_lists_installed_libraries(tmp_path: Path) -> None:
    project = {
        "CMakeLists.txt": """\
            cmake_minimum_required(VERSION 3.10)
            project(auto_lib NONE)
            include(RezBuild)
            rez_install_files(libfoo.a libfoo.so libbar.so DESTINATION lib)
            rez_install_cmake(AUTO DEFINITIONS -DFOO CUSTOM_STRING "set(auto_lib_EXTRA on)")
            """,
        "libfoo.a": "",
        "libfoo.so": "",
        "libbar.so": "",
    }
    install, _ = _build(tmp_path, "auto_lib", project)
    root = "$ENV{REZ_AUTO_LIB_ROOT}"
    assert (install / "cmake" / "auto_lib.cmake").read_text() == (
        f'set(auto_lib_ROOT "{root}")\n'
        f'set(auto_lib_INCLUDE_DIRS "{root}/include")\n'
        f'set(auto_lib_LIBRARY_DIRS "{root}/lib")\n'
        'set(auto_lib_LIBRARIES "libfoo;libbar")\n'
        'set(auto_lib_DEFINITIONS "-DFOO")\n\n'
        'set(auto_lib_USE_SYSTEM_INCLUDE_DIRS "FALSE")\n\n'
        f'set(auto_lib_libfoo_STATIC_LIBRARY "{root}/lib/libfoo.a")\n\n'
        f'set(auto_lib_libbar_DYNAMIC_LIBRARY "{root}/lib/libbar.so")\n'
        f'set(auto_lib_libfoo_DYNAMIC_LIBRARY "{root}/lib/libfoo.so")\n\n'
        "if(auto_lib_USE_STATIC)\n"
        "set(auto_lib_libfoo_LIBRARY ${auto_lib_libfoo_STATIC_LIBRARY})\n"
        "else()\n"
        "set(auto_lib_libbar_LIBRARY ${auto_lib_libbar_DYNAMIC_LIBRARY})\n"
        "set(auto_lib_libfoo_LIBRARY ${auto_lib_libfoo_DYNAMIC_LIBRARY})\n"
        "endif()\n"
        "set(auto_lib_EXTRA on)\n"
    )


DEP_PROJECT = {
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(shout CXX)
        include(RezBuild)
        add_library(shout SHARED src/shout.cpp)
        install(TARGETS shout DESTINATION lib)
        rez_install_files(src/shout.h RELATIVE src DESTINATION include/shout)
        rez_install_cmake(
            DESTINATION cmake
            INCLUDE_DIRS include /opt/absolute/include
            LIBRARY_DIRS lib
            LIBRARIES shout
            DEFINITIONS -DSHOUT_VERSION="${SHOUT_VERSION}"
            USE_SYSTEM_INCLUDE_DIRS
        )
        """,
    "src/shout.h": "#include <string>\nstd::string shout(const std::string &);\n",
    "src/shout.cpp": """\
        #include "shout.h"
        std::string shout(const std::string &s) { return s + "!"; }
        """,
}

USER_PROJECT = {
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(user CXX)
        include(RezBuild)
        rez_find_packages(PREFIX pkgs AUTO REQUIRED)
        add_executable(user main.cpp)
        target_link_libraries(user ${pkgs_LIBRARIES})
        install(TARGETS user DESTINATION bin)
        """,
    "main.cpp": """\
        #include <iostream>
        #include <shout/shout.h>
        int main() { std::cout << shout("hello " SHOUT_VERSION) << std::endl; return 0; }
        """,
}


@needs("c++")
def test_install_cmake_then_find_packages_builds_against_it(tmp_path: Path) -> None:
    dep, _ = _build(tmp_path, "shout", DEP_PROJECT)
    root = "$ENV{REZ_SHOUT_ROOT}"
    assert (dep / "cmake" / "shout.cmake").read_text() == (
        f'set(shout_ROOT "{root}")\n'
        f'set(shout_INCLUDE_DIRS "{root}/include;/opt/absolute/include")\n'
        f'set(shout_LIBRARY_DIRS "{root}/lib")\n'
        'set(shout_LIBRARIES "shout")\n'
        'set(shout_DEFINITIONS "-DSHOUT_VERSION=\\"1.2.3\\"")\n\n'
        'set(shout_USE_SYSTEM_INCLUDE_DIRS "TRUE")\n\n'
    )
    user, _ = _build(
        tmp_path,
        "user",
        USER_PROJECT,
        extra_env={"REZ_SHOUT_ROOT": str(dep)},
        build_requires=("shout-1.2",),
        context_environ={"CMAKE_MODULE_PATH": str(dep / "cmake")},
    )
    done = subprocess.run(
        [str(user / "bin" / "user")],
        env={"LD_LIBRARY_PATH": str(dep / "lib"), "DYLD_LIBRARY_PATH": str(dep / "lib")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "hello 1.2.3!\n"


PYTHON_PROJECT = {
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(pytool NONE)
        include(RezBuild)
        file(GLOB_RECURSE py_files "py/*.py")
        rez_install_python(pyfiles FILES ${py_files} RELATIVE py DESTINATION python)
        """,
    "py/pytool/__init__.py": "VALUE = 1\n",
    "py/pytool/util.py": "def twice(x):\n    return 2 * x\n",
}


@pytest.mark.parametrize("install_pyc", [True, False])
def test_install_python(tmp_path: Path, install_pyc: bool) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    install, _ = _build(
        tmp_path,
        "pytool",
        PYTHON_PROJECT,
        extra_env={"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
        build_requires=("python-3",),
        settings={"install_pyc": install_pyc},
    )
    package = install / "python" / "pytool"
    expected = ["__init__.py", "util.py"]
    if install_pyc:
        expected += ["__init__.pyc", "util.pyc"]
    assert sorted(p.name for p in package.iterdir()) == sorted(expected)
    assert (package / "util.py").read_text() == PYTHON_PROJECT["py/pytool/util.py"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rez_install_files(a.h)", "rez_install_files: DESTINATION is required"),
        ("rez_install_files(DESTINATION x)", "rez_install_files: no files given"),
        ("rez_install_dirs(d)", "rez_install_dirs: DESTINATION is required"),
        ("rez_find_packages(AUTO)", "rez_find_packages: PREFIX is required"),
        (
            "rez_find_packages(nothing PREFIX p REQUIRED)",
            "rez_find_packages: no nothing.cmake on CMAKE_MODULE_PATH for package nothing",
        ),
        ("rez_install_cmake(LIBRARIES x)", "rez_install_cmake: DESTINATION is required"),
        ("rez_install_cmake(ON DESTINATION c)", "rez_install_cmake: unexpected arguments: ON"),
        (
            "rez_install_python(py FILES a.py DESTINATION python)",
            "rez_install_python: python must be a package of the build",
        ),
    ],
)
def test_bad_calls_fail_configure(tmp_path: Path, body: str, message: str) -> None:
    assert message in _configure_error(tmp_path, body + "\n")
