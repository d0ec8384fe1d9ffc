"""Domain tasks for the orchestrator: the per-variant pipeline of ``pkg build``.

:func:`~pkg.tasks.build.variant_tasks` turns one variant of a developer package into the
:class:`~pkg.orchestrator.Task` objects of its pipeline (re-evaluate, resolve, build,
install); :func:`~pkg.tasks.build.build_tasks` does it for the selected variants of a
package.  The caller (:mod:`pkg.api.build`) puts them in a
:class:`~pkg.orchestrator.Graph` and runs it.  Everything here is async on anyio and runs
under asyncio and trio; blocking work goes through ``TaskContext.run_sync``.
"""

from __future__ import annotations

from pkg.tasks.build import (
    BuildContext,
    BuildOptions,
    ContextResolver,
    VariantPlan,
    build_tasks,
    load_developer_package,
    plan_variants,
    variant_tasks,
)

__all__ = [
    "BuildContext",
    "BuildOptions",
    "ContextResolver",
    "VariantPlan",
    "build_tasks",
    "load_developer_package",
    "plan_variants",
    "variant_tasks",
]
