"""``pkg selftest``: a quick check that this installation of pkg works.

Rez's ``rez-selftest`` runs Rez's own unit tests.  pkg's runs a few end-to-end checks of
the installation instead, each in well under a second or two:

* ``imports``: every module of the ``pkg`` package imports;
* ``config``: the configuration loads (files, ``PKG_*`` variables, overrides);
* ``repository``: a temporary repository is written and read back;
* ``solver``: requests resolve over it (one that must succeed, one that must fail);
* ``context``: a context is made, saved as ``.rxt`` and loaded back;
* ``completion``: package names and versions complete from the repository;
* ``shell_<name>``: for each shell found on ``PATH`` (bash, sh, zsh, csh, tcsh, fish,
  pwsh...), ``python -m pkg env`` runs a command in a context in that shell and the
  package commands' variable comes out right.

Checks are run in this order by :func:`run_selftest`; a check whose prerequisite
failed is skipped.  Results go to a ``report`` callback as they finish.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pkg.errors import PkgError, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.config import Config

__all__ = [
    "CHECKS",
    "GROUPS",
    "CheckResult",
    "SelftestReport",
    "check_names",
    "run_selftest",
    "select_checks",
]

#: The checks that do not depend on a shell, in running order.
CHECKS = ("imports", "config", "repository", "solver", "context", "completion")
#: The shells tried by the ``shell_<name>`` checks, and the command each runs.
_SHELL_COMMANDS = {
    "bash": "echo $PKG_SELFTEST",
    "sh": "echo $PKG_SELFTEST",
    "zsh": "echo $PKG_SELFTEST",
    "csh": "echo $PKG_SELFTEST",
    "tcsh": "echo $PKG_SELFTEST",
    "fish": "echo $PKG_SELFTEST",
    "pwsh": "echo $env:PKG_SELFTEST",
    "powershell": "echo $env:PKG_SELFTEST",
    "cmd": "echo %PKG_SELFTEST%",
}
#: rez-selftest's module flags that name a pkg check group (the others have none).
GROUPS: dict[str, tuple[str, ...]] = {
    "imports": ("imports",),
    "config": ("config",),
    "packages": ("repository",),
    "package_repository": ("repository",),
    "solver": ("solver",),
    "context": ("context",),
    "completion": ("completion",),
    "shells": ("shells",),
}
#: Package definitions of the temporary repository: (family, version, body).
_PACKAGES = (
    ("selftest_lib", "1.0", "def commands():\n    env.PKG_SELFTEST = _NAME\n"),
    ("selftest_lib", "2.0", "def commands():\n    env.PKG_SELFTEST = _NAME\n"),
    (
        "selftest_app",
        "1.0",
        "requires = ['selftest_lib-1']\ndef commands():\n    env.PKG_SELFTEST.append(_NAME)\n",
    ),
)
#: What the shells must print.
_EXPECTED = f"selftest_lib-1.0{os.pathsep}selftest_app-1.0"

Status = Literal["ok", "FAIL", "skipped"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check.

    Attributes:
        name: the check's name (``solver``, ``shell_bash``...).
        status: ``ok``, ``FAIL`` or ``skipped``.
        seconds: how long it took.
        detail: why it failed or was skipped (the failure's traceback for a bug); or a
            short note for a passed check.
    """

    name: str
    status: Status
    seconds: float = 0.0
    detail: str = ""


@dataclass
class SelftestReport:
    """All results of a run, and the temporary directory used (kept only on request)."""

    results: list[CheckResult] = field(default_factory=list)
    tmpdir: Path | None = None
    seconds: float = 0.0

    @property
    def failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == "FAIL"]

    @property
    def success(self) -> bool:
        return not self.failures


class _Failed(Exception):
    """A check's own failure (not a bug in the check)."""


def _shells_on_path() -> list[str]:
    from pkg.shells import get_shell

    return [n for n in _SHELL_COMMANDS if shutil.which(get_shell(n).executable)]


def check_names() -> list[str]:
    """Every check of this machine, in running order (shells: those on ``PATH``)."""
    return [*CHECKS, *(f"shell_{n}" for n in _shells_on_path())]


def select_checks(
    names: Sequence[str], groups: Sequence[str], only_shell: str | None = None
) -> list[str]:
    """The checks to run, in running order: those ``names`` and rez-selftest module
    flags (``groups``, keys of :data:`GROUPS`) choose, every check when neither chooses
    any.  The shell checks are those of the shells on ``PATH``, or ``only_shell``'s
    alone (whether or not it is on ``PATH``: it is then skipped).

    Raises:
        UsageError: a name is not a check.
        ShellError: ``only_shell`` is not a known shell.
    """
    from pkg.shells import get_shell, shell_names

    if only_shell:
        get_shell(only_shell)  # UnknownShellError for a bad name
    shells = [f"shell_{n}" for n in ([only_shell] if only_shell else _shells_on_path())]
    available = [*CHECKS, *shells]
    known = {*CHECKS, *(f"shell_{n}" for n in shell_names())}
    if not names and not groups:
        return available
    chosen: set[str] = set()
    for name in names:
        if name not in known:
            raise UsageError(f"no check named {name!r} (known: {', '.join(available)})")
        chosen.add(name)
    for group in groups:
        for name in GROUPS[group]:
            chosen |= set(shells) if name == "shells" else {name}
    return [n for n in available if n in chosen] + sorted(chosen - set(available))


class _Run:
    """The state shared by the checks of one run."""

    def __init__(self, tmpdir: Path, overrides: Mapping[str, object] | None) -> None:
        self.tmpdir = tmpdir
        self.repo = tmpdir / "packages"
        self.overrides = overrides
        self.config: Config | None = None

    def need_config(self) -> Config:
        if self.config is None:
            from pkg.config import load_config

            self.config = load_config(overrides=self.overrides)
        return self.config

    def need_repo(self) -> str:
        if not self.repo.is_dir():
            self.check_repository()
        return str(self.repo)

    def check_imports(self) -> str:
        import pkg

        broken = []
        count = 0
        for module in pkgutil.walk_packages(pkg.__path__, "pkg."):
            if module.name.endswith("__main__"):
                continue
            count += 1
            try:
                importlib.import_module(module.name)
            except Exception as error:  # a module that fails to import is the finding
                broken.append(f"{module.name}: {type(error).__name__}: {error}")
        if broken:
            raise _Failed("\n".join(broken))
        return f"{count} modules"

    def check_config(self) -> str:
        config = self.need_config()
        return f"packages_path: {os.pathsep.join(config.packages_path) or '(empty)'}"

    def check_repository(self) -> str:
        from pkg.repositories import PackageSearchPath

        for family, version, body in _PACKAGES:
            directory = self.repo / family / version
            directory.mkdir(parents=True, exist_ok=True)
            name = "this.name + '-' + str(this.version)"
            text = f"name = {family!r}\nversion = {version!r}\n{body.replace('_NAME', name)}"
            (directory / "package.py").write_text(text, encoding="utf-8")
        search_path = PackageSearchPath.from_paths([str(self.repo)], self.need_config())
        found = sorted(
            p.qualified_name
            for family in search_path.iter_family_names()
            for p in search_path.iter_packages(family)
        )
        wanted = sorted(f"{f}-{v}" for f, v, _ in _PACKAGES)
        if found != wanted:
            raise _Failed(f"read back {found}, wrote {wanted}")
        return f"{len(found)} packages"

    def check_solver(self) -> str:
        from pkg.api.resolve import resolve

        def run(requests: list[str]) -> tuple[bool, list[str]]:
            result = resolve(
                requests,
                paths=[self.need_repo()],
                add_implicit_packages=False,
                config=self.need_config(),
                package_filter=[],
                package_orderers=[],
                caching=False,
            )
            return result.success, [v.qualified_package_name for v in result.resolved_packages]

        solved, names = run(["selftest_app"])
        if not solved or names != ["selftest_lib-1.0", "selftest_app-1.0"]:
            raise _Failed(f"selftest_app resolved to {names} (solved: {solved})")
        solved, names = run(["selftest_app", "selftest_lib-2"])
        if solved:
            raise _Failed(f"a conflicting request resolved to {names}")
        return "solved, and a conflict failed"

    def check_context(self) -> str:
        from pkg.api.env import create_context, load_env_context, write_context

        env = create_context(
            ["selftest_app"],
            self.need_config(),
            paths=[self.need_repo()],
            add_implicit_packages=False,
            no_filters=True,
            caching=False,
        )
        if not env.success:
            raise _Failed(f"the context did not resolve: {env.context.failure_description}")
        path = self.tmpdir / "selftest.rxt"
        write_context(env.context, str(path))
        loaded = load_env_context(str(path)).context
        if loaded.resolved_packages != env.context.resolved_packages:
            raise _Failed(f"{path} did not load back the same packages")
        return "saved as .rxt and loaded back"

    def check_completion(self) -> str:
        from pkg.api.complete import package_completions

        config, repo = self.need_config(), self.need_repo()
        families = package_completions("selftest_", config, paths=[repo])
        versions = package_completions("selftest_lib-", config, paths=[repo])
        if families != ["selftest_app", "selftest_lib"]:
            raise _Failed(f"'selftest_' completed to {families}")
        if versions != ["selftest_lib-1.0", "selftest_lib-2.0"]:
            raise _Failed(f"'selftest_lib-' completed to {versions}")
        return "families and versions"

    def check_shell(self, shell: str) -> str:
        from pkg.shells import get_shell

        if not shutil.which(get_shell(shell).executable):
            raise _Skipped(f"{get_shell(shell).executable} is not on PATH")
        argv = [
            sys.executable,
            "-m",
            "pkg",
            "env",
            "--shell",
            shell,
            "--norc",
            "--no-implicit",
            "--no-cache",
            "--no-filters",
            "--paths",
            self.need_repo(),
            "-c",
            _SHELL_COMMANDS.get(shell, "echo $PKG_SELFTEST"),
            "selftest_app",
        ]
        try:
            process = subprocess.run(
                argv, capture_output=True, text=True, timeout=120, check=False, cwd=self.tmpdir
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise _Failed(f"{shell}: {error}") from error
        lines = process.stdout.strip().splitlines()
        if process.returncode != 0 or not lines or lines[-1].strip() != _EXPECTED:
            raise _Failed(
                f"exit status {process.returncode}, printed {process.stdout.strip()!r} "
                f"(expected {_EXPECTED!r}); stderr: {process.stderr.strip()[-500:]!r}"
            )
        return shutil.which(get_shell(shell).executable) or shell


class _Skipped(Exception):
    """The check cannot run here."""


def _run_check(run: _Run, name: str) -> CheckResult:
    started = time.perf_counter()
    if name.startswith("shell_"):

        def check() -> str:
            return run.check_shell(name.removeprefix("shell_"))

    else:
        check = getattr(run, f"check_{name}")
    status: Status = "ok"
    try:
        detail = check()
    except _Skipped as skip:
        status, detail = "skipped", str(skip)
    except (_Failed, PkgError) as failure:
        status, detail = "FAIL", str(failure)
    except Exception:  # a bug found by the self-test: report it, keep going
        status, detail = "FAIL", traceback.format_exc()
    return CheckResult(name, status, time.perf_counter() - started, detail)


def run_selftest(
    checks: Sequence[str] | None = None,
    *,
    overrides: Mapping[str, object] | None = None,
    keep_tmpdirs: bool = False,
    report: Callable[[CheckResult], object] = lambda _result: None,
) -> SelftestReport:
    """Run ``checks`` (default: :func:`check_names`) in a new temporary directory.

    Args:
        checks: the checks to run, in order (see :func:`select_checks`).
        overrides: configuration settings given on the command line.
        keep_tmpdirs: keep the temporary directory (its path is in the report).
        report: called with each result as soon as its check finishes.

    Returns:
        Every result; a failed check never stops the run.  A check that needs the
        configuration or the repository fails when they cannot be made.
    """
    names = list(checks) if checks is not None else check_names()
    tmpdir = Path(tempfile.mkdtemp(prefix="pkg_selftest_"))
    outcome = SelftestReport(tmpdir=tmpdir if keep_tmpdirs else None)
    started = time.perf_counter()
    try:
        run = _Run(tmpdir, overrides)
        for name in names:
            result = _run_check(run, name)
            outcome.results.append(result)
            report(result)
    finally:
        if not keep_tmpdirs:
            shutil.rmtree(tmpdir, ignore_errors=True)
    outcome.seconds = time.perf_counter() - started
    return outcome
