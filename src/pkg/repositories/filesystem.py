"""The filesystem repository: Rez's on-disk layout, read through a self-validating index.

See ``docs/repositories.md`` for the layout, the index and the locking rules.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from pkg.core import Version
from pkg.errors import PackageDefinitionError, RepositoryError, VersionError
from pkg.packages import (
    Package,
    PackageDefinition,
    RepositoryRef,
    load_definition,
)
from pkg.repositories._atomic import remove_tree
from pkg.repositories._combined import expand_combined
from pkg.repositories._index import DefEntry, FamilyIndex, IndexStore
from pkg.repositories._layout import (
    IGNORE_PREFIX,
    LayoutSettings,
    Stamp,
    find_definition,
    stamp,
    version_order,
)
from pkg.repositories._locks import file_lock, wait_for_writer

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence
    from contextlib import AbstractContextManager

    from pkg.config import Config
    from pkg.packages import Variant
    from pkg.repositories.base import InstallResult, PayloadWriter

__all__ = ["FilesystemRepository", "default_config", "default_index_dir"]


@functools.cache
def default_config() -> Config:
    """Rez's defaults, without reading any file or environment variable."""
    from pkg.config import load_config

    return load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, home=Path(os.sep) / "nonexistent")


def default_index_dir() -> Path:
    """``$XDG_CACHE_HOME/pkg/index`` (``~/.cache/pkg/index`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "pkg" / "index"


def _same_path(a: str, b: str) -> bool:
    if not b:
        return False
    left = os.path.normcase(os.path.abspath(os.path.expanduser(a)))
    right = os.path.normcase(os.path.abspath(os.path.expanduser(b)))
    return left == right


def _first(item: tuple[int, Package]) -> int:
    return item[0]


class FilesystemRepository:
    """A Rez-layout package repository on disk.

    Args:
        path: the repository directory (it need not exist yet).
        config: settings (``plugins.package_repository.filesystem.*``,
            ``allow_unversioned_packages``, ``local_packages_path``, variant shortlinks);
            None means the built-in defaults.
        index_dir: where the metadata index of every repository lives (one
            subdirectory per repository); None means :func:`default_index_dir`.
        use_index: False reads without the on-disk index (an in-process cache remains).
        revalidate: False trusts the in-process cache until :meth:`clear_caches`, like
            Rez; the default checks the disk on every read.
        honour_ignore: False shows ``.ignore``-hidden versions too.
    """

    type_name = "filesystem"

    def __init__(
        self,
        path: str | os.PathLike[str],
        config: Config | None = None,
        *,
        index_dir: Path | None = None,
        use_index: bool = True,
        revalidate: bool = True,
        honour_ignore: bool = True,
    ) -> None:
        self.root = Path(os.path.abspath(os.path.expanduser(os.fspath(path))))
        self.config = config if config is not None else default_config()
        self.settings = LayoutSettings.from_config(self.config, honour_ignore=honour_ignore)
        local = _same_path(str(self.root), self.config.local_packages_path)
        self._ref = RepositoryRef(self.type_name, str(self.root), local)
        store = None
        if use_index:
            key = hashlib.sha1(f"{self.root}\0{self.settings.fingerprint()}".encode()).hexdigest()
            store = IndexStore((index_dir or default_index_dir()) / key[:24])
        self.index = FamilyIndex(
            self.root,
            self.settings,
            self._load_json,
            store,
            revalidate=revalidate,
            wait_for_writer=self._wait_for_writer,
        )
        self._errors: list[PackageDefinitionError] = []
        self._combined: dict[str, tuple[Stamp, list[Package], list[PackageDefinitionError]]] = {}

    def __repr__(self) -> str:
        return f"FilesystemRepository({str(self.root)!r})"

    # -- identity ------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return str(self.root)

    @property
    def ref(self) -> RepositoryRef:
        return self._ref

    @property
    def local(self) -> bool:
        return self._ref.local

    @property
    def uid(self) -> str:
        try:
            inode = os.stat(self.root).st_ino
        except OSError:
            inode = 0
        return f"filesystem@{self.root}#{inode}"

    @property
    def load_errors(self) -> Sequence[PackageDefinitionError]:
        return tuple(self._errors)

    # -- reading -------------------------------------------------------------------------

    def _load_json(self, path: str, content: bytes) -> tuple[object, object]:
        # An installed package is named by its family directory, whatever its file says.
        family = os.path.relpath(path, self.root).split(os.sep, 1)[0]
        definition = load_definition(path, config=self.config, content=content, name=family)
        return definition.to_record(), definition

    def _record(
        self, error: PackageDefinitionError, errors: list[PackageDefinitionError] | None
    ) -> None:
        self._errors.append(error)
        if errors is not None:
            errors.append(error)

    def iter_family_names(self) -> Iterator[str]:
        for name, _ext in self.index.families():
            yield name

    def has_family(self, family: str) -> bool:
        return (self.root / family).is_dir() or self._combined_file(family) is not None

    def _combined_file(self, family: str) -> Path | None:
        for ext in ("py", "yaml"):
            path = self.root / f"{family}.{ext}"
            if path.is_file():
                return path
        return None

    def iter_versions(self, family: str) -> Iterator[Version]:
        entry = self.index.family(family, load=False)
        if entry is None:
            for package in self._iter_combined(family, None):
                yield package.version
            return
        versions = []
        for name in entry.visible(self.settings):
            if name and name in entry.subdirs and entry.definition_file(name) is None:
                continue
            try:
                versions.append(Version(name))
            except VersionError:
                continue
        yield from sorted(versions)

    def iter_packages(
        self, family: str, *, errors: list[PackageDefinitionError] | None = None
    ) -> Iterator[Package]:
        packages = self._packages(family, errors)
        if packages is None:
            yield from self._iter_combined(family, errors)
        else:
            yield from packages

    def _packages(
        self, family: str, errors: list[PackageDefinitionError] | None
    ) -> list[Package] | None:
        entry = self.index.family(family, load=True)
        if entry is None:
            return None
        found: list[tuple[int, Package]] = []
        family_dir = self.root / family
        family_base = os.path.join(self._ref.location, family)  # as Package's default base
        visible = entry.visible(self.settings)
        # Version order comes with the listing (worked out when the directory was read).
        order = entry.listing.versions
        if order is None or entry.listing.unversioned:
            order = version_order(tuple(visible))
        rank = {name: position for position, name in enumerate(order)}
        for name in visible:
            version = rank.get(name)
            if version is None:
                self._record(
                    PackageDefinitionError(
                        f"directory name {name!r} is not a valid version; skipped",
                        filepath=str(family_dir / name),
                    ),
                    errors,
                )
                continue
            defn = entry.defs.get(name)
            if defn is None:
                if name and entry.definition_file(name) is None:
                    self._record(
                        PackageDefinitionError(
                            "no package definition file in the version directory",
                            filepath=str(family_dir / name),
                        ),
                        errors,
                    )
                continue
            if defn.error is not None:
                directory = family_dir / name if name else family_dir
                detail, line, attribute = defn.error
                self._record(
                    PackageDefinitionError(
                        detail, filepath=str(directory / defn.file), line=line, attribute=attribute
                    ),
                    errors,
                )
                continue
            built = entry.built.get(name)
            if type(built) is not Package:
                base = family_base + os.sep + name if name else family_base
                built = entry.built[name] = self._package(family, name, defn, built, base)
            found.append((version, built))
        found.sort(key=_first)
        return [package for _rank, package in found]

    def _package(
        self, family: str, version: str, entry: DefEntry, definition: object, base: str
    ) -> Package:
        if not isinstance(definition, PackageDefinition):
            # The index gives a definition's to_record() list back as a tuple.
            definition = PackageDefinition.from_record(cast("tuple[object, ...]", entry.data))
        data = definition.data
        if data.get("name") != family or data.get("version", "") != version:
            fixed = dict(data, name=family)
            if version:
                fixed["version"] = version
            else:
                fixed.pop("version", None)
            definition = PackageDefinition(fixed, definition.filepath, definition.format)
        return Package(definition, self._ref, base=base, config=self.config)

    def _iter_combined(
        self, family: str, errors: list[PackageDefinitionError] | None
    ) -> Iterator[Package]:
        path = self._combined_file(family)
        if path is None:
            return
        try:
            st = stamp(os.stat(path))
        except OSError:
            return
        cached = self._combined.get(family)
        if cached is None or cached[0] != st:
            packages: list[Package] = []
            failures: list[PackageDefinitionError] = []
            try:
                family_name = os.path.splitext(os.path.basename(path))[0]
                definitions = expand_combined(
                    load_definition(path, config=self.config, name=family_name)
                )
            except PackageDefinitionError as failure:
                failures.append(failure)
                definitions = []
            for _version, definition in definitions:
                packages.append(Package(definition, self._ref, base="", config=self.config))
            cached = (st, packages, failures)
            if time.time_ns() - max(st[0], st[1]) > 2_000_000_000:
                self._combined[family] = cached
        for error in cached[2]:
            self._record(error, errors)
        yield from cached[1]

    def get_package(self, family: str, version: Version | str) -> Package | None:
        wanted = version if isinstance(version, Version) else Version(version)
        for package in self.iter_packages(family):
            if package.version == wanted:
                return package
        return None

    def iter_variants(self, package: Package) -> Iterator[Variant]:
        return package.iter_variants()

    def payload_path(self, family: str, version: Version | str | None) -> str:
        path = self.root / family
        return str(path / str(version)) if version else str(path)

    # -- writing -------------------------------------------------------------------------

    def lock_path(self, family: str) -> Path:
        """The lock file of ``family`` (in ``file_lock_dir`` if that directory exists)."""
        directory = self.root
        lock_dir = self.settings.lock_dir
        if lock_dir:
            if os.path.isabs(lock_dir) or os.path.basename(lock_dir) != lock_dir:
                raise RepositoryError(
                    "plugins.package_repository.filesystem.file_lock_dir must be a single "
                    f"relative directory name such as '.lock', not {lock_dir!r}"
                )
            if (self.root / lock_dir).is_dir():
                directory = self.root / lock_dir
        return directory / f".lock.{family}"

    def _wait_for_writer(self, family: str) -> None:
        timeout = self.config.plugins.package_repository.filesystem.file_lock_timeout
        wait_for_writer(self.lock_path(family), timeout)

    def lock_family(self, family: str) -> AbstractContextManager[None]:
        """A context manager holding the write lock of ``family``."""
        self.root.mkdir(parents=True, exist_ok=True)
        timeout = self.config.plugins.package_repository.filesystem.file_lock_timeout
        return file_lock(self.lock_path(family), timeout)

    def changed(self, family: str) -> None:
        """Record a change to ``family``: touch its directory (its mtime is the family's
        last release time, as in Rez) and drop cached reads."""
        family_dir = self.root / family
        with contextlib.suppress(OSError):
            os.utime(family_dir)
        self.index.forget(family)
        self._combined.pop(family, None)

    def _exists_on_disk(self, family: str, version: Version | str) -> bool:
        text = str(version)
        directory = self.root / family / text if text else self.root / family
        return find_definition(directory, self.settings.filenames) is not None

    def ignore_package(
        self, family: str, version: Version | str, *, allow_missing: bool = False
    ) -> int:
        if not allow_missing and not self._exists_on_disk(family, version):
            return -1
        family_dir = self.root / family
        marker = family_dir / f"{IGNORE_PREFIX}{version}"
        if marker.exists():
            return 0
        with self.lock_family(family):
            family_dir.mkdir(parents=True, exist_ok=True)
            try:
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                return 0
            self.changed(family)
        return 1

    def unignore_package(self, family: str, version: Version | str) -> int:
        marker = self.root / family / f"{IGNORE_PREFIX}{version}"
        removed = False
        with self.lock_family(family):
            try:
                marker.unlink()
                removed = True
            except FileNotFoundError:
                pass
            if removed:
                self.changed(family)
        if not self._exists_on_disk(family, version):
            return -1
        return 1 if removed else 0

    def remove_package(self, family: str, version: Version | str) -> bool:
        if self.ignore_package(family, version) == -1:
            return False
        text = str(version)
        with self.lock_family(family):
            remove_tree(self.root / family / text if text else self.root / family)
            self.changed(family)
        self.unignore_package(family, version)
        return True

    def remove_family(self, family: str, *, force: bool = False) -> bool:
        family_dir = self.root / family
        if not family_dir.is_dir():
            return False
        if not force:
            listing = FilesystemRepository(
                self.root, self.config, use_index=False, honour_ignore=False
            )
            if any(True for _ in listing.iter_versions(family)):
                raise RepositoryError(f"Cannot remove non-empty package family {family!r}")
        with self.lock_family(family):
            remove_tree(family_dir)
            self.changed(family)
        return True

    def remove_ignored_since(self, days: float, *, dry_run: bool = False) -> list[str]:
        """Remove packages hidden for at least ``days`` days; returns their names."""
        now = time.time()
        removed = []
        for family in self.iter_family_names():
            try:
                names = os.listdir(self.root / family)
            except OSError:
                continue
            for name in sorted(names):
                if not name.startswith(IGNORE_PREFIX):
                    continue
                try:
                    age = now - os.stat(self.root / family / name).st_ctime
                except OSError:
                    continue
                if age / 86400 < days:
                    continue
                text = name[len(IGNORE_PREFIX) :]
                if dry_run or self.remove_package(family, text):
                    removed.append(f"{family}-{text}" if text else family)
        return removed

    def install_variant(
        self,
        variant: Variant,
        *,
        overrides: Mapping[str, object] | None = None,
        dry_run: bool = False,
        payload: PayloadWriter | None = None,
    ) -> InstallResult:
        from pkg.repositories import _fsinstall

        return _fsinstall.install_variant(
            self, variant, dict(overrides or {}), dry_run=dry_run, payload=payload
        )

    def clear_caches(self) -> None:
        self.index.clear()
        self._combined.clear()
