"""Read-only views of versions, variants and requests as rex code sees them.

Package code gets these instead of pkg's own objects, so that it only depends on this
small, stable surface (``version.major``, ``resolve.foo.root``, ``request.get_range(...)``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, overload

from pkg.core import Requirement, Version, VersionRange, VersionToken
from pkg.rex.errors import RexError

if TYPE_CHECKING:
    from pkg.config import Config

__all__ = [
    "EphemeralsBinding",
    "RequirementsBinding",
    "RexVariant",
    "VariantBinding",
    "VariantsBinding",
    "VersionBinding",
    "intersects",
    "optionvars",
]


class RexVariant(Protocol):
    """What rex needs of a resolved variant (:class:`pkg.packages.Variant` has it all).

    The rex functions are read as the attributes ``pre_commands``, ``commands`` and
    ``post_commands``; other attributes are forwarded to rex code through ``this``.
    """

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> Version: ...
    @property
    def root(self) -> str | None: ...
    @property
    def base(self) -> str | None: ...
    @property
    def qualified_name(self) -> str: ...
    @property
    def qualified_package_name(self) -> str: ...
    @property
    def is_local(self) -> bool: ...


_MISSING = object()


def _token_value(token: VersionToken) -> int | str:
    text = str(token)
    return int(text) if text.isdigit() and (text[0] != "0" or text == "0") else text


class VersionBinding:
    """A version: ``major``/``minor``/``patch``, indexing (None past the end), ``len``, ``str``.

    Numeric tokens without leading zeros come out as ``int``, the others as ``str``.

    >>> v = VersionBinding(Version("1.2.3alpha"))
    >>> v.major, v.patch, v[5], v[:2], len(v), str(v)
    (1, '3alpha', None, (1, 2), 3, '1.2.3alpha')
    """

    __slots__ = ("_version",)

    def __init__(self, version: Version) -> None:
        self._version = version

    @property
    def major(self) -> int | str | None:
        return self[0]

    @property
    def minor(self) -> int | str | None:
        return self[1]

    @property
    def patch(self) -> int | str | None:
        return self[2]

    def as_tuple(self) -> tuple[int | str, ...]:
        return self[: len(self)]

    @overload
    def __getitem__(self, index: int) -> int | str | None: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[int | str, ...]: ...
    def __getitem__(self, index: int | slice) -> int | str | tuple[int | str, ...] | None:
        if isinstance(index, slice):
            return tuple(_token_value(t) for t in self._version[index])
        try:
            return _token_value(self._version[index])
        except IndexError:
            return None

    def __getattr__(self, attr: str) -> Any:
        raise AttributeError(f"version {self} has no attribute {attr!r}")

    def __len__(self) -> int:
        return len(self._version)

    def __iter__(self) -> Iterator[VersionToken]:
        return iter(self._version.tokens)

    def __str__(self) -> str:
        return str(self._version)

    def __repr__(self) -> str:
        return f"VersionBinding({str(self._version)!r})"


class VariantBinding:
    """A resolved variant: ``version`` (a :class:`VersionBinding`), ``root``, and every other
    attribute of the variant (``name``, ``base``, ``requires``, custom keys read through
    the variant's ``get()`` ...).

    ``str()`` is the qualified package name (``foo-1.2[0]``).

    Args:
        variant: the variant.
        cached_root: where the package cache holds the variant's payload, if it does;
            ``root`` is then that directory.
    """

    __slots__ = ("_cached_root", "_variant", "version")

    def __init__(self, variant: RexVariant, cached_root: str | None = None) -> None:
        self._variant = variant
        self._cached_root = cached_root
        self.version = VersionBinding(variant.version)

    @property
    def root(self) -> str:
        return self._cached_root or self._variant.root or ""

    @property
    def is_cached(self) -> bool:
        """True when ``root`` is a package-cache copy."""
        return self._cached_root is not None

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        try:
            return getattr(self._variant, attr)
        except AttributeError:
            pass
        # custom keys of a package definition are read with get() (pkg.packages.Variant)
        getter = getattr(self._variant, "get", None)
        value = getter(attr, _MISSING) if callable(getter) else _MISSING
        if value is _MISSING:
            raise AttributeError(f"package {self} has no attribute {attr!r}")
        return value

    def __str__(self) -> str:
        return self._variant.qualified_package_name

    def __repr__(self) -> str:
        return f"VariantBinding({self})"


class _MappingBinding:
    """A read-only mapping also readable by attribute (``request.foo``)."""

    __slots__ = ("_data",)
    _missing = "item does not exist"

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._data = dict(data)

    def get(self, name: str, default: Any = None) -> Any:
        return self._data.get(name, default)

    def __getitem__(self, name: str) -> Any:
        if name in self._data:
            return self._data[name]
        raise AttributeError(f"{self._missing}: {name!r}")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __str__(self) -> str:
        return str(self._data.values())


class VariantsBinding(_MappingBinding):
    """``resolve``: package name -> :class:`VariantBinding`."""

    __slots__ = ()
    _missing = "package does not exist"


class RequirementsBinding(_MappingBinding):
    """``request`` / ``implicits``: package name -> the request as a string."""

    __slots__ = ()
    _missing = "request does not exist"

    def __init__(self, requirements: Iterable[Requirement]) -> None:
        super().__init__({self._key(r): str(r) for r in requirements})

    @staticmethod
    def _key(requirement: Requirement) -> str:
        return requirement.name

    def get_range(self, name: str, default: str | None = None) -> VersionRange | None:
        """The version range requested for ``name``; else ``VersionRange(default)``; else None."""
        text = self._data.get(name)
        if text:
            return Requirement(text).range
        if default is not None:
            return VersionRange(default)
        return None


class EphemeralsBinding(RequirementsBinding):
    """``ephemerals``: ephemeral name *without* its leading ``.`` -> the request string."""

    __slots__ = ()
    _missing = "ephemeral does not exist"

    @staticmethod
    def _key(requirement: Requirement) -> str:
        return requirement.name[1:]


def intersects(obj: object, range_: str) -> bool:
    """True if ``obj`` (a request string, a range, ``resolve.x`` or a version) meets ``range_``.

    A conflict request (``!foo``, ``~foo``) never intersects.

    >>> intersects("foo-1.2+", "1.5"), intersects("!foo-1", "1")
    (True, False)
    """
    wanted = VersionRange(range_)
    if isinstance(obj, str):
        requirement = Requirement(obj)
        if requirement.conflict:
            return False
        other = requirement.range
    elif isinstance(obj, VersionRange):
        other = obj
    elif isinstance(obj, VariantBinding):
        other = VersionRange(str(obj.version))
    elif isinstance(obj, VersionBinding):
        other = VersionRange(str(obj))
    else:
        raise RexError(f"intersects: cannot test a {type(obj).__name__} against a range")
    return wanted.intersects(other)


def optionvars(config: Config, name: str, default: Any = None) -> Any:
    """The ``optionvars`` config value at the dotted path ``name``, else ``default``."""
    value: Any = config.optionvars or {}
    parts = name.split(".")
    for index, key in enumerate(parts):
        if not isinstance(value, Mapping):
            where = ".".join(parts[:index])
            raise RexError(f"optionvar {name!r} is invalid: {where!r} is not a dict")
        if key not in value:
            return default
        value = value[key]
    return value
