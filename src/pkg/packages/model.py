"""The package model: :class:`Package` and :class:`Variant`, read-only views of a definition."""

from __future__ import annotations

import hashlib
import importlib.util
import os
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from pkg._record import record
from pkg.core import Requirement, Version, parse_requirement
from pkg.errors import PackageDefinitionError
from pkg.packages._code import SourceCode
from pkg.packages._schema import REQUIRES_KEYS, check_late_result
from pkg.packages.definition import _RecordData

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping
    from types import ModuleType

    from pkg.config import Config
    from pkg.packages.definition import PackageDefinition

__all__ = ["INCLUDE_SUBPATH", "Package", "RepositoryRef", "Variant", "is_relocatable"]

#: Where installed packages keep the modules named by ``@include``, under their base.
INCLUDE_SUBPATH = os.path.join(".rez", "include")

_T = TypeVar("_T")
_MISSING = object()
_include_cache: dict[str, ModuleType] = {}


@record(frozen=True, slots=True)
class RepositoryRef:
    """Which repository a package lives in.

    Attributes:
        type_name: ``"filesystem"`` or ``"memory"``.
        location: the repository's path (filesystem) or name (memory).
        local: True for the local packages repository.
    """

    type_name: str
    location: str
    local: bool = False


class _Attr(Generic[_T]):
    """A typed, read-only package attribute (late-bound values are evaluated on access)."""

    def __init__(self, key: str, convert: Callable[[object], _T]) -> None:
        self.key = key
        self.convert = convert

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> _Attr[_T]: ...
    @overload
    def __get__(self, instance: Package | Variant, owner: type[Any]) -> _T: ...
    def __get__(self, instance: Package | Variant | None, owner: type[Any]) -> _T | _Attr[_T]:
        if instance is None:
            return self
        return self.convert(instance.get(self.key))


def _same(value: object) -> Any:
    return value


class _RexAttr(_Attr[Any]):
    """A rex-code attribute; old-style (rez-1) list commands are refused when read.

    They load (so the package still lists, as in Rez) but cannot be used.
    """

    def __init__(self, key: str) -> None:
        super().__init__(key, _same)

    def __get__(self, instance: Package | Variant | None, owner: type[Any]) -> Any:
        if instance is None:
            return self
        value = instance.get(self.key)
        if isinstance(value, list):
            package = instance if isinstance(instance, Package) else instance.package
            raise PackageDefinitionError(
                "old-style (rez-1) commands given as a list are not supported",
                filepath=package.definition.filepath,
                attribute=self.key,
            )
        return value


def _requests(value: object) -> list[Requirement]:
    if not isinstance(value, list):
        return []
    return [
        parse_requirement(item)
        if type(item) is str
        else item
        if isinstance(item, Requirement)
        else parse_requirement(str(item))
        for item in value
    ]


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_bool(value: object) -> bool | None:
    return None if value is None else bool(value)


def _str_list(value: object) -> list[str] | None:
    return None if value is None else [str(item) for item in value]  # type: ignore[attr-defined]


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _opt_version(value: object) -> Version | None:
    return None if value is None else Version(str(value))


class _Attributes:
    """The typed attributes shared by :class:`Package` and :class:`Variant`."""

    __slots__ = ()

    def get(self, attr: str, default: object = None) -> Any:
        raise NotImplementedError

    description = _Attr("description", _opt_str)
    authors = _Attr("authors", _str_list)
    build_requires = _Attr("build_requires", _requests)
    private_build_requires = _Attr("private_build_requires", _requests)
    hashed_variants = _Attr("hashed_variants", bool)
    tools = _Attr("tools", _str_list)
    has_plugins = _Attr("has_plugins", _opt_bool)
    plugin_for = _Attr("plugin_for", _str_list)
    uuid = _Attr("uuid", _opt_str)
    config = _Attr("config", _same)
    help = _Attr("help", _same)
    relocatable = _Attr("relocatable", _opt_bool)
    cachable = _Attr("cachable", _opt_bool)
    tests = _Attr("tests", _same)
    commands = _RexAttr("commands")
    pre_commands = _RexAttr("pre_commands")
    post_commands = _RexAttr("post_commands")
    pre_build_commands = _RexAttr("pre_build_commands")
    pre_test_commands = _RexAttr("pre_test_commands")

    def validate(self) -> None:
        """Check what is only checked when used (rex attributes, late-bound values).

        Raises:
            PackageDefinitionError: naming the file and the attribute at fault.
        """
        for key in ("commands", "pre_commands", "post_commands"):
            getattr(self, key)
        for key in ("requires", "build_requires", "private_build_requires", "variants", "tools"):
            getattr(self, key)

    timestamp = _Attr("timestamp", _opt_int)
    revision = _Attr("revision", _same)
    changelog = _Attr("changelog", _opt_str)
    release_message = _Attr("release_message", _opt_str)
    vcs = _Attr("vcs", _opt_str)
    previous_version = _Attr("previous_version", _opt_version)
    previous_revision = _Attr("previous_revision", _same)
    requires_rez_version = _Attr("requires_rez_version", _opt_str)
    build_system = _Attr("build_system", _opt_str)
    build_command = _Attr("build_command", _same)
    preprocess = _Attr("preprocess", _same)
    format_version = _Attr("format_version", _opt_int)


class Package(_Attributes):
    """An immutable view of a package definition held by a repository.

    Late-bound (``@late()``) attributes are evaluated on first access and cached.  Their
    functions see ``this`` (this package, or the variant they were read through),
    ``in_context()`` and whatever ``late_bindings`` holds; ``in_context()`` is True when
    ``late_bindings`` has a ``"context"`` entry (a resolved context adds ``context``,
    ``system``, ``request`` ... there).

    Args:
        definition: the package's attributes.
        repository: the repository holding it (None for a developer package).
        base: the package directory; by default ``<location>/<name>[/<version>]`` for a
            filesystem repository, else None.
        config: where ``@include`` modules of a developer package are found
            (``package_definition_python_path``) and variant shortlink settings.
        late_bindings: extra globals for late-bound functions.
    """

    __slots__ = (
        "_base",
        "_cache",
        "_config",
        "_late_bindings",
        "_version",
        "definition",
        "repository",
    )

    is_package = True
    is_variant = False

    def __init__(
        self,
        definition: PackageDefinition,
        repository: RepositoryRef | None = None,
        *,
        base: str | None = None,
        config: Config | None = None,
        late_bindings: Mapping[str, object] | None = None,
    ) -> None:
        self.definition = definition
        self.repository = repository
        if base is None and repository is not None and repository.type_name == "filesystem":
            base = os.path.join(repository.location, definition.name)
            if definition.version:
                base = os.path.join(base, definition.version)
        # base="" means "no base directory" (a package of a combined family file).
        self._base = base or None
        self._config = config
        self._late_bindings = dict(late_bindings) if late_bindings else {}
        self._cache: dict[str, object] = {}
        self._version: Version | None = None  # parsed on first access

    def with_late_bindings(self, bindings: Mapping[str, object]) -> Package:
        """A copy whose late-bound functions see ``bindings`` (e.g. a resolved context)."""
        return Package(
            self.definition,
            self.repository,
            base=self._base,
            config=self._config,
            late_bindings=bindings,
        )

    # -- raw access
    @property
    def data(self) -> Mapping[str, object]:
        return self.definition.data

    def get(self, attr: str, default: object = None) -> Any:
        """The value of ``attr`` (late-bound functions evaluated), or ``default``."""
        return self._value(attr, default, self, self._cache)

    def _value(self, attr: str, default: object, this: object, cache: dict[str, object]) -> Any:
        value = self.definition.data.get(attr, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, SourceCode) and value.decorator == "late":
            if attr not in cache:
                cache[attr] = self._evaluate_late(attr, value, this)
            return cache[attr]
        return value

    def _evaluate_late(self, attr: str, code: SourceCode, this: object) -> object:
        namespace: dict[str, Any] = {"this": this, "in_context": self._in_context}
        namespace.update(self._late_bindings)
        for module_name in code.includes:
            module = self._include_module(module_name)
            if module is not None:
                namespace[module_name] = module

        def fail(detail: str, error: BaseException) -> PackageDefinitionError:
            return PackageDefinitionError(
                f"@late() function {code.name!r} {detail}: {type(error).__name__}: {error}",
                filepath=code.filepath or self.definition.filepath,
                line=code.lineno,
                attribute=attr,
            )

        try:
            exec(compile(code.source, code.filepath or "<package>", "exec"), namespace)
            result = namespace[code.name]()
        except Exception as error:
            raise fail("failed", error) from error
        if attr in REQUIRES_KEYS and isinstance(result, list | tuple):
            result = [str(item) if isinstance(item, Requirement) else item for item in result]
        try:
            return check_late_result(attr, result)
        except ValueError as error:
            raise fail("returned an invalid value", error) from error

    def _in_context(self) -> bool:
        return "context" in self._late_bindings

    def include_module(self, name: str) -> ModuleType | None:
        """The module an ``@include(name)`` function of this package sees: the
        installed copy under ``.rez/include`` (a developer package: the one in
        ``package_definition_python_path``), or None if there is none."""
        return self._include_module(name)

    def _include_module(self, name: str) -> ModuleType | None:
        candidates = []
        if self.repository is not None and self._base is not None:
            candidates.append(os.path.join(self._base, INCLUDE_SUBPATH, f"{name}.py"))
        elif self._config is not None and self._config.package_definition_python_path:
            candidates.append(
                os.path.join(self._config.package_definition_python_path, f"{name}.py")
            )
        for path in candidates:
            try:
                with open(path, "rb") as handle:
                    content = handle.read()
            except OSError:
                continue
            key = hashlib.sha1(content.strip()).hexdigest()
            module = _include_cache.get(key)
            if module is None:
                spec = importlib.util.spec_from_file_location(name, path)
                if spec is None or spec.loader is None:
                    continue
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                _include_cache[key] = module
            return module
        return None

    # -- identity
    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def version(self) -> Version:
        if self._version is None:
            self._version = Version(self.definition.version)
        return self._version

    @property
    def qualified_name(self) -> str:
        """``name-version``, or just ``name`` when unversioned."""
        version = self.definition.version
        return f"{self.name}-{version}" if version else self.name

    @property
    def base(self) -> str | None:
        return self._base

    @property
    def root(self) -> str | None:
        return self._base

    @property
    def uri(self) -> str:
        """``<base>/package.py`` (filesystem), ``<file><version>`` for a package of a
        combined family file (no base), ``<location>:<qualified_name>`` (memory)."""
        repo = self.repository
        if repo is None:
            return self.definition.filepath
        if repo.type_name == "filesystem":
            if self._base is None:
                return f"{self.definition.filepath}<{self.definition.version}>"
            filename = os.path.basename(self.definition.filepath) or "package.py"
            return os.path.join(self._base, filename)
        return f"{repo.location}:{self.qualified_name}"

    @property
    def is_local(self) -> bool:
        return self.repository is not None and self.repository.local

    # -- requirements and variants
    @property
    def requires(self) -> list[Requirement]:
        """The requests of ``requires`` (a new list on each access; the requests
        themselves are shared, see :func:`pkg.core.parse_requirement`)."""
        data = self.definition.data
        if type(data) is _RecordData:  # read from the index: plain request strings
            texts = data.request_texts("requires")
            if texts is not None:
                return [parse_requirement(text) for text in texts]
        return _requests(self.get("requires"))

    @property
    def variants(self) -> list[list[Requirement]]:
        """The requests of each variant (new lists on each access)."""
        data = self.definition.data
        if type(data) is _RecordData:
            variant_texts = data.variant_texts()
            if variant_texts is not None:
                return [[parse_requirement(text) for text in item] for item in variant_texts]
        value = data.get("variants")
        return [_requests(item) for item in value] if isinstance(value, list) else []

    @property
    def num_variants(self) -> int:
        value = self.definition.data.get("variants")
        return len(value) if isinstance(value, list) else 0

    def iter_variants(self) -> Iterator[Variant]:
        """One variant per ``variants`` entry, or a single index-None variant."""
        if not self.num_variants:
            yield Variant(self, None)
            return
        for index in range(self.num_variants):
            yield Variant(self, index)

    def arbitrary_keys(self) -> set[str]:
        """Keys that are not standard package attributes."""
        from pkg.packages._schema import KEY_ORDER

        standard = set(KEY_ORDER) | set(vars(_Attributes)) | {"variants", "base"}
        return set(self.definition.data) - standard

    def __repr__(self) -> str:
        return f"Package({self.qualified_name!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Package):
            return NotImplemented
        return (self.definition, self.repository, self._base) == (
            other.definition,
            other.repository,
            other._base,
        )

    def __hash__(self) -> int:
        return hash((self.qualified_name, self.repository, self._base))


class Variant(_Attributes):
    """One variant of a package: the package plus one ``variants`` entry.

    ``index`` is None for a package without variants.  Package attributes are available
    on the variant too; late-bound functions see the variant as ``this``.
    """

    __slots__ = ("_cache", "index", "package")

    is_package = False
    is_variant = True

    def __init__(self, package: Package, index: int | None) -> None:
        if index is not None and not 0 <= index < package.num_variants:
            raise IndexError(f"{package.qualified_name} has no variant {index}")
        self.package = package
        self.index = index
        self._cache: dict[str, object] = {}

    @classmethod
    def trusted(cls, package: Package, index: int | None, version: Version) -> Variant:
        """The variant ``index`` of ``package``, known to exist, whose version is known to
        be ``version`` (parsed already): what the resolve cache rebuilds, without the
        checks of the constructor."""
        variant = cls.__new__(cls)
        variant.package = package
        variant.index = index
        variant._cache = {}
        if package._version is None:
            package._version = version
        return variant

    def get(self, attr: str, default: object = None) -> Any:
        if attr == "requires":
            return [str(r) for r in self.requires]
        return self.package._value(attr, default, self, self._cache)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self.package, attr)

    @property
    def name(self) -> str:
        return self.package.name

    @property
    def version(self) -> Version:
        return self.package.version

    @property
    def variant_requires(self) -> list[Requirement]:
        if self.index is None:
            return []
        return self.package.variants[self.index]

    @property
    def requires(self) -> list[Requirement]:
        """The package's requires followed by this variant's."""
        return self.package.requires + self.variant_requires

    @property
    def subpath(self) -> str | None:
        """The variant's directory under the package base (None without variants)."""
        if self.index is None:
            return None
        if not self.package.hashed_variants:
            return os.path.join(*(r.safe_str() for r in self.variant_requires))
        digest = variant_hash(self.variant_requires)
        link = self._shortlink(digest)
        return digest if link is None else link

    def _shortlink(self, digest: str) -> str | None:
        config = self.package._config
        base = self.package.base
        if config is None or base is None or not config.use_variant_shortlinks:
            return None
        dirname = config.variant_shortlinks_dirname or "_v"
        links = os.path.join(base, dirname)
        target = os.path.realpath(os.path.join(base, digest))
        try:
            names = sorted(os.listdir(links))
        except OSError:
            return None
        for name in names:
            path = os.path.join(links, name)
            if os.path.islink(path) and os.path.realpath(path) == target:
                return os.path.join(dirname, name)
        return None

    @property
    def root(self) -> str | None:
        base = self.package.base
        if base is None or self.subpath is None:
            return base
        return os.path.join(base, self.subpath)

    @property
    def base(self) -> str | None:
        return self.package.base

    @property
    def uri(self) -> str:
        return f"{self.package.uri}[{'' if self.index is None else self.index}]"

    @property
    def qualified_package_name(self) -> str:
        return self.package.qualified_name

    @property
    def qualified_name(self) -> str:
        return f"{self.package.qualified_name}[{'' if self.index is None else self.index}]"

    @property
    def is_local(self) -> bool:
        return self.package.is_local

    def __repr__(self) -> str:
        return f"Variant({self.qualified_name!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Variant):
            return NotImplemented
        return (self.package, self.index) == (other.package, other.index)

    def __hash__(self) -> int:
        return hash((self.package, self.index))


def is_relocatable(package: Package, config: Config) -> bool:
    """Whether ``package``'s payload may be copied elsewhere (``pkg cp``, bundles, the
    package cache), by Rez's rule: its ``relocatable`` attribute, else
    ``default_relocatable_per_repository`` (by repository location), else
    ``default_relocatable_per_package`` (by name), else ``default_relocatable``."""
    if package.relocatable is not None:
        return bool(package.relocatable)
    ref = package.repository
    per_repository = config.default_relocatable_per_repository
    if ref is not None and per_repository and per_repository.get(ref.location) is not None:
        return bool(per_repository[ref.location])
    per_package = config.default_relocatable_per_package
    if per_package and per_package.get(package.name) is not None:
        return bool(per_package[package.name])
    return bool(config.default_relocatable)


def variant_hash(requires: list[Requirement]) -> str:
    """The directory name of a hashed variant: sha1 of the list of request strings."""
    text = "[" + ", ".join(repr(str(r)) for r in requires) + "]"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
