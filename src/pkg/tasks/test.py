"""Package tests (the ``tests`` attribute), as orchestrator tasks: ``pkg test``.

A package lists its tests as ``tests = {name: entry}``; an entry is a command (a string
run by the shell, or a list run as an argument vector) or a dict with ``command`` and
optionally ``requires`` (added to the test's environment), ``run_on`` (tags: ``default``,
``pre_install``, ``pre_release``, ``explicit``; default ``default``) and ``on_variants``
(``False``, the default: run on one variant only; ``True``: on every variant; or
``{"type": "requires", "value": [...]}``: on the variants whose own requires match).

:func:`plan_tests` decides which variants each test runs on, as Rez does, and returns one
:class:`TestJob` per task; :func:`test_tasks` turns the jobs into
:class:`~pkg.orchestrator.Task` objects that can run on their own graph (``pkg test``) or
inside another one (the ``pre_install`` tests of ``pkg build``).  A task resolves its
test environment through the injected :data:`TestResolver` (the package itself plus its
requires, the test's ``requires``, extra requests and the variant's requires), runs the
package's ``pre_test_commands`` and then the command in that environment, and returns
its :class:`TestResult` list.  A task whose test failed raises :class:`TestsFailed`
(carrying the results), so that a fail-fast run stops (``--stop-on-fail``).
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
import string
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal

from pkg.errors import PackageDefinitionError, PkgError
from pkg.orchestrator import Task

if TYPE_CHECKING:
    from pkg.config import Config
    from pkg.context import ContextFile
    from pkg.orchestrator import TaskContext
    from pkg.packages import Package, Variant
    from pkg.shells import Shell

__all__ = [
    "RUN_ON_TAGS",
    "TestContext",
    "TestJob",
    "TestOptions",
    "TestResolver",
    "TestResult",
    "TestSpec",
    "TestsFailed",
    "find_requested_tests",
    "get_test_spec",
    "on_variant_requires",
    "package_test_names",
    "package_test_tasks",
    "plan_tests",
]

#: The ``run_on`` tags Rez documents.
RUN_ON_TAGS = ("default", "pre_install", "pre_release", "explicit")

Status = Literal["success", "failed", "skipped"]


@dataclass(frozen=True)
class TestSpec:
    """One entry of a variant's ``tests``, normalised.

    Attributes:
        name: the test's name.
        command: a shell command line, or an argument vector.
        requires: the test's own extra requests.
        run_on: its tags (``("default",)`` when not given).
        on_variants: ``False``, ``True`` or the filter dict.
    """

    __test__ = False  # not a pytest class

    name: str
    command: str | tuple[str, ...]
    requires: tuple[str, ...] = ()
    run_on: tuple[str, ...] = ("default",)
    on_variants: bool | Mapping[str, Any] = False


@dataclass(frozen=True)
class TestContext:
    """A test environment: the context and its variants, or why there is none.

    ``failure`` is the one-line reason the environment could not be made (the test then
    fails with exit code -1, as in Rez).
    """

    __test__ = False

    context: ContextFile | None
    variants: tuple[Variant, ...] = ()
    failure: str | None = None


#: Resolves the requests of a test environment (called in a worker thread; it must be
#: thread-safe).
TestResolver = Callable[[Sequence[str]], TestContext]


@dataclass(frozen=True)
class TestResult:
    """What happened to one test on one variant (a row of the summary).

    Attributes:
        test: the test's name.
        variant: the variant (None when there was none to run on).
        status: ``success``, ``failed`` or ``skipped``.
        description: Rez's wording of why.
        exit_code: the command's exit status; -1 when the environment could not be made;
            0 otherwise.
    """

    __test__ = False

    test: str
    variant: Variant | None
    status: Status
    description: str
    exit_code: int = 0


class TestsFailed(PkgError):
    """A test task had a failing test; ``results`` holds everything it recorded."""

    __test__ = False

    def __init__(self, results: Sequence[TestResult]) -> None:
        self.results = tuple(results)
        failed = [r for r in self.results if r.status == "failed"]
        shown = "; ".join(f"{_label(r)}: {r.description}" for r in failed)
        super().__init__(f"test failed: {shown}")


@dataclass(frozen=True)
class TestJob:
    """One task: run ``test`` on ``variants`` in order.

    With ``until_pass`` (a test run on one variant whose preferred variant could not be
    found) the variants are tried in order until one passes, as Rez does.
    """

    __test__ = False

    test: str
    variants: tuple[Variant, ...]
    until_pass: bool = False

    @property
    def label(self) -> str:
        """``name`` or ``name[i]`` for a job on one variant of a package with variants."""
        if len(self.variants) == 1 and self.variants[0].index is not None:
            return f"{self.test}[{self.variants[0].index}]"
        return self.test


@dataclass(frozen=True)
class TestOptions:
    """How tests run.

    Attributes:
        extra_requests: added to every test environment (``--extra-packages``).
        extra_args: appended to the command (arguments after ``--``).
        dry_run: resolve and show, but do not run (results are ``skipped``).
        parent_environ: the environment tests start from (default: this process's).
    """

    __test__ = False

    extra_requests: tuple[str, ...] = ()
    extra_args: tuple[str, ...] = ()
    dry_run: bool = False
    parent_environ: Mapping[str, str] | None = field(default=None, compare=False)


# -- reading the tests attribute ------------------------------------------------------


def _entries(target: Package | Variant) -> dict[str, object]:
    value = target.tests
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise PackageDefinitionError(
            f"'tests' must be a dict of test name -> command, not {type(value).__name__}",
            filepath=_file(target),
            attribute="tests",
        )
    return {str(k): v for k, v in value.items()}


def _file(target: Package | Variant) -> str:
    package = target if target.is_package else target.package  # type: ignore[union-attr]
    return package.definition.filepath or package.uri


def _run_on(entry: object) -> tuple[str, ...]:
    value = entry.get("run_on") if isinstance(entry, Mapping) else None
    if not value:
        return ("default",)
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def package_test_names(package: Package, run_on: Sequence[str] | None = None) -> list[str]:
    """The package's test names, sorted; only those with a tag in ``run_on`` if given.

    Raises:
        PackageDefinitionError: ``tests`` is not a dict.
    """
    entries = _entries(package)
    if run_on:
        wanted = set(run_on)
        entries = {k: v for k, v in entries.items() if wanted & set(_run_on(v))}
    return sorted(entries)


def find_requested_tests(package: Package, requested: Sequence[str]) -> list[str]:
    """The tests to run: those tagged ``default`` when ``requested`` is empty, else every
    test matching one of the ``requested`` glob patterns (whatever its tags), sorted."""
    if not requested:
        return package_test_names(package, run_on=["default"])
    names = package_test_names(package)
    return sorted({n for pattern in requested for n in fnmatch.filter(names, pattern)})


def get_test_spec(variant: Variant, name: str) -> TestSpec | None:
    """The test ``name`` as this variant declares it (``tests`` may be late-bound and
    differ between variants), or None if the variant does not declare it.

    Raises:
        PackageDefinitionError: the entry has no command, or a field has the wrong type.
    """
    entry = _entries(variant).get(name)
    if not entry:
        return None
    where = f"test {name!r}"
    file = _file(variant)
    if not isinstance(entry, Mapping):
        entry = {"command": entry}
    command = entry.get("command")
    if isinstance(command, str):
        parsed: str | tuple[str, ...] = command
    elif isinstance(command, list | tuple) and command:
        parsed = tuple(str(c) for c in command)
    else:
        raise PackageDefinitionError(
            f"{where} needs a command (a string or a list)", filepath=file, attribute="tests"
        )
    requires = entry.get("requires") or []
    if isinstance(requires, str) or not isinstance(requires, list | tuple):
        raise PackageDefinitionError(
            f"{where}: 'requires' must be a list of requests", filepath=file, attribute="tests"
        )
    on_variants = entry.get("on_variants", False)
    if isinstance(on_variants, Mapping):
        if on_variants.get("type") != "requires" or not isinstance(
            on_variants.get("value"), list | tuple
        ):
            raise PackageDefinitionError(
                f"{where}: 'on_variants' must be a bool or "
                "{'type': 'requires', 'value': [requests]}",
                filepath=file,
                attribute="tests",
            )
    elif not isinstance(on_variants, bool):
        raise PackageDefinitionError(
            f"{where}: 'on_variants' must be a bool or a dict", filepath=file, attribute="tests"
        )
    return TestSpec(name, parsed, tuple(map(str, requires)), _run_on(entry), on_variants)


def on_variant_requires(variant: Variant, values: Sequence[str]) -> bool:
    """Whether ``variant`` passes an ``on_variants`` ``requires`` filter: its own requires
    merged with ``values`` do not clash, and the non-conflict requests of the merge are
    exactly the variant's (``["!foo", "bah"]``: variants with bah and without foo).

    Raises:
        RequestError: a value does not parse.
    """
    from pkg.core import RequirementList, parse_requirement

    own = list(variant.variant_requires)
    merged = RequirementList(own + [parse_requirement(v) for v in values])
    if merged.conflict is not None:
        return False
    plain = RequirementList([r for r in merged if not r.conflict])
    mine = RequirementList([r for r in own if not r.conflict])
    return plain == mine


def _package_request(package: Package) -> str:
    version = str(package.version)
    return f"{package.name}=={version}" if version else package.name


def _base_requests(variant: Variant, spec: TestSpec, options: TestOptions) -> list[str]:
    return [_package_request(variant.package), *spec.requires, *options.extra_requests]


# -- planning -------------------------------------------------------------------------


def plan_tests(
    package: Package,
    names: Sequence[str],
    options: TestOptions,
    resolve: TestResolver,
    *,
    variants: Sequence[Variant] | None = None,
) -> list[TestJob]:
    """The jobs that run ``names`` on ``package``, in order: per test, one job per variant
    for a test with ``on_variants`` set; for one without, a single job on the variant the
    resolver prefers for the test's request (Rez's rule), or, when no variant is
    preferred, one job trying every variant until one passes.

    ``variants`` restricts the candidates (``--inplace``: the current one).

    Raises:
        PackageDefinitionError: a test entry is malformed.
    """
    candidates = list(package.iter_variants()) if variants is None else list(variants)
    jobs: list[TestJob] = []
    for name in names:
        if variants is not None:
            jobs.extend(TestJob(name, (v,)) for v in candidates)
            continue
        preferred, once = _preferred(package, name, candidates, options, resolve)
        if preferred is not None:
            jobs.append(TestJob(name, (preferred,)))
        elif once:
            jobs.append(TestJob(name, tuple(candidates), until_pass=True))
        else:
            jobs.extend(TestJob(name, (v,)) for v in candidates)
    return jobs


def _preferred(
    package: Package,
    name: str,
    candidates: Sequence[Variant],
    options: TestOptions,
    resolve: TestResolver,
) -> tuple[Variant | None, bool]:
    """(the preferred variant for a run-once test or None, whether the test is run-once)."""
    once = False
    for variant in candidates:
        spec = get_test_spec(variant, name)
        if spec is None or spec.on_variants is not False:
            continue
        once = True
        found = resolve(_base_requests(variant, spec, options))
        if found.failure is not None or found.context is None:
            continue
        chosen = _resolved(found, package.name)
        if chosen is not None and _same_variant(chosen, variant):
            return variant, True
    return None, once


def _resolved(found: TestContext, name: str) -> Variant | None:
    return next((v for v in found.variants if v.name == name), None)


def _same_variant(a: Variant, b: Variant) -> bool:
    return (a.name, str(a.version), a.index, a.root) == (b.name, str(b.version), b.index, b.root)


# -- tasks ----------------------------------------------------------------------------


def package_test_tasks(
    jobs: Sequence[TestJob],
    options: TestOptions,
    config: Config,
    resolve: TestResolver,
    *,
    prefix: str = "test",
    deps: Sequence[str] = (),
) -> list[Task]:
    """One task per job, named ``<prefix>:<job label>``, each depending on ``deps``.

    A task returns its list of :class:`TestResult` and raises :class:`TestsFailed` when
    one of them failed.  Jobs are independent of each other, so they all run at once up
    to the runner's job limit.
    """
    tasks = []
    for job in jobs:
        runner = _JobRunner(job, options, config, resolve)
        tasks.append(Task(f"{prefix}:{job.label}", runner.run, deps=deps))
    return tasks


def _label(result: TestResult) -> str:
    if result.variant is None or result.variant.index is None:
        return result.test
    return f"{result.test}[{result.variant.index}]"


class _JobRunner:
    def __init__(
        self, job: TestJob, options: TestOptions, config: Config, resolve: TestResolver
    ) -> None:
        self.job = job
        self.options = options
        self.config = config
        self.resolve = resolve

    async def run(self, ctx: TaskContext) -> list[TestResult]:
        results: list[TestResult] = []
        for variant in self.job.variants:
            result = await self._run_one(ctx, variant)
            results.append(result)
            if result.status == "failed" and not self.job.until_pass:
                break
            if result.status == "success" and self.job.until_pass:
                break
        if any(r.status == "failed" for r in results):
            raise TestsFailed(results)
        return results

    async def _run_one(self, ctx: TaskContext, variant: Variant) -> TestResult:
        name = self.job.test

        def result(status: Status, description: str, code: int = 0) -> TestResult:
            if status == "failed" and code != -1:
                ctx.log(f"Test command exited with code {code}")
            elif status != "success":
                ctx.log(description)
            return TestResult(name, variant, status, description, code)

        spec = get_test_spec(variant, name)
        if spec is None:
            return result("skipped", "The test is not declared in this variant")
        ctx.log(f"Running test: {name}")
        ctx.log(f"Package: {variant.uri}")
        ctx.log("-" * 80)
        if isinstance(spec.on_variants, Mapping):
            values = [str(v) for v in spec.on_variants["value"]]
            if not on_variant_requires(variant, values):
                return result(
                    "skipped", "Test skipped as specified by on_variants 'requires' filter"
                )
        requests = _base_requests(variant, spec, self.options)
        requests += [str(r) for r in variant.variant_requires]
        ctx.log(f"Resolving test environment: {shlex.join(requests)}")
        found = await ctx.run_sync(self.resolve, requests)
        if found.failure is not None or found.context is None:
            return result("failed", found.failure or "The test environment failed to resolve", -1)
        chosen = _resolved(found, variant.name)
        if chosen is None or not _same_variant(chosen, variant):
            return result("skipped", "Could not resolve to variant (known issue)")
        command = _command(spec.command, variant, self.options.extra_args)
        shown = command if isinstance(command, str) else shlex.join(command)
        ctx.log(f"Running test command: {shown}")
        if self.options.dry_run:
            return result("skipped", "Dry run mode")
        code = await self._execute(ctx, found, variant, command)
        if code:
            return result("failed", f"Test failed with exit code {code}", code)
        return result("success", "Test succeeded")

    async def _execute(
        self,
        ctx: TaskContext,
        found: TestContext,
        variant: Variant,
        command: str | tuple[str, ...],
    ) -> int:
        parent = dict(
            os.environ if self.options.parent_environ is None else self.options.parent_environ
        )
        for name in ("BASH_ENV", "ENV"):
            parent.pop(name, None)
        with tempfile.TemporaryDirectory(prefix="pkg-test-") as tmp:
            script = os.path.join(tmp, "context.sh")
            rxt = os.path.join(tmp, "context.rxt")
            text = await ctx.run_sync(
                _script, found, self.config, parent, rxt, script, variant, self.job.test
            )
            Path(script).write_text(text, encoding="utf-8")
            if isinstance(command, str):
                argv = [
                    "bash",
                    "--noprofile",
                    "--norc",
                    "-c",
                    f". {shlex.quote(script)}\n{command}",
                ]
            else:
                argv = ["bash", "--noprofile", "--norc", "-c", '. "$0" && exec "$@"', script]
                argv += list(command)
            return await ctx.run_process(argv, env=parent, check=False)


def _command(
    command: str | tuple[str, ...], variant: Variant, extra: Sequence[str]
) -> str | tuple[str, ...]:
    """The command with ``{root}`` and the like expanded from the variant, plus ``extra``."""
    if isinstance(command, str):
        text = _format(command, variant)
        return f"{text} {shlex.join(extra)}" if extra else text
    return (*(_format(part, variant) for part in command), *extra)


class _VariantFormatter(string.Formatter):
    """``{attr}`` from the variant's attributes; an unknown field is left as written."""

    def __init__(self, variant: Variant) -> None:
        self.variant = variant

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int):
            raise KeyError(key)
        return getattr(self.variant, key)

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        try:
            return super().get_field(field_name, args, kwargs)
        except (AttributeError, KeyError, TypeError, IndexError, PkgError):
            head = re.match(r"[^.\[]+", field_name)
            return ("{" + field_name + "}", head.group() if head else field_name)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return " ".join(map(str, value))
        return super().convert_field(value, conversion)


def _format(text: str, variant: Variant) -> str:
    try:
        return _VariantFormatter(variant).format(text)
    except ValueError:  # unbalanced braces: leave the text alone, as Rez does
        return text


def _script(
    found: TestContext,
    config: Config,
    parent: Mapping[str, str],
    rxt: str,
    script: str,
    variant: Variant,
    test_name: str,
) -> str:
    """The bash script that sets up the test environment: ``REZ_RXT_FILE`` (the context,
    saved to ``rxt``), the packages' commands, the system paths, then the package's
    ``pre_test_commands`` (with ``this`` and ``test.name`` bound)."""
    from pkg.context import save_context
    from pkg.context.execute import context_info
    from pkg.rex import RexExecutor, VariantBinding, execute_context
    from pkg.shells import get_shell
    from pkg.shells.spawn import system_paths

    assert found.context is not None
    save_context(found.context, rxt)
    shell: Shell = get_shell("bash").from_config(config)
    executor = RexExecutor(config, parent, pathsep=shell.pathsep)
    executor.setenv("REZ_RXT_FILE", rxt)
    executor.setenv("REZ_CONTEXT_FILE", script)
    execute_context(executor, found.variants, context_info(found.context, config, parent))
    if found.context.append_sys_path:
        for path in system_paths(shell, parent, config.standard_system_paths):
            executor.appendenv("PATH", path)
    code = variant.pre_test_commands
    if code:
        executor.bind("this", VariantBinding(variant))
        executor.bind("test", SimpleNamespace(name=test_name))
        executor.execute(code)
    return shell.render(executor.actions)
