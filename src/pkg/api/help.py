"""``pkg help``: a package's help entries (its ``help`` attribute), like ``rez-help``.

``help`` is a string (one section, "Help") or a list of ``[label, uri]`` pairs.  A uri of
one word is a URL, opened in the configured ``browser`` (or the system's); anything longer
is a shell command.  Uris may use ``{root}``, ``{base}``, ``{version}``,
``{version.major}``, ``{config.<setting>}`` and ``{system.<attr>}``, and the old
``!ROOT!``-style expansions.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.config import SystemInfo
from pkg.core import Requirement
from pkg.errors import UsageError
from pkg.repositories import PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config
    from pkg.packages import Package

__all__ = ["PackageHelp", "describe_open", "find_help", "open_uri"]

_OLD_EXPANSIONS = (
    ("!VERSION!", "{version}"),
    ("!MAJOR_VERSION!", "{version.major}"),
    ("!MINOR_VERSION!", "{version.minor}"),
    ("!BASE!", "{base}"),
    ("!ROOT!", "{root}"),
    ("!USER!", "{system.user}"),
)


class _System:
    """``{system.<attr>}`` for help uris."""

    def __init__(self, info: SystemInfo) -> None:
        self._info = info

    def __getattr__(self, name: str) -> str:
        value = self._info.get(name)
        if value is None:
            raise AttributeError(name)
        return value


@dataclass(frozen=True)
class PackageHelp:
    """The help of the latest package in a range that has any."""

    package: Package | None
    #: (label, uri) pairs, uris expanded.
    sections: list[tuple[str, str]]


def _expand(uri: str, package: Package, config: Config) -> str:
    for old, new in _OLD_EXPANSIONS:
        uri = uri.replace(old, new)
    uri = uri.replace("$BROWSER", "").strip()
    variant = next(iter(package.iter_variants()))
    values = {
        "base": variant.base or "",
        "root": variant.root or "",
        "version": package.version,
        "config": config,
        "system": _System(SystemInfo(os.environ, Path.home(), config.platform_map)),
    }
    return uri.format(**values)


def find_help(request: str, config: Config, *, paths: Sequence[str] | None = None) -> PackageHelp:
    """The help sections of the latest package matching ``request`` that has help."""
    req = Requirement(request)
    if req.conflict:
        raise UsageError(f"expected a non-conflicting package request, got {request!r}")
    search_path = PackageSearchPath.from_paths(paths, config)
    packages = sorted(
        search_path.iter_packages(req.name, req.range), key=lambda p: p.version, reverse=True
    )
    for package in packages:
        help_ = package.help
        if not help_:
            continue
        raw = [("Help", help_)] if isinstance(help_, str) else [(s[0], s[1]) for s in help_]
        return PackageHelp(package, [(label, _expand(uri, package, config)) for label, uri in raw])
    return PackageHelp(None, [])


def describe_open(uri: str, config: Config) -> str:
    """What :func:`open_uri` will do with ``uri``, as a line to print first."""
    if len(uri.split()) != 1:
        return f"running command: {uri}"
    if config.browser:
        return f"running command: {config.browser} {uri}"
    return f"opening URL in browser: {uri}"


def open_uri(uri: str, config: Config) -> None:
    """Open a help uri: a URL in the configured browser (or the system's), or run it as a
    shell command (help entries such as ``man foo`` are shell lines by design)."""
    if len(uri.split()) != 1:
        subprocess.run(uri, shell=True, check=False)
    elif config.browser:
        subprocess.run([config.browser, uri], check=False)
    else:
        import webbrowser

        webbrowser.open_new(uri)
