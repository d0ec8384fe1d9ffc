"""The renderer interface: a shell turns :mod:`pkg.rex` actions into script text.

A :class:`Shell` is pure: it reads nothing from the machine and runs nothing.  Each
subclass gives its name, file extension and program, and one method per action kind
returning the script lines for that action.
"""

from __future__ import annotations

import fnmatch
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar, Self

from pkg.rex import actions as act
from pkg.rex.escaped import EscapedString
from pkg.shells._quote import Segment, ShellRenderError, check_name, segments

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from pkg.config import Config

__all__ = ["ALIAS_NAME", "Shell"]

#: The names allowed for aliases: letters, digits, ``_``, ``.``, ``+`` and ``-``.
ALIAS_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*\Z")


class Shell(ABC):
    """Renders actions as a script for one shell.

    Args:
        pathsep: the separator that ``prependenv``/``appendenv`` use for variables
            without an ``env_var_separators`` entry; the shell's own by default.
        separators: ``env_var_separators``: variable name -> separator.
        pathed_env_vars: ``pathed_env_vars``: patterns of variables holding paths (only
            shells that rewrite paths, such as cmd, use them).
        executable: the program named on the ``#!`` line.
    """

    #: The name users choose the shell by (``--shell``).
    name: ClassVar[str]
    #: Extension of script files, without the dot.
    file_extension: ClassVar[str]
    #: The program that runs scripts, looked up on ``PATH``.
    executable: ClassVar[str]
    #: The default separator of path lists.
    default_pathsep: ClassVar[str] = ":"
    #: The encoding to write script files in.
    encoding: ClassVar[str] = "utf-8"
    #: Text between lines.
    line_terminator: ClassVar[str] = "\n"
    #: The variable a leading ``~`` stands for.
    home_variable: ClassVar[str] = "HOME"
    #: How the shell writes the status of the last command.
    last_status: ClassVar[str] = "$?"

    def __init__(
        self,
        *,
        pathsep: str | None = None,
        separators: Mapping[str, str] | None = None,
        pathed_env_vars: Sequence[str] = ("*PATH",),
        executable: str | None = None,
    ) -> None:
        self.pathsep = self.default_pathsep if pathsep is None else pathsep
        self.separators = dict(separators or {})
        self.pathed_env_vars = tuple(pathed_env_vars)
        self.program = executable or f"/usr/bin/env {self.executable}"

    @classmethod
    def from_config(cls, config: Config, *, pathsep: str | None = None) -> Self:
        """A renderer with the separators and pathed variables of ``config``."""
        return cls(
            pathsep=pathsep,
            separators=config.env_var_separators,
            pathed_env_vars=config.pathed_env_vars,
        )

    # -- driving ---------------------------------------------------------------------
    def render(self, actions: Iterable[act.Action]) -> str:
        """The script for ``actions``, one or more lines per action, in order."""
        return "".join(
            line + self.line_terminator for action in actions for line in self.lines(action)
        )

    def lines(self, action: act.Action) -> list[str]:
        """The script lines for one action."""
        match action:
            case act.Setenv(key, value) | act.Resetenv(key, value):
                return self.setenv(self.check_key(key), value)
            case act.Unsetenv(key):
                return self.unsetenv(self.check_key(key))
            case act.Prependenv(key, value):
                return self.pendenv(self.check_key(key), value, prepend=True)
            case act.Appendenv(key, value):
                return self.pendenv(self.check_key(key), value, prepend=False)
            case act.Alias(name, value):
                return self.alias(check_name(self.name, "alias", name, ALIAS_NAME), value)
            case act.Info(value):
                return [line for text in _split(value) for line in self.info(text)]
            case act.Error(value):
                return [line for text in _split(value) for line in self.error(text)]
            case act.Command(value):
                return [self.command(value)]
            case act.Comment(value):
                return [self.comment(line) for line in value.split("\n")]
            case act.Source(value):
                return [self.source(value)]
            case act.Shebang():
                return self.shebang()
            case act.Stop(value):
                raise ShellRenderError(f"{self.name}: a stop action cannot be rendered: {value}")

    # -- helpers ---------------------------------------------------------------------
    def check_key(self, key: str) -> str:
        """``key`` if it is a valid variable name, else :class:`ShellRenderError`."""
        return check_name(self.name, "variable", key)

    def separator(self, key: str) -> str:
        """The separator joining the parts of variable ``key``."""
        return self.separators.get(key, self.pathsep)

    def is_pathed(self, key: str) -> bool:
        """True when ``key`` matches ``pathed_env_vars``."""
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.pathed_env_vars)

    def segments(self, value: str | EscapedString) -> list[Segment]:
        """``value`` split into text and variable references."""
        return segments(value, shell=self.name, home=self.home_variable)

    def joined(self, key: str, value: EscapedString, *, prepend: bool) -> EscapedString:
        """``value`` joined to the current value of ``key`` with the key's separator."""
        sep = self.separator(key)
        reference = EscapedString.of("${" + key + "}")
        if prepend:
            return value.literal(sep) + reference
        return reference.literal(sep) + value

    def command(self, value: str | tuple[str, ...]) -> str:
        """A command line: a string is shell code as written; for arguments, the program is
        written as is and the other arguments are quoted (``$VAR`` still expands)."""
        if isinstance(value, str):
            return value
        if not value:
            return ""
        return " ".join([value[0], *(self.quote(arg) for arg in value[1:])])

    # -- per shell -------------------------------------------------------------------
    @abstractmethod
    def quote(self, value: str | EscapedString) -> str:
        """``value`` as one word of the shell (references expand, text stays as is)."""

    @abstractmethod
    def setenv(self, key: str, value: EscapedString) -> list[str]:
        """Set and export ``key``."""

    @abstractmethod
    def unsetenv(self, key: str) -> list[str]:
        """Remove ``key`` from the environment."""

    def pendenv(self, key: str, value: EscapedString, *, prepend: bool) -> list[str]:
        """Prepend or append ``value``: by default, a set of the joined value, as in Rez."""
        return self.setenv(key, self.joined(key, value, prepend=prepend))

    @abstractmethod
    def alias(self, name: str, value: str) -> list[str]:
        """Make ``name`` run the shell code ``value`` with the caller's arguments."""

    @abstractmethod
    def info(self, text: EscapedString) -> list[str]:
        """Print one line on standard output."""

    @abstractmethod
    def error(self, text: EscapedString) -> list[str]:
        """Print one line on standard error."""

    @abstractmethod
    def comment(self, text: str) -> str:
        """One comment line."""

    @abstractmethod
    def source(self, path: str) -> str:
        """Run the script at ``path`` in the current shell."""

    def shebang(self) -> list[str]:
        """The ``#!`` line (none for shells that do not use one)."""
        return [f"#!{self.program}"]


def _split(value: EscapedString) -> list[EscapedString]:
    """``value`` cut at each newline, keeping the literal/expandable parts."""
    lines: list[EscapedString] = [EscapedString(())]
    for is_literal, text in value.parts:
        first, *rest = text.split("\n")
        last = lines[-1]
        lines[-1] = last.literal(first) if is_literal else last.expandable(first)
        lines.extend(EscapedString.of(line, is_literal) for line in rest)
    return lines
