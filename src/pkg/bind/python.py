"""``pkg bind python [--exe PATH] [--copy-builtins]``: a Python interpreter as a package.

The package is specific to this system (one variant, ``platform-X arch-X os-X``); its
payload is ``bin/python``, a symbolic link to the interpreter, ``tools`` is
``["python"]`` and ``commands()`` appends ``{root}/bin`` to ``PATH``.

With ``--copy-builtins`` the interpreter's standard library (the directory of ``os``)
and the directory ``setuptools`` is installed in are copied into ``python/lib`` and
``python/extra``, and ``post_commands()`` appends each to ``PYTHONPATH``, which is what
``rez-bind python`` always does (Rez copies from its own interpreter's directories).
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

from pkg.bind._base import BoundPackage
from pkg.bind._tools import check_version, extract_version, find_exe, rex_function, run_python

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping
    from pathlib import Path

    from pkg.bind._base import BindContext

__all__ = ["bind", "setup_parser"]

#: Printing ``sys.version_info`` joined with dots: ``3.11.7.final.0``.
_VERSION_CODE = "import sys; print('.'.join(str(x) for x in sys.version_info))"
#: (directory under ``python/``, module whose location is copied).
_BUILTINS = (("lib", "os"), ("extra", "setuptools"))


def setup_parser(parser: argparse.ArgumentParser) -> None:
    """``--exe PATH`` (default: ``python`` on ``PATH``) and ``--copy-builtins``."""
    parser.add_argument(
        "--exe", metavar="PATH", help="bind this interpreter instead of the python on PATH"
    )
    parser.add_argument(
        "--copy-builtins",
        action="store_true",
        help="copy the interpreter's standard library and site directory into the package "
        "and add them to PYTHONPATH (what rez-bind does)",
    )


def _builtin_dirs(exe: str, environ: Mapping[str, str]) -> dict[str, str]:
    """{directory under ``python/``: source directory} of :data:`_BUILTINS` that ``exe``
    can import, each source at most once."""
    found: dict[str, str] = {}
    for dirname, module in _BUILTINS:
        ok, out, _err = run_python([f"import {module}", f"print({module}.__file__)"], environ, exe)
        if not ok or not out:
            continue
        source = os.path.dirname(out)
        if os.path.basename(source) == module:
            source = os.path.dirname(source)
        if source not in found.values():
            found[dirname] = source
    return found


def bind(context: BindContext) -> BoundPackage:
    """The package ``python-<major.minor.micro>`` of the interpreter.

    Raises:
        BindError: no interpreter found, its version unreadable or not in the range.
    """
    exe = find_exe("python", context.options.exe, context.environ)
    version = extract_version(exe, ["-c", _VERSION_CODE], context.environ)
    check_version(version, context.version_range)
    builtins = _builtin_dirs(exe, context.environ) if context.options.copy_builtins else {}

    def payload(root: Path) -> None:
        (root / "bin").mkdir(parents=True, exist_ok=True)
        os.symlink(exe, root / "bin" / "python")
        for dirname, source in builtins.items():
            shutil.copytree(source, root / "python" / dirname, symlinks=True)

    data: dict[str, object] = {
        "tools": ["python"],
        "variants": [context.system.variant],
        "commands": rex_function("commands", "env.PATH.append('{this.root}/bin')"),
    }
    if builtins:
        data["post_commands"] = rex_function(
            "post_commands",
            "import os",
            "",
            "builtins = os.path.join(this.root, 'python')",
            "for name in sorted(os.listdir(builtins)):",
            "    env.PYTHONPATH.append(os.path.join(builtins, name))",
        )
    return BoundPackage("python", version, data, payload)
