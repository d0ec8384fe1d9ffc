"""``pkg bind cmake [--exe PATH]``: a ``cmake`` executable as a package.

The package is specific to this system (one variant, ``platform-X arch-X os-X``); its
payload is ``bin/cmake``, a symbolic link to the executable, and ``commands()`` appends
``{root}/bin`` to ``PATH``.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pkg.bind._base import BoundPackage
from pkg.bind._tools import check_version, extract_version, find_exe, rex_function

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from pkg.bind._base import BindContext

__all__ = ["bind", "setup_parser"]


def setup_parser(parser: argparse.ArgumentParser) -> None:
    """``--exe PATH``: the executable to bind (default: ``cmake`` on ``PATH``)."""
    parser.add_argument(
        "--exe", metavar="PATH", help="bind this cmake executable instead of the one on PATH"
    )


def bind(context: BindContext) -> BoundPackage:
    """The package ``cmake-<version>``, the version read from ``cmake --version``.

    Raises:
        BindError: no cmake found, its version unreadable or not in the requested range.
    """
    exe = find_exe("cmake", context.options.exe, context.environ)
    word = 2 if os.name == "nt" else -1
    version = extract_version(exe, ["--version"], context.environ, word_index=word)
    check_version(version, context.version_range)

    def payload(root: Path) -> None:
        (root / "bin").mkdir(parents=True, exist_ok=True)
        os.symlink(exe, root / "bin" / "cmake")

    data: dict[str, object] = {
        "tools": ["cmake"],
        "variants": [context.system.variant],
        "commands": rex_function("commands", "env.PATH.append('{this.root}/bin')"),
    }
    return BoundPackage("cmake", version, data, payload)
