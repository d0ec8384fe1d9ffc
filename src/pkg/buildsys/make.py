"""The ``make`` build system: a ``Makefile`` in the source directory, built out of tree.

Steps (in the variant's build directory)::

    make -f <source>/Makefile VPATH=<source> PREFIX=<install path> <build args> -j<threads>
    make -f <source>/Makefile VPATH=<source> PREFIX=<install path> <build args> -j<threads> install

``VPATH`` lets rules find their sources in the source directory while every output lands
in the build directory; ``PREFIX`` is the variant's install directory (also in
``REZ_BUILD_INSTALL_PATH``).  Rez registers a ``make`` system that cannot be used (it is
only cmake's child); pkg's works on its own.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pkg.buildsys.base import BuildSystem

if TYPE_CHECKING:
    from pkg.buildsys.base import BuildPackage, BuildRequest, BuildStep

__all__ = ["MakeBuildSystem"]


class MakeBuildSystem(BuildSystem):
    """``Makefile`` in the source directory."""

    name = "make"

    def is_valid_root(self, source_dir: str, package: BuildPackage | None = None) -> bool:
        return os.path.isfile(os.path.join(source_dir, "Makefile"))

    def steps(self, request: BuildRequest) -> list[BuildStep]:
        """Build, then ``install`` when installing; nothing for ``scripts`` (the user runs
        make in the ``build-env`` shell)."""
        if request.scripts:
            return []
        source = request.source_path
        command = [
            "make",
            "-f",
            os.path.join(source, "Makefile"),
            f"VPATH={source}",
            f"PREFIX={request.install_path}",
            *request.build_args,
        ]
        if not any(arg.startswith("-j") for arg in request.build_args):
            command.append(f"-j{request.thread_count}")
        steps = [self.step(request, "build", tuple(command))]
        if request.install and "install" not in command:
            steps.append(self.step(request, "install", (*command, "install")))
        return steps
