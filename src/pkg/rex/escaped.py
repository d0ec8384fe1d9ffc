"""Strings made of literal and expandable parts (``literal()`` / ``expandable()`` in rex).

A literal part is neither ``{...}``-formatted by rex nor expanded by the shell (shells
quote it strongly); an expandable part is both.  Plain ``str`` values count as one
expandable part.

>>> value = literal("$HOME is ").e("${HOME}")
>>> str(value)
'$HOME is ${HOME}'
>>> value.parts
((True, '$HOME is '), (False, '${HOME}'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["EscapedString", "expandable", "literal"]


@dataclass(frozen=True, slots=True)
class EscapedString:
    """An immutable sequence of ``(is_literal, text)`` parts.

    Adjacent parts of the same kind are merged, so two strings built differently but
    with the same content compare equal.  Unlike Rez's mutable class, :meth:`literal`,
    :meth:`expandable`, :meth:`l` and :meth:`e` return a new value.
    """

    parts: tuple[tuple[bool, str], ...]

    @classmethod
    def of(cls, text: str, is_literal: bool = False) -> EscapedString:
        """One part."""
        return cls(((is_literal, text),))

    @classmethod
    def promote(cls, value: str | EscapedString) -> EscapedString:
        """``value`` itself, or a plain string as one expandable part."""
        return value if isinstance(value, EscapedString) else cls.of(value)

    @classmethod
    def join(cls, sep: str, values: Iterable[str | EscapedString]) -> EscapedString:
        """Like ``sep.join(values)``; ``sep`` is expandable."""
        result: EscapedString | None = None
        for value in values:
            result = cls.promote(value) if result is None else result + sep + value
        return result if result is not None else cls.of("")

    def _add(self, text: str, is_literal: bool) -> EscapedString:
        if self.parts and self.parts[-1][0] == is_literal:
            last = self.parts[-1]
            return EscapedString((*self.parts[:-1], (is_literal, last[1] + text)))
        return EscapedString((*self.parts, (is_literal, text)))

    def literal(self, text: str) -> EscapedString:
        """This string followed by a literal part."""
        return self._add(text, True)

    def expandable(self, text: str) -> EscapedString:
        """This string followed by an expandable part."""
        return self._add(text, False)

    def l(self, text: str) -> EscapedString:  # noqa: E743 - Rez's name for literal()
        """Short for :meth:`literal`."""
        return self.literal(text)

    def e(self, text: str) -> EscapedString:
        """Short for :meth:`expandable`."""
        return self.expandable(text)

    def formatted(self, func: Callable[[str], str]) -> EscapedString:
        """The expandable parts passed through ``func``; literal parts kept."""
        return EscapedString(tuple((lit, text if lit else func(text)) for lit, text in self.parts))

    @property
    def is_literal(self) -> bool:
        """True when every part is literal (and there is at least one)."""
        return bool(self.parts) and all(lit for lit, _ in self.parts)

    def __add__(self, other: str | EscapedString) -> EscapedString:
        result = self
        for lit, text in EscapedString.promote(other).parts:
            result = result._add(text, lit)
        return result

    def __radd__(self, other: str) -> EscapedString:
        return EscapedString.of(other) + self

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return str(self) == other
        if isinstance(other, EscapedString):
            return self.parts == other.parts
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __str__(self) -> str:
        return "".join(text for _, text in self.parts)


def literal(text: str) -> EscapedString:
    """A string that is neither ``{}``-formatted nor expanded by the shell."""
    return EscapedString.of(text, True)


def expandable(text: str) -> EscapedString:
    """A string that is formatted and expanded as usual (the default for ``str``)."""
    return EscapedString.of(text, False)
