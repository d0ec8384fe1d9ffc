"""pkg.resolver.solve on small in-memory repositories (table-driven)."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

import pytest

from pkg.core import Requirement, Version
from pkg.errors import ResolveError
from pkg.resolver import (
    ConflictFailure,
    CycleFailure,
    MemoryProvider,
    MissingFamilyFailure,
    PackageFamilyNotFoundError,
    PackageNotFoundError,
    ReductionFailure,
    Reporter,
    solve,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.resolver import FailureReason, SolveResult, VariantSelectMode

REPO: dict[str, dict[str, dict[str, Any]]] = {
    "python": {"2.5.2": {}, "2.6.0": {}, "2.6.8": {}, "2.7.0": {}},
    "nada": {"": {}},
    "lib": {"1": {"requires": ["python-2.5"]}, "2": {"requires": ["python-2.6"]}},
    "app": {
        "1": {"requires": ["lib-1", ".flavour-1"]},
        "2": {"requires": ["lib-2", ".flavour-2+"]},
    },
    "plug": {
        "1": {"variants": [["python-2.7.0"], ["python-2.6.8", "nada"], ["python-2.6.8"], ["nada"]]}
    },
    "shy": {"1": {"requires": ["!lib-1"]}, "2": {"requires": ["lib-1", "python-2.6"]}},
    "lost": {"1": {"requires": ["nowhere"]}},
    "broken": {"1": {"requires": ["lib-9"]}},
    "mum": {"1": {"requires": ["dad-1"]}},
    "dad": {"1": {"requires": ["mum-1"]}},
    "ghost": {"1": {"variants": [["nowhere"], ["nada"]]}},
    "torn": {"1": {"requires": ["lib-1", "lib-2"]}},
    "tool": {"1": {"build_requires": ["nada"]}},
}

SOLVES: list[tuple[list[str], str, list[str]]] = [
    ([], "version_priority", []),
    (["nada"], "version_priority", ["nada[]"]),
    (["!nada"], "version_priority", []),
    (["~nada"], "version_priority", []),
    (["python"], "version_priority", ["python-2.7.0[]"]),
    (["python-2.6"], "version_priority", ["python-2.6.8[]"]),
    (["python-2.6", "!python-2.6.8"], "version_priority", ["python-2.6.0[]"]),
    (["python", "~python<2.6"], "version_priority", ["python-2.5.2[]"]),
    (["lib"], "version_priority", ["python-2.6.8[]", "lib-2[]"]),
    (["lib", "python<2.6"], "version_priority", ["python-2.5.2[]", "lib-1[]"]),
    (["app"], "version_priority", ["python-2.6.8[]", "lib-2[]", "app-2[]", ".flavour-2+"]),
    (
        ["app", ".flavour-1"],
        "version_priority",
        ["python-2.5.2[]", "lib-1[]", "app-1[]", ".flavour-1"],
    ),
    (["plug", "python"], "version_priority", ["python-2.7.0[]", "plug-1[0]"]),
    (["plug", "python", "nada"], "version_priority", ["python-2.7.0[]", "plug-1[0]", "nada[]"]),
    (
        ["plug", "python", "nada"],
        "intersection_priority",
        ["python-2.6.8[]", "nada[]", "plug-1[1]"],
    ),
    # shy-2 fails (lib-1 needs python-2.5), so the solve backtracks to shy-1
    (["shy"], "version_priority", ["shy-1[]"]),
    # the preferred variant needs an unknown family: with raise_on_missing=False, backtrack
    (["ghost"], "version_priority", ["nada[]", "ghost-1[1]"]),
]


@pytest.fixture
def repo() -> MemoryProvider:
    return MemoryProvider(REPO)


def _mode(name: str) -> VariantSelectMode:
    return "intersection_priority" if name == "intersection_priority" else "version_priority"


@pytest.mark.parametrize(("requests", "mode", "expected"), SOLVES)
def test_solves(repo: MemoryProvider, requests: list[str], mode: str, expected: list[str]) -> None:
    result = solve(requests, repo, variant_select_mode=_mode(mode), raise_on_missing=False)
    assert result.status == "solved", result.failure_description
    assert result.resolved_strs() == expected


FAILS: list[tuple[list[str], type[Any], str]] = [
    (["nada", "!nada"], ConflictFailure, "(nada <--!--> !nada)"),
    (["lib-1", "python-2.6"], ConflictFailure, "(python-2.5 <--!--> python==2.6.0|==2.6.8)"),
    (["shy", "lib-1"], ReductionFailure, "shy-1[] (dep(!lib-1) <--!--> lib==1)"),
    (["mum"], CycleFailure, "A cyclic dependency was detected"),
    (["lost"], MissingFamilyFailure, "Solver failed with unknown reason."),
    ([".x-1", ".x-2"], ConflictFailure, "(.x-1 <--!--> .x-2)"),
]


@pytest.mark.parametrize(("requests", "kind", "text"), FAILS)
def test_failures(
    repo: MemoryProvider, requests: list[str], kind: type[FailureReason], text: str
) -> None:
    result = solve(requests, repo, raise_on_missing=False)
    assert result.status == ("cyclic" if kind is CycleFailure else "failed")
    assert isinstance(result.failure, kind)
    assert text in result.failure.summary()
    assert result.num_fails >= 1
    assert result.resolved == ()


def test_failure_description_names_the_chain(repo: MemoryProvider) -> None:
    result = solve(["app-1", "python-2.7"], repo)
    assert result.status == "failed"
    text = result.failure_description
    assert "request 'app-1' -> app==1 requires 'lib-1' -> lib==1 requires 'python-2.5'" in text
    assert "'python==2.7.0' comes from: request 'python-2.7'" in text
    assert text.endswith("(python-2.5 <--!--> python==2.7.0)")


def test_backtracking_counts(repo: MemoryProvider) -> None:
    result = solve(["shy"], repo)
    assert (result.num_solves, result.num_fails) == (3, 1)
    result = solve(["plug", "!python-2.7", "!nada"], repo)
    assert result.resolved_strs() == ["python-2.6.8[]", "plug-1[2]"]


@pytest.mark.parametrize(
    ("requests", "error"),
    [
        (["nothing"], PackageFamilyNotFoundError),
        (["python-9"], PackageNotFoundError),
        (["broken"], PackageNotFoundError),  # a dependency matching nothing: Rez raises too
        (["ghost"], PackageFamilyNotFoundError),  # raise_on_missing defaults to True
        (["torn"], ResolveError),  # its own requirements clash
    ],
)
def test_errors(repo: MemoryProvider, requests: list[str], error: type[Exception]) -> None:
    with pytest.raises(error):
        solve(requests, repo)


def test_building_adds_build_requires(repo: MemoryProvider) -> None:
    assert solve(["tool"], repo).resolved_strs() == ["tool-1[]"]
    assert solve(["tool"], repo, building=True).resolved_strs() == ["nada[]", "tool-1[]"]


def test_requests_may_be_requirement_objects(repo: MemoryProvider) -> None:
    conflict = Requirement.construct(".x", Requirement("x-2").range, conflict=True)
    result = solve([Requirement("python"), conflict, ".x"], repo)
    assert result.resolved_strs() == ["python-2.7.0[]", ".x<2|2_+"]


def test_orderer_and_filter_come_from_the_provider() -> None:
    repo = MemoryProvider(
        {"python": {"2.6": {}, "2.7": {}, "3.0": {}}},
        version_key_fn=lambda name, v: (v < Version("2.7"), v),  # prefer < 2.7
        exclude=lambda name, v: str(v) == "2.6",
    )
    assert solve(["python"], repo).resolved_strs() == ["python-3.0[]"]


VARIANT_REPO: dict[str, dict[str, dict[str, Any]]] = {
    "python": {"2": {}, "3": {}},
    "x": {"1": {"variants": [["python-2"], ["python-3"]]}},
    "y": {"1": {"requires": ["x"], "variants": [["python-3"], ["python-2"]]}},
}


def test_split_picks_preferred_variant_then_backtracks() -> None:
    repo = MemoryProvider(VARIANT_REPO)
    assert solve(["x"], repo).resolved_strs() == ["python-3[]", "x-1[1]"]
    assert solve(["y", "python-2"], repo).resolved_strs() == [
        "python-2[]",
        "x-1[0]",
        "y-1[1]",
    ]


class _Recorder(Reporter):
    def __init__(self) -> None:
        self.events: list[str] = []

    def starting(self, requests: Sequence[Requirement]) -> None:
        self.events.append("starting")

    def phase_starting(self, number: int, num_fails: int, state: str) -> None:
        self.events.append(f"phase {number}")

    def splitting(self, state: str) -> None:
        self.events.append("split")

    def phase_failed(self, reason: FailureReason) -> None:
        self.events.append("failed")

    def ending(self, result: SolveResult) -> None:
        self.events.append(f"end {result.status}")


def test_reporter_hooks() -> None:
    recorder = _Recorder()
    solve(["x", "python-2"], MemoryProvider(VARIANT_REPO), reporter=recorder)
    assert recorder.events[0] == "starting"
    assert recorder.events[-1] == "end solved"
    assert "phase 1" in recorder.events


BACKTRACK_REPO: dict[str, dict[str, dict[str, Any]]] = {
    "a": {"1": {"requires": ["e"]}, "2": {"requires": ["d"]}},
    "d": {"1": {"requires": ["f-1"]}},
    "e": {"1": {"requires": ["f-2"]}},
    "f": {"1": {}, "2": {}},
}


def test_max_fails_stops_with_the_last_failure() -> None:
    repo = MemoryProvider(BACKTRACK_REPO)
    free = solve(["a", "f-2"], repo)
    assert free.resolved_strs() == ["f-2[]", "e-1[]", "a-1[]"]
    assert free.num_fails == 1
    limited = solve(["a", "f-2"], repo, max_fails=1)
    assert limited.status == "failed"
    assert limited.failure_description.startswith("fail limit reached: aborted after 1 failures")
    assert "(f-1 <--!--> f==2)" in limited.failure_description


def test_time_limit_aborts() -> None:
    ticks = iter(range(1000))
    result = solve(
        ["a", "f-2"],
        MemoryProvider(BACKTRACK_REPO),
        time_limit=0.5,
        clock=lambda: float(next(ticks)),
    )
    assert result.status == "aborted"
    assert result.failure_description == "time limit exceeded"


def test_why_graph(repo: MemoryProvider) -> None:
    result = solve(["app"], repo)
    graph = result.graph
    assert {e.source for e in graph.why("lib")} == {"app"}
    assert {e.source for e in graph.why("python")} == {"lib"}
    assert [e.requirement for e in graph.why("app")] == ["app"]
    failed = solve(["app-1", "python-2.7"], repo).graph
    assert any(e.kind == "conflict" and e.target == "python" for e in failed.edges)


def test_result_is_frozen(repo: MemoryProvider) -> None:
    result = solve(["nada"], repo)
    with pytest.raises(AttributeError):
        result.status = "failed"  # type: ignore[misc]


def test_solves_make_no_reference_cycles(repo: MemoryProvider) -> None:
    # solve() pauses the cyclic collector, which is only sound if a solve leaves no
    # cyclic garbage behind: every object it made must be freed by reference counting.
    cases = [r for r, _, _ in SOLVES] + [r for r, _, _ in FAILS] + [["shy"], ["plug"]]
    for requests in cases:
        solve(requests, repo, raise_on_missing=False)  # warm the provider's caches
    gc.collect()
    gc.disable()
    try:
        for requests in cases:
            solve(requests, repo, raise_on_missing=False)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_collector_state_is_restored(repo: MemoryProvider) -> None:
    assert gc.isenabled()
    solve(["shy"], repo)
    assert gc.isenabled()
    with pytest.raises(PackageNotFoundError):
        solve(["python-9"], repo)
    assert gc.isenabled()
    gc.disable()
    try:
        solve(["shy"], repo)
        assert not gc.isenabled()
    finally:
        gc.enable()
