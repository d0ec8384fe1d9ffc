"""The ``custom`` build system: runs the package's ``build_command``.

``build_command`` is a shell command line (a string) or an argument list.  These fields
are replaced with ``str.format``: ``{root}`` (source directory), ``{install}``
(``install`` when installing, else empty), ``{build_path}``, ``{install_path}``,
``{name}``, ``{variant_index}`` (empty without variants) and ``{version}``.  Extra build
arguments are appended first (quoted, for a string), so they are formatted too, as in Rez.
``build_command = False`` builds nothing and succeeds.

A ``parse_build_args.py`` file in the source directory may add ``pkg build`` flags: it is
run with ``parser`` bound to an :mod:`argparse` argument group, and each value parsed is
exported to the build as ``__PARSE_ARG_<DEST>`` (see :func:`parse_build_args`).
"""

from __future__ import annotations

import argparse
import os
from shlex import quote
from typing import TYPE_CHECKING

from pkg.buildsys.base import BuildSystem, BuildSystemError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.buildsys.base import BuildPackage, BuildRequest, BuildStep

__all__ = ["PARSE_BUILD_ARGS", "CustomBuildSystem", "parse_arg_environ", "parse_build_args"]

#: The file in a source directory that defines extra build flags.
PARSE_BUILD_ARGS = "parse_build_args.py"


class CustomBuildSystem(BuildSystem):
    """Runs ``build_command``; valid for any package that defines one (False included)."""

    name = "custom"

    def is_valid_root(self, source_dir: str, package: BuildPackage | None = None) -> bool:
        return package is not None and package.build_command is not None

    def environ(self, request: BuildRequest) -> dict[str, str]:
        """``__PARSE_ARG_<DEST>`` for each value in ``request.options["parse_build_args"]``."""
        values = request.options.get("parse_build_args")
        if not isinstance(values, dict):
            return {}
        return parse_arg_environ(values)

    def steps(self, request: BuildRequest) -> list[BuildStep]:
        """One step running the formatted ``build_command``; none for False or ``scripts``.

        Raises:
            BuildSystemError: if the package has no ``build_command`` or it names an
                unknown ``{field}``.
        """
        package = request.package
        command = package.build_command
        if command is None:
            raise BuildSystemError(
                f"{package.filepath}: the custom build system needs a build_command",
                source_dir=request.source_path,
            )
        if request.scripts or command is False:
            return []
        if command is True:
            raise BuildSystemError(
                f"{package.filepath}: build_command must be a string, a list or False",
                source_dir=request.source_path,
            )
        if isinstance(command, str):
            line = command
            if request.build_args:
                line = line + " " + " ".join(quote(arg) for arg in request.build_args)
            return [self.step(request, "build", _expand(line, request))]
        argv = tuple(_expand(arg, request) for arg in (*command, *request.build_args))
        return [self.step(request, "build", argv)]


def _expand(text: str, request: BuildRequest) -> str:
    package = request.package
    try:
        return text.format(
            root=package.root,
            install="install" if request.install else "",
            build_path=request.build_path,
            install_path=request.install_path,
            name=package.name,
            variant_index="" if request.variant_index is None else request.variant_index,
            version=package.version,
        ).strip()
    except (KeyError, IndexError, ValueError) as error:
        raise BuildSystemError(
            f"{package.filepath}: build_command {text!r} cannot be formatted: {error}",
            source_dir=request.source_path,
        ) from None


def parse_build_args(source_dir: str, args: Sequence[str]) -> tuple[dict[str, object], list[str]]:
    """Parse ``args`` with the flags ``<source_dir>/parse_build_args.py`` defines.

    Returns:
        The parsed values by ``dest`` (only the dests the file added; defaults included)
        and the arguments it did not recognise.  Without the file: ``({}, list(args))``.

    Raises:
        BuildSystemError: if the file cannot be read or fails when run.
    """
    path = os.path.join(source_dir, PARSE_BUILD_ARGS)
    if not os.path.isfile(path):
        return {}, list(args)
    try:
        with open(path, encoding="utf-8") as stream:
            source = stream.read()
        parser = argparse.ArgumentParser(prog="pkg build", add_help=False)
        group = parser.add_argument_group("custom build arguments")
        exec(compile(source, path, "exec"), {"parser": group, "__file__": path})
    except Exception as error:
        raise BuildSystemError(f"{path}: {error}", source_dir=source_dir) from None
    try:
        namespace, rest = parser.parse_known_args(list(args))
    except SystemExit:
        raise BuildSystemError(
            f"{path}: invalid custom build arguments {' '.join(args)!r}", source_dir=source_dir
        ) from None
    return dict(vars(namespace)), rest


def parse_arg_environ(values: Mapping[str, object]) -> dict[str, str]:
    """``__PARSE_ARG_<DEST upper>`` variables, converted as Rez does.

    True/False become ``1``/``0``, lists are shell-quoted items joined with spaces, and
    anything else is ``shlex.quote(str(value))`` (so an unset option is ``None``).
    """
    environ: dict[str, str] = {}
    for dest, value in values.items():
        if isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, (list, tuple)):
            text = " ".join(quote(str(item)) for item in value)
        else:
            text = quote(str(value))
        environ[f"__PARSE_ARG_{dest.upper()}"] = text
    return environ
