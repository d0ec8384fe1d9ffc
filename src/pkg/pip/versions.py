"""PEP 440 versions and specifiers, mapped to Rez versions and ranges as ``rez-pip`` maps them.

Versions (:func:`pip_to_rez_version`): the epoch is dropped, the release kept, then
``.a1``/``.b1``/``.rc1`` for a pre-release (``alpha``, ``c``, ``pre``... already
normalised by :mod:`packaging`), ``.postN``, ``.devN``, and ``-<local>`` for a local
label:

>>> pip_to_rez_version("1!2.0.0RC1.post3.dev4+Ubuntu-1")
'2.0.0.rc1.post3.dev4-ubuntu.1'

Specifiers (:func:`pip_to_rez_range`) become ranges that keep pip's meaning (pip's
``==1`` also matches ``1.0``), each clause mapped on its own and the results intersected;
``==V+local`` is exact (``==V-local``):

>>> [pip_to_rez_range(s) for s in ("==1", "==1.*", ">1", "<=1", "~=1.2", "!=1.2", ">=1,<2")]
['1+<1.1', '1', '1.1+', '<1.1', '1.2+<2', '<1.2|1.2.1+', '1+<2']

Nothing here does I/O; errors are :class:`PipVersionError`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion
from packaging.version import Version as PipVersion

from pkg.core import Version, VersionRange
from pkg.errors import PkgError, VersionError

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "PipVersionError",
    "pip_to_rez_package_name",
    "pip_to_rez_range",
    "pip_to_rez_version",
]


class PipVersionError(PkgError):
    """A PEP 440 version or specifier that has no Rez equivalent (or does not parse)."""


def pip_to_rez_package_name(name: str) -> str:
    """The Rez family name of distribution ``name``: ``-`` becomes ``_`` (case kept).

    >>> pip_to_rez_package_name("typing-extensions")
    'typing_extensions'
    """
    return name.replace("-", "_")


def pip_to_rez_version(
    text: str,
    *,
    allow_legacy: bool = True,
    warn: Callable[[str], None] | None = None,
) -> str:
    """The Rez version of the PEP 440 version ``text``.

    A version that is not PEP 440 (a *legacy* version such as ``2004d``) is kept,
    lowercased, when ``allow_legacy`` and it is a valid Rez version; ``warn`` is then
    called with a one-line message.

    Raises:
        PipVersionError: ``text`` is neither PEP 440 nor (when allowed) a Rez version.
    """
    try:
        parsed = PipVersion(text)
    except InvalidVersion:
        legacy = text.strip().lower()
        if allow_legacy:
            try:
                Version(legacy)
            except VersionError:
                pass
            else:
                if warn is not None:
                    warn(f"{text!r} is not a PEP 440 version; kept as {legacy!r}")
                return legacy
        raise PipVersionError(
            f"version {text!r} is not a PEP 440 version and cannot be mapped to a Rez version"
        ) from None
    out = ".".join(str(part) for part in parsed.release)
    if parsed.pre is not None:
        phase, number = parsed.pre
        out += f".{phase}{number}"
    if parsed.post is not None:
        out += f".post{parsed.post}"
    if parsed.dev is not None:
        out += f".dev{parsed.dev}"
    if parsed.local:
        out += f"-{parsed.local}"
    return out


def _is_release(version: str) -> bool:
    """Whether the last ``.``-separated part is a number (``1.2``, not ``1.a2``)."""
    return version.rsplit(".", 1)[-1].isdigit()


def _next(version: str) -> str:
    """The next version at the same depth: ``1`` -> ``2``, ``1.2`` -> ``1.3``; for a
    non-release the last part becomes ``0`` (``1.a2`` -> ``1.0``)."""
    head, _, last = version.rpartition(".")
    bumped = str(int(last) + 1) if last.isdigit() else "0"
    return f"{head}.{bumped}" if head else bumped


def _adjacent(version: str) -> str:
    """The first version above every ``version.*`` of pip's ``==version``: ``1`` ->
    ``1.1``, ``1.2`` -> ``1.2.1``; for a non-release the last part becomes ``0``."""
    if _is_release(version):
        return f"{version}.1"
    return _next(version)


def _clause(spec: Specifier) -> str:
    """One specifier clause as Rez range text."""
    operator = spec.operator
    wildcard = spec.version.endswith(".*")
    base = pip_to_rez_version(spec.version.removesuffix(".*"))
    if operator == "==":
        if wildcard:
            return base
        if "+" in spec.version:
            # A local label is matched exactly by pip (rez-pip makes a range that ends
            # below its start for ``==2.1.0+cpu`` and fails).
            return f"=={base}"
        return f"{base}+<{_adjacent(base)}"
    if operator == "!=":
        upper = _next(base) if wildcard else _adjacent(base)
        return f"<{base}|{upper}+"
    if operator == ">=":
        return f"{base}+"
    if operator == ">":
        return f"{_adjacent(base)}+"
    if operator == "<=":
        return f"<{_adjacent(base)}"
    if operator == "<":
        return f"<{base}"
    if operator == "~=":
        version = Version(base)
        prefix = str(version.trim(len(version) - 1))
        return f"{base}+<{_next(prefix)}"
    raise PipVersionError(f"specifier {str(spec)!r} has no Rez equivalent ({operator!r})")


def pip_to_rez_range(specifier: str | SpecifierSet) -> str:
    """The Rez range of a PEP 440 specifier set (``>=1,<2`` -> ``1+<2``); ``""`` for an
    empty one (any version).

    Raises:
        PipVersionError: the specifier does not parse, uses ``===``, or its clauses
            leave no version at all.
    """
    if isinstance(specifier, str):
        try:
            specifier = SpecifierSet(specifier)
        except InvalidSpecifier:
            raise PipVersionError(f"invalid PEP 440 specifier {specifier!r}") from None
    clauses = sorted(specifier, key=str)
    if not clauses:
        return ""
    total: VersionRange | None = None
    for spec in clauses:
        try:
            current = VersionRange(_clause(spec))
        except VersionError as error:
            reason = str(error).splitlines()[0]
            raise PipVersionError(
                f"specifier {str(spec)!r} has no Rez equivalent: {reason}"
            ) from None
        total = current if total is None else total.intersection(current)
    assert total is not None
    if total.is_empty():
        raise PipVersionError(
            f"specifier {str(specifier)!r} maps to an empty Rez range (no version satisfies it)"
        )
    return str(total)
