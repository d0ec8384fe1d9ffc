"""Progress hooks for the solver.  Every hook does nothing unless overridden.

The solver never prints: a caller that wants to show progress (the CLI's verbose mode,
a benchmark, a test) subclasses :class:`Reporter` and passes it to
:func:`pkg.resolver.solve`.  Hooks receive plain strings and numbers, never the solver's
internal objects, and must not raise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.core import Requirement
    from pkg.resolver.result import FailureReason, SolveResult

__all__ = ["Reporter"]


class Reporter:
    """Base reporter; override the hooks you need."""

    def starting(self, requests: Sequence[Requirement]) -> None:
        """Called once, with the merged request, before the first phase."""

    def phase_starting(self, number: int, num_fails: int, state: str) -> None:
        """Called before each phase is solved (``number`` counts from 1).

        ``state`` is the phase's scopes, one per family, as text.
        """

    def splitting(self, state: str) -> None:
        """Called when an exhausted phase is split; ``state`` is the preferred half."""

    def phase_failed(self, reason: FailureReason) -> None:
        """Called when a phase fails (the solve may still backtrack)."""

    def ending(self, result: SolveResult) -> None:
        """Called once with the final result."""
