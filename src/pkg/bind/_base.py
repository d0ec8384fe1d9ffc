"""The values bind modules take and return, and the errors they raise.

A bind module (``pkg.bind.python`` ...) looks at the running system and describes the
package to write as a :class:`BoundPackage`: its definition and a function that writes
its payload.  It never writes into a repository itself; :mod:`pkg.bind._write` does, so
every bind gets the repositories' staging, atomic rename and family lock.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn

from pkg.errors import PkgError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pkg.config import Config
    from pkg.core import Version, VersionRange

__all__ = [
    "BindArgumentParser",
    "BindContext",
    "BindError",
    "BindHelpRequested",
    "BoundPackage",
    "SystemFacts",
]


class BindError(PkgError):
    """The software to bind was not found, could not be inspected, or is out of range."""


class BindHelpRequested(PkgError):
    """``-h`` was given in a bind module's arguments; :attr:`text` is that module's help."""

    exit_code = 0

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class BindArgumentParser(argparse.ArgumentParser):
    """The parser of a bind module's own arguments (``pkg bind python --exe PATH``).

    Unlike argparse's default, it never exits the process: a bad argument raises
    :class:`~pkg.errors.UsageError` naming the module, and ``-h`` raises
    :class:`BindHelpRequested` carrying the help text.
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")

    def print_help(self, file: object = None) -> None:
        raise BindHelpRequested(self.format_help())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise UsageError(f"{self.prog}: {message or 'exited'}")


@dataclass(frozen=True, slots=True)
class SystemFacts:
    """The running system as bound packages name it (``platform_map`` applied).

    Attributes:
        platform: e.g. ``linux``.
        arch: e.g. ``x86_64``.
        os: e.g. ``Ubuntu-22.04``.
    """

    platform: str
    arch: str
    os: str

    @property
    def variant(self) -> list[str]:
        """``["platform-X", "arch-X", "os-X"]``: the variant of a system-specific package."""
        return [f"platform-{self.platform}", f"arch-{self.arch}", f"os-{self.os}"]


@dataclass(frozen=True, slots=True)
class BindContext:
    """What a bind module's ``bind`` function gets.

    Attributes:
        config: the configuration.
        system: the running system.
        version_range: only bind a version in this range (None: any version).
        options: the module's parsed arguments (see its ``setup_parser``).
        environ: the environment executables are searched and run in.
    """

    config: Config
    system: SystemFacts
    version_range: VersionRange | None
    options: argparse.Namespace
    environ: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BoundPackage:
    """A package to write, as a bind module describes it.

    Attributes:
        name: the package name.
        version: its version.
        data: the rest of its definition (``requires``, ``variants`` (at most one),
            ``tools``, ``commands`` as :class:`~pkg.packages.SourceCode` ...).
        payload: writes the payload into the directory it is given (the variant's root,
            or the package's for a package without variants); None writes nothing.
        warnings: things the user should know that did not stop the bind.
    """

    name: str
    version: Version
    data: dict[str, object]
    payload: Callable[[Path], None] | None = None
    warnings: tuple[str, ...] = ()
