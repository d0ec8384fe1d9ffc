"""Package orderers: which version of a family a resolve tries first (pure).

An orderer gives each version a sort key; larger keys are preferred.  Without an orderer
the latest version comes first.  The types are Rez's (``package_orderers`` setting):

* ``sorted`` (``descending``): latest first, or earliest first;
* ``version_split`` (``first_version``): versions up to ``first_version`` first (latest
  first), then the newer ones (latest first);
* ``soft_timestamp`` (``timestamp``, ``rank``): versions released before the time first,
  then the newer ones earliest first; with ``rank`` N, newer versions that only differ
  from an older one below token N stay with it (newer patches are allowed);
* ``per_family`` (``orderers``, ``default_order``): one orderer per listed family;
* ``no_order``: keep the repository order (search-path order, lowest version first within
  a repository).

Each orderer applies to the families in its ``packages`` (all families when omitted);
the first orderer in an :class:`OrdererList` that names a family wins, then the first
that applies to all.

    >>> from pkg.core import Version
    >>> order = OrdererList.from_pod([{"type": "version_split", "first_version": "2"}])
    >>> versions = [Version(v) for v in ["1", "2", "3", "4"]]
    >>> [str(v) for v in sorted(versions, key=lambda v: order.version_key("foo", v), reverse=True)]
    ['2', '1', '4', '3']

The soft timestamp orderer needs every version's release time; it asks a
``timestamps(family)`` callable given to :class:`OrdererList` (I/O stays with the caller).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, cast

from pkg._exports import lazy_exports
from pkg._record import record

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pkg.core import Version
    from pkg.resolver._orderer_types import (
        NoOrder,
        PerFamilyOrder,
        SoftTimestampOrder,
        SortedOrder,
        VersionSplitOrder,
        orderer_from_pod,
    )

__all__ = [
    "ALL_PACKAGES",
    "NoOrder",
    "Orderer",
    "OrdererList",
    "PerFamilyOrder",
    "SoftTimestampOrder",
    "SortedOrder",
    "TimestampLookup",
    "VersionSplitOrder",
    "orderer_from_pod",
]

#: The ``packages`` entry of an orderer that applies to every family.
ALL_PACKAGES = "*"

#: Names defined in :mod:`pkg.resolver._orderer_types`, imported on first use: a resolve
#: without orderers (the default) does not pay for creating their classes.
_LAZY = frozenset(
    {
        "NoOrder",
        "PerFamilyOrder",
        "SoftTimestampOrder",
        "SortedOrder",
        "VersionSplitOrder",
        "orderer_from_pod",
    }
)


__getattr__ = lazy_exports(globals(), dict.fromkeys(_LAZY, "_orderer_types"))[0]


class TimestampLookup(Protocol):
    """``timestamps(family)``: ``(version, release time or None)`` of every version."""

    def __call__(self, family: str) -> Sequence[tuple[Version, int | None]]: ...


class _Ordered:
    """Derives ``>``, ``<=`` and ``>=`` from ``<`` and ``==`` the way Rez's keys do."""

    __slots__ = ()

    def __lt__(self, other: Any) -> bool:
        raise NotImplementedError

    def __gt__(self, other: Any) -> bool:
        return not (self < other or self == other)

    def __le__(self, other: Any) -> bool:
        return bool(self < other or self == other)

    def __ge__(self, other: Any) -> bool:
        return not self < other


class _Fallback(_Ordered):
    """An orderer key that compares versions instead when the keys do not compare.

    Keys of different families meet when the solver ranks variants (each family may have
    its own orderer); as in Rez, such keys then compare by version.
    """

    __slots__ = ("main", "version")

    def __init__(self, main: Any, version: Version) -> None:
        self.main = main
        self.version = version

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Fallback):
            return NotImplemented
        try:
            return bool(self.main == other.main)
        except (TypeError, AttributeError):
            return self.version == other.version

    def __hash__(self) -> int:
        return hash(self.version)

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, _Fallback):
            return NotImplemented
        try:
            return bool(self.main < other.main)
        except (TypeError, AttributeError):
            return self.version < other.version

    def __repr__(self) -> str:
        return f"_Fallback({self.main!r})"


class Orderer(Protocol):
    """One orderer type."""

    type_name: ClassVar[str]

    @property
    def packages(self) -> tuple[str, ...]:
        """The families it applies to (``("*",)``: all)."""
        ...

    def key(self, family: str, version: Version, timestamps: TimestampLookup) -> Any:
        """The sort key of ``version`` (larger is preferred)."""
        ...

    def to_pod(self) -> dict[str, Any]:
        """The setting's table form, with its ``type``."""
        ...


def _no_timestamps(family: str) -> Sequence[tuple[Version, int | None]]:
    return ()


@record(slots=True)
class OrdererList:
    """The orderers of a resolve, and the version keys they give.

    Args:
        orderers: earlier orderers win for a family they both name.
        timestamps: release times of a family's versions, for ``soft_timestamp``.
    """

    orderers: tuple[Orderer, ...] = ()
    timestamps: TimestampLookup = _no_timestamps
    _by_family: dict[str, Orderer] = field(default_factory=dict, init=False, repr=False)
    _keys: dict[tuple[str, Version], Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for orderer in self.orderers:
            for family in orderer.packages:
                self._by_family.setdefault(family, orderer)

    @classmethod
    def from_pod(
        cls,
        data: Iterable[Mapping[str, Any] | Orderer],
        timestamps: TimestampLookup = _no_timestamps,
    ) -> OrdererList:
        """From the ``package_orderers`` setting (tables or orderer objects)."""
        items = tuple(data)
        if not any(isinstance(item, Mapping) for item in items):
            return cls(cast("tuple[Orderer, ...]", items), timestamps)
        from pkg.resolver._orderer_types import orderer_from_pod

        orderers = tuple(
            orderer_from_pod(item) if isinstance(item, Mapping) else item for item in items
        )
        return cls(orderers, timestamps)

    def to_pod(self) -> list[dict[str, Any]]:
        return [orderer.to_pod() for orderer in self.orderers]

    def get(self, family: str) -> Orderer | None:
        """The orderer of ``family``, or None for the default (latest first)."""
        return self._by_family.get(family) or self._by_family.get(ALL_PACKAGES)

    def version_key(self, family: str, version: Version) -> Any:
        """Sort key of ``version`` in ``family`` (larger is preferred).

        Without orderers, the version itself.  Otherwise every key (the default order's
        too) is wrapped so that keys of different families compare by version when
        their orderers' keys do not compare.
        """
        if not self.orderers:
            return version
        cache_key = (family, version)
        found = self._keys.get(cache_key)
        if found is None:
            orderer = self.get(family)
            main = version if orderer is None else orderer.key(family, version, self.timestamps)
            found = self._keys[cache_key] = _Fallback(main, version)
        return found

    def order(self, family: str, versions: Iterable[Version]) -> list[Version]:
        """``versions`` most preferred first (stable: equal keys keep their order)."""
        return sorted(versions, key=lambda v: self.version_key(family, v), reverse=True)
