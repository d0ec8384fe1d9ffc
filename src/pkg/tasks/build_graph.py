"""The task graph of one package's build: the per-variant pipelines of
:mod:`pkg.tasks.build` (which evaluate the preprocessed package) and, before each
install, the package's ``pre_install`` tests.

With ``-i``, Rez runs the tests whose ``run_on`` includes ``pre_install`` after a variant
is built and before it is installed; if one fails the variant is not installed and the
build fails.  Here that is two more kinds of task between ``build:<pkg>[i]`` and
``install:<pkg>[i]``:

``pretest:<pkg>[i]``
    installs the variant's staged payload, alone, into a throw-away repository in its
    build directory (``<build>/.pkg-pre-install``; the variant is its only one, as with
    Rez's temporary testing repository), so that a test environment can resolve it.
``pre_install:<pkg>[i]:<test>``
    one per test (:func:`pkg.tasks.test.package_test_tasks`), resolving its environment
    with the throw-away repository first.  A test that does not run on every variant
    (``on_variants`` unset or False) runs on the first variant built only, as Rez runs
    it once per build.

The install task waits for every test of its variant; a failing test fails the variant,
which is then not installed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pkg.errors import BuildError
from pkg.orchestrator import Task
from pkg.tasks.build import variant_tasks
from pkg.tasks.test import TestJob, TestOptions, package_test_names, package_test_tasks

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config
    from pkg.orchestrator import TaskContext
    from pkg.packages import Package, Variant
    from pkg.tasks.build import BuildOptions, ContextResolver, InstallClaims, VariantPlan
    from pkg.tasks.test import TestContext, TestResolver

__all__ = [
    "PRE_INSTALL_REPOSITORY",
    "PreInstallTests",
    "package_build_tasks",
    "pre_install_test_names",
]

#: The throw-away repository a variant's ``pre_install`` tests resolve it from.
PRE_INSTALL_REPOSITORY = ".pkg-pre-install"


@dataclass(frozen=True)
class PreInstallTests:
    """How to run the ``pre_install`` tests of an installing build.

    Attributes:
        make_resolver: makes a :data:`~pkg.tasks.test.TestResolver` over the given
            repositories; called once the variant's throw-away repository exists.
        paths: the repositories searched after the throw-away one.
        options: the test options (``parent_environ``).
    """

    make_resolver: Callable[[Sequence[str]], TestResolver]
    paths: tuple[str, ...]
    options: TestOptions = field(default_factory=TestOptions)


def pre_install_test_names(package: Package) -> list[str]:
    """The package's tests whose ``run_on`` includes ``pre_install``, sorted."""
    return package_test_names(package, run_on=["pre_install"])


def package_build_tasks(
    plans: Sequence[VariantPlan],
    options: BuildOptions,
    config: Config,
    resolver: ContextResolver,
    *,
    ordered_installs: bool = True,
    after: Sequence[str] = (),
    tests: PreInstallTests | None = None,
) -> list[Task]:
    """The tasks of every variant in ``plans`` (see :func:`pkg.tasks.build.build_tasks`
    for ``ordered_installs``); ``after`` names tasks every variant's evaluation waits for (the
    packages it depends on, in a build of several); ``tests`` adds the ``pre_install``
    tests of an installing build (the tasks are left out when the package has none).
    """
    names = pre_install_test_names(plans[0].package) if plans and tests is not None else []
    installing = options.install and not options.scripts
    every_variant = _on_every_variant(plans[0].package, names) if names else set()
    tasks: list[Task] = []
    built: list[str] = []
    for number, plan in enumerate(plans):
        wanted = [n for n in names if number == 0 or n in every_variant]
        extra: list[Task] = []
        if installing and wanted and tests is not None:
            extra = _test_tasks(plan, wanted, config, tests, options.claims)
        waits = [*(built if ordered_installs else ()), *(t.name for t in extra)]
        pipeline = variant_tasks(plan, options, config, resolver, install_after=waits, after=after)
        tasks.extend(pipeline)
        tasks.extend(extra)
        built.append(plan.task_name("build"))
    return tasks


def _on_every_variant(package: Package, names: Sequence[str]) -> set[str]:
    """The tests of ``names`` that run on every variant (``on_variants`` set); Rez runs
    the others once per build."""
    entries = package.tests if isinstance(package.tests, Mapping) else {}
    found = set()
    for name in names:
        entry = entries.get(name)
        if isinstance(entry, Mapping) and entry.get("on_variants") not in (None, False):
            found.add(name)
    return found


# -- pre_install tests ----------------------------------------------------------------


@dataclass(frozen=True)
class _PreInstallJob(TestJob):
    """A test job named by its test alone (the task name holds the variant)."""

    __test__ = False

    @property
    def label(self) -> str:
        return self.test


class _LateResolver:
    """A :data:`~pkg.tasks.test.TestResolver` made once the throw-away repository exists
    (a resolver made earlier would not see the package, newer than its timestamp)."""

    def __init__(self) -> None:
        self._inner: TestResolver | None = None
        self._lock = threading.Lock()

    def set(self, inner: TestResolver) -> None:
        with self._lock:
            self._inner = inner

    def __call__(self, requests: Sequence[str]) -> TestContext:
        with self._lock:
            inner = self._inner
        if inner is None:
            raise BuildError("the pre_install test repository was not made")
        return inner(requests)


def _test_tasks(
    plan: VariantPlan,
    names: Sequence[str],
    config: Config,
    tests: PreInstallTests,
    claims: InstallClaims,
) -> list[Task]:
    repository = os.path.join(plan.build_path, PRE_INSTALL_REPOSITORY)
    tested = _tested_variant(plan, repository, config)
    resolver = _LateResolver()
    stage = f"pretest:{plan.label}"

    async def make_repository(ctx: TaskContext) -> None:
        claim = claims.get(plan.label)  # installed in place, or else staged
        payload = str(claim.variant_dir) if claim is not None else plan.stage_path
        await ctx.run_sync(_stage_repository, plan, payload, repository, config)
        resolver.set(tests.make_resolver([repository, *tests.paths]))
        ctx.log(f"{plan.label} staged for its pre_install tests in {repository}")

    jobs = [_PreInstallJob(name, (tested,)) for name in names]
    test_tasks = package_test_tasks(
        jobs, tests.options, config, resolver, prefix=f"pre_install:{plan.label}", deps=[stage]
    )
    return [Task(stage, make_repository, deps=[plan.task_name("build")]), *test_tasks]


def _tested_variant(plan: VariantPlan, repository: str, config: Config) -> Variant:
    """The variant as the throw-away repository will hold it: the package with only this
    variant (index 0, or None without variants), based in that repository."""
    from pkg.packages import Package, PackageDefinition, Variant

    data = dict(plan.package.definition.data)
    if plan.index is not None:
        data["variants"] = [list(data["variants"])[plan.index]]  # type: ignore[call-overload]
    package = plan.package
    base = os.path.join(repository, package.name)
    if package.definition.version:
        base = os.path.join(base, package.definition.version)
    definition = PackageDefinition(data, os.path.join(base, "package.py"))
    index = None if plan.index is None else 0
    return Variant(Package(definition, None, base=base, config=config), index)


def _stage_repository(plan: VariantPlan, built: str, repository: str, config: Config) -> None:
    """Install ``plan``'s payload, built in ``built``, (hard links where possible) as the
    only variant of its package in a fresh ``repository``."""
    from pkg.packages import Variant
    from pkg.repositories import FilesystemRepository, delete_path

    if os.path.lexists(repository):
        delete_path(repository)
    os.makedirs(repository)

    def payload(_package_dir: Path, variant_dir: Path) -> None:
        shutil.copytree(
            built,
            variant_dir,
            symlinks=True,
            dirs_exist_ok=True,
            copy_function=_link_or_copy,
        )

    target = FilesystemRepository(repository, config)
    target.install_variant(Variant(plan.package, plan.index), payload=payload)


def _link_or_copy(source: str, target: str) -> object:
    with contextlib.suppress(OSError):
        os.link(source, target)
        return target
    return shutil.copy2(source, target)
