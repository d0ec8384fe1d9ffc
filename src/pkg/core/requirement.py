"""Package requests (``foo-1.2+``, ``!foo``, ``~foo<2``, ``.eph-1``) and request lists.

Syntax, as in Rez 3.4.0:

* ``name`` any version; ``name-RANGE`` where the separator is ``-``, ``@`` or ``#``
  (cosmetic, kept in ``str()``), or nothing before an operator: ``foo<2``, ``foo==1``;
  the name ends at the first of ``- @ # = < >``, so ``foo-bar-1`` is ``foo`` at ``bar-1``;
* ``!name[-RANGE]`` a conflict: no version in RANGE may be present;
* ``~name-RANGE`` a weak request: if ``name`` is present it must be in RANGE.  It is kept
  as a conflict with the inverse range (``range`` is that inverse) and prints as written.
  ``~name`` alone is allowed and has no effect (its range is empty);
* ``.name[-RANGE]`` an ephemeral: a request for something that is not a package.

Package names are runs of ``[A-Za-z0-9_]`` joined by single dots (``foo``, ``foo.bar``,
``3delight``), and ``__pycache__`` is not a name.

    >>> r = Requirement("foo-1.2+<2")
    >>> r.name, str(r.range), r.conflict
    ('foo', '1.2+<2', False)
    >>> str(RequirementList([Requirement("foo-1"), Requirement("foo-1.5+"), Requirement("bah")]))
    'foo-1.5+<1_ bah'
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from pkg.core.ranges import VersionRange
from pkg.errors import RequestError, VersionError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from pkg.core.version import Version

__all__ = ["Requirement", "RequirementList", "is_valid_package_name", "parse_requirement"]

_NAME_END = re.compile(r"[-@#=<>]")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_.]*")
_RESERVED_NAMES = frozenset({"__pycache__"})


def _name_error_position(name: str) -> int | None:
    """Index of the first character that makes ``name`` invalid, or None if it is valid.

    Equivalent to Rez's ``[a-zA-Z_0-9](\\.?[a-zA-Z0-9_]+)*`` without its exponential
    backtracking on long invalid names.
    """
    if not name or name[0] == ".":
        return 0
    valid = _NAME_CHARS.match(name)
    end = valid.end() if valid else 0
    dots = name.find("..")
    if 0 <= dots < end:
        return dots + 1
    if end < len(name):
        return end
    if name.endswith("."):
        return len(name) - 1
    return None


def is_valid_package_name(name: str) -> bool:
    """True if ``name`` is a valid package name (``foo``, ``foo.bar``, ``3delight``)."""
    return _name_error_position(name) is None and name not in _RESERVED_NAMES


class Requirement:
    """A parsed package request.  Immutable and hashable.

    Attributes:
        name: the package name (with its leading ``.`` for an ephemeral).
        range: the versions requested; for a conflict, the versions that must *not* be
            present (for a weak request, the inverse of what was written).
        conflict: True for ``!foo`` and ``~foo`` requests.
        weak: True for ``~foo`` requests.
        ephemeral: True for ``.foo`` requests.
    """

    __slots__ = ("_hash", "_str", "conflict", "ephemeral", "name", "range", "sep", "weak")

    name: str
    range: VersionRange
    conflict: bool
    weak: bool
    ephemeral: bool
    sep: str
    _str: str | None

    def __init__(self, text: str) -> None:
        ephemeral = text.startswith(".")
        conflict = weak = False
        offset = 0
        if text.startswith("!"):
            conflict, offset = True, 1
        elif text.startswith("~"):
            conflict = weak = True
            offset = 1
        body = text[offset:]
        match = _NAME_END.search(body)
        sep = "-"
        if match is None:
            name = body
            range_ = VersionRange.empty() if weak else VersionRange.any()
        else:
            name = body[: match.start()]
            start = match.start()
            if body[start] in "-@#":
                sep = body[start]
                start += 1
            try:
                range_ = VersionRange(body[start:])
            except VersionError as err:
                raise RequestError(
                    "package request", text, offset + start + err.position, err.reason
                ) from None
            if weak:
                range_ = range_.inverse()
        checked = name[1:] if ephemeral else name
        bad = _name_error_position(checked)
        if bad is not None or checked in _RESERVED_NAMES:
            at = offset + (len(name) - len(checked)) + (bad or 0)
            why = "is reserved" if bad is None else "is not valid"
            raise RequestError("package request", text, at, f"the package name {name!r} {why}")
        self._set(name, range_, conflict, weak, ephemeral, sep)

    def _set(
        self,
        name: str,
        range_: VersionRange,
        conflict: bool,
        weak: bool,
        ephemeral: bool,
        sep: str,
    ) -> None:
        self.name = name
        self.range = range_
        self.conflict = conflict
        self.weak = weak
        self.ephemeral = ephemeral
        self.sep = sep
        self._str = None
        self._hash: int | None = None

    @classmethod
    def construct(
        cls,
        name: str,
        range_: VersionRange | None = None,
        *,
        conflict: bool = False,
        weak: bool = False,
        sep: str = "-",
    ) -> Requirement:
        """Build a request from parts; ``range_`` is the stored range (see ``range``)."""
        if weak and not conflict:
            raise ValueError("a weak request is always a conflict request")
        new = object.__new__(cls)
        default = VersionRange.empty() if weak else VersionRange.any()
        new._set(
            name,
            default if range_ is None else range_,
            conflict,
            weak,
            name.startswith("."),
            sep,
        )
        return new

    def _copy_with(self, template: Requirement, range_: VersionRange) -> Requirement:
        new = object.__new__(Requirement)
        new._set(
            template.name,
            range_,
            template.conflict,
            template.weak,
            template.ephemeral,
            template.sep,
        )
        return new

    # -- semantics --------------------------------------------------------------------
    def conflicts_with(self, other: Requirement | tuple[str, Version]) -> bool:
        """True if this request cannot hold together with ``other``.

        ``other`` is another request, or a ``(name, version)`` pair of a package.
        """
        if isinstance(other, Requirement):
            if self.name != other.name or self.range.is_empty() or other.range.is_empty():
                return False
            if self.conflict:
                return False if other.conflict else self.range.issuperset(other.range)
            if other.conflict:
                return other.range.issuperset(self.range)
            return not self.range.intersects(other.range)
        name, version = other
        if self.name != name or (self.weak and self.range.is_empty()):
            return False
        in_range = version in self.range
        return in_range if self.conflict else not in_range

    def merged(self, other: Requirement) -> Requirement | None:
        """Combine two requests for the same package into one, or None if they clash.

        ``foo-3+`` and ``!foo-5+`` give ``foo-3+<5``; ``foo-1`` and ``foo-1.5`` give
        ``foo-1.5``; ``!foo-2`` and ``!foo-5`` give ``!foo-2|5``; ``foo-4`` and ``foo-6``
        clash.  Requests for different packages never merge (None).
        """
        if self.name != other.name:
            return None
        if self.weak and self.range.is_empty():
            return other
        if other.weak and other.range.is_empty():
            return self
        if self.conflict:
            if other.conflict:
                union = self.range | other.range
                new = self._copy_with(self, union)
                new.weak = self.weak and other.weak and not union.is_any()
                return new
            remaining = other.range - self.range
            return self._copy_with(other, remaining) if remaining else None
        if other.conflict:
            remaining = self.range - other.range
            return self._copy_with(self, remaining) if remaining else None
        common = self.range & other.range
        return self._copy_with(self, common) if common else None

    # -- value protocol ---------------------------------------------------------------
    def __str__(self) -> str:
        if self._str is None:
            prefix = "~" if self.weak else ("!" if self.conflict else "")
            shown = self.range
            if self.weak:
                shown = VersionRange.any() if shown.is_empty() else shown.inverse()
            text = str(shown) if not shown.is_any() else ""
            sep = self.sep if text and text[0] not in "=<>" else ""
            self._str = f"{prefix}{self.name}{sep}{text}"
        return self._str

    def safe_str(self) -> str:
        """A string that identifies the request (for file names and cache keys)."""
        return str(self)

    def __repr__(self) -> str:
        return f"Requirement({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Requirement):
            return NotImplemented
        return (
            self.name == other.name
            and self.range == other.range
            and self.conflict == other.conflict
        )

    def __hash__(self) -> int:
        found = self._hash
        if found is None:
            found = self._hash = hash((self.name, self.range, self.conflict))
        return found

    def __reduce__(self) -> tuple[type[Requirement], tuple[str]]:
        return (Requirement, (str(self),))


@functools.lru_cache(maxsize=16384)
def parse_requirement(text: str) -> Requirement:
    """``Requirement(text)``, memoised on the text (the last 16,384 distinct texts).

    A :class:`Requirement` is immutable, so every caller asking for the same text can
    share one object.  Package definitions repeat the same few requests
    (``python-3.9``, ``platform-linux``) thousands of times, and a request is checked when
    its definition is loaded and parsed again when it is read: both are then one look-up.

    Raises:
        RequestError: as :class:`Requirement` (failures are not memoised).
    """
    return Requirement(text)


class RequirementList:
    """An ordered list of requests with the requests for each package merged into one.

    The order of first appearance is kept.  If two requests cannot be merged, the list
    records the clash in :attr:`conflict` (the merged request so far and the request that
    clashed with it) and holds no requests.
    """

    __slots__ = ("_by_name", "conflict", "conflict_names", "names", "requirements")

    requirements: list[Requirement]
    conflict: tuple[Requirement, Requirement] | None
    names: set[str]
    conflict_names: set[str]

    def __init__(self, requirements: Iterable[Requirement]) -> None:
        given = list(requirements)
        self.requirements = []
        self.conflict = None
        self.names = set()
        self.conflict_names = set()
        self._by_name: dict[str, Requirement] = {}
        for req in given:
            existing = self._by_name.get(req.name)
            if existing is None:
                self._by_name[req.name] = req
                continue
            merged = existing.merged(req)
            if merged is None:
                self.conflict = (existing, req)
                return
            self._by_name[req.name] = merged
        for name, req in self._by_name.items():  # dicts keep first-insertion order
            self.requirements.append(req)
            (self.conflict_names if req.conflict else self.names).add(name)

    def get(self, name: str) -> Requirement | None:
        """The merged request for ``name``, or None."""
        return self._by_name.get(name)

    @property
    def by_name(self) -> Mapping[str, Requirement]:
        """Family -> merged request (read-only; empty when :attr:`conflict` is set)."""
        return self._by_name

    def __iter__(self) -> Iterator[Requirement]:
        return iter(self.requirements)

    def __len__(self) -> int:
        return len(self.requirements)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RequirementList):
            return NotImplemented
        return self.requirements == other.requirements and self.conflict == other.conflict

    __hash__ = None  # type: ignore[assignment]  # mutable-looking lists are not hashable

    def __str__(self) -> str:
        if self.conflict is not None:
            return f"{self.conflict[0]} <--!--> {self.conflict[1]}"
        return " ".join(map(str, self.requirements))

    def __repr__(self) -> str:
        return f"RequirementList({str(self)!r})"
