"""``pkg.api.bundle``: copy a context and every package it uses into one relocatable
directory, as ``rez-bundle`` does.

A bundle looks like this (Rez's layout, so that either tool can use it)::

    DEST/bundle.yaml            # marks the bundle; 'logs' of what was done
    DEST/context.rxt            # the context, its variants in DEST/packages
    DEST/packages/settings.yaml # disable_memcached: true
    DEST/packages/<name>/<version>/package.py + payload

In ``context.rxt`` the repository of each bundled variant is stored relative to the
bundle (``"location": "packages"``), so the directory can be moved or copied elsewhere
and ``pkg env -i DEST/context.rxt`` (or ``rez-env --input``) still finds its packages.
The bundle is written in a hidden sibling directory and renamed into place at the end:
``DEST`` either appears complete or not at all.

Library patching (on by default, ``patch_libs``): in ELF files of the bundle, ``RPATH``
and ``RUNPATH`` entries pointing into the payload of another bundled package are
rewritten as ``$ORIGIN/<relative path>``.  pkg rewrites them itself when the new value
fits in the old one's bytes (the usual case: a relative path is shorter than an absolute
one) and otherwise uses ``patchelf`` when it is installed; what it could not patch is
logged as a warning in ``bundle.yaml``.  See ``docs/contexts.md``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import stat
import struct
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.errors import PkgError, RequestError, ResolveError
from pkg.packages import is_relocatable as relocatable

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkg.config import Config
    from pkg.context import ContextFile
    from pkg.packages import Package, Variant

__all__ = ["BundleError", "BundleReport", "bundle_context", "is_relocatable", "read_rpaths"]


class BundleError(PkgError):
    """A context cannot be bundled (the destination exists, the context failed, a package
    is not relocatable ...)."""


@dataclass(frozen=True)
class BundleReport:
    """What :func:`bundle_context` did.

    Attributes:
        dest: the bundle directory.
        copied: ``(source variant uri, bundled variant uri)`` of each bundled variant.
        skipped: the qualified names of packages left out (not relocatable, ``-s``).
        logs: the ``INFO:``/``WARNING:`` lines written to ``bundle.yaml``.
    """

    dest: Path
    copied: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [line.removeprefix("WARNING: ") for line in self.logs if line.startswith("WARN")]


def is_relocatable(package: Package) -> bool:
    """Whether ``package`` may be copied into a bundle
    (:func:`pkg.packages.is_relocatable`, with the package's configuration)."""
    config = package._config
    return config is not None and relocatable(package, config)


def _load_source(source: str, config: Config) -> tuple[ContextFile, list[Variant]]:
    """The context to bundle: a context file, or else a request to resolve."""
    from pkg.context import load_context
    from pkg.context.execute import load_variants

    path = os.path.abspath(os.path.expanduser(source))
    if os.path.isfile(path):
        context = load_context(path)
        if not context.success:
            raise BundleError(f"cannot bundle {path}: its resolve failed")
        return context, load_variants(context, config)
    if source.endswith(".rxt") or os.sep in source:
        raise BundleError(f"File does not exist: {path}")
    from pkg.api.env import create_context

    try:
        env = create_context(source.split(), config)
    except (ResolveError, RequestError) as error:
        raise BundleError(f"cannot bundle {source!r}: {' '.join(str(error).split())}") from None
    if not env.success or env.resolve is None:
        reason = " ".join((env.context.failure_description or "").split())
        raise BundleError(f"cannot bundle {source!r}: the resolve failed: {reason}")
    return env.context, list(env.resolve.resolved_packages)


def bundle_context(
    source: str,
    dest_dir: str,
    config: Config,
    *,
    force: bool = False,
    skip_non_relocatable: bool = False,
    patch_libs: bool = True,
    on_message: Callable[[str], None] | None = None,
) -> BundleReport:
    """Bundle the context ``source`` (a ``.rxt`` file, or a request such as ``"foo bar-2"``
    resolved now) into the new directory ``dest_dir``.

    Args:
        source: a context file, or a request.
        dest_dir: the bundle to create; it must not exist.
        config: the configuration.
        force: bundle non-relocatable packages too (at your own risk); overrides
            ``skip_non_relocatable``.
        skip_non_relocatable: leave non-relocatable packages out of the bundle (the
            context keeps referring to them where they are) instead of failing.
        patch_libs: rewrite ELF rpaths that point into other bundled packages.
        on_message: receives progress lines (``Copied ...``).

    Raises:
        BundleError: ``dest_dir`` exists, the source cannot be used, or a package is not
            relocatable (without ``force``/``skip_non_relocatable``).
        ContextFileError: the context file cannot be read, or a package is gone.
        RepositoryError: a package could not be copied.
    """
    dest = Path(os.path.abspath(os.path.expanduser(dest_dir)))
    if os.path.lexists(dest):
        raise BundleError(f"Dest dir must not exist: {dest}")
    if not dest.parent.is_dir():
        raise BundleError(f"cannot create {dest}: {dest.parent} is not a directory")
    context, variants = _load_source(source, config)
    if force:
        skip_non_relocatable = False
    if not force and not skip_non_relocatable:
        refused = [v.package.qualified_name for v in variants if not is_relocatable(v.package)]
        if refused:
            raise BundleError(
                "cannot bundle non-relocatable package(s): "
                f"{', '.join(refused)} (use --skip-non-relocatable or --force)"
            )
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        report = _Bundler(context, variants, stage, dest, config, on_message).run(
            force=force, skip_non_relocatable=skip_non_relocatable, patch_libs=patch_libs
        )
        if os.path.lexists(dest):
            raise BundleError(f"Dest dir must not exist: {dest}")
        os.chmod(stage, 0o777 & ~_umask())
        os.rename(stage, dest)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return report


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Bundler:
    def __init__(
        self,
        context: ContextFile,
        variants: list[Variant],
        stage: Path,
        dest: Path,
        config: Config,
        on_message: Callable[[str], None] | None,
    ) -> None:
        self.context = context
        self.variants = variants
        self.stage = stage
        self.dest = dest
        self.config = config
        self.on_message = on_message
        self.report = BundleReport(dest)
        #: (source variant root, bundled variant root in the stage) per bundled variant
        self.roots: list[tuple[str, str]] = []

    def info(self, text: str) -> None:
        self.report.logs.append(f"INFO: {text}")

    def warning(self, text: str) -> None:
        self.report.logs.append(f"WARNING: {text}")
        if self.on_message is not None:
            self.on_message(f"warning: {text}")

    def run(self, *, force: bool, skip_non_relocatable: bool, patch_libs: bool) -> BundleReport:
        from pkg.context import save_context
        from pkg.repositories.filesystem import FilesystemRepository

        repo_path = self.stage / "packages"
        repo_path.mkdir()
        (self.stage / "bundle.yaml").write_text("", encoding="utf-8")
        (repo_path / "settings.yaml").write_text("disable_memcached: true\n", encoding="utf-8")
        repository = FilesystemRepository(str(repo_path), self.config, use_index=False)
        handles = {h.name: h for h in self.context.resolved_packages}
        for variant in self.variants:
            package = variant.package
            if skip_non_relocatable and not is_relocatable(package):
                self.warning(
                    f"Skipped bundling of non-relocatable package {package.qualified_name}"
                )
                self.report.skipped.append(package.qualified_name)
                continue
            bundled = self._copy(variant, repository, force=force)
            old = handles.get(variant.name)
            if old is not None:
                handles[variant.name] = dataclasses.replace(
                    old, index=bundled.index, location=str(repo_path), repository_type="filesystem"
                )
        for lock in repo_path.glob(".lock.*"):  # the repository's family locks
            with contextlib.suppress(OSError):
                lock.unlink()
        retargeted = dataclasses.replace(
            self.context,
            package_paths=(str(self.dest / "packages"),),
            resolved_packages=tuple(handles[h.name] for h in self.context.resolved_packages),
        )
        save_context(retargeted, self.stage / "context.rxt")
        if patch_libs:
            self._patch_libs()
        (self.stage / "bundle.yaml").write_text(_logs_yaml(self.report.logs), encoding="utf-8")
        return self.report

    def _copy(self, variant: Variant, repository: object, *, force: bool) -> Variant:
        from pkg.repositories.base import Repository
        from pkg.repositories.copy import copy_package

        assert isinstance(repository, Repository)
        index = None if variant.index is None else [variant.index]
        result = copy_package(
            variant.package, repository, variants=index, force=force, keep_timestamp=True
        )
        pairs = [(src, dst) for src, dst in result.copied if dst is not None]
        if len(pairs) != 1:
            raise BundleError(f"could not copy {variant.uri} into the bundle")
        source, bundled = pairs[0]
        shown = self._final(bundled.uri)
        self.info(f"Copied {source.uri} to {shown}")
        self.report.copied.append((source.uri, shown))
        if self.on_message is not None:
            self.on_message(f"Copied {source.uri} to {shown}")
        if source.root and bundled.root:
            self.roots.append((source.root, bundled.root))
        return bundled

    def _final(self, path: str) -> str:
        """``path`` inside the stage, as it will be once the bundle is in place."""
        stage = str(self.stage)
        return str(self.dest) + path[len(stage) :] if path.startswith(stage) else path

    # -- library patching -------------------------------------------------------------

    def _patch_libs(self) -> None:
        files = self._candidate_files()
        if not files:
            self.info("No elfs found, thus no patching performed")
            return
        patchelf = shutil.which("patchelf")
        for path in files:
            try:
                rpaths = read_rpaths(path)
            except (OSError, ValueError):
                continue  # not an ELF file (a script), or unreadable
            if not rpaths:
                continue
            new = [self._remap(path, rpath) for rpath in rpaths]
            shown = self._final(path)
            if new == rpaths:
                self.info(f"Left rpaths unchanged in {shown}: [{':'.join(rpaths)}]")
                continue
            change = f"in {shown} from [{':'.join(rpaths)}] to [{':'.join(new)}]"
            if _write_rpaths(path, new, patchelf):
                self.info(f"Patched rpaths {change}")
            else:
                self.warning(f"Could not patch rpaths {change}: cannot find 'patchelf' utility.")

    def _remap(self, elf: str, rpath: str) -> str:
        if not os.path.isabs(rpath):
            return rpath
        for source_root, bundled_root in self.roots:
            if rpath == source_root or rpath.startswith(source_root.rstrip(os.sep) + os.sep):
                target = os.path.join(bundled_root, os.path.relpath(rpath, source_root))
                relative = os.path.relpath(target, os.path.dirname(elf))
                return "$ORIGIN" if relative == "." else f"$ORIGIN/{relative}"
        return rpath

    def _candidate_files(self) -> list[str]:
        """Executables and ``*.so*`` files in the bundled payloads (not symlinks)."""
        found = []
        for _source, root in self.roots:
            for directory, _dirs, names in os.walk(root):
                for name in names:
                    path = os.path.join(directory, name)
                    if os.path.islink(path):
                        continue
                    executable = os.stat(path).st_mode & (
                        stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
                    )
                    if executable or any(s in name for s in (".so", ".so.", ".so-")):
                        found.append(path)
        return found


_EXECUTABLE = stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH


def _logs_yaml(logs: list[str]) -> str:
    """``bundle.yaml``'s content: ``logs`` as a YAML list of single-quoted strings."""
    if not logs:
        return "logs: []\n"
    items = "".join("- '" + line.replace("'", "''") + "'\n" for line in logs)
    return "logs:\n" + items


# -- ELF dynamic section ----------------------------------------------------------------

_DT_RPATH = 15
_DT_RUNPATH = 29
_SHT_DYNAMIC = 6


@dataclass(frozen=True)
class _RpathEntry:
    offset: int  # file offset of the string
    size: int  # bytes available (the string's length, without its NUL)
    value: str


def _rpath_entries(path: str) -> list[_RpathEntry]:
    """The ``DT_RPATH``/``DT_RUNPATH`` strings of an ELF file, with where they are stored.

    Raises:
        ValueError: not an ELF file, or a malformed one.
        OSError: it cannot be read.
    """
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or len(data) < 64:
        raise ValueError("not an ELF file")
    wide = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if wide:
        (shoff,) = struct.unpack_from(end + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x3A)
        section = end + "IIQQQQIIQQ"
        entry, entry_size = end + "qQ", 16
    else:
        (shoff,) = struct.unpack_from(end + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(end + "HH", data, 0x2E)
        section = end + "IIIIIIIIII"
        entry, entry_size = end + "iI", 8
    try:
        sections = [struct.unpack_from(section, data, shoff + i * shentsize) for i in range(shnum)]
        found = []
        for sec in sections:
            if sec[1] != _SHT_DYNAMIC:
                continue
            offset, size, link = sec[4], sec[5], sec[6]
            strtab = sections[link][4]
            for i in range(size // entry_size):
                tag, value = struct.unpack_from(entry, data, offset + i * entry_size)
                if tag == 0:
                    break
                if tag in (_DT_RPATH, _DT_RUNPATH):
                    start = strtab + value
                    stop = data.index(b"\0", start)
                    text = data[start:stop].decode("utf-8", errors="surrogateescape")
                    found.append(_RpathEntry(start, stop - start, text))
        return found
    except (struct.error, IndexError) as error:
        raise ValueError(f"malformed ELF file: {error}") from None


def read_rpaths(path: str) -> list[str]:
    """The rpath (or runpath) entries of the ELF file at ``path``, in order.

    Raises:
        ValueError: not an ELF file, or a malformed one.
        OSError: it cannot be read.
    """
    entries = _rpath_entries(path)
    return entries[0].value.split(":") if entries else []


def _write_rpaths(path: str, rpaths: list[str], patchelf: str | None) -> bool:
    """Set the rpath of the ELF file ``path``: in place when the new value fits in the old
    one's bytes, else with ``patchelf``.  False when neither is possible."""
    value = ":".join(rpaths).encode("utf-8", errors="surrogateescape")
    entries = _rpath_entries(path)
    mode = os.stat(path).st_mode
    os.chmod(path, mode | stat.S_IWUSR)
    try:
        if entries and all(len(value) <= e.size for e in entries):
            with open(path, "r+b") as stream:
                for e in entries:
                    stream.seek(e.offset)
                    stream.write(value.ljust(e.size, b"\0"))
            return True
        if patchelf is None:
            return False
        env = {**os.environ, "ORIGIN": "$ORIGIN"}
        done = subprocess.run(
            [patchelf, "--set-rpath", value.decode("utf-8", "surrogateescape"), path],
            env=env,
            capture_output=True,
            check=False,
        )
        return done.returncode == 0
    finally:
        os.chmod(path, mode)
