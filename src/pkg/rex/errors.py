"""Errors raised while running rex code (package ``commands`` and friends)."""

from __future__ import annotations

from pkg.errors import PkgError

__all__ = ["PackageCommandError", "RexError", "RexStopError", "RexUndefinedVariableError"]


class RexError(PkgError):
    """Rex code failed: it could not be compiled, it raised, or it misused a rex call."""


class RexUndefinedVariableError(RexError):
    """Rex code read an environment variable that is neither set nor inherited."""


class RexStopError(RexError):
    """Rex code called ``stop()``; the environment must not be created."""


class PackageCommandError(RexError):
    """A package's ``pre_commands``, ``commands`` or ``post_commands`` failed.

    Attributes:
        package: the failing variant's qualified name, e.g. ``foo-1.2``.
        phase: ``"pre_commands"``, ``"commands"`` or ``"post_commands"``.
        filepath: the ``package.py`` the code came from, or None when unknown.
        line: the line in that file where the failure happened, or None when unknown.
        reason: what went wrong, one line (e.g. ``"stop: not supported on windows"``).
    """

    def __init__(
        self,
        package: str,
        phase: str,
        reason: str,
        *,
        filepath: str | None = None,
        line: int | None = None,
    ) -> None:
        self.package = package
        self.phase = phase
        self.reason = reason
        self.filepath = filepath
        self.line = line
        where = filepath or "<unknown file>"
        if line is not None:
            where = f"{where}, line {line}"
        super().__init__(f"Error in {phase} of package {package!r} ({where}): {reason}")
