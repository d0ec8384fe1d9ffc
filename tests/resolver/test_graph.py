"""Cycle detection and resolve order (pkg.resolver._graph)."""

from __future__ import annotations

import pytest

from pkg.resolver._graph import _closures, dependency_order, find_cycle

GRAPHS: list[tuple[dict[str, list[str]], list[str]]] = [
    ({}, []),
    ({"a": []}, []),
    ({"a": ["b"], "b": []}, []),
    ({"a": ["a"]}, ["a"]),
    ({"a": ["b"], "b": ["a"]}, ["a", "b"]),
    ({"a": ["b"], "b": ["c"], "c": ["b"]}, ["b", "c"]),
    ({"x": ["y"], "y": ["z"], "z": ["x"], "w": []}, ["x", "y", "z"]),
]


@pytest.mark.parametrize(("graph", "cycle"), GRAPHS)
def test_find_cycle(graph: dict[str, list[str]], cycle: list[str]) -> None:
    assert find_cycle(graph) == cycle


def test_closures_hold_every_transitive_dependency() -> None:
    graph = {"a": ["b", "d"], "b": ["c"], "c": [], "d": ["c", "x"]}
    closures = _closures(graph)
    assert closures == {
        "a": {"b", "c", "d", "x"},
        "b": {"c"},
        "c": set(),
        "d": {"c", "x"},
        "x": set(),
    }


ORDERS: list[tuple[dict[str, list[str]], list[str], list[str]]] = [
    # request order kept where there are no dependencies
    ({"a": [], "b": []}, ["b", "a"], ["b", "a"]),
    # a dependency moves before its dependent
    ({"foo": ["python"], "python": []}, ["foo", "python"], ["python", "foo"]),
    # nodes not requested follow, sorted by name, unless needed earlier
    ({"a": ["z"], "z": [], "m": []}, ["a"], ["z", "a", "m"]),
    # transitive dependencies come first, nearest in the queue first
    ({"a": ["b"], "b": ["c"], "c": []}, ["a"], ["c", "b", "a"]),
    # requested names that are not packages (conflicts) are skipped
    ({"a": []}, ["!x", "a"], ["a"]),
]


@pytest.mark.parametrize(("graph", "preferred", "order"), ORDERS)
def test_dependency_order(
    graph: dict[str, list[str]], preferred: list[str], order: list[str]
) -> None:
    assert dependency_order(graph, preferred) == order
