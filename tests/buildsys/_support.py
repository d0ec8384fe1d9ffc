"""Helpers of the build system tests: requests for a source tree, and a tiny step runner.

The runner stands in for the build process of ``pkg build``: it runs each step with
:mod:`subprocess` in ``os.environ`` plus the step's environment (instead of a resolved
build context), in the step's directory, and stops at the first failure.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING, Any

from pkg.buildsys import BuildPackage, BuildRequest

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from pkg.buildsys import BuildStep


def package_for(
    source: Path, name: str = "hello", version: str = "1.0", **fields: Any
) -> BuildPackage:
    """A :class:`BuildPackage` whose definition file is ``<source>/package.py``."""
    return BuildPackage(name=name, version=version, filepath=str(source / "package.py"), **fields)


def request_for(
    source: Path, package: BuildPackage | None = None, *, install: bool = True, **fields: Any
) -> BuildRequest:
    """A request building ``source`` into ``<source>/build`` and installing into
    ``<source>/../install/<name>/<version>``."""
    package = package or package_for(source)
    install_path = source.parent / "install" / package.name / package.version
    defaults: dict[str, Any] = {
        "build_path": str(source / "build"),
        "install_path": str(install_path),
        "install": install,
        "thread_count": 2,
    }
    defaults.update(fields)
    return BuildRequest(package=package, source_path=str(source), **defaults)


def run_steps(steps: Sequence[BuildStep], extra_env: dict[str, str] | None = None) -> list[str]:
    """Run ``steps`` in order; return each step's combined output.

    Fails the test with the step's output when a step exits non-zero.
    """
    outputs: list[str] = []
    for step in steps:
        os.makedirs(step.cwd, exist_ok=True)
        env = {**os.environ, **(extra_env or {}), **step.env}
        done = subprocess.run(
            step.command,
            shell=step.shell,
            cwd=step.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        assert done.returncode == 0, f"step {step.label} failed:\n{done.stdout}"
        outputs.append(done.stdout)
    return outputs
