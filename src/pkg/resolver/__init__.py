"""The pure solver: Rez's resolve algorithm behind a provider protocol.

    >>> from pkg.resolver import MemoryProvider, solve
    >>> repo = MemoryProvider({"python": {"2.6": {}, "2.7": {}},
    ...                        "foo": {"1": {"requires": ["python-2.6"]}}})
    >>> solve(["foo", "python"], repo).resolved_strs()
    ['python-2.6[]', 'foo-1[]']

No I/O, configuration or printing happens here: packages come from a
:class:`Provider`, progress goes to a :class:`Reporter`, and the answer is an immutable
:class:`SolveResult`.  See ``docs/resolver.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg._exports import lazy_exports

if TYPE_CHECKING:
    from pkg.resolver._context import (
        PackageFamilyNotFoundError,
        PackageNotFoundError,
        VariantSelectMode,
    )
    from pkg.resolver.provider import MemoryProvider, PackageData, Provider, VersionKey
    from pkg.resolver.reporter import Reporter
    from pkg.resolver.result import (
        ConflictFailure,
        CycleFailure,
        DependencyConflict,
        FailureReason,
        MissingFamilyFailure,
        Reduction,
        ReductionFailure,
        ResolvedVariant,
        SolveResult,
        SolveStatus,
        WhyEdge,
        WhyGraph,
    )
    from pkg.resolver.solver import solve

__all__ = [
    "ConflictFailure",
    "CycleFailure",
    "DependencyConflict",
    "FailureReason",
    "MemoryProvider",
    "MissingFamilyFailure",
    "PackageData",
    "PackageFamilyNotFoundError",
    "PackageNotFoundError",
    "Provider",
    "Reduction",
    "ReductionFailure",
    "Reporter",
    "ResolvedVariant",
    "SolveResult",
    "SolveStatus",
    "VariantSelectMode",
    "VersionKey",
    "WhyEdge",
    "WhyGraph",
    "solve",
]

#: Where each exported name lives.  The submodules are imported on first use, so that
#: importing one of them (``pkg.resolver.reporter``) does not load the whole solver.
_SOURCES: dict[str, str] = {
    "PackageFamilyNotFoundError": "_context",
    "PackageNotFoundError": "_context",
    "VariantSelectMode": "_context",
    "MemoryProvider": "provider",
    "PackageData": "provider",
    "Provider": "provider",
    "VersionKey": "provider",
    "Reporter": "reporter",
    "ConflictFailure": "result",
    "CycleFailure": "result",
    "DependencyConflict": "result",
    "FailureReason": "result",
    "MissingFamilyFailure": "result",
    "Reduction": "result",
    "ReductionFailure": "result",
    "ResolvedVariant": "result",
    "SolveResult": "result",
    "SolveStatus": "result",
    "WhyEdge": "result",
    "WhyGraph": "result",
    "solve": "solver",
}


__getattr__ = lazy_exports(globals(), _SOURCES)[0]
