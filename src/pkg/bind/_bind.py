"""Binding packages and their requirements into a repository, as ``rez-bind`` does.

:func:`bind_package` binds one package and then, unless told not to, the packages its
installed variants require, round after round, until a round installs nothing new.  A
failure to bind the requested package is an error; a failure to bind a requirement is
reported and the others are still bound.  Progress goes to a :class:`BindReporter`,
whose methods do nothing by default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.bind._base import BindArgumentParser, BindContext, BindError, SystemFacts
from pkg.bind._tools import safe_version_string
from pkg.bind._write import write_bound
from pkg.bind.registry import QUICKSTART, bind_module_dir, load_bind_module, setup_parser_of

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.config import Config
    from pkg.core import VersionRange
    from pkg.packages import Variant

__all__ = [
    "BindReporter",
    "BoundVariant",
    "bind_package",
    "install_path",
    "parse_target",
    "quickstart",
    "system_facts",
]


class BindReporter:
    """Receives what a bind does; every method does nothing unless overridden."""

    def searching(self, path: str) -> None:
        """Bind modules are being looked for in ``path``."""

    def creating(self, name: str, path: str) -> None:
        """Package ``name`` is about to be bound into repository ``path``."""

    def skipped(self, uri: str) -> None:
        """The variant ``uri`` already existed; nothing was written."""

    def warning(self, message: str) -> None:
        """Something the user should know that did not stop the bind."""

    def dependency_failed(self, name: str, error: BindError) -> None:
        """Required package ``name`` could not be bound (the others still are)."""


@dataclass(frozen=True, slots=True)
class BoundVariant:
    """A variant a bind installed.

    Attributes:
        name: the package name.
        version: the package version.
        uri: the package's URI (its ``package.py``).
        variant_uri: the variant's URI.
        root: the variant's root directory.
        requires: the variant's requests (the package's, then the variant's).
    """

    name: str
    version: str
    uri: str
    variant_uri: str
    root: str | None
    requires: tuple[str, ...]

    @classmethod
    def of(cls, variant: Variant) -> BoundVariant:
        """The record of installed ``variant``."""
        return cls(
            variant.name,
            str(variant.version),
            variant.package.uri,
            variant.uri,
            variant.root,
            tuple(str(request) for request in variant.requires),
        )


def install_path(config: Config, path: str | None = None, *, release: bool = False) -> str:
    """Where a bind writes: ``release_packages_path`` if ``release``, else ``path``, else
    ``local_packages_path``."""
    if release:
        return config.release_packages_path
    return path or config.local_packages_path


def system_facts(config: Config, environ: Mapping[str, str] | None = None) -> SystemFacts:
    """The running system as packages name it: ``platform_map`` applied, ``arch`` and
    ``os`` made valid versions."""
    from pkg.config import SystemInfo

    info = SystemInfo(os.environ if environ is None else environ, Path.home(), config.platform_map)
    return SystemFacts(info.platform, safe_version_string(info.arch), safe_version_string(info.os))


def _bind_one(
    config: Config,
    name: str,
    path: str,
    *,
    version_range: VersionRange | None,
    bind_args: Sequence[str],
    quiet: bool,
    reporter: BindReporter,
    environ: Mapping[str, str],
) -> list[BoundVariant]:
    from pkg.repositories import FilesystemRepository

    if not quiet:
        reporter.searching(str(bind_module_dir()))
    module = load_bind_module(name)
    if module is None:
        raise BindError(f"Bind module not found for {name!r}")
    parser = BindArgumentParser(prog=f"pkg bind {name}", description=f"{name} bind module")
    setup = setup_parser_of(module)
    if setup is not None:
        setup(parser)
    options = parser.parse_args(list(bind_args))
    if not quiet:
        reporter.creating(name, path)
    context = BindContext(
        config, system_facts(config, environ), version_range, options, dict(environ)
    )
    bound = module.bind(context)
    for message in bound.warnings:
        reporter.warning(message)
    result = write_bound(bound, FilesystemRepository(path, config))
    if result.skipped:
        reporter.skipped(result.variant.uri)
        return []
    return [BoundVariant.of(result.variant)]


def bind_package(
    config: Config,
    name: str,
    *,
    path: str | None = None,
    version_range: VersionRange | None = None,
    no_deps: bool = False,
    bind_args: Sequence[str] = (),
    quiet: bool = False,
    reporter: BindReporter | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[BoundVariant]:
    """Bind the software ``name`` found on this system as a package in repository ``path``.

    Then, unless ``no_deps``, bind every package the installed variants require (not
    their conflicts), by name, with no range and no arguments; and so on for those.  A
    variant that already exists is skipped (and its requirements are not followed).

    Args:
        config: the configuration.
        name: the bind module, i.e. the package name.
        path: the repository (default ``local_packages_path``).
        version_range: bind only a version in this range.
        no_deps: do not bind the requirements.
        bind_args: the bind module's own arguments (``["--exe", PATH]``).
        quiet: do not report ``searching``/``creating`` steps.
        reporter: receives progress (default: nothing is reported).
        environ: the environment executables are found and run in (default: this process's).

    Returns:
        The installed variants, in the order they were installed.

    Raises:
        BindError: ``name`` has no bind module, or its software was not found, is out of
            range, or could not be inspected.
        pkg.errors.UsageError: ``bind_args`` are not the module's arguments.
        pkg.bind.BindHelpRequested: ``bind_args`` asked for the module's help.
        pkg.errors.RepositoryError: the package could not be written.
    """
    reporter = reporter or BindReporter()
    environ = dict(os.environ if environ is None else environ)
    target = install_path(config, path)
    installed: list[BoundVariant] = []
    done: set[str] = set()
    pending = [name]
    first = True
    while pending:
        wanted, pending = pending, []
        done.update(wanted)
        for name_ in wanted:
            try:
                variants = _bind_one(
                    config,
                    name_,
                    target,
                    version_range=version_range if first else None,
                    bind_args=bind_args if first else (),
                    quiet=quiet,
                    reporter=reporter,
                    environ=environ,
                )
            except BindError as error:
                if first:
                    raise BindError(f"cannot bind {name_!r}: {error}") from error
                reporter.dependency_failed(name_, error)
                continue
            finally:
                first = False
            installed.extend(variants)
            if no_deps:
                continue
            for variant in variants:
                for request in variant.requires:
                    dep = _request_name(request)
                    if dep and dep not in done and dep not in pending:
                        pending.append(dep)
        pending.sort()
    return installed


def parse_target(text: str) -> tuple[str, VersionRange | None]:
    """The package name and range (None: any version) of a ``pkg bind`` target.

    >>> name, version_range = parse_target("python-3.11+")
    >>> name, str(version_range)
    ('python', '3.11+')

    Raises:
        pkg.errors.RequestError: ``text`` is not a valid request.
    """
    from pkg.core import Requirement

    requirement = Requirement(text)
    return requirement.name, None if requirement.range.is_any() else requirement.range


def _request_name(request: str) -> str | None:
    """The package a request asks for, or None for a conflict (``!foo``, ``~foo``)."""
    from pkg.core import Requirement

    requirement = Requirement(request)
    return None if requirement.conflict else requirement.name


def quickstart(
    config: Config,
    *,
    path: str | None = None,
    reporter: BindReporter | None = None,
    environ: Mapping[str, str] | None = None,
    on_start: Callable[[str, str], None] | None = None,
) -> list[BoundVariant]:
    """Bind :data:`~pkg.bind.registry.QUICKSTART`, in order, each without its requirements.

    ``on_start(name, path)`` is called before each bind.  Raises what
    :func:`bind_package` raises, at the first package that cannot be bound.
    """
    target = install_path(config, path)
    installed: list[BoundVariant] = []
    for name in QUICKSTART:
        if on_start is not None:
            on_start(name, target)
        installed.extend(
            bind_package(
                config,
                name,
                path=target,
                no_deps=True,
                quiet=True,
                reporter=reporter,
                environ=environ,
            )
        )
    return installed
