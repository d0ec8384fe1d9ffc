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
