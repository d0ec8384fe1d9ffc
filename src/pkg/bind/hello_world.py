"""``pkg bind hello_world``: a tiny test package with two tools and no requirements.

``hello_world-1.0`` holds ``bin/hello_world`` and ``bin/hello_world_gui``, Python scripts
run by the interpreter running pkg; each prints ``Hello Rez World!`` (``-q``: nothing)
and exits with status 0 (``-r N``: N).  ``commands()`` appends ``{root}/bin`` to
``PATH`` and sets ``OH_HAI_WORLD=hello``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from pkg.bind._base import BoundPackage
from pkg.bind._tools import check_version, rex_function
from pkg.core import Version

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.bind._base import BindContext

__all__ = ["TOOLS", "bind"]

#: The scripts the package provides.
TOOLS = ("hello_world", "hello_world_gui")

_SCRIPT = """\
import argparse
import sys

parser = argparse.ArgumentParser(description="The hello_world test tool.")
parser.add_argument("-q", action="store_true", help="print nothing")
parser.add_argument("-r", type=int, default=0, metavar="N", help="exit with status N")
arguments, _rest = parser.parse_known_args()
if not arguments.q:
    print("Hello Rez World!")
sys.exit(arguments.r)
"""


def bind(context: BindContext) -> BoundPackage:
    """The package ``hello_world-1.0``.

    Raises:
        BindError: 1.0 is not in the requested range.
    """
    version = Version("1.0")
    check_version(version, context.version_range)

    def payload(root: Path) -> None:
        (root / "bin").mkdir(parents=True, exist_ok=True)
        for tool in TOOLS:
            script = root / "bin" / tool
            script.write_text(f"#!{sys.executable}\n{_SCRIPT}", encoding="utf-8")
            os.chmod(script, 0o755)

    data: dict[str, object] = {
        "tools": list(TOOLS),
        "commands": rex_function(
            "commands", "env.PATH.append('{this.root}/bin')", 'env.OH_HAI_WORLD = "hello"'
        ),
    }
    return BoundPackage("hello_world", version, data, payload)
