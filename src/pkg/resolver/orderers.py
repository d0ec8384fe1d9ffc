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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pkg.core import Version
from pkg.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

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


class _Reversed(_Ordered):
    """Orders like its value, reversed; does not compare with anything else."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Reversed):
            return NotImplemented
        return bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, _Reversed):
            return NotImplemented
        return bool(self.value > other.value)

    def __repr__(self) -> str:
        return f"_Reversed({self.value!r})"


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


def _packages(value: object) -> tuple[str, ...]:
    if value is None:
        return (ALL_PACKAGES,)
    if isinstance(value, str):
        return (value,)
    return tuple(sorted(str(item) for item in value))  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class NoOrder:
    """Keeps the repository order (every version gets the same key)."""

    packages: tuple[str, ...] = (ALL_PACKAGES,)
    type_name: ClassVar[str] = "no_order"

    def key(self, family: str, version: Version, timestamps: TimestampLookup) -> Any:
        return 0

    def to_pod(self) -> dict[str, Any]:
        return {"type": self.type_name, "packages": list(self.packages)}


@dataclass(frozen=True, slots=True)
class SortedOrder:
    """Latest first (``descending``, the default) or earliest first."""

    descending: bool = True
    packages: tuple[str, ...] = (ALL_PACKAGES,)
    type_name: ClassVar[str] = "sorted"

    def key(self, family: str, version: Version, timestamps: TimestampLookup) -> Any:
        return version if self.descending else _Reversed(version)

    def to_pod(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "descending": self.descending,
            "packages": list(self.packages),
        }


@dataclass(frozen=True, slots=True)
class VersionSplitOrder:
    """Versions up to ``first_version`` first, then the newer ones; latest first in each."""

    first_version: Version
    packages: tuple[str, ...] = (ALL_PACKAGES,)
    type_name: ClassVar[str] = "version_split"

    def key(self, family: str, version: Version, timestamps: TimestampLookup) -> Any:
        return (1 if version <= self.first_version else 0, version)

    def to_pod(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "first_version": str(self.first_version),
            "packages": list(self.packages),
        }


@dataclass(frozen=True, slots=True)
class SoftTimestampOrder:
    """Versions released before ``timestamp`` first (latest first), then newer ones
    earliest first.  With ``rank`` N, a newer version whose first N-1 tokens match an
    older one's keeps its place among the older ones (see the module docstring).

    The split point is computed once per family from *all* its versions (filters do not
    apply), as Rez does.  Rez reads them from its global ``packages_path``; pkg reads the
    repositories of the resolve.
    """

    timestamp: int
    rank: int = 0
    packages: tuple[str, ...] = (ALL_PACKAGES,)
    _first_after: dict[str, Version | None] = field(default_factory=dict, compare=False, repr=False)
    type_name: ClassVar[str] = "soft_timestamp"

    def first_after(self, family: str, timestamps: TimestampLookup) -> Version | None:
        """The lowest version ranked after the timestamp, or None if there is none."""
        if family in self._first_after:
            return self._first_after[family]
        descending = sorted(timestamps(family), key=lambda item: item[0], reverse=True)
        first: Version | None = None
        stop = 0
        last: Version | None = None
        for stop, (version, released) in enumerate(descending):  # noqa: B007
            last = version
            if not released:
                continue
            if released > self.timestamp:
                first = version
            else:
                break
        if self.rank and last is not None:
            # Walk back up to the first newer version outside the last one's rank.
            trimmed = last.trim(self.rank - 1)
            first = None
            for version, _ in reversed(descending[:stop]):
                if version.trim(self.rank - 1) != trimmed:
                    first = version
                    break
        self._first_after[family] = first
        return first

    def key(self, family: str, version: Version, timestamps: TimestampLookup) -> Any:
        first = self.first_after(family, timestamps)
        if first is None or version < first:
            return (1, version)
        if self.rank:
            return (0, _Reversed(version.trim(self.rank - 1)), version[self.rank - 1 :])
        return (0, _Reversed(version))

    def to_pod(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "timestamp": self.timestamp,
            "rank": self.rank,
            "packages": list(self.packages),
        }


@dataclass(frozen=True, slots=True)
class PerFamilyOrder:
    """One orderer per family.

    As in Rez, it applies only to the families it names: ``default_order`` is kept (and
    written back) but never used by a resolve.
    """

    order_dict: Mapping[str, Orderer]
    default_order: Orderer | None = None
    type_name: ClassVar[str] = "per_family"

    @property
    def packages(self) -> tuple[str, ...]:
        return tuple(sorted(self.order_dict))

    def key(self, family: str, version: Version, timestamps: TimestampLookup) -> Any:
        orderer = self.order_dict.get(family, self.default_order)
        if orderer is None:
            raise ValueError(f"per_family orderer does not apply to {family!r}")
        return orderer.key(family, version, timestamps)

    def to_pod(self) -> dict[str, Any]:
        groups: dict[int, tuple[Orderer, list[str]]] = {}
        for family, orderer in self.order_dict.items():
            groups.setdefault(id(orderer), (orderer, []))[1].append(family)
        orderers = []
        for orderer, families in groups.values():
            data = orderer.to_pod()
            data["packages"] = sorted(families)
            orderers.append(data)
        result: dict[str, Any] = {"type": self.type_name, "orderers": orderers}
        if self.default_order is not None:
            result["default_order"] = self.default_order.to_pod()
        return result


def orderer_from_pod(data: Mapping[str, Any] | Sequence[Any]) -> Orderer:
    """An orderer from its table (``{"type": "sorted", "descending": true}``), or from
    Rez's old ``[type, table]`` form.

    Raises:
        ConfigError: unknown type or missing field.
    """
    if isinstance(data, Mapping):
        type_name = data.get("type")
        table: Mapping[str, Any] = data
    else:
        type_name, table = data[0], data[1]
    try:
        packages = _packages(table.get("packages"))
        if type_name == "no_order":
            return NoOrder(packages)
        if type_name == "sorted":
            return SortedOrder(bool(table["descending"]), packages)
        if type_name == "version_split":
            return VersionSplitOrder(Version(str(table["first_version"])), packages)
        if type_name == "soft_timestamp":
            return SoftTimestampOrder(int(table["timestamp"]), int(table.get("rank", 0)), packages)
        if type_name == "per_family":
            order_dict: dict[str, Orderer] = {}
            for item in table["orderers"]:
                rest = {k: v for k, v in item.items() if k != "packages"}
                orderer = orderer_from_pod(rest)
                for family in item["packages"]:
                    order_dict[family] = orderer
            default = table.get("default_order")
            return PerFamilyOrder(order_dict, orderer_from_pod(default) if default else None)
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"invalid package orderer {dict(table)!r}: {error}") from error
    raise ConfigError(
        f"unknown package orderer type {type_name!r} (use no_order, sorted, per_family, "
        "version_split or soft_timestamp)"
    )


def _no_timestamps(family: str) -> Sequence[tuple[Version, int | None]]:
    return ()


@dataclass(slots=True)
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
        orderers = tuple(
            orderer_from_pod(item) if isinstance(item, Mapping) else item for item in data
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
