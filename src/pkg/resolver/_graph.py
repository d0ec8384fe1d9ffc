"""Small graph algorithms on ``{node: [successors]}`` dicts: cycles and resolve order."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["dependency_order", "find_cycle"]


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str]:
    """The nodes of one cycle in edge order, or ``[]`` if the graph is acyclic.

    Deterministic: nodes are visited in sorted order, successors in listed order.
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for root in sorted(graph):
        if root in state:
            continue
        path = [root]
        state[root] = 1
        iters = [iter(graph.get(root, ()))]
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
                continue
            mark = state.get(nxt)
            if mark == 1:
                return path[path.index(nxt) :]
            if mark is None:
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(graph.get(nxt, ())))
    return []


def dependency_order(graph: Mapping[str, Sequence[str]], preferred: Iterable[str]) -> list[str]:
    """The nodes of an acyclic ``graph``, dependencies before their dependents.

    Starts from ``preferred`` (names not in the graph are ignored) followed by the other
    nodes sorted by name.  Repeatedly: if some later node is a (transitive) dependency of
    the first one, the earliest such node moves to the front; otherwise the first node
    is final.  This keeps the preferred order wherever dependencies allow (Rez's order).
    """
    deps = _closures(graph)
    first = list(dict.fromkeys(preferred))
    known = set(first)
    queue = first + sorted(n for n in graph if n not in known)
    ordered: list[str] = []
    done: set[str] = set()
    while queue:
        head = queue[0]
        head_deps = deps.get(head)
        if head in done or head_deps is None:
            del queue[0]
            continue
        # (ordered nodes have left the queue: only the dependencies not yet ordered
        # can be found in it)
        pending = head_deps - done if head_deps else head_deps
        i = 0
        if pending:
            found = list(map(pending.__contains__, queue))
            i = found.index(True, 1) if True in found[1:] else 0
        if i:
            queue.insert(0, queue.pop(i))
        else:
            ordered.append(head)
            done.add(head)
            del queue[0]
    return ordered


def _closures(graph: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    """Node -> every node reachable from it, for an acyclic ``graph`` (each closure is
    made once from its successors' closures, depth first)."""
    closures: dict[str, set[str]] = {}
    for root in graph:
        if root in closures:
            continue
        stack = [root]
        while stack:
            node = stack[-1]
            if node in closures:
                stack.pop()
                continue
            successors = graph.get(node, ())
            pending = [s for s in successors if s not in closures and s != node]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            found = set(successors)
            for successor in successors:
                found |= closures.get(successor, set())
            found.discard(node)
            closures[node] = found
    return closures
