"""Actions: what rex code asked for, as plain immutable data that shells render.

Each action has a :attr:`~Action.kind` (Rez's action name).  Environment actions keep the
key and value as written (``{...}`` already formatted, ``$VAR`` references kept as
``${VAR}`` for the shell to expand); values are :class:`~pkg.rex.escaped.EscapedString`
so that shells can quote literal parts strongly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeAlias

from pkg._record import record

if TYPE_CHECKING:
    from pkg.rex.escaped import EscapedString

__all__ = [
    "Action",
    "Alias",
    "Appendenv",
    "Command",
    "Comment",
    "Error",
    "Info",
    "Prependenv",
    "Resetenv",
    "Setenv",
    "Shebang",
    "Source",
    "Stop",
    "Unsetenv",
]


@record(frozen=True, slots=True)
class Setenv:
    """Set ``key`` to ``value``, replacing any value it had."""

    kind: ClassVar[str] = "setenv"
    key: str
    value: EscapedString


@record(frozen=True, slots=True)
class Unsetenv:
    """Remove ``key`` from the environment."""

    kind: ClassVar[str] = "unsetenv"
    key: str


@record(frozen=True, slots=True)
class Resetenv:
    """Set ``key`` to ``value``; ``friends`` is passed through for the shell (unused by Rez's)."""

    kind: ClassVar[str] = "resetenv"
    key: str
    value: EscapedString
    friends: object = None


@record(frozen=True, slots=True)
class Prependenv:
    """Put ``value`` in front of the current value of ``key``, joined by its separator."""

    kind: ClassVar[str] = "prependenv"
    key: str
    value: EscapedString


@record(frozen=True, slots=True)
class Appendenv:
    """Put ``value`` after the current value of ``key``, joined by its separator."""

    kind: ClassVar[str] = "appendenv"
    key: str
    value: EscapedString


@record(frozen=True, slots=True)
class Alias:
    """Define a shell alias (or function) ``name`` running ``value``."""

    kind: ClassVar[str] = "alias"
    name: str
    value: str


@record(frozen=True, slots=True)
class Info:
    """Print ``value`` on standard output when the environment is entered."""

    kind: ClassVar[str] = "info"
    value: EscapedString


@record(frozen=True, slots=True)
class Error:
    """Print ``value`` on standard error when the environment is entered."""

    kind: ClassVar[str] = "error"
    value: EscapedString


@record(frozen=True, slots=True)
class Stop:
    """Abort.  Part of Rez's action set for completeness: ``stop()`` raises instead."""

    kind: ClassVar[str] = "stop"
    value: str


@record(frozen=True, slots=True)
class Command:
    """Run ``value`` in the shell: a command line, or arguments to quote one by one.

    The value is never ``{}``-formatted.
    """

    kind: ClassVar[str] = "command"
    value: str | tuple[str, ...]


@record(frozen=True, slots=True)
class Comment:
    """A comment line in the generated script."""

    kind: ClassVar[str] = "comment"
    value: str


@record(frozen=True, slots=True)
class Source:
    """Source the script at ``value`` in the shell."""

    kind: ClassVar[str] = "source"
    value: str


@record(frozen=True, slots=True)
class Shebang:
    """The script's ``#!`` line."""

    kind: ClassVar[str] = "shebang"


#: Any action.
Action: TypeAlias = (
    Setenv
    | Unsetenv
    | Resetenv
    | Prependenv
    | Appendenv
    | Alias
    | Info
    | Error
    | Stop
    | Command
    | Comment
    | Source
    | Shebang
)
