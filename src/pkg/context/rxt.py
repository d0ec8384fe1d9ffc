"""The ``.rxt`` context file: a resolve saved as JSON, in Rez 3.4.0's format.

:class:`ContextFile` holds every one of the 35 keys Rez writes (serialize version
``4.9``), typed.  :meth:`ContextFile.to_dict` gives the dict Rez's
``ResolvedContext.to_dict()`` gives; :meth:`ContextFile.dumps` the text Rez writes
(indent 4, sorted keys, no final newline).  Reading accepts files written by Rez or by
pkg, back to serialize version 4.0, with Rez's defaults for keys that older versions did
not write.  See ``docs/contexts.md``.
"""

from __future__ import annotations

import json
from dataclasses import field
from typing import TYPE_CHECKING, Any

from pkg._record import record
from pkg.core import Requirement, parse_requirement
from pkg.errors import ConfigError, PkgError, RequestError
from pkg.resolver.dot import ResolveGraph
from pkg.resolver.filters import PackageFilterList
from pkg.resolver.orderers import OrdererList

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from pkg.resolver.orderers import Orderer

__all__ = [
    "RXT_KEYS",
    "SERIALIZE_VERSION",
    "ContextFile",
    "ContextFileError",
    "VariantHandle",
]

#: The serialize version written (Rez 3.4.0's).
SERIALIZE_VERSION = "4.9"

#: Every key of a version 4.9 context file.
RXT_KEYS = frozenset(
    {
        "append_sys_path",
        "arch",
        "building",
        "caching",
        "created",
        "default_patch_lock",
        "failure_description",
        "from_cache",
        "graph",
        "host",
        "implicit_packages",
        "load_time",
        "num_loaded_packages",
        "os",
        "package_cache_async",
        "package_caching",
        "package_filter",
        "package_orderers",
        "package_paths",
        "package_requests",
        "parent_suite_path",
        "patch_locks",
        "platform",
        "requested_timestamp",
        "resolved_ephemerals",
        "resolved_packages",
        "rez_path",
        "rez_version",
        "serialize_version",
        "solve_time",
        "status",
        "suite_context_name",
        "testing",
        "timestamp",
        "user",
    }
)

_STATUSES = frozenset({"pending", "solved", "failed", "aborted"})
_PATCH_LOCKS = frozenset({"no_lock", "lock_2", "lock_3", "lock_4", "lock"})


class ContextFileError(PkgError):
    """A context file could not be read or written."""


@record(frozen=True, slots=True)
class VariantHandle:
    """Where a resolved variant lives: Rez's variant handle.

    ``{"key": "filesystem.variant", "variables": {"index": 0, "location": "/repo",
    "name": "foo", "repository_type": "filesystem", "version": "1.0"}}``
    """

    name: str
    version: str
    index: int | None
    location: str
    repository_type: str = "filesystem"

    @property
    def key(self) -> str:
        return f"{self.repository_type}.variant"

    @property
    def qualified_name(self) -> str:
        """``foo-1.0[0]`` (``foo[]`` for an unversioned package without variants)."""
        stem = f"{self.name}-{self.version}" if self.version else self.name
        return f"{stem}[{'' if self.index is None else self.index}]"

    def __str__(self) -> str:
        return self.qualified_name

    def to_dict(self) -> dict[str, Any]:
        """The handle dict; like Rez, an unversioned package has no ``version``."""
        variables: dict[str, Any] = {
            "index": self.index,
            "location": self.location,
            "name": self.name,
            "repository_type": self.repository_type,
        }
        if self.version:
            variables["version"] = self.version
        return {"key": self.key, "variables": variables}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VariantHandle:
        """From the handle dict (a ``resolved_packages`` item).

        Raises:
            ContextFileError: not a variant handle.
        """
        try:
            variables = data["variables"]
            index = variables.get("index")
            return cls(
                name=str(variables["name"]),
                version=str(variables.get("version") or ""),
                index=None if index is None else int(index),
                location=str(variables["location"]),
                repository_type=str(variables.get("repository_type") or "filesystem"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ContextFileError(f"invalid variant handle {data!r}: {error}") from None


def _requests(values: object, key: str) -> tuple[Requirement, ...]:
    if not isinstance(values, list):
        raise ContextFileError(f"{key!r} must be a list of requests")
    try:
        return tuple(parse_requirement(str(v)) for v in values)
    except RequestError as error:
        raise ContextFileError(f"{key!r}: {str(error).splitlines()[0]}") from None


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise ContextFileError(f"invalid serialize_version {text!r}") from None


@record(frozen=True)
class ContextFile:
    """The content of a ``.rxt`` file, typed (see the module docstring).

    Attributes hold the file's keys under the same names.  ``package_requests`` and
    ``implicit_packages`` are the request; ``status`` is ``solved``, ``failed`` or
    ``aborted``; ``resolved_packages`` are variant handles in resolve order (empty
    unless solved); ``graph`` is the compact resolve graph (see :meth:`resolve_graph`).
    """

    package_requests: tuple[Requirement, ...]
    implicit_packages: tuple[Requirement, ...] = ()
    package_paths: tuple[str, ...] = ()
    status: str = "solved"
    resolved_packages: tuple[VariantHandle, ...] = ()
    resolved_ephemerals: tuple[Requirement, ...] = ()
    failure_description: str | None = None
    graph: str = ""
    timestamp: int = 0
    requested_timestamp: int | None = None
    created: int = 0
    building: bool = False
    testing: bool = False
    caching: bool = True
    from_cache: bool = False
    package_filter: PackageFilterList = field(default_factory=PackageFilterList)
    package_orderers: tuple[Orderer, ...] | None = None
    user: str = ""
    host: str = ""
    platform: str = ""
    arch: str = ""
    os: str = ""
    rez_version: str = ""
    rez_path: str = ""
    append_sys_path: bool = True
    package_caching: bool = True
    package_cache_async: bool = True
    default_patch_lock: str = "no_lock"
    patch_locks: Mapping[str, str] = field(default_factory=dict)
    parent_suite_path: str | None = None
    suite_context_name: str | None = None
    solve_time: float = 0.0
    load_time: float = 0.0
    num_loaded_packages: int = 0
    serialize_version: str = SERIALIZE_VERSION

    @property
    def success(self) -> bool:
        """True when the resolve was solved."""
        return self.status == "solved"

    @property
    def written_by_newer_format(self) -> bool:
        """True if the file's serialize version has a newer major than 4 (Rez warns)."""
        return _version(self.serialize_version)[0] > _version(SERIALIZE_VERSION)[0]

    def requested_packages(self, include_implicit: bool = False) -> tuple[Requirement, ...]:
        """The request, optionally followed by the implicit packages."""
        if include_implicit:
            return self.package_requests + self.implicit_packages
        return self.package_requests

    def resolved_strs(self) -> list[str]:
        """``name-version[index]`` of each resolved variant."""
        return [h.qualified_name for h in self.resolved_packages]

    def resolve_graph(self) -> ResolveGraph | None:
        """The resolve graph, or None if the file has none.

        Raises:
            ContextFileError: the graph is not in the compact form (old files hold DOT).
        """
        if not self.graph:
            return None
        try:
            return ResolveGraph.from_compact(self.graph)
        except ValueError as error:
            raise ContextFileError(str(error)) from None

    # -- writing -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The 35 keys of a version 4.9 context file, as plain JSON data."""
        orderers = self.package_orderers
        return {
            "append_sys_path": self.append_sys_path,
            "arch": self.arch,
            "building": self.building,
            "caching": self.caching,
            "created": self.created,
            "default_patch_lock": self.default_patch_lock,
            "failure_description": self.failure_description,
            "from_cache": self.from_cache,
            "graph": self.graph,
            "host": self.host,
            "implicit_packages": [str(r) for r in self.implicit_packages],
            "load_time": self.load_time,
            "num_loaded_packages": self.num_loaded_packages,
            "os": self.os,
            "package_cache_async": self.package_cache_async,
            "package_caching": self.package_caching,
            "package_filter": self.package_filter.to_pod(),
            "package_orderers": [o.to_pod() for o in orderers] if orderers else None,
            "package_paths": list(self.package_paths),
            "package_requests": [str(r) for r in self.package_requests],
            "parent_suite_path": self.parent_suite_path,
            "patch_locks": dict(self.patch_locks),
            "platform": self.platform,
            "requested_timestamp": self.requested_timestamp,
            "resolved_ephemerals": [str(r) for r in self.resolved_ephemerals],
            "resolved_packages": [h.to_dict() for h in self.resolved_packages],
            "rez_path": self.rez_path,
            "rez_version": self.rez_version,
            "serialize_version": SERIALIZE_VERSION,
            "solve_time": self.solve_time,
            "status": self.status,
            "suite_context_name": self.suite_context_name,
            "testing": self.testing,
            "timestamp": self.timestamp,
            "user": self.user,
        }

    def dumps(self) -> str:
        """The file's text, as Rez writes it."""
        return json.dumps(self.to_dict(), indent=4, separators=(",", ": "), sort_keys=True)

    # -- reading -------------------------------------------------------------------

    @classmethod
    def loads(cls, text: str, *, source: str = "") -> ContextFile:
        """Read a context from its JSON text.

        Raises:
            ContextFileError: not a JSON context, or a key is missing or invalid.
        """
        where = f"{source}: " if source else ""
        if not text.lstrip().startswith("{"):
            raise ContextFileError(
                f"{where}not a JSON context file (old YAML contexts are not read)"
            )
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ContextFileError(f"{where}invalid JSON: {error}") from None
        return cls.from_dict(data, source=source)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "") -> ContextFile:
        """Read a context from its dict (as :meth:`to_dict` gives, or Rez writes).

        Keys added after serialize version 4.0 get Rez's defaults when missing.

        Raises:
            ContextFileError: a key is missing or invalid, or the version is older than 4.
        """
        where = f"{source}: " if source else ""
        try:
            return _from_dict(cls, data)
        except ContextFileError as error:
            raise ContextFileError(f"{where}{error}") from None


_REQUIRED = (
    "serialize_version",
    "timestamp",
    "building",
    "caching",
    "implicit_packages",
    "package_requests",
    "package_paths",
    "rez_version",
    "rez_path",
    "user",
    "host",
    "platform",
    "arch",
    "os",
    "created",
    "status",
    "failure_description",
    "solve_time",
    "load_time",
    "graph",
    "resolved_packages",
)


def _typed(data: Mapping[str, Any], key: str, kind: Callable[[Any], Any], default: Any) -> Any:
    value = data.get(key, default)
    if value is None:
        return default
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ContextFileError(f"invalid {key!r}: {value!r}") from None


def _orderers(data: object) -> tuple[Orderer, ...] | None:
    if not data:
        return None
    if not isinstance(data, list):
        raise ContextFileError(f"invalid 'package_orderers': {data!r}")
    try:
        return OrdererList.from_pod(data).orderers
    except (ConfigError, TypeError, AttributeError) as error:
        raise ContextFileError(f"invalid 'package_orderers': {error}") from None


def _filter(data: object) -> PackageFilterList:
    if not isinstance(data, list):
        raise ContextFileError(f"invalid 'package_filter': {data!r}")
    try:
        return PackageFilterList.from_pod(data)
    except (ConfigError, TypeError, AttributeError) as error:
        raise ContextFileError(f"invalid 'package_filter': {error}") from None


def _from_dict(cls: type[ContextFile], data: Mapping[str, Any]) -> ContextFile:
    if not isinstance(data, dict):
        raise ContextFileError("a context file holds a JSON object")
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise ContextFileError(f"not a context file: missing {', '.join(map(repr, missing))}")
    version = str(data["serialize_version"])
    if _version(version) < (4, 0):
        raise ContextFileError(f"serialize version {version} is too old (4.0 or later is read)")
    status = str(data["status"])
    if status not in _STATUSES:
        raise ContextFileError(f"invalid 'status': {status!r}")
    handles = data["resolved_packages"]
    if not isinstance(handles, list):
        raise ContextFileError("'resolved_packages' must be a list of variant handles")
    paths = data["package_paths"]
    if not isinstance(paths, list):
        raise ContextFileError("'package_paths' must be a list of paths")
    locks = data.get("patch_locks") or {}
    if not isinstance(locks, dict) or not set(locks.values()) <= _PATCH_LOCKS:
        raise ContextFileError(f"invalid 'patch_locks': {locks!r}")
    default_lock = str(data.get("default_patch_lock") or "no_lock")
    if default_lock not in _PATCH_LOCKS:
        raise ContextFileError(f"invalid 'default_patch_lock': {default_lock!r}")
    failure = data["failure_description"]
    requested = data.get("requested_timestamp")
    return cls(
        package_requests=_requests(data["package_requests"], "package_requests"),
        implicit_packages=_requests(data["implicit_packages"], "implicit_packages"),
        package_paths=tuple(str(p) for p in paths),
        status=status,
        resolved_packages=tuple(VariantHandle.from_dict(h) for h in handles),
        resolved_ephemerals=_requests(data.get("resolved_ephemerals") or [], "resolved_ephemerals"),
        failure_description=None if failure is None else str(failure),
        graph=str(data["graph"] or ""),
        timestamp=_typed(data, "timestamp", int, 0),
        requested_timestamp=None
        if requested is None
        else _typed(data, "requested_timestamp", int, 0),
        created=_typed(data, "created", int, 0),
        building=bool(data["building"]),
        testing=bool(data.get("testing", False)),
        caching=bool(data["caching"]),
        from_cache=bool(data.get("from_cache", False)),
        package_filter=_filter(data.get("package_filter") or []),
        package_orderers=_orderers(data.get("package_orderers")),
        user=str(data["user"]),
        host=str(data["host"]),
        platform=str(data["platform"]),
        arch=str(data["arch"]),
        os=str(data["os"]),
        rez_version=str(data["rez_version"]),
        rez_path=str(data["rez_path"]),
        append_sys_path=bool(data.get("append_sys_path", True)),
        package_caching=bool(data.get("package_caching", True)),
        package_cache_async=bool(data.get("package_cache_async", True)),
        default_patch_lock=default_lock,
        patch_locks={str(k): str(v) for k, v in locks.items()},
        parent_suite_path=_typed(data, "parent_suite_path", str, None),
        suite_context_name=_typed(data, "suite_context_name", str, None),
        solve_time=_typed(data, "solve_time", float, 0.0),
        load_time=_typed(data, "load_time", float, 0.0),
        num_loaded_packages=_typed(data, "num_loaded_packages", int, -1),
        serialize_version=version,
    )
