"""The ``git`` release VCS, through gitpython.

The checks follow Rez's git plugin: the repository is not bare; the current branch
tracks an upstream branch (unless ``plugins.release_vcs.git.allow_no_upstream``); it
matches one of ``plugins.release_vcs.releasable_branches`` (regular expressions, searched;
none means any branch); nothing tracked is modified or staged; and after fetching the
upstream remote, the branch is neither ahead of nor behind its upstream.

The revision stored with a release has Rez's keys: ``commit``, ``branch``,
``tracking_branch`` (None without an upstream) and, with an upstream, ``fetch_url`` and
``push_url``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from pkg.vcs.base import ReleaseVCS, VCSError

if TYPE_CHECKING:
    from pathlib import Path

    import git

    from pkg.config import ReleaseVcsPlugins

__all__ = ["GitVCS"]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class GitVCS(ReleaseVCS):
    """A git working copy; ``root`` is the directory holding ``.git``."""

    name: ClassVar[str] = "git"
    search_parents: ClassVar[bool] = True

    def __init__(self, root: Path, settings: ReleaseVcsPlugins) -> None:
        """Open the repository at ``root``.

        Raises:
            VCSError: if git is not installed or ``root`` is not a git repository.
        """
        super().__init__(root, settings)
        import git

        try:
            self.repo = git.Repo(root)
        except git.exc.NoSuchPathError:
            raise VCSError(f"{root}: no such directory", vcs=self.name) from None
        except git.exc.InvalidGitRepositoryError:
            raise VCSError(f"{root}: is not a git repository", vcs=self.name) from None

    @classmethod
    def is_valid_root(cls, path: Path) -> bool:
        """Whether ``path`` holds a ``.git`` directory (or, for a linked work tree or a
        submodule, a ``.git`` file)."""
        return (path / ".git").exists()

    # -- git commands ----------------------------------------------------------------------

    def _git(self, *args: str) -> str:
        """The output of ``git ARGS`` in the repository, trailing newlines stripped.

        Raises:
            VCSError: with git's error message, if the command fails.
        """
        import git

        try:
            return str(self.repo.git.execute(["git", *args]))
        except git.exc.GitCommandError as error:
            raise VCSError(
                f"'git {' '.join(args)}' failed: {_stderr(error)}", vcs=self.name
            ) from None
        except git.exc.GitCommandNotFound:
            raise VCSError("the git executable was not found: install git", vcs=self.name) from None

    def local_branch(self) -> str:
        """The current branch's name, or ``"HEAD"`` when the HEAD is detached."""
        return self._git("rev-parse", "--abbrev-ref", "HEAD")

    def tracking_branch(self) -> tuple[str, str] | None:
        """(remote, branch) of the current branch's upstream, or None without one."""
        import git

        try:
            upstream = self.repo.git.execute(
                ["git", "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"]
            )
        except git.exc.GitCommandError:
            return None
        remote, _, branch = str(upstream).partition("/")
        return (remote, branch) if branch else None

    def _dirty_paths(self) -> list[str]:
        """Tracked paths whose content differs from HEAD (staged or not)."""
        staged = self._git("diff", "--cached", "--name-only", "HEAD")
        unstaged = self._git("diff", "--name-only")
        return sorted({line for line in (*staged.splitlines(), *unstaged.splitlines()) if line})

    # -- ReleaseVCS --------------------------------------------------------------------------

    def validate_repostate(self, *, fetch: bool = True) -> None:
        """Refuse a bare repository, one without commits, a branch without upstream
        (unless allowed), a branch not matching ``releasable_branches``, uncommitted
        changes, and a branch ahead of or behind its upstream (after fetching the
        upstream remote when ``fetch``)."""
        if self.repo.bare or self._git("rev-parse", "--is-bare-repository") == "true":
            raise VCSError(
                f"{self.root} is a bare repository: release from a clone with a work tree",
                vcs=self.name,
            )
        if not self.repo.head.is_valid():
            raise VCSError(
                f"{self.root} has no commit yet: commit the package first", vcs=self.name
            )
        branch = self.local_branch()
        upstream = self.tracking_branch()
        if upstream is None and not self.settings.git.allow_no_upstream:
            shown = "the detached HEAD" if branch == "HEAD" else f"branch {branch!r}"
            raise VCSError(
                f"{shown} has no upstream branch: push it with 'git push -u <remote> "
                f"{branch}', or set plugins.release_vcs.git.allow_no_upstream to true",
                vcs=self.name,
            )
        patterns = self.settings.releasable_branches
        if patterns and not any(re.search(pattern, branch) for pattern in patterns):
            raise VCSError(
                f"branch {branch!r} matches none of the releasable branches "
                f"({', '.join(patterns)}): release from one of those "
                "(plugins.release_vcs.releasable_branches)",
                vcs=self.name,
            )
        dirty = self._dirty_paths()
        if dirty:
            shown_paths = ", ".join(dirty[:5]) + (", ..." if len(dirty) > 5 else "")
            raise VCSError(
                f"{_plural(len(dirty), 'file')} with uncommitted changes ({shown_paths}): "
                "commit or stash them first",
                vcs=self.name,
            )
        if upstream is None:
            return
        remote, remote_branch = upstream
        if fetch:
            self._git("fetch", remote)
        counts = self._git("rev-list", "--left-right", "--count", "HEAD...@{u}").split()
        ahead, behind = int(counts[0]), int(counts[1])
        if ahead or behind:
            where = " and ".join(
                text
                for text in (
                    ahead and f"{_plural(ahead, 'commit')} ahead of",
                    behind and f"{_plural(behind, 'commit')} behind",
                )
                if text
            )
            advice = {
                (True, False): "push",
                (False, True): "pull",
                (True, True): "pull and push",
            }[bool(ahead), bool(behind)]
            raise VCSError(
                f"branch {branch!r} is {where} '{remote}/{remote_branch}': {advice} first",
                vcs=self.name,
            )

    def current_revision(self) -> dict[str, object]:
        """``commit``, ``branch``, ``tracking_branch`` (``"remote/branch"`` or None) and,
        with an upstream, the remote's ``fetch_url`` and ``push_url``."""
        revision: dict[str, object] = {"commit": self._git("rev-parse", "HEAD")}
        revision["branch"] = self.local_branch()
        upstream = self.tracking_branch()
        revision["tracking_branch"] = None if upstream is None else "/".join(upstream)
        if upstream is not None:
            remote = upstream[0]
            revision["fetch_url"] = self._git("remote", "get-url", remote)
            revision["push_url"] = self._git("remote", "get-url", "--push", remote)
        return revision

    def changelog(self, previous_revision: object | None, max_revisions: int) -> str:
        """``git log`` of the commits since the previous revision's ``commit`` (all of
        them when it has none), the newest ``max_revisions`` (0: all).

        Raises:
            VCSError: if the previous commit is not in the repository.
        """
        args = ["log"]
        if max_revisions:
            args += ["-n", str(max_revisions)]
        previous = previous_revision.get("commit") if isinstance(previous_revision, dict) else None
        if previous:
            # Since the common ancestor, so a release from another branch still works.
            args.append(f"{previous}..HEAD")
        lines = self._git(*args).strip().splitlines()
        return "\n".join(line.rstrip() for line in lines)

    def tag_exists(self, tag: str) -> bool:
        """Whether the local repository has the tag ``tag``."""
        return tag in self._git("tag", "--list", tag).splitlines()

    def create_tag(self, tag: str, message: str) -> None:
        """Create the annotated tag ``tag`` on HEAD, with ``message``.

        Raises:
            VCSError: if the tag exists already or git refuses the name.
        """
        if self.tag_exists(tag):
            raise VCSError(
                f"tag {tag!r} exists already: delete it or change plugins.release_vcs.tag_name",
                vcs=self.name,
            )
        self._git("tag", "-a", tag, "-m", message)

    def push_tag(self, tag: str) -> None:
        """Push the tag to the remote of the current branch's upstream (none: no-op)."""
        upstream = self.tracking_branch()
        if upstream is None:
            return
        self._git("push", upstream[0], f"refs/tags/{tag}")

    def delete_tag(self, tag: str) -> None:
        """Delete the local tag ``tag``, if it exists."""
        if self.tag_exists(tag):
            self._git("tag", "-d", tag)


def _stderr(error: git.exc.GitCommandError) -> str:
    """The meaningful part of a failed git command's error output."""
    text = error.stderr if isinstance(error.stderr, str) else str(error.stderr or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    lines = [line[len("stderr: ") :] if line.startswith("stderr: ") else line for line in lines]
    lines = [line.strip("'").strip() for line in lines]
    return "; ".join(line for line in lines if line) or f"exit status {error.status}"
