"""The solve loop: a stack of phases, split on ambiguity, backtracking on failure.

:func:`solve` gives the same result as Rez 3.4.0's solver for the same packages: the
same status, the same variants in the same resolve order, and the same first failure.
See ``docs/resolver.md`` for the algorithm.
"""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

from pkg.core import Requirement, RequirementList, parse_requirement
from pkg.resolver._context import SolveContext
from pkg.resolver._describe import describe_failure, why_graph
from pkg.resolver._phase import Phase
from pkg.resolver.dot import phase_view
from pkg.resolver.reporter import Reporter
from pkg.resolver.result import (
    ConflictFailure,
    DependencyConflict,
    ResolvedVariant,
    SolveResult,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pkg.resolver._context import VariantSelectMode
    from pkg.resolver.provider import Provider

__all__ = ["solve"]


class _Run:
    """The mutable bookkeeping of one :func:`solve` call."""

    def __init__(self, ctx: SolveContext, reporter: Reporter, raise_on_missing: bool) -> None:
        self.ctx = ctx
        self.reporter = reporter
        self.raise_on_missing = raise_on_missing
        self.stack = [Phase.initial(ctx)]
        self.failed: list[Phase] = []
        self.num_solves = 0
        # Rendering phases as text costs time: only do it for a reporter that listens.
        self.verbose = type(reporter) is not Reporter

    @property
    def unsolved(self) -> bool:
        top = self.stack[-1].status
        if top == "cyclic":
            return False
        if len(self.stack) > 1:
            return top != "solved"
        return top in ("pending", "exhausted")

    @property
    def num_fails(self) -> int:
        return len(self.failed) + (self.stack[-1].status in ("failed", "cyclic"))

    def step(self) -> None:
        phase = self.stack.pop()
        if phase.status == "failed":
            self.failed.append(phase)
            phase = self.stack.pop()
        if phase.status == "exhausted":
            phase, rest = phase.split()
            self.stack.append(rest)
            if self.verbose:
                self.reporter.splitting(str(phase))
        if self.verbose:
            self.reporter.phase_starting(self.num_solves + 1, len(self.failed), str(phase))
        new = phase.solve(self.raise_on_missing)
        self.num_solves += 1
        if new.status == "solved":
            new = new.finalise()
        if new.failure is not None:
            self.reporter.phase_failed(new.failure)
        self.stack.append(new)

    def failures(self) -> list[Phase]:
        top = self.stack[-1]
        return self.failed + ([top] if top.status in ("failed", "cyclic") else [])


def _requests(requests: Sequence[Requirement | str]) -> list[Requirement]:
    return [parse_requirement(r) if isinstance(r, str) else r for r in requests]


def solve(
    requests: Sequence[Requirement | str],
    provider: Provider,
    *,
    variant_select_mode: VariantSelectMode = "version_priority",
    building: bool = False,
    max_fails: int = -1,
    time_limit: float = -1,
    reporter: Reporter | None = None,
    raise_on_missing: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> SolveResult:
    """Resolve ``requests`` against the packages of ``provider``.

    Args:
        requests: the request, in priority order (implicit packages included by the
            caller, usually last).
        provider: where package versions and requirements come from; package filters,
            orderers and timestamp locks are the provider's business.
        variant_select_mode: ``"version_priority"`` or ``"intersection_priority"``.
        building: add each package's ``build_requires`` to its variants.
        max_fails: stop (status ``failed``) once this many phases have failed; -1 means
            no limit.
        time_limit: stop (status ``aborted``) after this many seconds; -1 means none.
        reporter: receives progress; see :class:`Reporter`.
        raise_on_missing: when a dependency names an unknown family, raise
            (Rez's ``error_on_missing_variant_requires = True``) instead of failing the
            phase and backtracking.
        clock: the time source for ``time_limit``.

    Raises:
        PackageFamilyNotFoundError: a request names an unknown family (or a dependency
            does, with ``raise_on_missing``).
        PackageNotFoundError: no version of a family is in a requested range.
        ResolveError: a package's own requirements clash.

    The cyclic garbage collector is paused while the solver runs (and restored after):
    the solver makes no reference cycles, so its collections found nothing and took a
    fifth of the solve time.  Whatever cyclic garbage a provider makes is collected
    after the solve.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _solve(
            requests,
            provider,
            variant_select_mode,
            building,
            max_fails,
            time_limit,
            reporter or Reporter(),
            raise_on_missing,
            clock,
        )
    finally:
        if paused:
            gc.enable()


def _solve(
    requests: Sequence[Requirement | str],
    provider: Provider,
    variant_select_mode: VariantSelectMode,
    building: bool,
    max_fails: int,
    time_limit: float,
    reporter: Reporter,
    raise_on_missing: bool,
    clock: Callable[[], float],
) -> SolveResult:
    merged = RequirementList(_requests(requests))
    reporter.starting(merged.requirements)
    if merged.conflict is not None:
        failure = ConflictFailure((DependencyConflict(*merged.conflict),))
        result = SolveResult(
            "failed",
            failure=failure,
            failure_description=f"Resolve failed: the request clashes\n{failure.summary()}",
            num_fails=1,
        )
        reporter.ending(result)
        return result
    ctx = SolveContext(merged, provider, variant_select_mode, building)
    run = _Run(ctx, reporter, raise_on_missing)
    start = clock()
    abort = ""
    while run.unsolved:
        run.step()
        if not run.unsolved:
            break
        fails = run.num_fails
        if max_fails != -1 and fails >= max_fails:
            if fails:
                abort = f"fail limit reached: aborted after {fails} failures"
                break
        elif time_limit != -1 and clock() - start > time_limit:
            result = SolveResult(
                "aborted",
                failure_description="time limit exceeded",
                num_solves=run.num_solves,
                num_fails=fails,
                graph=why_graph(run.stack[-1], None),
                view=phase_view(run.stack[-1]),
            )
            reporter.ending(result)
            return result
    result = _result(run, abort)
    reporter.ending(result)
    return result


def _result(run: _Run, abort: str) -> SolveResult:
    top = run.stack[-1]
    if not abort and top.status == "solved":
        resolved = []
        ephemerals = []
        for scope in top.scopes:
            variant = scope.solved_variant
            if variant is not None:
                resolved.append(
                    ResolvedVariant(
                        variant.name, variant.version, variant.index, tuple(variant.reqs)
                    )
                )
            elif scope.ephemeral and not scope.is_conflict:
                ephemerals.append(scope.request)
        return SolveResult(
            "solved",
            tuple(resolved),
            tuple(ephemerals),
            num_solves=run.num_solves,
            num_fails=run.num_fails,
            graph=why_graph(top, None),
        )
    fails = run.failures()
    phase = fails[-1] if abort or top.status == "cyclic" else fails[0]
    description = describe_failure(phase.failure, phase)
    if abort:
        description = f"{abort}:\n{description}"
    return SolveResult(
        "cyclic" if top.status == "cyclic" else "failed",
        failure=phase.failure,
        failure_description=description,
        num_solves=run.num_solves,
        num_fails=run.num_fails,
        graph=why_graph(phase, phase.failure),
        view=phase_view(phase),
    )
