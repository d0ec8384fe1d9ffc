"""The ``python`` build system: a ``pyproject.toml`` project built into a wheel with pip and
installed into the variant's payload.  Rez has no such system.

Steps (in the variant's build directory, with the build context's Python)::

    python3 -c <remove <build>/dist>
    python3 -m pip wheel --no-deps --no-build-isolation --no-index -w <build>/dist \
        <build args> <source>
    python3 -c <pip install --no-deps --no-index --upgrade --target <install>/python <the wheel>>

Build requirements (``setuptools``, ``wheel``, ``hatchling`` ...) are not downloaded: they
must come from the build context (``build_requires``), like everything else a build uses.
The installed layout is ``<variant root>/python`` for modules and packages and
``<variant root>/python/bin`` for console scripts, so a package's ``commands()`` reads::

    env.PYTHONPATH.append("{root}/python")
    env.PATH.append("{root}/python/bin")

The interpreter is ``python3`` (``python`` on Windows) found on the build context's
``PATH``, or the ``python_binary`` setting.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pkg.buildsys.base import BuildSystem, setting

if TYPE_CHECKING:
    from pkg.buildsys.base import BuildPackage, BuildRequest, BuildStep

__all__ = ["PAYLOAD_SUBDIR", "PythonBuildSystem"]

#: Where modules go under the variant's install directory.
PAYLOAD_SUBDIR = "python"

_CLEAN = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_INSTALL = """\
import glob, os, subprocess, sys
dist, target = sys.argv[1], sys.argv[2]
wheels = sorted(glob.glob(os.path.join(dist, "*.whl")))
if len(wheels) != 1:
    sys.exit(f"expected one wheel in {dist}, found {len(wheels)}")
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index",
    "--disable-pip-version-check", "--upgrade", "--target", target, wheels[0]]))
"""


class PythonBuildSystem(BuildSystem):
    """``pyproject.toml`` in the source directory."""

    name = "python"

    def is_valid_root(self, source_dir: str, package: BuildPackage | None = None) -> bool:
        return os.path.isfile(os.path.join(source_dir, "pyproject.toml"))

    def steps(self, request: BuildRequest) -> list[BuildStep]:
        """Clean ``dist``, build the wheel, install it when installing; nothing for ``scripts``."""
        if request.scripts:
            return []
        python = str(setting(request, "python_binary", "python" if os.name == "nt" else "python3"))
        dist = os.path.join(request.build_path, "dist")
        wheel = (
            python,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "-w",
            dist,
            *request.build_args,
            request.source_path,
        )
        steps = [
            self.step(request, "clean", (python, "-c", _CLEAN, dist)),
            self.step(request, "wheel", wheel),
        ]
        if request.install:
            target = os.path.join(request.install_path, PAYLOAD_SUBDIR)
            steps.append(self.step(request, "install", (python, "-c", _INSTALL, dist, target)))
        return steps
