"""The steps of ``pkg pip``, as orchestrator tasks.

``pip-install``
    runs ``python -m pip install --target <staging> ...`` once, as a subprocess (its
    output streamed as the task's output), for the whole dependency tree.
``convert:<name>``
    one task per distribution pip installed, all independent, so they run
    concurrently: read the ``.dist-info``, map the distribution to a package
    (:func:`pkg.pip.convert_distribution`) and install its single variant through
    :meth:`~pkg.repositories.base.Repository.install_variant` (staged, renamed into place,
    under the family's lock).  A variant already installed is skipped and its files are
    not rewritten; a dry run only converts.

The distributions are only known once pip has run, so the two steps are two graphs:
:func:`pip_install_task` first, then :func:`convert_tasks` over what it installed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pkg.errors import PkgError
from pkg.orchestrator import ProcessError, Task

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence
    from pathlib import Path

    from pkg.config import Config
    from pkg.core import Version
    from pkg.orchestrator import TaskContext
    from pkg.pip import InstalledDist, PipPackage

__all__ = [
    "PIP_TASK",
    "ConvertOptions",
    "ConvertResult",
    "PipInstallError",
    "PipRun",
    "convert_tasks",
    "pip_install_task",
]

#: The name of the pip task.
PIP_TASK = "pip-install"


class PipInstallError(PkgError):
    """``pip install`` failed; :attr:`tail` holds the last lines pip printed."""

    def __init__(self, message: str, tail: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.tail = tuple(tail)


@dataclass(frozen=True, slots=True)
class PipRun:
    """One ``pip install``.

    Attributes:
        argv: the whole command (``python -m pip install ...``).
        env: its environment (None: this process's).
    """

    argv: tuple[str, ...]
    env: Mapping[str, str] | None = None


def pip_install_task(run: PipRun) -> Task:
    """The task running ``run``; it fails with :class:`~pkg.orchestrator.ProcessError`
    (the caller turns it into a :class:`PipInstallError` with pip's output)."""

    async def install(ctx: TaskContext) -> int:
        ctx.log("running: " + " ".join(run.argv))
        return await ctx.run_process(run.argv, env=run.env)

    return Task(PIP_TASK, install)


@dataclass(frozen=True, slots=True)
class ConvertOptions:
    """How distributions become packages.

    Attributes:
        target: the pip target directory.
        install_root: the repository to install into.
        python_version: the Python pip installed for.
        interpreter: that Python's executable (script wrappers fall back to it).
        platform, arch: this machine's.
        remaps: the ``pip_install_remaps`` setting.
        extras: lowercase distribution name -> the extras requested for it.
        dry_run: convert only; install nothing.
        move_files: move the files out of ``target`` instead of copying them (for a
            staging directory that is deleted afterwards).
    """

    target: Path
    install_root: str
    python_version: Version
    interpreter: str
    platform: str
    arch: str
    remaps: Sequence[Mapping[str, str]]
    extras: Mapping[str, Collection[str]] = field(default_factory=dict)
    dry_run: bool = False
    move_files: bool = False


@dataclass(frozen=True, slots=True)
class ConvertResult:
    """What became of one distribution.

    Attributes:
        package: the converted package.
        root: the variant's directory in the repository (the existing one when skipped;
            None for a dry run of a variant not installed yet).
        skipped: an equivalent variant was already installed.
        warnings: one-line warnings of the conversion.
    """

    package: PipPackage
    root: str | None
    skipped: bool
    warnings: tuple[str, ...] = ()


def convert_tasks(
    dists: Sequence[InstalledDist], options: ConvertOptions, config: Config
) -> list[Task]:
    """One ``convert:<name>`` task per distribution; each returns a :class:`ConvertResult`."""
    names = {d.name.lower(): d.name for d in dists}
    return [Task(f"convert:{d.name}", _Converter(d, options, config, names).run) for d in dists]


class _Converter:
    def __init__(
        self,
        dist: InstalledDist,
        options: ConvertOptions,
        config: Config,
        names: Mapping[str, str],
    ) -> None:
        self.dist = dist
        self.options = options
        self.config = config
        self.names = names

    async def run(self, ctx: TaskContext) -> ConvertResult:
        result = await ctx.run_sync(self._convert)
        for warning in result.warnings:
            ctx.log(f"warning: {warning}")
        for line in result.package.skipped:
            ctx.log(f"requirement left out: {line}")
        state = "already installed" if result.skipped else "installed"
        if self.options.dry_run and not result.skipped:
            state = "would be installed"
        ctx.log(f"{result.package.qualified_name}: {state}")
        return result

    def _convert(self) -> ConvertResult:
        from pkg.packages import Package, PackageDefinition, RepositoryRef, Variant
        from pkg.pip import convert_distribution
        from pkg.pip.convert import write_payload
        from pkg.repositories.search import RepositoryPool

        options = self.options
        warnings: list[str] = []
        package = convert_distribution(
            self.dist,
            options.target,
            python_version=options.python_version,
            platform=options.platform,
            arch=options.arch,
            remaps=options.remaps,
            extras=options.extras.get(self.dist.name.lower(), ()),
            names=self.names,
            warn=warnings.append,
        )
        warnings += [f"{path}: listed in RECORD but missing" for path in package.missing]
        source = Package(PackageDefinition(package.data, "", "py"), RepositoryRef("memory", "pip"))
        variant = Variant(source, 0)
        root = options.install_root
        if options.dry_run and not os.path.isdir(root):
            return ConvertResult(package, None, False, tuple(warnings))
        os.makedirs(root, exist_ok=True)
        repository = RepositoryPool(self.config).get(root)
        existing = repository.install_variant(variant, dry_run=True).variant
        if existing is not None:
            return ConvertResult(package, existing.root, True, tuple(warnings))
        if options.dry_run:
            return ConvertResult(package, None, False, tuple(warnings))

        def payload(_package_dir: Path, variant_dir: Path) -> None:
            write_payload(
                package,
                options.target,
                variant_dir,
                python_version=options.python_version,
                interpreter=options.interpreter,
                move=options.move_files,
            )

        installed = repository.install_variant(variant, payload=payload)
        where = installed.variant.root if installed.variant is not None else None
        return ConvertResult(package, where, installed.existed, tuple(warnings))


def describe_pip_failure(
    error: ProcessError, output: Sequence[str], source: str
) -> PipInstallError:
    """A one-line :class:`PipInstallError` for a failed ``pip install`` of ``source``,
    from the lines pip printed (``output``): no matching distribution, a build that
    failed, or pip's last error line."""
    errors = [line.strip() for line in output if line.strip().startswith("ERROR:")]
    tail = [line for line in output if line.strip()][-15:]
    text = " ".join(output)
    if "No matching distribution found" in text or "Could not find a version" in text:
        return PipInstallError(
            f"pip found no distribution matching {source!r} "
            f"(check the name and version, and the index or --find-links given with -e)",
            tail,
        )
    if (
        "metadata-generation-failed" in text
        or "Failed building wheel" in text
        or ("subprocess-exited-with-error" in text)
    ):
        return PipInstallError(
            f"pip could not build {source!r} from its source distribution; "
            "pip's output ends with the build's error (above)",
            tail,
        )
    reason = (
        errors[-1].removeprefix("ERROR:").strip() if errors else f"exit status {error.returncode}"
    )
    return PipInstallError(f"pip install {source!r} failed: {reason}", tail)
