"""Real git repositories for the VCS tests: a bare "remote" and a clone of it.

:func:`isolate_git` pins the identity and hides the machine's git configuration, so the
repositories behave the same everywhere.
"""

from __future__ import annotations

import dataclasses
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.config import load_config

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from pkg.config import ReleaseVcsPlugins


def isolate_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed author/committer, no global or system git configuration, no prompts."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Ann Author",
        "GIT_AUTHOR_EMAIL": "ann@example.invalid",
        "GIT_COMMITTER_NAME": "Ann Author",
        "GIT_COMMITTER_EMAIL": "ann@example.invalid",
        "GIT_AUTHOR_DATE": "2024-01-02T03:04:05Z",
        "GIT_COMMITTER_DATE": "2024-01-02T03:04:05Z",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
    }.items():
        monkeypatch.setenv(key, value)


def git(cwd: Path, *args: str) -> str:
    """Run ``git ARGS`` in ``cwd``; its stripped output (fails the test on error)."""
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def commit(work: Path, name: str, text: str = "x\n", message: str | None = None) -> str:
    """Write ``name`` in ``work``, commit it; the new commit's hash."""
    (work / name).write_text(text)
    git(work, "add", name)
    git(work, "commit", "-q", "-m", message or f"add {name}")
    return git(work, "rev-parse", "HEAD")


@dataclass(frozen=True)
class Repos:
    remote: Path  # the bare repository
    work: Path  # a clone tracking origin/main
    other: Path  # another clone, to make the remote move on


def make_repos(root: Path) -> Repos:
    """A bare remote with one commit on ``main``, and two clones of it."""
    remote = root / "remote.git"
    git(root, "init", "-q", "--bare", str(remote))
    seed = root / "seed"
    git(root, "init", "-q", str(seed))
    commit(seed, "README", "hello\n", "first commit")
    git(seed, "remote", "add", "origin", str(remote))
    git(seed, "push", "-q", "-u", "origin", "main")
    work, other = root / "work", root / "other"
    git(root, "clone", "-q", str(remote), str(work))
    git(root, "clone", "-q", str(remote), str(other))
    return Repos(remote, work, other)


def vcs_settings(**changes: object) -> ReleaseVcsPlugins:
    """The default ``plugins.release_vcs`` settings with ``changes``; ``allow_no_upstream``
    sets the git one."""
    settings = load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}).plugins.release_vcs
    allow = changes.pop("allow_no_upstream", None)
    if allow is not None:
        settings = dataclasses.replace(
            settings, git=dataclasses.replace(settings.git, allow_no_upstream=bool(allow))
        )
    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
