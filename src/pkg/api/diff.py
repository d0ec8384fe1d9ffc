"""``pkg diff``: compare the source of two packages in a diff tool, like ``rez-diff``.

Packages are named exactly, as Rez's ``VersionedObject`` (``foo-1.2``; ``foo`` is the
unversioned package).  Without a second package, the first is compared with the highest
lower version of its family along the search path.

What is compared, for each package:

* a released package whose ``vcs`` is ``git`` and whose ``revision`` names a
  ``fetch_url`` and a ``commit`` (what ``pkg release``/``rez-release`` record): its
  source tree at that commit, cloned into a temporary directory named after the package
  (the ``.git`` directory removed), as Rez does;
* any other package (Rez refuses these as "legacy format" packages): its directory in
  the repository, holding its definition file and installed payload.  If either package
  has no released source, both are compared by their directories, so that like is
  compared with like.

The tool is the ``difftool`` setting, split into words (so ``"diff -ru"`` works), run
with the two directories as its last arguments.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.api.repository_ops import parse_package_id
from pkg.errors import PkgError, RepositoryError, VcsError
from pkg.repositories import PackageSearchPath

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.config import Config
    from pkg.packages import Package

__all__ = [
    "DiffError",
    "DiffPlan",
    "DiffToolError",
    "find_exact_package",
    "git_source",
    "plan_diff",
    "previous_package",
    "run_diff",
]


class DiffError(PkgError):
    """A package to compare does not exist, or has nothing to compare with."""


class DiffToolError(DiffError):
    """The ``difftool`` setting is empty or names a program that cannot be started."""


@dataclass(frozen=True, slots=True)
class DiffPlan:
    """The two packages to compare and how.

    Attributes:
        old: the package given first (``PKG1``).
        new: the package it is compared with (``PKG2``, or the previous version).
        exported: True when both are compared by their released git source, False when by
            their repository directories.
    """

    old: Package
    new: Package
    exported: bool


def find_exact_package(text: str, config: Config) -> Package:
    """The package named exactly ``text`` (``foo-1.2``, or ``foo`` if unversioned).

    Raises:
        DiffError: no such package on the search path.
        pkg.errors.VersionError: the version part is not a version.
    """
    name, version = parse_package_id(text)
    package = PackageSearchPath.from_paths(None, config).get_package(name, version)
    if package is None:
        raise DiffError(f"package not found: {text}")
    return package


def previous_package(package: Package, config: Config) -> Package:
    """The highest version of ``package``'s family below its version.

    Raises:
        DiffError: ``package`` is the earliest version of its family.
    """
    search_path = PackageSearchPath.from_paths(None, config)
    lower = [p for p in search_path.iter_packages(package.name) if p.version < package.version]
    if not lower:
        raise DiffError(
            f"no package to diff with: {package.qualified_name} is the earliest version"
        )
    return max(lower, key=lambda p: p.version)


def plan_diff(first: str, second: str | None, config: Config) -> DiffPlan:
    """Find the packages ``first`` and ``second`` (the previous version when None) and
    decide whether their released source or their directories are compared.

    Raises:
        DiffError: a package does not exist, or there is no previous version.
        RepositoryError: a package compared by directory has none (a package of a
            combined family file, or of a repository that is not on disk).
    """
    old = find_exact_package(first, config)
    new = find_exact_package(second, config) if second else previous_package(old, config)
    exported = _git_revision(old) is not None and _git_revision(new) is not None
    if not exported:
        for package in (old, new):
            if not package.root or not os.path.isdir(package.root):
                raise RepositoryError(
                    f"cannot diff {package.qualified_name}: it has no package directory "
                    f"({package.uri}) and no released git source"
                )
    return DiffPlan(old, new, exported)


def git_source(package: Package, destination: str) -> None:
    """Clone ``package``'s released source at its commit into ``destination`` (which
    must not exist), then remove the clone's ``.git`` directory.

    Raises:
        VcsError: the package has no git revision, or git failed (not installed, the
            repository is gone, the commit is unknown).
    """
    revision = _git_revision(package)
    if revision is None:
        raise VcsError(f"{package.qualified_name} has no released git source")
    url, commit = revision
    git = shutil.which("git")
    if git is None:
        raise VcsError(f"cannot export {package.qualified_name}: git is not on PATH")
    for args in (
        [git, "clone", "--quiet", url, destination],
        [git, "-c", "advice.detachedHead=false", "checkout", "--quiet", commit],
    ):
        done = subprocess.run(
            args,
            cwd=destination if args[1] != "clone" else None,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise VcsError(f"cannot export {package.qualified_name} from {url}: {reason}")
    shutil.rmtree(os.path.join(destination, ".git"), ignore_errors=True)


def run_diff(
    plan: DiffPlan,
    config: Config,
    *,
    report: Callable[[str], None] = lambda _message: None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Open the ``difftool`` on the two packages and wait for it; return its exit status.

    With exported sources, each package is cloned into a fresh temporary directory
    (removed afterwards) whose subdirectories are named after the packages.

    Args:
        plan: from :func:`plan_diff`.
        config: gives ``difftool`` (and ``tmpdir``).
        report: called with progress lines (``Exporting foo-1.0...``,
            ``Opening diff viewer ...``), as Rez prints them.
        environ: the environment the tool runs in (and whose ``PATH`` finds it); the
            current one when None.

    Raises:
        DiffToolError: no ``difftool`` is set and none was found, or it cannot be started.
        VcsError: exporting a package's source failed.
    """
    tool = _tool_argv(config.difftool, environ)
    if not plan.exported:
        return _run_tool(tool, [_dir(plan.old), _dir(plan.new)], report, environ)
    parent = config.tmpdir or None
    with tempfile.TemporaryDirectory(prefix="pkg-diff-", dir=parent) as workdir:
        paths = []
        for package in (plan.old, plan.new):
            report(f"Exporting {package.qualified_name}...")
            path = os.path.join(workdir, package.qualified_name)
            git_source(package, path)
            paths.append(path)
        return _run_tool(tool, paths, report, environ)


def _dir(package: Package) -> str:
    assert package.root is not None  # checked by plan_diff
    return package.root


def _run_tool(
    tool: Sequence[str],
    paths: Sequence[str],
    report: Callable[[str], None],
    environ: Mapping[str, str] | None,
) -> int:
    report(f"Opening diff viewer {shlex.join(tool)}...")
    env = None if environ is None else dict(environ)
    try:
        return subprocess.call([*tool, *paths], env=env)
    except OSError as error:
        raise DiffToolError(f"cannot run difftool {tool[0]!r}: {error.strerror or error}") from None


def _tool_argv(setting: str | None, environ: Mapping[str, str] | None) -> list[str]:
    """The ``difftool`` setting as argv, its program resolved on ``PATH``."""
    words = shlex.split(setting) if setting else []
    if not words:
        raise DiffToolError(
            "no diff tool: the difftool setting is empty (and none of kdiff3, meld, diff "
            "is on PATH to be its default)"
        )
    path = (os.environ if environ is None else environ).get("PATH", os.defpath)
    found = shutil.which(words[0], path=path)
    if found is None:
        raise DiffToolError(f"difftool {words[0]!r} not found (set difftool in the configuration)")
    return [found, *words[1:]]


def _git_revision(package: Package) -> tuple[str, str] | None:
    """``(fetch_url, commit)`` of a package released from git, else None."""
    revision = package.revision
    if package.vcs != "git" or not isinstance(revision, dict):
        return None
    url, commit = revision.get("fetch_url"), revision.get("commit")
    if isinstance(url, str) and url and isinstance(commit, str) and commit:
        return url, commit
    return None
