"""The orderer types of :mod:`pkg.resolver.orderers` and :func:`orderer_from_pod`.

They live apart so that a resolve without orderers never creates their classes; import
them from :mod:`pkg.resolver.orderers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pkg.core import Version
from pkg.errors import ConfigError
from pkg.resolver.orderers import ALL_PACKAGES, _Ordered

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.resolver.orderers import Orderer, TimestampLookup

__all__ = [
    "NoOrder",
    "PerFamilyOrder",
    "SoftTimestampOrder",
    "SortedOrder",
    "VersionSplitOrder",
    "orderer_from_pod",
]


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
