"""Rez versions: parsing, ordering and the small helpers package definitions rely on.

A version is a sequence of zero or more *tokens* (runs of ``[A-Za-z0-9_]``) joined by
single separator characters, usually ``.`` or ``-``.  Separators are cosmetic: they are
kept for ``str()`` but never take part in comparisons, so ``1.0 == 1-0``.

Ordering (Rez 3.4.0's behaviour, which is what existing repositories depend on):

* versions compare token by token; a version that extends another is greater
  (``1 < 1.0 < 1.0.0``) and the empty version is the smallest of all;
* a token is split into alternating alphabetic and numeric *sub-tokens*
  (``rc12b`` -> ``rc``, ``12``, ``b``), and the sub-token lists compare element-wise;
* an alphabetic sub-token is smaller than a numeric one (``beta < 1``);
* alphabetic sub-tokens compare by code point, so ``_`` sorts between upper- and
  lower-case letters (``Z < _ < a``); Rez's documentation says ``_`` sorts first, its
  code does not, and the code is what repositories were sorted by;
* numeric sub-tokens compare by value, then by their text, so zero padding sorts first
  (``01 < 1``, ``2 < 10``).

Every comparison goes through one precomputed key (see :func:`_token_key`), so sorting
and range containment never call back into Python per sub-token.

    >>> sorted(Version(s) for s in ["1.10", "1.9", "1.9a", "1", "1.0"])
    [Version('1'), Version('1.0'), Version('1.9'), Version('1.9a'), Version('1.10')]
"""

from __future__ import annotations

import re
from typing import ClassVar, TypeAlias, overload

from pkg.errors import VersionError

__all__ = ["Version", "VersionToken"]

# A sub-token key is (0, text) for an alphabetic run and (1, value, text) for a digit run:
# the leading 0/1 makes every alphabetic sub-token sort before every numeric one, and the
# trailing text makes equal values with different padding sort by their text.
_SubKey: TypeAlias = tuple[int, str] | tuple[int, int, str]
TokenKey: TypeAlias = tuple[_SubKey, ...]
VersionKey: TypeAlias = tuple[TokenKey, ...]

_TOKEN_RUN = re.compile(r"[A-Za-z0-9_]+")
_SUB_TOKEN = re.compile(r"[0-9]+|[^0-9]+")
# Splitting on a captured token run gives ['', tok, sep, tok, ..., tok, ''] for a valid
# version: one regex pass yields the tokens, the separators and the validity check.
_SPLIT = re.compile(r"([A-Za-z0-9_]+)").split

# The key of the infinite version: its first token key starts with (2,), which is greater
# than the first sub-token key (0, ...) or (1, ...) of any real version.
_INF_KEY: VersionKey = (((2, ""),),)

# Token texts repeat endlessly across a repository ("0", "1", "2", "rc1", ...), so their
# keys are memoised.  The bound keeps memory flat however many distinct tokens are seen.
_TOKEN_KEYS: dict[str, TokenKey] = {}
_TOKEN_KEYS_MAX = 65536


def _token_key(text: str) -> TokenKey:
    """Return the comparison key of one token, e.g. ``rc12`` -> ``((0, 'rc'), (1, 12, '12'))``."""
    key = _TOKEN_KEYS.get(text)
    if key is None:
        key = tuple(
            (1, int(sub), sub) if sub[0] <= "9" and sub[0] >= "0" else (0, sub)
            for sub in _SUB_TOKEN.findall(text)
        )
        if len(_TOKEN_KEYS) < _TOKEN_KEYS_MAX:
            _TOKEN_KEYS[text] = key
    return key


class VersionToken:
    """One token of a version, e.g. ``2``, ``07b`` or ``rc1`` in ``2.07b-rc1``.

    Tokens order as described in the module docstring and are immutable and hashable.
    ``str(token)`` is the token's text.
    """

    __slots__ = ("_key", "_text")

    def __init__(self, text: str) -> None:
        if not _TOKEN_RUN.fullmatch(text):
            bad = next((i for i, c in enumerate(text) if not _TOKEN_RUN.match(c)), 0)
            raise VersionError("version token", text, bad, "tokens are [A-Za-z0-9_]+")
        self._text = text
        self._key = _token_key(text)

    def next(self) -> VersionToken:
        """Return the smallest token greater than this one and every token it prefixes.

        It is the text with ``_`` appended: ``2`` -> ``2_``, ``a`` -> ``a_``.
        """
        return VersionToken(self._text + "_")

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"VersionToken({self._text!r})"

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VersionToken):
            return NotImplemented
        return self._key == other._key

    def __lt__(self, other: VersionToken) -> bool:
        if not isinstance(other, VersionToken):
            return NotImplemented
        return self._key < other._key

    def __le__(self, other: VersionToken) -> bool:
        if not isinstance(other, VersionToken):
            return NotImplemented
        return self._key <= other._key

    def __gt__(self, other: VersionToken) -> bool:
        if not isinstance(other, VersionToken):
            return NotImplemented
        return self._key > other._key

    def __ge__(self, other: VersionToken) -> bool:
        if not isinstance(other, VersionToken):
            return NotImplemented
        return self._key >= other._key


def _syntax_error(text: str) -> VersionError:
    """Build the error for a string that is not a version, pointing at the first bad char."""
    if not _TOKEN_RUN.search(text):
        return VersionError("version", text, 0, "a version needs at least one [A-Za-z0-9_] token")
    if not _TOKEN_RUN.match(text):
        return VersionError("version", text, 0, "a version must start with a token")
    pos = 0
    for match in _TOKEN_RUN.finditer(text):
        gap = match.start() - pos
        if gap > 1:
            return VersionError("version", text, pos + 1, "tokens are separated by one character")
        pos = match.end()
    return VersionError("version", text, pos, "a version must end with a token")


class Version:
    """A Rez version such as ``1.2.3``, ``2019-rc1`` or the empty version ``""``.

    Immutable and hashable; ``parse(str(v)) == v`` and ordering is total.

    Rez accepts any single non-token character as a separator (``1+2`` is a version with
    the separator ``+``), although ``.`` and ``-`` are the only ones version *ranges*
    understand; pkg follows that behaviour so that every existing package still loads.
    """

    # Only the text and the key are stored: tokens and separators are re-derived from the
    # text when asked for, which keeps a parsed version to two allocations.
    __slots__ = ("_hash", "_key", "_str")

    #: The infinite version, greater than every other.  Used only as the upper end of
    #: unbounded ranges; it prints as ``[INF]`` and has no tokens.
    inf: ClassVar[Version]

    _key: VersionKey
    _str: str
    _hash: int

    def __init__(self, text: str = "") -> None:
        self._str = text
        if not text:
            self._key = ()
            return
        parts = _SPLIT(text)
        seps = parts[2:-1:2]
        # Separators are never empty (token runs are maximal): one char each iff the
        # joined length equals their count.
        if parts[0] or parts[-1] or len(parts) < 3 or len("".join(seps)) != len(seps):
            raise _syntax_error(text)
        self._key = tuple(map(_token_key, parts[1::2]))

    @classmethod
    def _from_parts(cls, tokens: tuple[str, ...] | list[str], seps: list[str]) -> Version:
        """Build a version from already valid tokens and separators (no re-parsing)."""
        version = object.__new__(cls)
        version._str = "".join(t + s for t, s in zip(tokens, [*seps, ""], strict=False))
        version._key = tuple(map(_token_key, tokens))
        return version

    @classmethod
    def _trusted(cls, text: str, key: VersionKey) -> Version:
        """The version ``text`` whose key :meth:`_key` is known to be ``key`` (a stored
        parse, e.g. in a resolve cache entry): no parsing."""
        version = object.__new__(cls)
        version._str = text
        version._key = key
        return version

    @property
    def _tokens(self) -> list[str]:
        return _SPLIT(self._str)[1::2] if self._key and not self.is_inf else []

    @property
    def _seps(self) -> list[str]:
        return _SPLIT(self._str)[2:-1:2] if self._key and not self.is_inf else []

    # -- structure ------------------------------------------------------------------
    @property
    def tokens(self) -> tuple[VersionToken, ...]:
        """The tokens, in order."""
        return tuple(VersionToken(t) for t in self._tokens)

    def as_tuple(self) -> tuple[str, ...]:
        """The token texts, e.g. ``('1', '2', '12')`` for ``1.2.12``."""
        return tuple(self._tokens)

    @property
    def is_inf(self) -> bool:
        """True only for :attr:`Version.inf`."""
        return self._key is _INF_KEY

    def __len__(self) -> int:
        return 0 if self.is_inf else len(self._key)

    def __bool__(self) -> bool:
        """The empty version is false, every other version (and ``inf``) is true."""
        return bool(self._key)

    @overload
    def __getitem__(self, index: int) -> VersionToken: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[VersionToken, ...]: ...
    def __getitem__(self, index: int | slice) -> VersionToken | tuple[VersionToken, ...]:
        if isinstance(index, slice):
            return tuple(VersionToken(t) for t in self._tokens[index])
        try:
            return VersionToken(self._tokens[index])
        except IndexError:
            raise IndexError("version token index out of range") from None

    @property
    def major(self) -> VersionToken:
        """The first token (``IndexError`` if there is none)."""
        return self[0]

    @property
    def minor(self) -> VersionToken:
        """The second token (``IndexError`` if there is none)."""
        return self[1]

    @property
    def patch(self) -> VersionToken:
        """The third token (``IndexError`` if there is none)."""
        return self[2]

    def trim(self, length: int) -> Version:
        """Return the version cut to its first ``length`` tokens (``1.2.3`` -> ``1.2``)."""
        if self.is_inf:
            raise ValueError("the infinite version cannot be trimmed")
        length = max(length, 0)
        return Version._from_parts(self._tokens[:length], self._seps[: max(length - 1, 0)])

    def next(self) -> Version:
        """Return the smallest version greater than this one and all its extensions.

        ``1.2`` -> ``1.2_``, so the range ``[1.2, 1.2_)`` is every ``1.2[.x...]``.  The
        next of the empty version is :attr:`Version.inf`.
        """
        if self.is_inf:
            raise ValueError("the infinite version has no next version")
        if not self._key:
            return Version.inf
        tokens = self._tokens
        tokens[-1] += "_"
        return Version._from_parts(tokens, self._seps)

    # -- comparison -----------------------------------------------------------------
    def __hash__(self) -> int:
        # Cached: versions key the solver's and providers' tables.  (Set on first use,
        # so constructors need not know about it.)
        try:
            return self._hash
        except AttributeError:
            found = self._hash = hash(self._key)
            return found

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key == other._key

    def __lt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key < other._key

    def __le__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key <= other._key

    def __gt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key > other._key

    def __ge__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key >= other._key

    def __str__(self) -> str:
        return self._str

    def __repr__(self) -> str:
        return f"Version({self._str!r})"

    def __reduce__(self) -> tuple[type[Version], tuple[str]]:
        return (Version, (self._str,))


def _make_inf() -> Version:
    inf = object.__new__(Version)
    inf._str = "[INF]"
    inf._key = _INF_KEY
    return inf


Version.inf = _make_inf()
