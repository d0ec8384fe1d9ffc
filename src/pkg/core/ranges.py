"""Version ranges: sets of versions made of contiguous bounds.

``VersionRange("1+<2|4")`` is every version from ``1`` (inclusive) to ``2`` (exclusive),
plus ``4`` and its extensions (``4.0``, ``4.1.2``...).  See :mod:`pkg.core._range_parser`
for the full syntax.  Ranges are immutable and hashable and support the set algebra
(``|``, ``&``, ``~``, ``-``, ``in``, :meth:`~VersionRange.issuperset`,
:meth:`~VersionRange.intersects`).

Normal form.  A parsed range is kept as sorted bounds, and ``str()`` prints that normal
form exactly as Rez 3.4.0 does, so that requests, ``.rxt`` files and caches keyed on
ranges agree byte for byte between the two tools::

    >>> str(VersionRange("<=4,>2")), str(VersionRange(">=2,<=6")), str(VersionRange("3+<6|4+<8"))
    ('>2<=4', '2..6', '3+<8')

That includes Rez's quirks.  Its union decides whether two bounds touch by looking at the
bound just before, not at the one reaching highest, so ``1..3|2+<3|>3`` stays in two
pieces (``1..3|>3``) and ``1+<3|1.5..2|>3`` becomes ``1+``, which also takes in ``3``.
pkg computes the same bounds, so it prints the same strings and resolves the same way.
Equality and hashing, though, use the fully merged form of those bounds, so two ranges
with the same versions are equal and ``VersionRange(str(r)) == r`` always holds; and
where Rez cannot invert a range left in touching pieces (it raises), pkg inverts the
merged form.

Emptiness.  Rez answers "no versions" with ``None``; pkg has an explicit empty range,
``VersionRange.empty()``, which is falsy, so ``if a & b:`` reads the same way.  It is what
``a & b`` gives for disjoint ranges and what ``~VersionRange()`` gives; it prints as
``[EMPTY]``, which is not valid range syntax.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter, eq
from typing import TYPE_CHECKING, Literal

from pkg.core._range_parser import RawBound, parse_range
from pkg.core.version import Version
from pkg.errors import VersionError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pkg.core.version import VersionKey

__all__ = ["Bound", "VersionIndex", "VersionRange"]

_EMPTY_VERSION = Version()

# A bound's sort key: lower bounds sort inclusive-first, upper bounds exclusive-first.
_LowerKey = tuple["VersionKey", int]
_UpperKey = tuple["VersionKey", int]


class Bound:
    """One contiguous run of versions: from ``lower`` to ``upper``.

    ``lower`` is the empty version when there is no lower bound; ``upper`` is
    :attr:`Version.inf` when there is no upper bound.  A bound is never empty.
    """

    __slots__ = (
        "_hash",
        "_lkey",
        "_ukey",
        "ckey",
        "key",
        "lower",
        "lower_inclusive",
        "upper",
        "upper_inclusive",
    )

    _hash: int

    def __init__(
        self, lower: Version, lower_inclusive: bool, upper: Version, upper_inclusive: bool
    ) -> None:
        self.lower = lower
        self.lower_inclusive = lower_inclusive
        self.upper = upper
        self.upper_inclusive = upper_inclusive
        self._lkey: _LowerKey = (lower._key, 0 if lower_inclusive else 1)
        self._ukey: _UpperKey = (upper._key, 1 if upper_inclusive else 0)
        self.key = (self._lkey, self._ukey)
        #: (lower key, lower exclusive, upper key, upper inclusive), for containment
        self.ckey = (lower._key, not lower_inclusive, upper._key, upper_inclusive)

    @property
    def lower_bounded(self) -> bool:
        return bool(self.lower) or not self.lower_inclusive

    @property
    def upper_bounded(self) -> bool:
        return not self.upper.is_inf

    def contains_bound(self, other: Bound) -> bool:
        return self._lkey <= other._lkey and self._ukey >= other._ukey

    def intersection(self, other: Bound) -> Bound | None:
        lower = other if other._lkey > self._lkey else self
        upper = other if other._ukey < self._ukey else self
        lk, uk = lower.lower._key, upper.upper._key
        if lk < uk or (lk == uk and lower.lower_inclusive and upper.upper_inclusive):
            return Bound(lower.lower, lower.lower_inclusive, upper.upper, upper.upper_inclusive)
        return None

    def intersects(self, other: Bound) -> bool:
        lower = other if other._lkey > self._lkey else self
        upper = other if other._ukey < self._ukey else self
        lk, uk = lower.lower._key, upper.upper._key
        return lk < uk or (lk == uk and lower.lower_inclusive and upper.upper_inclusive)

    def __str__(self) -> str:
        lower, upper = self.lower, self.upper
        if upper.is_inf:
            if lower:
                return f"{lower}+" if self.lower_inclusive else f">{lower}"
            return "" if self.lower_inclusive else ">"
        if lower == upper:
            return f"=={lower}"
        if self.lower_inclusive and self.upper_inclusive:
            return f"{lower}..{upper}" if lower else f"<={upper}"
        if self.lower_inclusive and lower and lower.next() == upper:
            return str(lower)
        if lower:
            low = f"{lower}+" if self.lower_inclusive else f">{lower}"
        else:
            low = "" if self.lower_inclusive else ">"
        return f"{low}{'<=' if self.upper_inclusive else '<'}{upper}"

    def __repr__(self) -> str:
        return f"Bound({str(self)!r})"

    @staticmethod
    def exact(version: Version) -> Bound:
        """The bound of exactly ``version`` (``==version``), shared between calls."""
        return _exact_bound(version)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Bound):
            return NotImplemented
        return self.key == other.key

    def __hash__(self) -> int:
        # Cached (set on first use): exact bounds are shared, and a range's hash is made
        # of its bounds' hashes.
        try:
            return self._hash
        except AttributeError:
            found = self._hash = hash(self.key)
            return found


_ANY = Bound(_EMPTY_VERSION, True, Version.inf, True)

_version_key = attrgetter("_key")
_bound_key = attrgetter("key")
_lower_key = attrgetter("_lkey")
_ckey = attrgetter("ckey")

# id(version) -> (version, its ``==version`` bound).  The solver builds exact ranges of
# the same few thousand package versions over and over; the version is kept in the value
# so that its id cannot be reused while the entry exists.
_EXACT: dict[int, tuple[Version, Bound]] = {}
_EXACT_MAX = 1 << 17


def _exact_bound(version: Version) -> Bound:
    found = _EXACT.get(id(version))
    if found is not None:
        return found[1]
    bound = Bound(version, True, version, True)
    if len(_EXACT) >= _EXACT_MAX:
        _EXACT.clear()
    _EXACT[id(version)] = (version, bound)
    return bound


def _checked(
    lower: Version, li: bool, upper: Version, ui: bool, source: str, position: int
) -> Bound:
    lk, uk = lower._key, upper._key
    if lk > uk:
        raise VersionError(
            "version range", source, position, f"lower bound {lower} is above upper bound {upper}"
        )
    if lk == uk and not (li and ui):
        raise VersionError(
            "version range", source, position, f"the bound at {lower} contains no version"
        )
    return Bound(lower, li, upper, ui)


def _from_raw(raw: RawBound, source: str) -> Bound:
    lower = Version(raw.lower) if raw.lower else _EMPTY_VERSION
    if raw.upper_next:
        return Bound(lower, True, lower.next(), False)
    if raw.upper is None:
        return Bound(lower, raw.lower_inclusive, Version.inf, True)
    upper = Version(raw.upper) if raw.upper else _EMPTY_VERSION
    return _checked(lower, raw.lower_inclusive, upper, raw.upper_inclusive, source, raw.position)


def _union(bounds: Iterable[Bound]) -> tuple[Bound, ...]:
    ordered = sorted(bounds, key=lambda b: b.key)
    if len(ordered) < 2:
        return tuple(ordered)
    merged: list[Bound] = []
    start = prev = top = ordered[0]  # top: the bound with the greatest upper so far
    for bound in ordered[1:]:
        lk, tk = bound.lower._key, top.upper._key
        if lk > tk or (lk == tk and not bound.lower_inclusive and not prev.upper_inclusive):
            merged.append(Bound(start.lower, start.lower_inclusive, top.upper, top.upper_inclusive))
            start = bound
        prev = bound
        if bound._ukey > top._ukey:
            top = bound
    merged.append(Bound(start.lower, start.lower_inclusive, top.upper, top.upper_inclusive))
    return tuple(merged)


def _intersection(bounds1: tuple[Bound, ...], bounds2: tuple[Bound, ...]) -> tuple[Bound, ...]:
    result: list[Bound] = []
    for b1 in bounds1:
        for b2 in bounds2:
            bound = b1.intersection(b2)
            if bound is not None:
                result.append(bound)
    return tuple(result)


def _inverse(bounds: tuple[Bound, ...], source: str) -> tuple[Bound, ...]:
    if not bounds:
        return (_ANY,)
    lowers: list[tuple[Version, bool] | None] = [None]
    uppers: list[tuple[Version, bool] | None] = []
    for bound in bounds:
        if not bound.lower and bound.lower_inclusive:
            uppers.append(None)
        else:
            uppers.append((bound.lower, not bound.lower_inclusive))
        lowers.append(None if bound.upper.is_inf else (bound.upper, not bound.upper_inclusive))
    uppers.append(None)
    result: list[Bound] = []
    for low, high in zip(lowers, uppers, strict=True):
        if low is None and high is None:
            continue
        lower, li = low if low is not None else (_EMPTY_VERSION, True)
        upper, ui = high if high is not None else (Version.inf, True)
        result.append(_checked(lower, li, upper, ui, source, 0))
    return tuple(result)


def _canonical(bounds: tuple[Bound, ...]) -> tuple[Bound, ...]:
    """Merge bounds that overlap or touch, for equality and hashing.

    Rez's own union (:func:`_union`) can leave touching bounds apart; this is the plain
    merge of the same sorted bounds.
    """
    if len(bounds) < 2:
        return bounds
    merged = [bounds[0]]
    for bound in bounds[1:]:
        last = merged[-1]
        lk, uk = bound.lower._key, last.upper._key
        if lk < uk or (lk == uk and (bound.lower_inclusive or last.upper_inclusive)):
            top = bound if bound._ukey > last._ukey else last
            merged[-1] = Bound(last.lower, last.lower_inclusive, top.upper, top.upper_inclusive)
        else:
            merged.append(bound)
    return bounds if len(merged) == len(bounds) else tuple(merged)


@lru_cache(maxsize=8192)
def _parse(text: str) -> tuple[Bound, ...]:
    bounds = parse_range(text, _from_raw)
    if bounds is None:
        return (_ANY,)
    return _union(bounds)


BoundOp = Literal["gt", ">", "gte", ">=", "lt", "<", "lte", "<=", "eq", "=="]


class VersionRange:
    """A set of versions written in Rez's range syntax (``""`` is every version).

    Immutable and hashable.  Equality compares the normalised bounds, so
    ``VersionRange("1+<2") == VersionRange(">=1,<2")``.
    """

    __slots__ = ("_bounds", "_canon_", "_ckeys", "_hash", "_keys", "_str")

    _bounds: tuple[Bound, ...]
    _str: str | None
    # Worked out on first use: the solver makes many ranges it never compares.
    _canon_: tuple[Bound, ...] | None
    _ckeys: tuple[tuple[VersionKey, bool, VersionKey, bool], ...] | None
    _keys: list[tuple[_LowerKey, _UpperKey]] | None
    _hash: int | None

    def __init__(self, text: str = "") -> None:
        self._init(_parse(text))

    def _init(self, bounds: tuple[Bound, ...]) -> None:
        self._bounds = bounds
        self._str = None
        self._ckeys = self._canon_ = self._keys = self._hash = None

    @property
    def _canon(self) -> tuple[Bound, ...]:
        canon = self._canon_
        if canon is None:
            canon = self._canon_ = _canonical(self._bounds)
        return canon

    def _containment_keys(self) -> tuple[tuple[VersionKey, bool, VersionKey, bool], ...]:
        """Each bound's :attr:`Bound.ckey`, made on first use (callers check the slot
        first: this is on the hot path of containment)."""
        ckeys = self._ckeys = tuple(map(_ckey, self._bounds))
        return ckeys

    def _bound_keys(self) -> list[tuple[_LowerKey, _UpperKey]]:
        keys = self._keys
        if keys is None:
            keys = self._keys = list(map(_bound_key, self._bounds))
        return keys

    @classmethod
    def _from_bounds(cls, bounds: tuple[Bound, ...]) -> VersionRange:
        new = object.__new__(cls)
        new._init(bounds)
        return new

    # -- constructors ---------------------------------------------------------------
    @classmethod
    def any(cls) -> VersionRange:
        """The range of every version (``""``)."""
        return cls._from_bounds((_ANY,))

    @classmethod
    def empty(cls) -> VersionRange:
        """The range of no version at all."""
        return cls._from_bounds(())

    @classmethod
    def from_version(cls, version: Version, op: BoundOp | None = None) -> VersionRange:
        """A range from one version: the superset (no ``op``), or ``op`` applied to it."""
        if op is None:
            bound = Bound(version, True, version.next(), False)
        elif op in ("eq", "=="):
            bound = Bound(version, True, version, True)
        elif op in ("gt", ">"):
            bound = Bound(version, False, Version.inf, True)
        elif op in ("gte", ">="):
            bound = Bound(version, True, Version.inf, True)
        elif op in ("lt", "<"):
            bound = _checked(_EMPTY_VERSION, True, version, False, f"<{version}", 0)
        elif op in ("lte", "<="):
            bound = Bound(_EMPTY_VERSION, True, version, True)
        else:
            raise ValueError(f"unknown bound operation {op!r}")
        return cls._from_bounds((bound,))

    @classmethod
    def from_versions(cls, versions: Iterable[Version]) -> VersionRange:
        """The range of exactly these versions (``==1|==2|==5.1``)."""
        bounds: list[Bound] = []
        last: VersionKey | None = None
        for version in sorted(versions, key=_version_key):
            key = version._key
            if key != last:  # equal versions (``1.0``, ``1-0``): the first one given
                bounds.append(_exact_bound(version))
                last = key
        new = cls._from_bounds(tuple(bounds))
        new._canon_ = new._bounds  # distinct single versions never overlap or touch
        return new

    @classmethod
    def from_exact_bounds(cls, bounds: Iterable[Bound]) -> VersionRange:
        """:meth:`from_versions` for the :meth:`Bound.exact` bounds of the versions."""
        ordered = sorted(bounds, key=_lower_key)
        keys = list(map(_lower_key, ordered))
        # Equal versions (``1.0``, ``1-0``) are neighbours once sorted: keep the first one.
        if any(map(eq, keys, keys[1:])):
            return cls.from_versions(b.lower for b in ordered)
        new = cls._from_bounds(tuple(ordered))
        new._canon_ = new._bounds  # distinct single versions never overlap or touch
        return new

    @classmethod
    def as_span(
        cls,
        lower: Version | None = None,
        upper: Version | None = None,
        lower_inclusive: bool = True,
        upper_inclusive: bool = True,
    ) -> VersionRange:
        """The contiguous range from ``lower`` to ``upper`` (None: unbounded)."""
        low = _EMPTY_VERSION if lower is None else lower
        li = True if lower is None else lower_inclusive
        high = Version.inf if upper is None else upper
        ui = True if upper is None else upper_inclusive
        return cls._from_bounds((_checked(low, li, high, ui, f"{low}..{high}", 0),))

    # -- inspection -----------------------------------------------------------------
    @property
    def bounds(self) -> tuple[Bound, ...]:
        """The normalised bounds, in ascending order."""
        return self._bounds

    def is_any(self) -> bool:
        """True for the range of every version."""
        return len(self._bounds) == 1 and self._bounds[0].key == _ANY.key

    def is_empty(self) -> bool:
        """True for the range of no version."""
        return not self._bounds

    def lower_bounded(self) -> bool:
        """True if the range has a lower bound other than the empty version."""
        return bool(self._bounds) and self._bounds[0].lower_bounded

    def upper_bounded(self) -> bool:
        """True if the range has an upper bound."""
        return bool(self._bounds) and self._bounds[-1].upper_bounded

    def bounded(self) -> bool:
        """True if the range has both a lower and an upper bound."""
        return self.lower_bounded() and self.upper_bounded()

    def split(self) -> list[VersionRange]:
        """The contiguous parts: ``3|5+`` -> ``[3, 5+]``."""
        return [VersionRange._from_bounds((b,)) for b in self._bounds]

    def span(self) -> VersionRange:
        """The smallest contiguous range containing this one: ``2+<4|6+<8`` -> ``2+<8``."""
        if not self._bounds:
            return self
        first, last = self._bounds[0], self._bounds[-1]
        return VersionRange._from_bounds(
            (Bound(first.lower, first.lower_inclusive, last.upper, last.upper_inclusive),)
        )

    def to_versions(self) -> list[Version] | None:
        """The exact versions (``==x`` bounds) in the range, or None if there are none."""
        found = [b.lower for b in self._bounds if b.lower == b.upper and b.lower_inclusive]
        return found or None

    # -- membership -----------------------------------------------------------------
    def contains_version(self, version: Version) -> bool:
        """True if ``version`` is in the range.  O(log n) in the number of bounds."""
        key = version._key
        ckeys = self._ckeys
        if ckeys is None:
            ckeys = self._containment_keys()
        if len(ckeys) > 4:
            i = bisect_left(ckeys, (key, False))
            ckeys = ckeys[max(i - 1, 0) : i + 1]
        for lk, lx, uk, ui in ckeys:
            if key < lk or (lx and key == lk):
                return False
            if key < uk or (ui and key == uk):
                return True
        return False

    def __contains__(self, item: Version | VersionRange) -> bool:
        if isinstance(item, Version):
            return self.contains_version(item)
        return self.issuperset(item)

    def issuperset(self, other: VersionRange) -> bool:
        """True if every version of ``other`` is in this range."""
        mine = self._bounds
        keys = self._bound_keys()
        lo = 0
        for bound in other._bounds:
            i = bisect_left(keys, bound.key, lo)
            if i and mine[i - 1].contains_bound(bound):
                lo = i - 1
            elif i < len(mine) and mine[i].contains_bound(bound):
                lo = i
            else:
                return False
        return True

    def issubset(self, other: VersionRange) -> bool:
        """True if every version of this range is in ``other``."""
        return other.issuperset(self)

    def intersects(self, other: VersionRange) -> bool:
        """True if some version is in both ranges."""
        if len(self._bounds) <= len(other._bounds):
            short, long_, keys_of = self._bounds, other._bounds, other
        else:
            short, long_, keys_of = other._bounds, self._bounds, self
        if len(long_) < 5:
            for a in short:
                for b in long_:
                    if a.intersects(b):
                        return True
            return False
        keys = keys_of._bound_keys()
        lo = 0
        for bound in short:
            i = bisect_left(keys, bound.key, lo)
            if i and long_[i - 1].intersects(bound):
                return True
            if i < len(long_) and long_[i].intersects(bound):
                return True
            lo = max(i - 1, 0)
        return False

    # -- algebra --------------------------------------------------------------------
    def union(self, *others: VersionRange) -> VersionRange:
        """The versions in any of the ranges."""
        bounds = list(self._bounds)
        for other in others:
            bounds.extend(other._bounds)
        return VersionRange._from_bounds(_union(bounds))

    def intersection(self, *others: VersionRange) -> VersionRange:
        """The versions in all of the ranges (possibly the empty range)."""
        bounds = self._bounds
        for other in others:
            bounds = _intersection(bounds, other._bounds)
            if not bounds:
                break
        return VersionRange._from_bounds(bounds)

    def inverse(self) -> VersionRange:
        """The versions not in this range.

        Raises:
            Nothing in practice: for a range left in touching pieces, whose complement
            Rez cannot express (it raises), the merged form is inverted instead.
        """
        if self.is_any():
            return VersionRange.empty()
        try:
            return VersionRange._from_bounds(_inverse(self._bounds, str(self)))
        except VersionError:
            if self._canon is self._bounds:
                raise
            return VersionRange._from_bounds(_inverse(self._canon, str(self)))

    __or__ = union
    __and__ = intersection

    def __invert__(self) -> VersionRange:
        return self.inverse()

    def __sub__(self, other: VersionRange) -> VersionRange:
        return self.intersection(other.inverse())

    # -- value protocol -------------------------------------------------------------
    def __str__(self) -> str:
        if self._str is None:
            self._str = "|".join(map(str, self._bounds)) if self._bounds else "[EMPTY]"
        return self._str

    def __repr__(self) -> str:
        return f"VersionRange({str(self)!r})"

    def __len__(self) -> int:
        """The number of contiguous bounds (0 for the empty range, which is falsy)."""
        return len(self._bounds)

    def __hash__(self) -> int:
        found = self._hash
        if found is None:
            found = self._hash = hash(tuple(map(hash, self._canon)))
        return found

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VersionRange):
            return NotImplemented
        return hash(self) == hash(other) and [b.key for b in self._canon] == [
            b.key for b in other._canon
        ]

    def __lt__(self, other: VersionRange) -> bool:
        if not isinstance(other, VersionRange):
            return NotImplemented
        return [b.key for b in self._canon] < [b.key for b in other._canon]

    def __reduce__(self) -> tuple[type[VersionRange], tuple[str]]:
        if not self._bounds:
            raise TypeError("the empty range cannot be pickled")
        return (VersionRange, (str(self),))


class VersionIndex:
    """A fixed list of versions, sorted once, that answers "which of them are in this
    range" by bisection: O(bounds x log n) instead of a test per version.

        >>> from pkg.core import Version
        >>> index = VersionIndex([Version(v) for v in ["3", "1", "2.5", "2"]])
        >>> index.select(VersionRange("2+<3"))
        [2, 3]
    """

    __slots__ = ("_keys", "_order")

    def __init__(self, versions: Sequence[Version]) -> None:
        order = sorted(range(len(versions)), key=lambda i: versions[i]._key)
        self._order = order
        self._keys = [versions[i]._key for i in order]

    def select(self, range_: VersionRange) -> list[int]:
        """The positions (in the list given) of the versions in ``range_``, ascending."""
        ckeys = range_._ckeys
        if ckeys is None:
            ckeys = range_._containment_keys()
        keys, order = self._keys, self._order
        found: list[int] = []
        for lower, lower_exclusive, upper, upper_inclusive in ckeys:
            start = (bisect_right if lower_exclusive else bisect_left)(keys, lower)
            end = (bisect_right if upper_inclusive else bisect_left)(keys, upper)
            found.extend(order[start:end])
        if len(ckeys) > 1:
            return sorted(set(found))
        found.sort()
        return found
