"""The error family of pkg.

Every error that pkg raises on purpose derives from :class:`PkgError`; anything else
reaching the CLI is a bug.  The CLI prints a ``PkgError`` without a traceback (unless
``--debug`` or ``PKG_DEBUG=1``) and exits non-zero.

Errors carry structured data (the offending text and position, the config file and key
path, ...) so that callers can build their own messages; ``str()`` gives a message that
says what failed and where.
"""

from __future__ import annotations

__all__ = [
    "BuildError",
    "ConfigError",
    "OrchestrationError",
    "PackageDefinitionError",
    "PkgError",
    "RepositoryError",
    "RequestError",
    "ResolveError",
    "ShellError",
    "SyntaxErrorWithCaret",
    "UsageError",
    "VcsError",
    "VersionError",
]


class PkgError(Exception):
    """Root of every error pkg raises deliberately."""

    #: Process exit code the CLI uses for this error.
    exit_code: int = 1


class UsageError(PkgError):
    """The command line was wrong (unknown flag, missing argument, bad combination)."""

    exit_code = 2


class SyntaxErrorWithCaret(PkgError, ValueError):
    """A parse error in a short string, shown with a caret under the first bad character.

    Attributes:
        what: what was being parsed, e.g. ``"version range"``.
        source: the whole input string.
        position: index into ``source`` of the first character at fault.
        reason: a short explanation, e.g. ``"expected a version after '<'"``.
    """

    def __init__(self, what: str, source: str, position: int, reason: str) -> None:
        self.what = what
        self.source = source
        self.position = max(0, min(position, len(source)))
        self.reason = reason
        super().__init__(self._render())

    def _render(self) -> str:
        shown = self.source.encode("unicode_escape").decode("ascii")
        # The caret must sit under the same character once escapes are expanded.
        prefix = self.source[: self.position].encode("unicode_escape").decode("ascii")
        return (
            f"Invalid {self.what} {self.source!r}: {self.reason}\n"
            f"    {shown}\n"
            f"    {' ' * len(prefix)}^"
        )


class VersionError(SyntaxErrorWithCaret):
    """A version or version range could not be parsed, or is impossible (e.g. ``3+<2``)."""


class RequestError(SyntaxErrorWithCaret):
    """A package request (``foo-1.2+``, ``!foo``, ``~foo<2``, ``.eph-1``) is malformed."""


class ConfigError(PkgError):
    """A configuration file, environment override or value is invalid.

    Attributes:
        key_path: dotted path of the setting at fault (``"plugins.release_vcs.git"``), or ``""``.
        source: where the value came from (a file path, ``"$PKG_FOO"``, ``"command line"``).
    """

    def __init__(self, message: str, *, key_path: str = "", source: str = "") -> None:
        self.key_path = key_path
        self.source = source
        where = ", ".join(part for part in (source, key_path and f"key {key_path!r}") if part)
        super().__init__(f"{where}: {message}" if where else message)


class RepositoryError(PkgError):
    """A package repository or package definition could not be read or written."""


class PackageDefinitionError(RepositoryError):
    """A package definition (``package.py``/``package.yaml``) is invalid.

    Attributes:
        filepath: the definition file.
        line: the 1-based line at fault, or None if unknown.
        attribute: the package attribute at fault (``"requires"``), or ``""``.
        detail: what is wrong, without the location.
    """

    def __init__(
        self, detail: str, *, filepath: str, line: int | None = None, attribute: str = ""
    ) -> None:
        self.filepath = filepath
        self.line = line
        self.attribute = attribute
        self.detail = detail
        where = filepath if line is None else f"{filepath}:{line}"
        what = f" (attribute {attribute!r})" if attribute else ""
        super().__init__(f"{where}: {detail}{what}")


class ResolveError(PkgError):
    """A resolve could not be performed (as opposed to a resolve that failed)."""


class BuildError(PkgError):
    """A build failed."""


class VcsError(PkgError):
    """A version control operation failed or a release check refused."""


class ShellError(PkgError):
    """A shell could not be found, configured or started."""


class OrchestrationError(PkgError):
    """One or more tasks of a task graph failed."""
