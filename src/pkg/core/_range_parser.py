"""Parser for Rez version range strings.

The language is Rez 3.4.0's, including its odd corners, because existing package
definitions use it.  A range is parts separated by ``|``; each part is lexed into
*symbols* and then matched against the alternatives below, first match wins::

    range     := part ( "|" part )*          ; an empty part means "any version"
    part      := superset | exact | inclusive | lower | upper | ascending | descending
    superset  := V                           ; V and all its extensions: [V, next(V))
    exact     := "==" V?                     ; exactly V ("==" alone: the empty version)
    inclusive := V? ".." V?                  ; [V1, V2]
    lower     := (">" | ">=") V?  |  V? "+"   ; >V, >=V, V+
    upper     := "<" V  |  "<=" V?
    ascending := lo_asc ","? hi              ; "," only when lo_asc has a version
    lo_asc    := (">" | ">=") V?  |  V? "+"?  ; may be empty
    hi        := "<" V  |  "<=" V?
    descending:= hi_desc ","  lo_desc        ; "," required iff hi_desc has a version
    hi_desc   := ("<" | "<=") V?  |  V? "+"?  ; a bare V or V+ here is an inclusive upper
    lo_desc   := "<" V  |  ">" V?  |  ">=" V? ; "<" here is an inclusive lower bound (!)

where ``V`` is a version written with ``.``/``-`` separators only.  The quirks marked
``!`` are Rez's behaviour (``<=4,<2`` means ``2..4``) and are kept on purpose.

Symbols are lexed greedily (``>=`` before ``>``), which never changes the meaning:
``=`` is not valid on its own anywhere.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final, NamedTuple, TypeVar

from pkg.errors import VersionError

if TYPE_CHECKING:
    from collections.abc import Callable

_T = TypeVar("_T")

__all__ = ["RawBound", "parse_range"]

_V: Final = r"[0-9A-Za-z_]+(?:[.-][0-9A-Za-z_]+)*"
_SYMBOL: Final = re.compile(rf"(?P<V>{_V})|==|\.\.|>=|<=|>|<|\+|,")


class RawBound(NamedTuple):
    """One contiguous bound as written: version texts (``""`` = empty) and inclusivity.

    ``upper`` is None for "no upper bound"; ``upper_next`` marks the superset form,
    whose upper bound is ``next(lower)``, exclusive.  ``position`` is where the part
    starts in the whole string, for error messages.
    """

    lower: str
    lower_inclusive: bool
    upper: str | None
    upper_inclusive: bool
    upper_next: bool
    position: int


class _Symbol(NamedTuple):
    kind: str  # "V" or the operator text
    text: str
    position: int


def _lex(part: str, offset: int, whole: str) -> list[_Symbol]:
    symbols: list[_Symbol] = []
    pos = 0
    while pos < len(part):
        match = _SYMBOL.match(part, pos)
        if match is None:
            char = part[pos]
            reason = f"unexpected {char!r}"
            if char in ".-" and symbols and symbols[-1].kind == "V":
                reason = f"a separator {char!r} must be followed by a version token"
            raise VersionError("version range", whole, offset + pos, reason)
        kind = "V" if match.group("V") else match.group()
        symbols.append(_Symbol(kind, match.group(), offset + pos))
        pos = match.end()
    return symbols


# Each alternative is a set of symbol-kind sequences; built once from the grammar above.
def _seqs(*options: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(options)


_LOW_ASC: Final = (
    (),
    ("V",),
    ("+",),
    ("V", "+"),
    (">",),
    (">", "V"),
    (">=",),
    (">=", "V"),
)
_HIGH: Final = (("<", "V"), ("<=",), ("<=", "V"))
_HIGH_DESC: Final = ((), ("V",), ("+",), ("V", "+"), ("<",), ("<", "V"), ("<=",), ("<=", "V"))
_LOW_DESC: Final = (("<", "V"), (">",), (">", "V"), (">=",), (">=", "V"))

_SUPERSET: Final = _seqs(("V",))
_EXACT: Final = _seqs(("==",), ("==", "V"))
_INCLUSIVE: Final = _seqs(("..",), ("V", ".."), ("..", "V"), ("V", "..", "V"))
_LOWER: Final = _seqs((">",), (">", "V"), (">=",), (">=", "V"), ("+",), ("V", "+"))
_UPPER: Final = _seqs(*_HIGH)
_ASCENDING: Final = _seqs(
    *(lo + hi for lo in _LOW_ASC for hi in _HIGH),
    *((*lo, "", *hi) for lo in _LOW_ASC if "V" in lo for hi in _HIGH),
)
_DESCENDING: Final = _seqs(
    *(hi + lo for hi in _HIGH_DESC if "V" not in hi for lo in _LOW_DESC),
    *((*hi, "", *lo) for hi in _HIGH_DESC if "V" in hi for lo in _LOW_DESC),
)
_ALL: Final = _SUPERSET | _EXACT | _INCLUSIVE | _LOWER | _UPPER | _ASCENDING | _DESCENDING


def _kinds(symbols: list[_Symbol]) -> tuple[str, ...]:
    # "," is stored as "" in the sequence tables so that it never collides with "V".
    return tuple("" if s.kind == "," else s.kind for s in symbols)


def _version_of(symbols: list[_Symbol]) -> str:
    return next((s.text for s in symbols if s.kind == "V"), "")


def _bound_for(symbols: list[_Symbol], kinds: tuple[str, ...], whole: str) -> RawBound | None:
    """Turn one part's symbols into a bound, trying the alternatives in Rez's order."""
    pos = symbols[0].position
    version = _version_of(symbols)
    if kinds in _SUPERSET:
        return RawBound(version, True, None, False, True, pos)
    if kinds in _EXACT:
        return RawBound(version, True, version, True, False, pos)
    if kinds in _INCLUSIVE:
        dots = kinds.index("..")
        return RawBound(
            _version_of(symbols[:dots]), True, _version_of(symbols[dots:]), True, False, pos
        )
    if kinds in _LOWER:
        return RawBound(version, kinds[0] != ">", None, True, False, pos)
    if kinds in _UPPER:
        return RawBound("", True, version, kinds[0] != "<", False, pos)
    if kinds in _ASCENDING:
        # The upper half is the last "<"/"<=" symbol and what follows it.
        cut = max(i for i, k in enumerate(kinds) if k in ("<", "<="))
        low, high = symbols[:cut], symbols[cut:]
        if low and low[-1].kind == ",":
            low = low[:-1]
        lower_inclusive = not (low and low[0].kind == ">")
        return RawBound(
            _version_of(low),
            lower_inclusive,
            _version_of(high),
            high[0].kind != "<",
            False,
            pos,
        )
    if kinds in _DESCENDING:
        # The lower half starts at the last operator that can open it.
        cut = max(i for i, k in enumerate(kinds) if k in ("<", ">", ">="))
        high, low = symbols[:cut], symbols[cut:]
        if high and high[-1].kind == ",":
            high = high[:-1]
        if not high:
            upper: str | None = None
            upper_inclusive = True
        else:
            upper = _version_of(high)
            upper_inclusive = high[0].kind != "<"
            if not upper and not upper_inclusive:
                raise VersionError(
                    "version range", whole, high[0].position, "'<' needs a version after it"
                )
        return RawBound(_version_of(low), low[0].kind != ">", upper, upper_inclusive, False, pos)
    return None


def _error_position(symbols: list[_Symbol], kinds: tuple[str, ...], end: int) -> tuple[int, str]:
    """Find the first symbol that no valid part could have at that place."""
    best = 0
    for seq in _ALL:
        n = 0
        while n < len(seq) and n < len(kinds) and seq[n] == kinds[n]:
            n += 1
        best = max(best, n)
    if best < len(symbols):
        return symbols[best].position, f"unexpected {symbols[best].text!r}"
    return end, "the range ends too early"


def parse_range(text: str, build: Callable[[RawBound, str], _T]) -> list[_T] | None:
    """Parse a range string into bounds made by ``build``, or None for the "any" range.

    ``build`` is called on each part's bound as soon as it is read (it validates it), so
    that an impossible bound before an empty part is still an error, as in Rez; parts
    after an empty part are only checked for syntax.

    Raises:
        VersionError: with a caret under the first character at fault.
    """
    bounds: list[_T] = []
    is_any = False
    offset = 0
    for written in text.split("|"):
        start = offset
        offset += len(written) + 1
        part = written
        if part == "":
            is_any = True
            bounds.clear()
            continue
        # Rez matches each part with a "$"-anchored pattern, which tolerates one
        # trailing newline; a part that is only a newline adds no bound at all.
        if part.endswith("\n"):
            part = part[:-1]
            if not part:
                continue
        symbols = _lex(part, start, text)
        kinds = _kinds(symbols)
        if kinds not in _ALL:
            position, reason = _error_position(symbols, kinds, start + len(part))
            raise VersionError("version range", text, position, reason)
        if is_any:
            continue  # once "any", later parts are only checked for syntax
        bound = _bound_for(symbols, kinds, text)
        if bound is not None:
            bounds.append(build(bound, text))
    if is_any or not bounds:
        return None
    return bounds
