"""``pkg search``: find package families, packages and variants by name pattern.

The behaviour follows ``rez-search``: the request is a glob over family names, optionally
with a version range (``foo-1+``, ``py*``); without an explicit ``kind`` the result is a
list of families, unless the request has a range or matches exactly one family, in which
case it lists that family's packages, lowest version first.

A package whose definition does not load is still listed by its qualified name (Rez
lists packages from the directory layout and reads definitions only when it must), and
its error is reported in :attr:`SearchResults.load_errors`; with ``validate=True`` it is a
result carrying its error instead.  Variant searches leave broken packages out, as Rez.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pkg.api._format import SEARCH_FIELDS, expand_abbreviations, format_object
from pkg.core import Version, VersionRange
from pkg.errors import PackageDefinitionError, PkgError
from pkg.repositories import PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import Config
    from pkg.packages import Package, Variant

__all__ = ["SearchResult", "SearchResults", "format_result", "nonlocal_paths", "search"]

Kind = Literal["family", "package", "variant"]


@dataclass(frozen=True)
class SearchResult:
    """One search hit: a family name, or a package or variant (possibly broken)."""

    kind: Kind
    #: The family name, or the qualified name of the package or variant.
    name: str
    resource: Package | Variant | None = None
    #: Why the definition is invalid, for a broken package found with ``validate``.
    error: str | None = None


@dataclass(frozen=True)
class SearchResults:
    """What :func:`search` found."""

    kind: Kind
    results: list[SearchResult]
    #: Definitions that failed to load while searching (always collected).
    load_errors: list[PackageDefinitionError] = field(default_factory=list)


def nonlocal_paths(config: Config) -> list[str]:
    """``packages_path`` without ``local_packages_path`` (for ``--no-local``)."""
    local = Path(config.local_packages_path).expanduser().resolve()
    return [p for p in config.packages_path if Path(p).expanduser().resolve() != local]


_NAME_END = re.compile(r"[-@#=<>]")


def _parse_request(request: str | None) -> tuple[str, VersionRange | None]:
    """A name glob and an optional range: ``py*-2.6+`` -> (``py*``, ``2.6+``).

    The name is not checked, so globs work; if the range part does not parse, the whole
    request is taken as the glob (both as Rez does).
    """
    pattern = request or "*"
    match = _NAME_END.search(pattern)
    if match is None:
        return pattern, None
    start = match.start()
    text = pattern[start + 1 :] if pattern[start] in "-@#" else pattern[start:]
    try:
        range_ = VersionRange(text)
    except PkgError:
        return pattern, None
    return pattern[:start], (None if range_.is_any() else range_)


def _version_of_error(error: PackageDefinitionError) -> str:
    return Path(error.filepath).parent.name


def search(
    request: str | None,
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    no_local: bool = False,
    kind: Kind | None = None,
    latest: bool = False,
    after: int = 0,
    before: int = 0,
    validate: bool = False,
) -> SearchResults:
    """Search the repositories of ``paths`` (default: ``config.packages_path``).

    Args:
        request: a family glob with an optional range (``foo``, ``py*``, ``foo-1+``);
            None means every family.
        no_local: leave out ``local_packages_path`` (ignored when ``paths`` is given).
        kind: force the kind of result; None chooses as described in the module docstring.
        latest: only the latest package of each family.
        after, before: keep packages released at or after / before these epoch times
            (0: no limit); packages without a timestamp are always kept.
        validate: include broken packages as results with their error.
    """
    if paths is None and no_local:
        paths = nonlocal_paths(config)
    search_path = PackageSearchPath.from_paths(paths, config)
    pattern, range_ = _parse_request(request)
    families = sorted(
        {n for n in search_path.iter_family_names() if fnmatch.fnmatchcase(n, pattern)}
    )
    chosen: Kind = kind or ("package" if range_ is not None or len(families) == 1 else "family")
    if chosen == "family":
        return SearchResults("family", [SearchResult("family", n) for n in families])

    results: list[SearchResult] = []
    all_errors: list[PackageDefinitionError] = []
    for family in families:
        errors: list[PackageDefinitionError] = []
        packages = sorted(search_path.iter_packages(family, range_, errors=errors), key=_version)
        broken = _broken_in_range(family, errors, range_)
        all_errors.extend(error for _, error in broken)
        entries: list[tuple[Version, Package | PackageDefinitionError]] = [
            *((p.version, p) for p in packages),
            *(broken if chosen == "package" else []),
        ]
        entries.sort(key=lambda e: e[0])
        if latest and entries:
            entries = entries[-1:]
        for version, item in entries:
            if isinstance(item, PackageDefinitionError):
                qualified = f"{family}-{version}" if version else family
                error = str(item) if validate else None
                results.append(SearchResult("package", qualified, None, error))
                continue
            stamp = item.timestamp
            if stamp and ((after and stamp < after) or (before and stamp >= before)):
                continue
            if validate:
                try:
                    item.validate()
                except PackageDefinitionError as invalid:
                    if chosen == "package":
                        results.append(
                            SearchResult("package", item.qualified_name, None, str(invalid))
                        )
                    continue
            if chosen == "package":
                results.append(SearchResult("package", item.qualified_name, item))
            else:
                results.extend(
                    SearchResult("variant", v.qualified_name, v) for v in item.iter_variants()
                )
    return SearchResults(chosen, results, all_errors)


def _version(package: Package) -> Version:
    return package.version


def _broken_in_range(
    family: str, errors: list[PackageDefinitionError], range_: VersionRange | None
) -> list[tuple[Version, PackageDefinitionError]]:
    broken: list[tuple[Version, PackageDefinitionError]] = []
    for error in errors:
        text = _version_of_error(error)
        try:
            version = Version(text) if text != family else Version()
        except PkgError:
            version = Version()
        if range_ is None or version in range_:
            broken.append((version, error))
    return broken


def format_result(result: SearchResult, template: str | None) -> list[str]:
    """The output lines for one result: its name, or ``template`` expanded from it.

    ``\\n`` in the template (a backslash and an ``n``) starts a new line, as in Rez.
    """
    if result.kind == "family" or result.resource is None or not template:
        return [result.name]
    expanded = expand_abbreviations(template, SEARCH_FIELDS)
    return [format_object(line, result.resource) for line in expanded.split("\\n")]
