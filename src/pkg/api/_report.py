"""What every report of an orchestrated run (build, build of several, release) answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.orchestrator import RunResult

__all__ = ["RunReport"]


class RunReport:
    """A mixin for report dataclasses that hold the run's result as ``result``."""

    if TYPE_CHECKING:
        result: RunResult

    @property
    def ok(self) -> bool:
        """Every task succeeded."""
        return self.result.ok

    @property
    def interrupted(self) -> bool:
        """The run was stopped from outside (Ctrl-C)."""
        return self.result.interrupted
