"""The per-variant pipeline of ``pkg build``, as orchestrator tasks.

For each variant of a developer package, :func:`variant_tasks` makes up to four tasks,
each depending on the one before:

``evaluate:<pkg>[i]``
    re-evaluates the definition with ``building=True`` and the variant's
    ``build_variant_index``/``build_variant_requires`` (so ``@early`` attributes see the
    build), as Rez does.  That package is only used for the build context; the package
    installed is the one evaluated with ``building=False``.
``resolve:<pkg>[i]``
    wipes the build directory for ``-c``, resolves the build context (the variant's
    ``requires`` + ``build_requires`` + ``private_build_requires``, implicit packages
    added by the resolver, every package's build requirements) through the injected
    :data:`ContextResolver`, and writes ``build.rxt`` and ``variant.json`` into the
    variant's build directory, even when the resolve fails (the task then fails with the
    resolve's one-line reason).
``build:<pkg>[i]``
    runs each :class:`~pkg.buildsys.BuildStep` in the build context: a ``bash`` script
    renders the context (package commands, system paths), the step's ``REZ_BUILD_*``
    variables and the package's ``pre_build_commands``, then runs the step.  With
    ``scripts`` it writes the ``build-env`` scripts instead of building.
``install:<pkg>[i]`` (``-i`` only)
    copies ``build.rxt`` and ``variant.json`` next to the payload and publishes the
    variant: its definition is merged into ``package.py`` under the family's lock.

While installing, the build installs straight into the variant's final directory
(``REZ_BUILD_INSTALL_PATH``, as with Rez: builds may write that path into what they
install), which the build task first *claims*
(:func:`pkg.repositories._inplace.claim_variant`): the version stays hidden from readers
until it is published, and a build that fails or is cancelled rolls the claim back, so the
repository is left as it was.  Claims not published by the end of a run (a later step
failed, Ctrl-C) are rolled back by :meth:`InstallClaims.abandon_all`.  ``pkg release``
(which publishes all variants at once) and unversioned packages without variants install
into a staging directory (``.pkg-install`` in the variant's build directory) instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shlex
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

from pkg.buildsys import (
    BuildPackage,
    BuildRequest,
    BuildSystem,
    BuildType,
    build_environ,
    get_build_system,
)
from pkg.errors import BuildError, UsageError
from pkg.orchestrator import Task
from pkg.repositories import delete_path

if TYPE_CHECKING:
    from pkg.buildsys import BuildStep
    from pkg.config import Config
    from pkg.context import ContextFile
    from pkg.orchestrator import TaskContext
    from pkg.packages import Package, Variant
    from pkg.repositories._inplace import InstallClaim
    from pkg.rex import RexExecutor
    from pkg.shells import Shell

__all__ = [
    "BuildContext",
    "BuildContextError",
    "BuildOptions",
    "ContextResolver",
    "InstallClaims",
    "VariantPlan",
    "build_tasks",
    "copy_payload",
    "load_developer_package",
    "plan_variants",
    "stage_include_modules",
    "variant_tasks",
]

#: The subdirectory of a variant's build directory the build installs into (``-i``).
STAGE_DIRNAME = ".pkg-install"
#: The shells a ``build-env`` script is written for, with the extension of each.
SCRIPT_SHELLS: tuple[tuple[str, str], ...] = (
    ("bash", "sh"),
    ("tcsh", "csh"),
    ("powershell", "ps1"),
    ("cmd", "bat"),
)
#: The resource resolve tasks hold: one resolve at a time per run (they are quick, and the
#: package caches they fill are shared).
RESOLVE_RESOURCE = "build-resolve"
#: The prompt of a ``build-env`` shell.
BUILD_PROMPT = "BUILD> "


@dataclass(frozen=True, slots=True)
class BuildContext:
    """A resolved (or failed) build context.

    Attributes:
        context: the context file (what ``build.rxt`` holds).
        variants: the resolved variants, dependencies first (empty when failed).
        requests: the full request, implicit packages included (``REZ_BUILD_REQUIRES``).
        failure: the resolve's one-line reason when it failed, else None.
    """

    context: ContextFile
    variants: Sequence[Variant]
    requests: tuple[str, ...]
    failure: str | None = None


#: Resolves a build request (strings) into a :class:`BuildContext`; blocking, called in
#: a worker thread.  :mod:`pkg.api.build` supplies one built on ``create_context``.
ContextResolver = Callable[[Sequence[str]], BuildContext]


class BuildContextError(BuildError):
    """A variant's build context did not resolve.

    Attributes:
        context: the failed context (its graph is what ``--fail-graph`` shows).
    """

    def __init__(self, message: str, context: BuildContext) -> None:
        self.context = context
        super().__init__(message)


class InstallClaims:
    """The variant directories a run has claimed for in-place installs and not yet
    published, by variant label (thread-safe: claims are made in worker threads)."""

    def __init__(self) -> None:
        self._claims: dict[str, InstallClaim] = {}
        self._made: list[InstallClaim] = []  # claims that made their repository
        self._lock = threading.Lock()

    def add(self, label: str, claim: InstallClaim) -> None:
        with self._lock:
            self._claims[label] = claim
            if claim.created_repository:
                self._made.append(claim)

    def get(self, label: str) -> InstallClaim | None:
        with self._lock:
            return self._claims.get(label)

    def pop(self, label: str) -> InstallClaim | None:
        with self._lock:
            return self._claims.pop(label, None)

    def abandon(self, label: str) -> None:
        """Roll back the claim of ``label``, if any."""
        claim = self.pop(label)
        if claim is not None:
            claim.abandon()
            self._tidy()

    def abandon_all(self) -> None:
        """Roll back every claim left (the end of a run)."""
        with self._lock:
            claims = list(self._claims.values())
            self._claims.clear()
        for claim in claims:
            claim.abandon()
        self._tidy()

    def _tidy(self) -> None:
        """Once every claim is gone: remove a repository a claim made and nothing uses
        (a failed first install into a new repository leaves no directory behind)."""
        from pkg.repositories._inplace import remove_if_unused

        with self._lock:
            if self._claims or not self._made:
                return  # a claim is still open (every claim gone is published or rolled back)
            made, self._made = self._made, []
        for repo in {id(claim.repo): claim.repo for claim in made}.values():
            remove_if_unused(repo)


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build and how (the flags of ``pkg build``).

    Attributes:
        build_system: the build system's name (already detected or forced).
        install: install the variants (``-i``).
        install_root: the repository installed into (``-p``, else ``local_packages_path``);
            also where ``REZ_BUILD_INSTALL_PATH`` points when not installing.
        clean: wipe each variant's build directory first (``-c``).
        scripts: write ``build-env`` scripts instead of building (``-s``).
        build_args: extra build system arguments (``--ba``, after ``--``).
        child_build_args: extra arguments for the child build system (``--cba``).
        system_options: values of the system's own options and ``parse_build_args``.
        thread_count: ``REZ_BUILD_THREAD_COUNT`` (``build_thread_count``).
        build_type: ``local`` or ``central``.
        build_directory: the build directory under the source (``build_directory``).
        parent_environ: the environment the build context starts from (None: this
            process's).
        claims: the run's in-place install claims (see :class:`InstallClaims`).
    """

    build_system: str
    install: bool = False
    install_root: str = ""
    clean: bool = False
    scripts: bool = False
    build_args: tuple[str, ...] = ()
    child_build_args: tuple[str, ...] = ()
    system_options: Mapping[str, object] = field(default_factory=dict)
    thread_count: int = 1
    build_type: BuildType = "local"
    build_directory: str = "build"
    parent_environ: Mapping[str, str] | None = None
    claims: InstallClaims = field(default_factory=InstallClaims, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class VariantPlan:
    """Where one variant is built and installed.

    Attributes:
        package: the developer package (evaluated with ``building=False``).
        index: the variant index, None for a package without variants.
        subpath: the variant's directory under the package (the hash for hashed
            variants); ``""`` without variants.
        build_path: the variant's build directory.
        install_path: the variant's final directory in the install repository.
    """

    package: Package
    index: int | None
    subpath: str
    build_path: str
    install_path: str

    @property
    def label(self) -> str:
        """``name-version[i]`` (``[]`` without variants), the suffix of the task names."""
        return f"{self.package.qualified_name}[{'' if self.index is None else self.index}]"

    @property
    def stage_path(self) -> str:
        """Where the build installs when installing (moved into the repository after)."""
        return os.path.join(self.build_path, STAGE_DIRNAME)

    @property
    def variant_requires(self) -> list[str]:
        if self.index is None:
            return []
        return [str(r) for r in self.package.variants[self.index]]

    def task_name(self, stage: str) -> str:
        """The name of this variant's ``stage`` task (``build:foo-1.0[0]``)."""
        return f"{stage}:{self.label}"


def load_developer_package(
    source_dir: str,
    config: Config,
    *,
    building: bool = False,
    early_bindings: Mapping[str, object] | None = None,
) -> Package:
    """The package defined in ``source_dir`` (``package.py``/``package.yaml``).

    Raises:
        BuildError: the directory has no definition file.
        PackageDefinitionError: the definition is invalid.
    """
    from pkg.packages import Package, find_definition_file, load_definition

    path = find_definition_file(Path(source_dir), config)
    if path is None:
        raise BuildError(f"{source_dir}: no package definition (package.py) in this directory")
    definition = load_definition(
        path, config=config, building=building, early_bindings=early_bindings
    )
    return Package(definition, None, config=config)


def _variant_subpath(package: Package, index: int | None) -> str:
    if index is None:
        return ""
    from pkg.packages import variant_hash

    requires = package.variants[index]
    if package.hashed_variants:
        return variant_hash(requires)
    return os.path.join(*(r.safe_str() for r in requires)) if requires else ""


def plan_variants(
    package: Package,
    *,
    source_dir: str,
    install_root: str,
    build_directory: str = "build",
    variants: Sequence[int] | None = None,
) -> list[VariantPlan]:
    """The variants to build, in index order; ``variants`` selects some (negative
    indices count from the end, as in Rez).

    Raises:
        UsageError: an index is out of range.
    """
    count = package.num_variants
    if not count:
        indices: list[int | None] = [None]
        if variants:
            raise UsageError(f"{package.qualified_name} has no variants; drop --variants")
    else:
        chosen = range(count) if variants is None else variants
        found: set[int] = set()
        for wanted in chosen:
            if not -count <= wanted < count:
                raise UsageError(
                    f"{package.qualified_name} has no variant {wanted} "
                    f"(it has {count}: 0 to {count - 1})"
                )
            found.add(wanted % count)
        indices = [*sorted(found)]
    root = os.path.join(source_dir, build_directory)
    version = str(package.version)
    package_dir = os.path.join(install_root, package.name, version) if version else None
    plans = []
    for index in indices:
        subpath = _variant_subpath(package, index)
        base = package_dir or os.path.join(install_root, package.name)
        plans.append(
            VariantPlan(
                package,
                index,
                subpath,
                os.path.join(root, subpath) if subpath else root,
                os.path.join(base, subpath) if subpath else base,
            )
        )
    return plans


def build_tasks(
    plans: Sequence[VariantPlan],
    options: BuildOptions,
    config: Config,
    resolver: ContextResolver,
    *,
    ordered_installs: bool = True,
) -> list[Task]:
    """The tasks of every variant in ``plans``.

    With ``ordered_installs`` (the default, for fail-fast runs) a variant is installed
    only after every variant before it has been built, so the variants appear in the
    installed ``package.py`` in their source order, as with Rez's one-by-one builds.
    Builds still run concurrently.  Pass False with ``--keep-going``, so that a variant
    that fails does not keep the ones after it from being installed (they are then
    added in the order they finish).
    """
    tasks: list[Task] = []
    built: list[str] = []
    for plan in plans:
        after = tuple(built) if ordered_installs else ()
        tasks.extend(variant_tasks(plan, options, config, resolver, install_after=after))
        built.append(plan.task_name("build"))
    return tasks


def variant_tasks(
    plan: VariantPlan,
    options: BuildOptions,
    config: Config,
    resolver: ContextResolver,
    *,
    install_after: Sequence[str] = (),
    after: Sequence[str] = (),
    install_task: bool = True,
) -> list[Task]:
    """The pipeline of one variant: evaluate, resolve, build and (``-i``) install tasks.

    The build and install tasks return the variant's :class:`VariantResult`.  Install
    tasks hold the ``install-lock:<family>`` resource, so variants of one family install
    one at a time within a run (the repository's file lock orders them between
    processes); ``install_after`` names more tasks the install waits for.  ``after``
    names tasks the evaluation waits for.  Without ``install_task`` (``pkg release``,
    which publishes all variants at once) an installing build stops once the build has
    installed into the variant's staging directory (:attr:`VariantPlan.stage_path`).
    """
    in_place = options.install and not options.scripts and install_task
    pipeline = _Pipeline(plan, options, config, resolver, in_place=in_place)
    names = {stage: plan.task_name(stage) for stage in ("evaluate", "resolve", "build", "install")}
    tasks = [
        Task(names["evaluate"], pipeline.evaluate, deps=after),
        Task(
            names["resolve"],
            pipeline.resolve,
            deps=[names["evaluate"]],
            resources={RESOLVE_RESOURCE: 1},
        ),
        Task(names["build"], pipeline.build, deps=[names["resolve"]]),
    ]
    if options.install and not options.scripts and install_task:
        tasks.append(
            Task(
                names["install"],
                pipeline.install,
                deps=[names["build"], *install_after],
                resources={f"install-lock:{plan.package.name}": 1},
            )
        )
    return tasks


@dataclass(frozen=True, slots=True)
class VariantResult:
    """What a variant's pipeline produced.

    Attributes:
        plan: the variant.
        scripts: the ``build-env`` scripts written (``-s``).
        installed: the installed variant's directory, or None.
    """

    plan: VariantPlan
    scripts: tuple[str, ...] = ()
    installed: str | None = None


class _Pipeline:
    """The task functions of one variant; each reads its predecessor's result."""

    def __init__(
        self,
        plan: VariantPlan,
        options: BuildOptions,
        config: Config,
        resolver: ContextResolver,
        *,
        in_place: bool = False,
    ) -> None:
        self.plan = plan
        self.options = options
        self.config = config
        self.resolver = resolver
        self.in_place = in_place

    # -- evaluate -------------------------------------------------------------------------
    async def evaluate(self, ctx: TaskContext) -> Variant:
        return await ctx.run_sync(self._evaluate)

    def _evaluate(self) -> Variant:
        from pkg.packages import Variant
        from pkg.tasks.developer import load_build_package  # it imports this module

        plan = self.plan
        # preprocessed: the build context is made from the package as it will be installed
        package, _config = load_build_package(
            self._source_dir(),
            self.config,
            building=True,
            early_bindings={
                "build_variant_index": plan.index or 0,
                "build_variant_requires": plan.variant_requires,
            },
        )
        if plan.index is not None and plan.index >= package.num_variants:
            raise BuildError(
                f"{package.definition.filepath}: variant {plan.index} is gone when building"
            )
        return Variant(package, plan.index)

    # -- resolve --------------------------------------------------------------------------
    async def resolve(self, ctx: TaskContext) -> tuple[Variant, BuildContext]:
        variant = _variant(ctx.result_of(self.plan.task_name("evaluate")))
        context = await ctx.run_sync(self._resolve, variant)
        if context.failure is not None:
            raise BuildContextError(
                f"{self.plan.label}: the build environment did not resolve: {context.failure}",
                context,
            )
        ctx.log(f"build context: {' '.join(v.qualified_name for v in context.variants)}")
        return variant, context

    def _resolve(self, variant: Variant) -> BuildContext:
        from pkg.context import save_context

        plan = self.plan
        if self.options.clean and os.path.isdir(plan.build_path):
            delete_path(plan.build_path)
        os.makedirs(plan.build_path, exist_ok=True)
        requests = [str(r) for r in variant.requires]
        requests += [str(r) for r in variant.build_requires or ()]
        requests += [str(r) for r in variant.private_build_requires or ()]
        context = self.resolver(requests)
        save_context(context.context, os.path.join(plan.build_path, "build.rxt"))
        if plan.index is not None:
            data = {"index": plan.index, "data": plan.variant_requires}
            with open(os.path.join(plan.build_path, "variant.json"), "w", encoding="utf-8") as f:
                json.dump(data, f, indent=2)
        return context

    # -- build ----------------------------------------------------------------------------
    async def build(self, ctx: TaskContext) -> VariantResult:
        variant, context = _pair(ctx.result_of(self.plan.task_name("resolve")))
        plan, options = self.plan, self.options
        system = get_build_system(options.build_system, source_dir=self._source_dir())
        parent = dict(os.environ if options.parent_environ is None else options.parent_environ)
        for name in ("BASH_ENV", "ENV"):
            parent.pop(name, None)
        shell = _bash(self.config)
        rxt = os.path.join(plan.build_path, "build.rxt")
        base = _run_context(context, self.config, shell, parent, rxt, rxt + ".sh")
        claim = None
        if self.in_place:
            claim = await ctx.run_sync(self._claim, variant)
        elif options.install and not options.scripts:
            await ctx.run_sync(self._fresh_stage)
        request = self._request(variant, context, base.environ, parent, claim is not None)
        try:
            await self._run_steps(
                ctx, system.steps(request), context, shell, parent, rxt, variant, request
            )
        except BaseException:
            # Rolled back now, whether the build failed or was cancelled (plain calls:
            # nothing here can be cancelled half-way).
            self.options.claims.abandon(plan.label)
            raise
        scripts: tuple[str, ...] = ()
        if options.scripts:
            scripts = tuple(
                await ctx.run_sync(
                    self._write_scripts, context, parent, rxt, variant, request, system
                )
            )
        return VariantResult(plan, scripts=scripts)

    def _claim(self, variant: Variant) -> InstallClaim | None:
        """Claim the variant's directory in the install repository (None: this package
        installs through a staging directory; see the module docstring)."""
        from pkg.packages import Variant as VariantType
        from pkg.repositories import FilesystemRepository
        from pkg.repositories._inplace import claim_variant
        from pkg.repositories.search import RepositoryPool

        repository = RepositoryPool(self.config).get(self.options.install_root)
        if not isinstance(repository, FilesystemRepository):
            raise BuildError(f"{self.options.install_root}: not a file system repository")
        claim = claim_variant(repository, VariantType(self.plan.package, self.plan.index))
        if claim is None:
            self._fresh_stage()
        else:
            self.options.claims.add(self.plan.label, claim)
        return claim

    async def _run_steps(
        self,
        ctx: TaskContext,
        steps: Sequence[BuildStep],
        context: BuildContext,
        shell: Shell,
        parent: dict[str, str],
        rxt: str,
        variant: Variant,
        request: BuildRequest,
    ) -> None:
        plan = self.plan
        with tempfile.TemporaryDirectory(prefix="pkg-build-") as tmp:
            for number, step in enumerate(steps):
                script = os.path.join(tmp, f"step{number}.sh")
                text = self._script(context, shell, parent, rxt, script, step.env, variant, request)
                Path(script).write_text(text, encoding="utf-8")
                ctx.log(f"[{step.label}] {_shown(step.command)}")
                argv = _step_argv(script, step.command)
                status = await ctx.run_process(argv, cwd=step.cwd, env=parent, check=False)
                if status:
                    how = f"signal {-status}" if status < 0 else f"status {status}"
                    raise BuildError(
                        f"{plan.label}: the {step.label} step failed ({how}): "
                        f"{_shown(step.command)}"
                    )

    def _source_dir(self) -> str:
        return os.path.dirname(self.plan.package.definition.filepath)

    def _request(
        self,
        variant: Variant,
        context: BuildContext,
        context_environ: Mapping[str, str],
        parent: Mapping[str, str],
        in_place: bool,
    ) -> BuildRequest:
        plan, options = self.plan, self.options
        staged = options.install and not options.scripts and not in_place
        settings: Mapping[str, object] = {}
        plugin = getattr(self.config.plugins.build_system, options.build_system, None)
        if plugin is not None:
            import dataclasses

            settings = dataclasses.asdict(plugin)
        return BuildRequest(
            package=BuildPackage.from_package(variant.package),
            source_path=self._source_dir(),
            build_path=plan.build_path,
            install_path=plan.stage_path if staged else plan.install_path,
            install=options.install,
            build_type=options.build_type,
            variant_index=plan.index,
            variant_requires=tuple(plan.variant_requires),
            variant_subpath=plan.subpath,
            build_requires=context.requests,
            thread_count=options.thread_count,
            build_args=options.build_args,
            child_build_args=options.child_build_args,
            scripts=options.scripts,
            options=options.system_options,
            settings=settings,
            context_environ={**parent, **context_environ},
        )

    def _fresh_stage(self) -> None:
        stage = self.plan.stage_path
        if os.path.lexists(stage):
            delete_path(stage)
        os.makedirs(stage)

    def _script(
        self,
        context: BuildContext,
        shell: Shell,
        parent: Mapping[str, str],
        rxt: str,
        script: str,
        build_env: Mapping[str, str],
        variant: Variant,
        request: BuildRequest,
        prompt: bool = False,
    ) -> str:
        executor = _run_context(context, self.config, shell, parent, rxt, script)
        from pkg.rex import literal

        for key, value in build_env.items():
            executor.setenv(key, literal(value))
        code = variant.pre_build_commands
        if code:
            from pkg.rex import VariantBinding

            executor.bind("this", VariantBinding(variant))
            executor.bind(
                "build",
                SimpleNamespace(
                    build_type=request.build_type,
                    install=request.install,
                    build_path=request.build_path,
                    install_path=request.install_path,
                ),
            )
            executor.execute(code)
        if prompt:
            executor.setenv("PKG_BUILD_PROMPT", literal(BUILD_PROMPT))
        return shell.render(executor.actions)

    def _write_scripts(
        self,
        context: BuildContext,
        parent: Mapping[str, str],
        rxt: str,
        variant: Variant,
        request: BuildRequest,
        system: BuildSystem,
    ) -> list[str]:
        from pkg.shells import get_shell

        environ = build_environ(request, system)
        written = []
        directory = self.plan.build_path
        for name, ext in SCRIPT_SHELLS:
            shell = get_shell(name).from_config(self.config)
            path = os.path.join(directory, f"build-env.{ext}")
            body = self._script(
                context, shell, parent, rxt, path, environ, variant, request, prompt=True
            )
            Path(path).write_text(body + _prompt_lines(name), encoding=shell.encoding)
            written.append(path)
        launcher = os.path.join(directory, "build-env")
        sourced = shlex.quote(os.path.join(directory, "build-env.sh"))
        Path(launcher).write_text(
            "#!/usr/bin/env bash\n"
            "# Opens a bash shell in this variant's build context (written by pkg build -s).\n"
            f"cd {shlex.quote(directory)} || exit 1\n"
            f'exec bash --rcfile {sourced} -i "$@"\n',
            encoding="utf-8",
        )
        os.chmod(launcher, os.stat(launcher).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return [launcher, *written]

    # -- install --------------------------------------------------------------------------
    async def install(self, ctx: TaskContext) -> VariantResult:
        installed = await ctx.run_sync(self._install)
        ctx.log(f"installed {self.plan.label} into {installed}")
        return VariantResult(self.plan, installed=installed)

    def _install(self) -> str:
        from pkg.packages import Variant
        from pkg.repositories.search import RepositoryPool

        plan = self.plan
        includes = _include_modules(plan.package, self.config)
        claim = self.options.claims.get(plan.label)
        if claim is not None:

            def extras(package_dir: Path, variant_dir: Path) -> None:
                _copy_build_files(plan, variant_dir)
                _write_include_modules(package_dir, includes)

            try:
                published = claim.publish(Variant(plan.package, plan.index), payload=extras)
            except BaseException:
                self.options.claims.abandon(plan.label)
                raise
            self.options.claims.pop(plan.label)
            done = published.variant
            return (done.root if done is not None else None) or plan.install_path
        repository = RepositoryPool(self.config).get(self.options.install_root)

        def payload(package_dir: Path, variant_dir: Path) -> None:
            copy_payload(plan, variant_dir)
            _write_include_modules(package_dir, includes)

        result = repository.install_variant(Variant(plan.package, plan.index), payload=payload)
        with contextlib.suppress(OSError):
            delete_path(plan.stage_path)
        variant = result.variant
        return (variant.root if variant is not None else None) or plan.install_path


def copy_payload(plan: VariantPlan, variant_dir: Path) -> None:
    """Copy what an installing build of ``plan`` staged (its payload, ``build.rxt`` and
    ``variant.json``) into ``variant_dir`` (created if missing)."""
    shutil.copytree(plan.stage_path, variant_dir, symlinks=True, dirs_exist_ok=True)
    _copy_build_files(plan, variant_dir)


def _copy_build_files(plan: VariantPlan, variant_dir: Path) -> None:
    """Copy the variant's ``build.rxt`` and ``variant.json`` into ``variant_dir``."""
    extras = [os.path.join(plan.build_path, "build.rxt")]
    if plan.index is not None:
        extras.append(os.path.join(plan.build_path, "variant.json"))
    for extra in extras:
        shutil.copy2(extra, variant_dir)


def stage_include_modules(package: Package, config: Config, package_dir: Path) -> None:
    """Copy the ``@include`` modules of ``package`` into ``package_dir/.rez/include``."""
    _write_include_modules(package_dir, _include_modules(package, config))


def _include_modules(package: Package, config: Config) -> dict[str, bytes]:
    """The ``@include`` modules of ``package``'s functions: module name -> file content.

    They are read from ``package_definition_python_path``; a module missing there is
    left out (the package's commands then fail where they use it, as with Rez).
    """
    from pkg.packages._code import SourceCode

    directory = config.package_definition_python_path
    names = {
        name
        for value in package.definition.data.values()
        if isinstance(value, SourceCode)
        for name in value.includes
    }
    found = {}
    for name in sorted(names):
        if not directory:
            break
        with contextlib.suppress(OSError), open(os.path.join(directory, f"{name}.py"), "rb") as f:
            found[name] = f.read()
    return found


def _write_include_modules(package_dir: Path, modules: Mapping[str, bytes]) -> None:
    """Copy ``@include`` modules into the installed package's ``.rez/include``, each with
    a ``.sha1`` file holding the SHA-1 of its stripped content (Rez's layout)."""
    from pkg.packages import INCLUDE_SUBPATH

    if not modules:
        return
    target = package_dir / INCLUDE_SUBPATH
    target.mkdir(parents=True, exist_ok=True)
    for name, content in modules.items():
        (target / f"{name}.py").write_bytes(content)
        (target / f"{name}.sha1").write_text(hashlib.sha1(content.strip()).hexdigest())


def _variant(value: object) -> Variant:
    from pkg.packages import Variant

    assert isinstance(value, Variant)
    return value


def _pair(value: object) -> tuple[Variant, BuildContext]:
    assert isinstance(value, tuple)
    variant, context = value
    return variant, context


def _bash(config: Config) -> Shell:
    from pkg.shells import get_shell

    return get_shell("bash").from_config(config)


def _run_context(
    context: BuildContext,
    config: Config,
    shell: Shell,
    parent: Mapping[str, str],
    rxt_file: str,
    context_file: str,
) -> RexExecutor:
    """An executor that has run the context: ``REZ_RXT_FILE``, ``REZ_CONTEXT_FILE``, the
    packages' commands, then the system paths, as ``rez-env`` does before the build's
    own actions (Rez's ``post_actions_callback``)."""
    from pkg.context.execute import context_info
    from pkg.rex import RexExecutor, execute_context
    from pkg.shells.spawn import system_paths

    executor = RexExecutor(config, parent, pathsep=shell.pathsep)
    executor.setenv("REZ_RXT_FILE", rxt_file)
    executor.setenv("REZ_CONTEXT_FILE", context_file)
    execute_context(executor, context.variants, context_info(context.context, config, parent))
    if context.context.append_sys_path:
        for path in system_paths(shell, parent, config.standard_system_paths):
            executor.appendenv("PATH", path)
    return executor


def _step_argv(script: str, command: tuple[str, ...] | str) -> list[str]:
    """bash sourcing the step's script, then running the command (a command line for a
    string, an exec of the argument vector otherwise)."""
    if isinstance(command, str):
        return ["bash", "--noprofile", "--norc", "-c", f". {shlex.quote(script)}\n{command}"]
    return ["bash", "--noprofile", "--norc", "-c", '. "$0" && exec "$@"', script, *command]


def _shown(command: tuple[str, ...] | str) -> str:
    return command if isinstance(command, str) else shlex.join(command)


def _prompt_lines(shell: str) -> str:
    """What sets the ``BUILD>`` prompt in a sourced ``build-env`` script."""
    if shell == "bash":
        return f"\nPS1={shlex.quote(BUILD_PROMPT)}\n"
    if shell == "tcsh":
        return f'\nset prompt="{BUILD_PROMPT}"\n'
    if shell == "powershell":
        return f'\nfunction prompt {{ "{BUILD_PROMPT}" }}\n'
    return f"\r\nprompt {BUILD_PROMPT.replace('>', '$G')}\r\n"
