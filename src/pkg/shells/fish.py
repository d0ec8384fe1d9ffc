"""fish, the friendly interactive shell (Rez has no fish plugin)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pkg.shells._quote import fish_word
from pkg.shells.base import Shell

if TYPE_CHECKING:
    from pkg.rex.escaped import EscapedString

__all__ = ["Fish"]


class Fish(Shell):
    """fish 3.

    Variables are set with ``set -gx`` (global and exported); a reference is always
    double-quoted, so an unset or empty variable gives an empty string instead of
    removing the word.  fish splits variables whose name ends in ``PATH`` on ``:`` and
    joins them back with ``:`` when exporting, so the environment sees the same value as
    from the other shells.  Aliases are functions passing ``$argv`` on.
    """

    name: ClassVar[str] = "fish"
    file_extension: ClassVar[str] = "fish"
    executable: ClassVar[str] = "fish"
    last_status: ClassVar[str] = "$status"

    def quote(self, value: str | EscapedString) -> str:
        return fish_word(self.segments(value))

    def setenv(self, key: str, value: EscapedString) -> list[str]:
        return [f"set -gx {key} {self.quote(value)}"]

    def unsetenv(self, key: str) -> list[str]:
        return [f"set -e {key}"]

    def alias(self, name: str, value: str) -> list[str]:
        return [f"function {name}; {value} $argv; end"]

    def info(self, text: EscapedString) -> list[str]:
        return [f"printf '%s\\n' {self.quote(text)}"]

    def error(self, text: EscapedString) -> list[str]:
        return [f"printf '%s\\n' {self.quote(text)} >&2"]

    def comment(self, text: str) -> str:
        return f"# {text}".rstrip()

    def source(self, path: str) -> str:
        return f"source {self.quote(path)}"
