"""The solver's phases one at a time: slices, scopes and a phase (internal API)."""

from __future__ import annotations

from typing import Any

import pytest

from pkg.core import Requirement, RequirementList, VersionRange
from pkg.resolver import MemoryProvider
from pkg.resolver._context import SolveContext
from pkg.resolver._phase import Phase
from pkg.resolver._scope import Scope

REPO: dict[str, dict[str, dict[str, Any]]] = {
    "python": {"2.6": {}, "2.7": {}, "3.0": {}},
    "lib": {
        "1": {"requires": ["python-2"]},
        "2": {"requires": ["python-2.7+"], "variants": [["zlib-1"], ["zlib-2"]]},
    },
    "zlib": {"1": {}, "2": {}},
}


def _ctx(*requests: str) -> SolveContext:
    reqs = RequirementList(Requirement(r) for r in requests)
    return SolveContext(reqs, MemoryProvider(REPO), "version_priority", False)


def test_slice_intersect() -> None:
    ctx = _ctx("python")
    whole = ctx.slice("python", VersionRange())
    assert whole is not None
    assert str(whole.range) == "==2.6|==2.7|==3.0"
    assert whole.intersect(VersionRange()) is whole
    narrowed = whole.intersect(VersionRange("2"))
    assert narrowed is not None
    assert str(narrowed.range) == "==2.6|==2.7"
    assert whole.intersect(VersionRange("4")) is None
    assert whole.intersect(VersionRange("2+")) is whole


def test_slice_extract_takes_common_families_in_name_order() -> None:
    ctx = _ctx("lib")
    slice_ = ctx.slice("lib", VersionRange())
    assert slice_ is not None
    assert slice_.common_fams == {"python"}
    assert slice_.fam_requires == {"python", "zlib"}
    extracted, requests = slice_.extract()
    assert [str(r) for r in requests] == ["python-2+"]  # union of python-2 and python-2.7+
    assert not extracted.extractable
    assert extracted.extract() == (extracted, [])


def test_slice_reduce_by() -> None:
    ctx = _ctx("lib")
    slice_ = ctx.slice("lib", VersionRange())
    assert slice_ is not None
    same, none = slice_.reduce_by(Requirement("nada"))
    assert (same, none) == (slice_, [])
    reduced, reductions = slice_.reduce_by(Requirement("zlib-1"))
    assert reduced is not None
    assert [str(r) for r in reductions] == ["lib-2[1] (dep(zlib-2) <--!--> zlib-1)"]
    assert len(reduced) == 2
    gone, reductions = slice_.reduce_by(Requirement("python-1"))
    assert gone is None
    assert len(reductions) == 3


def test_slice_split_keeps_a_shared_dependency_in_front() -> None:
    ctx = _ctx("lib")
    slice_ = ctx.slice("lib", VersionRange())
    assert slice_ is not None
    first, rest = slice_.extract()[0].split()
    # lib-2's two variants share zlib; lib-1 does not require it
    assert [str(v) for v in first.variants()] == ["lib-2[1]", "lib-2[0]"]
    assert [str(v) for v in rest.variants()] == ["lib-1[]"]


@pytest.mark.parametrize(
    ("request_", "range_", "result"),
    [
        ("!python-2.6", "2", "python==2.7"),  # a conflict becomes a package scope
        ("!python", "2", None),
        (".eph-1+", "2", ".eph-2"),
        (".eph-1", "2", None),
        ("!.eph-1", "", ".eph<1|1_+"),  # an ephemeral conflict becomes a plain range
    ],
)
def test_scope_intersect(request_: str, range_: str, result: str | None) -> None:
    ctx = _ctx()
    if request_.startswith("!."):
        plain = Requirement(request_[0] + request_[2:])
        req = Requirement.construct("." + plain.name, plain.range, conflict=True)
    else:
        req = Requirement(request_)
    scope = Scope.create(req, ctx)
    new = scope.intersect(VersionRange(range_), ctx)
    assert (None if new is None else str(new.request)) == result
    assert new is None or not new.is_conflict


def test_phase_solve_then_split() -> None:
    ctx = _ctx("lib")
    phase = Phase.initial(ctx).solve(True)
    assert phase.status == "exhausted"
    assert str(phase).startswith("lib[")
    assert "python[" in str(phase)
    first, rest = phase.split()
    assert first.changed == frozenset({0})
    solved = first.solve(True)
    assert solved.status == "exhausted"  # lib-2 still has two variants
    steps = 0
    while solved.status == "exhausted":
        solved = solved.split()[0].solve(True)
        steps += 1
    assert (solved.status, steps) == ("solved", 2)  # lib-2[1], then python-3.0
    ordered = solved.finalise()
    assert [s.name for s in ordered.scopes] == ["python", "zlib", "lib"]
    assert rest.scopes[0] is not first.scopes[0]
