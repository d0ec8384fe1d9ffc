"""Source projects and stub dependency repositories for the ``pkg build`` tests."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from pkg.config import Config, load_config

if TYPE_CHECKING:
    from pathlib import Path


def stub_repository(root: Path) -> Path:
    """A repository of stub ``python-3.9`` and ``python-3.11`` packages.

    Each sets ``PYVER`` and puts a ``python3`` on ``PATH`` that runs this interpreter (so
    a build context has pip, setuptools and wheel, as a real python package would).
    """
    for version in ("3.9", "3.11"):
        base = root / "python" / version
        (base / "bin").mkdir(parents=True)
        wrapper = base / "bin" / "python3"
        wrapper.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
        wrapper.chmod(0o755)
        (base / "package.py").write_text(
            f"name = 'python'\nversion = '{version}'\n"
            "def commands():\n"
            f"    env.PYVER = '{version}'\n"
            "    env.PATH.prepend('{root}/bin')\n"
        )
    return root


def build_config(repo: Path, install: Path, **overrides: object) -> Config:
    """A configuration searching ``repo`` then ``install``, installing into ``install``."""
    settings: dict[str, object] = {
        "packages_path": [str(repo), str(install)],
        "local_packages_path": str(install),
        "implicit_packages": [],
        "build_thread_count": 2,
    }
    settings.update(overrides)
    return load_config(overrides=settings)


def build_environ(repo: Path, install: Path) -> dict[str, str]:
    """The environment of a ``pkg`` subprocess with the settings of :func:`build_config`."""
    return {
        **os.environ,
        "PKG_PACKAGES_PATH": os.pathsep.join([str(repo), str(install)]),
        "PKG_LOCAL_PACKAGES_PATH": str(install),
        "PKG_IMPLICIT_PACKAGES_JSON": "[]",
    }


#: A custom build: two variants, each installing a ``hello`` script that names its python.
CUSTOM_PROJECT = {
    "package.py": """\
        name = 'hello'
        version = '1.0'
        variants = [['python-3.9'], ['python-3.11']]
        build_command = (
            'mkdir -p {install_path}/bin && '
            'printf "#!/bin/sh\\\\necho hello from $PYVER $GREETING\\\\n" '
            '> {install_path}/bin/hello && '
            'chmod +x {install_path}/bin/hello'
        )
        def pre_build_commands():
            env.GREETING = 'built-' + build.build_type
        def commands():
            env.PATH.append('{root}/bin')
        """,
}

#: A CMake C project with two variants; the executable prints the python it was built for.
CMAKE_PROJECT = {
    "package.py": """\
        name = 'greet'
        version = '2.0'
        variants = [['python-3.9'], ['python-3.11']]
        def commands():
            env.PATH.append('{root}/bin')
        """,
    "CMakeLists.txt": """\
        cmake_minimum_required(VERSION 3.10)
        project(greet C)
        add_executable(greet main.c)
        target_compile_definitions(greet PRIVATE PYVER="$ENV{PYVER}")
        install(TARGETS greet RUNTIME DESTINATION bin)
        """,
    "main.c": """\
        #include <stdio.h>
        int main(void) { printf("greet for python %s\\n", PYVER); return 0; }
        """,
}

#: A make project without variants; it builds out of tree and installs into $(PREFIX).
MAKE_PROJECT = {
    "package.py": """\
        name = 'maker'
        version = '0.5'
        build_requires = ['python-3.11']
        def commands():
            env.PATH.append('{root}/bin')
        """,
    "Makefile": """\
        all: maker
        maker: maker.sh
        \tsed "s/@VERSION@/$(REZ_BUILD_PROJECT_VERSION)/" $< > $@
        install: maker
        \tmkdir -p $(PREFIX)/bin && cp maker $(PREFIX)/bin/maker && chmod +x $(PREFIX)/bin/maker
        """,
    "maker.sh": """\
        #!/bin/sh
        echo "maker @VERSION@"
        """,
}

#: A pyproject.toml project, built into a wheel with the context's python and pip.
PYTHON_PROJECT = {
    "package.py": """\
        name = 'tooly'
        version = '0.3'
        build_requires = ['python-3.11']
        def commands():
            env.PYTHONPATH.append('{root}/python')
            env.PATH.append('{root}/python/bin')
        """,
    "pyproject.toml": """\
        [build-system]
        requires = ["setuptools"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "tooly"
        version = "0.3"

        [project.scripts]
        tooly = "tooly:main"

        [tool.setuptools]
        py-modules = ["tooly"]
        """,
    "tooly.py": """\
        def main():
            print("tooly says hi")
        """,
}
