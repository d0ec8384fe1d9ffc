"""``pkg.api.pip``: install Python distributions (and their dependencies) as packages,
as ``rez-pip --install`` does, converting the distributions concurrently.

:func:`find_pip` finds the Python and pip to use, in Rez's order; :func:`pip_install`
runs ``pip install --target <staging>`` once and then one conversion task per installed
distribution (:mod:`pkg.tasks.pip`), and returns a :class:`PipReport`.  See
``docs/pip.md``.
"""

from __future__ import annotations

import os
import platform as _platform
import shutil
import subprocess
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion
from packaging.version import Version as PipVersion

from pkg.errors import PkgError, UsageError
from pkg.orchestrator import Graph, ProcessError, RunError, TaskStatus, run_graph
from pkg.tasks.pip import (
    PIP_TASK,
    ConvertOptions,
    ConvertResult,
    PipInstallError,
    PipRun,
    convert_tasks,
    describe_pip_failure,
    pip_install_task,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.config import Config
    from pkg.core import Version
    from pkg.orchestrator import Backend, RunResult
    from pkg.orchestrator.events import Event, EventHandler

__all__ = [
    "MIN_PIP_VERSION",
    "PipError",
    "PipInstallError",
    "PipReport",
    "PythonPip",
    "find_pip",
    "pip_install",
]

#: The oldest pip that works (``--target`` with ``--use-pep517``), as for rez-pip.
MIN_PIP_VERSION = PipVersion("19")
#: Conversions at once by default: they mostly wait for the file system.
DEFAULT_JOBS = min(16, 4 * (os.cpu_count() or 1))
_PIP_VERSION_CODE = "import pip, sys; sys.stdout.write(pip.__version__)"


class PipError(PkgError):
    """No usable Python and pip, or a conversion failed."""


@dataclass(frozen=True, slots=True)
class PythonPip:
    """The Python (with pip) that runs ``pip install``.

    Attributes:
        executable: the interpreter.
        version: its version (the ``python`` package's, or the interpreter's own).
        pip_version: pip's version.
        env: the environment to run it in (a context's), or None for this process's.
        source: where it came from: ``"python"`` or ``"pip"`` (a package's context) or
            ``"fallback"`` (the interpreter pkg runs on).
    """

    executable: str
    version: Version
    pip_version: str
    env: Mapping[str, str] | None
    source: str


def _pip_version(executable: str, env: Mapping[str, str] | None) -> str | None:
    """The version of pip importable by ``executable`` (isolated: ``-E -s``), or None."""
    try:
        proc = subprocess.run(
            [executable, "-E", "-s", "-c", _PIP_VERSION_CODE],
            capture_output=True,
            text=True,
            env=None if env is None else dict(env),
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip() else None


def _own_pip_version() -> str | None:
    """The version of the pip installed for this interpreter (read from its metadata,
    without importing pip), or None."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pip")
    except PackageNotFoundError:
        return None


def _usable(version: str | None) -> bool:
    if version is None:
        return False
    try:
        return PipVersion(version) >= MIN_PIP_VERSION
    except InvalidVersion:
        return False


def _python_in_context(
    requests: list[str], config: Config, paths: Sequence[str] | None
) -> tuple[str, Version, dict[str, str]] | None:
    """(interpreter, python version, environment) of the context of ``requests``, or
    None if it does not resolve or has no ``pythonX.Y``/``pythonX``/``python`` of its own
    (the system paths are not searched)."""
    import dataclasses

    from pkg.api.context_info import LoadedContext, context_environ
    from pkg.api.env import create_context
    from pkg.context.execute import load_variants
    from pkg.errors import RequestError, ResolveError

    try:
        env = create_context(requests, config, paths=paths)
    except (ResolveError, RequestError):
        return None
    if not env.success:
        return None
    context = env.context
    variants = tuple(load_variants(context, config))
    python = next((v for v in variants if v.name == "python"), None)
    if python is None:
        return None
    parent = dict(os.environ)
    bare = dataclasses.replace(context, append_sys_path=False)
    own = context_environ(LoadedContext(bare, None, variants), config, parent)
    full = context_environ(LoadedContext(context, None, variants), config, parent)
    search = own.get("PATH", "")  # the packages' own entries: no system path appended
    for length in (2, 1, 0):
        trimmed = str(python.version.trim(length)) if length else ""
        found = shutil.which(f"python{trimmed}", path=search)
        if found:
            return found, python.version, full
    return None


def find_pip(
    config: Config,
    *,
    python_version: str | None = None,
    paths: Sequence[str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> PythonPip:
    """The Python and pip to use, in ``rez-pip``'s order.

    1. the context of ``python-X.Y`` (``python_version``, else the latest ``python``
       package): its own ``pythonX.Y``/``pythonX``/``python``, if it can import pip;
    2. the context of ``python-X.Y`` and the latest ``pip`` package, the same way;
    3. the interpreter pkg runs on (a warning is given).

    pip must be 19 or newer.

    Raises:
        PipError: the pip found is older than 19, or the interpreter has no pip.
        UsageError: ``python_version`` is not a version.
    """
    from pkg.core import Version
    from pkg.errors import VersionError
    from pkg.repositories.search import PackageSearchPath, get_repositories

    say = warn or (lambda _message: None)
    if python_version:
        try:
            major_minor: Version | None = Version(python_version).trim(2)
        except VersionError:
            raise UsageError(f"--python-version {python_version!r} is not a version") from None
    else:
        latest = PackageSearchPath(get_repositories(paths, config)).get_latest_package("python")
        major_minor = latest.version.trim(2) if latest is not None else None
        if major_minor is None:
            say("found no python package")
    if major_minor is not None:
        for extra, source in (([], "python"), (["pip"], "pip")):
            found = _python_in_context([f"python-{major_minor}", *extra], config, paths)
            if found is None:
                continue
            executable, version, env = found
            pip_version = _pip_version(executable, env)
            if _usable(pip_version):
                assert pip_version is not None
                return PythonPip(executable, version, pip_version, env, source)
            if pip_version is not None:
                say(f"{executable} has pip {pip_version}; pip >= {MIN_PIP_VERSION} is needed")
    executable = sys.executable
    pip_version = _own_pip_version()
    if pip_version is None:
        raise PipError(
            f"no python package with pip >= {MIN_PIP_VERSION} was found, and pkg's own "
            f"interpreter ({executable}) has no pip; install pip, or a python/pip package"
        )
    if not _usable(pip_version):
        raise PipError(f"pip >= {MIN_PIP_VERSION} is required; {executable} has pip {pip_version}")
    say(
        f"no python/pip package with pip found; using pkg's own interpreter "
        f"{executable} (python {_platform.python_version()}, pip {pip_version})"
    )
    return PythonPip(executable, Version(_platform.python_version()), pip_version, None, "fallback")


@dataclass(frozen=True)
class PipReport:
    """The outcome of :func:`pip_install`.

    Attributes:
        source: what was installed (the ``PACKAGE`` argument).
        python: the Python and pip used.
        install_root: the repository installed into.
        argv: the pip command.
        results: one per converted distribution, sorted by name.
        run: the conversion run (None if pip found nothing).
        dry_run: nothing was installed.
    """

    source: str
    python: PythonPip
    install_root: str
    argv: tuple[str, ...]
    results: tuple[ConvertResult, ...]
    run: RunResult | None = None
    dry_run: bool = False
    failures: tuple[tuple[str, str], ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.failures

    def installed(self) -> list[ConvertResult]:
        return [r for r in self.results if not r.skipped and not self.dry_run]

    def skipped(self) -> list[ConvertResult]:
        return [r for r in self.results if r.skipped]


def _option_present(args: Sequence[str], *names: str) -> bool:
    return any(arg == n or arg.startswith(n + "=") for arg in args for n in names)


def _target_option(args: Sequence[str]) -> str | None:
    for i, arg in enumerate(args):
        for name in ("-t", "--target"):
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def pip_command(
    python: PythonPip, source: str, target: str, extra: Sequence[str], *, no_deps: bool
) -> tuple[str, ...]:
    """``python -m pip install`` with ``--use-pep517`` (unless ``--no-use-pep517`` is in
    ``extra``), ``--target`` (unless given in ``extra``), ``--no-deps``, ``extra``,
    ``source``: the command ``rez-pip`` runs."""
    argv = [python.executable, "-m", "pip", "install"]
    if "--no-use-pep517" not in extra:
        argv.append("--use-pep517")
    if not _option_present(extra, "-t", "--target"):
        argv.append(f"--target={target}")
    if no_deps and "--no-deps" not in extra:
        argv.append("--no-deps")
    return (*argv, *extra, source)


def _requested_extras(source: str) -> dict[str, tuple[str, ...]]:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(source)
    except InvalidRequirement:
        return {}
    return {req.name.lower(): tuple(sorted(req.extras))} if req.extras else {}


def _system(config: Config) -> tuple[str, str]:
    from pkg.config import SystemInfo

    info = SystemInfo(os.environ, Path.home(), config.platform_map)
    return info.platform, info.arch


def pip_install(
    source: str,
    config: Config,
    *,
    python_version: str | None = None,
    release: bool = False,
    prefix: str | None = None,
    extra_args: Sequence[str] | None = None,
    no_deps: bool = False,
    dry_run: bool = False,
    paths: Sequence[str] | None = None,
    jobs: int | None = None,
    backend: Backend = "asyncio",
    on_event: EventHandler | None = None,
    warn: Callable[[str], None] | None = None,
    python: PythonPip | None = None,
) -> PipReport:
    """Install ``source`` (what ``pip install`` takes) and its dependencies as packages.

    Args:
        source: a requirement (``foo``, ``foo>=1``, ``foo[extra]``), a path or a URL.
        config: the configuration.
        python_version: the ``python`` package to use (``--python-version``).
        release: install into ``release_packages_path`` (``-r``), not
            ``local_packages_path``.
        prefix: install into this repository instead (``-p``).
        extra_args: arguments for ``pip install`` (``-e``); default: the
            ``pip_extra_args`` setting.
        no_deps: install ``source`` only (``--no-deps``).
        dry_run: convert, but install nothing.
        paths: the repositories to find ``python``/``pip`` packages in (default:
            ``packages_path``).
        jobs: conversions at once (default: :data:`DEFAULT_JOBS`).
        backend: the event loop.
        on_event: receives the orchestrator's events.
        warn: receives one-line warnings (Python discovery).
        python: the Python and pip to use (default: :func:`find_pip`).

    Raises:
        PipInstallError: pip failed (no matching distribution, an sdist that does not
            build...); its ``tail`` holds pip's last lines.
        PipError: no usable pip.
    """
    python = python or find_pip(config, python_version=python_version, paths=paths, warn=warn)
    root = prefix or (config.release_packages_path if release else config.local_packages_path)
    install_root = os.path.abspath(os.path.expanduser(root))
    extra = list(extra_args if extra_args is not None else config.pip_extra_args)
    user_target = _target_option(extra)
    staging = tempfile.mkdtemp(prefix="pip-", suffix="-pkg")
    target = user_target or staging
    argv = pip_command(python, source, staging, extra, no_deps=no_deps)
    output: deque[str] = deque(maxlen=200)

    def collect(event: Event) -> None:
        if getattr(event, "task", None) == PIP_TASK and getattr(event, "stream", "") in (
            "stdout",
            "stderr",
        ):
            output.append(str(getattr(event, "line", "")))
        if on_event is not None:
            on_event(event)

    try:
        first = _run(
            Graph.from_tasks([pip_install_task(PipRun(argv, python.env))]), backend, collect, 1
        )
        failure = first.outcomes[PIP_TASK]
        if failure.status is not TaskStatus.SUCCEEDED:
            error = failure.error
            if isinstance(error, ProcessError):
                raise describe_pip_failure(error, list(output), source)
            raise PipInstallError(f"pip install {source!r} did not finish ({failure.status.value})")
        return _convert(
            source,
            config,
            python,
            Path(target),
            install_root,
            argv,
            dry_run=dry_run,
            move_files=user_target is None,
            jobs=jobs,
            backend=backend,
            on_event=on_event,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run(
    graph: Graph, backend: Backend, on_event: EventHandler | None, jobs: int | None
) -> RunResult:
    try:
        return run_graph(graph, backend=backend, on_event=on_event, jobs=jobs, keep_going=True)
    except RunError as error:
        return error.result


def _convert(
    source: str,
    config: Config,
    python: PythonPip,
    target: Path,
    install_root: str,
    argv: tuple[str, ...],
    *,
    dry_run: bool,
    move_files: bool,
    jobs: int | None,
    backend: Backend,
    on_event: EventHandler | None,
) -> PipReport:
    from pkg.pip import find_distributions

    platform, arch = _system(config)
    dists = find_distributions(target)
    options = ConvertOptions(
        target=target,
        install_root=install_root,
        python_version=python.version,
        interpreter=python.executable,
        platform=platform,
        arch=arch,
        remaps=config.pip_install_remaps,
        extras=_requested_extras(source),
        dry_run=dry_run,
        move_files=move_files,
    )
    if not dists:
        return PipReport(source, python, install_root, argv, (), None, dry_run)
    result = _run(
        Graph.from_tasks(convert_tasks(dists, options, config)),
        backend,
        on_event,
        jobs or DEFAULT_JOBS,
    )
    results = []
    failures = []
    for name, outcome in result.outcomes.items():
        if isinstance(outcome.value, ConvertResult):
            results.append(outcome.value)
        elif outcome.status is TaskStatus.FAILED and outcome.error is not None:
            reason = " ".join(str(outcome.error).split()) or type(outcome.error).__name__
            failures.append((name.removeprefix("convert:"), reason))
        else:
            failures.append((name.removeprefix("convert:"), outcome.status.value))
    results.sort(key=lambda r: r.package.name.lower())
    return PipReport(
        source, python, install_root, argv, tuple(results), result, dry_run, tuple(failures)
    )
