"""Binding a Python module (``pip``, ``setuptools``) of an interpreter as a package.

The module is copied into ``python/`` of the package's one variant
(``platform-X arch-X os-X python-<major.minor>``), the tools found on ``PATH`` are
copied into ``bin/``, and ``commands()`` appends ``{root}/python`` to ``PYTHONPATH``
(and ``{root}/bin`` to ``PATH`` when there are tools).  The interpreter inspected is
``--exe PATH``, by default the one running pkg, as Rez uses its own.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

from pkg.bind._base import BindError, BoundPackage
from pkg.bind._tools import check_version, find_exe, rex_function, run_python
from pkg.core import Version
from pkg.errors import VersionError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from pkg.bind._base import BindContext

__all__ = ["bind_module", "setup_parser"]


def setup_parser(parser: argparse.ArgumentParser) -> None:
    """``--exe PATH``: the interpreter whose module is bound (default: pkg's own)."""
    parser.add_argument(
        "--exe",
        metavar="PATH",
        help="bind the module of this Python interpreter (default: the one running pkg)",
    )


def _module_version(name: str, exe: str, environ: Mapping[str, str]) -> Version:
    ok, out, err = run_python([f"import {name}", f"print({name}.__version__)"], environ, exe)
    if not ok or not out:
        raise BindError(f"couldn't determine version of module {name}: {err}")
    try:
        return Version(out.splitlines()[-1])
    except VersionError as error:
        raise BindError(f"module {name} has an invalid version {out!r}: {error}") from error


def _python_version(exe: str, environ: Mapping[str, str]) -> str:
    if exe == sys.executable:
        return f"{sys.version_info[0]}.{sys.version_info[1]}"
    ok, out, err = run_python(["import sys", "print('%d.%d' % sys.version_info[:2])"], environ, exe)
    if not ok:
        raise BindError(f"failed to execute {exe}: {err}")
    return out


def _copy_module(name: str, dest: Path, exe: str, environ: Mapping[str, str]) -> None:
    """Copy module or package ``name`` of ``exe`` into directory ``dest``."""
    ok, out, err = run_python(
        [f"import {name}", f"print(getattr({name}, '__path__', [''])[0] or {name}.__file__)"],
        environ,
        exe,
    )
    if not ok or not out:
        raise BindError(f"couldn't locate module {name}: {err}")
    if os.path.isdir(out):
        shutil.copytree(out, dest / name, symlinks=True)
        return
    source, ext = os.path.splitext(out)
    if ext == ".pyc" and os.path.exists(source + ".py"):
        out = source + ".py"
    shutil.copy2(out, dest / os.path.basename(out))


def bind_module(
    context: BindContext,
    name: str,
    *,
    tools: Sequence[str] = (),
    extra_modules: Sequence[str] = (),
) -> BoundPackage:
    """The package ``<name>-<module version>`` of Python module ``name``.

    Args:
        context: the bind's context (``--exe`` in its options).
        name: the module, also the package name.
        tools: executables to look for on ``PATH`` and copy into ``bin/``; one that is
            not found gives a warning.
        extra_modules: other modules to copy next to ``name`` (``pkg_resources``).

    Raises:
        BindError: the module cannot be imported, or its version is not in the range.
    """
    environ = context.environ
    exe = getattr(context.options, "exe", None) or sys.executable
    version = _module_version(name, exe, environ)
    check_version(version, context.version_range)
    variant = [*context.system.variant, f"python-{_python_version(exe, environ)}"]
    found: dict[str, str] = {}
    warnings: list[str] = []
    for tool in tools:
        try:
            found[tool] = find_exe(tool, None, environ)
        except BindError as error:
            warnings.append(str(error))

    def payload(root: Path) -> None:
        python_dir = root / "python"
        python_dir.mkdir(parents=True, exist_ok=True)
        for module in (name, *extra_modules):
            _copy_module(module, python_dir, exe, environ)
        if found:
            (root / "bin").mkdir(exist_ok=True)
            for tool, source in sorted(found.items()):
                shutil.copy2(source, root / "bin" / tool)

    lines = ["env.PYTHONPATH.append('{this.root}/python')"]
    data: dict[str, object] = {"variants": [variant]}
    if found:
        data["tools"] = list(found)
        lines.append("env.PATH.append('{this.root}/bin')")
    data["commands"] = rex_function("commands", *lines)
    return BoundPackage(name, version, data, payload, tuple(warnings))
