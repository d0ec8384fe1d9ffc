"""The git release VCS on real repositories: a bare remote and clones of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.vcs import VCSError
from pkg.vcs.git import GitVCS
from tests.vcs._support import Repos, commit, git, isolate_git, make_repos, vcs_settings

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch)


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    return make_repos(tmp_path)


def vcs(path: Path, **settings: object) -> GitVCS:
    return GitVCS(path, vcs_settings(**settings))


def test_a_clean_clone_in_step_with_its_upstream_is_releasable(repos: Repos) -> None:
    vcs(repos.work).validate_repostate()


def test_is_valid_root_needs_dot_git(repos: Repos, tmp_path: Path) -> None:
    assert GitVCS.is_valid_root(repos.work)
    assert not GitVCS.is_valid_root(tmp_path)
    (repos.work / "sub" / "dir").mkdir(parents=True)
    assert GitVCS.find_root(repos.work / "sub" / "dir") == repos.work


def test_not_a_repository_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VCSError, match=r"^git: .* is not a git repository$"):
        vcs(tmp_path)


def test_no_upstream_is_refused_unless_allowed(repos: Repos) -> None:
    git(repos.work, "checkout", "-q", "-b", "feature")
    with pytest.raises(
        VCSError, match=r"branch 'feature' has no upstream branch: .*allow_no_upstream to true"
    ):
        vcs(repos.work).validate_repostate()
    vcs(repos.work, allow_no_upstream=True).validate_repostate()
    git(repos.work, "push", "-q", "-u", "origin", "feature")
    vcs(repos.work).validate_repostate()


def test_detached_head_has_no_upstream(repos: Repos) -> None:
    git(repos.work, "checkout", "-q", "--detach")
    with pytest.raises(VCSError, match="the detached HEAD has no upstream branch"):
        vcs(repos.work).validate_repostate()


def test_branch_must_match_a_releasable_branch(repos: Repos) -> None:
    git(repos.work, "checkout", "-q", "-b", "feature", "--track", "origin/main")
    with pytest.raises(
        VCSError, match=r"branch 'feature' matches none of the releasable branches \(main, rel"
    ):
        vcs(repos.work, releasable_branches=("main", "release/.*")).validate_repostate()
    # The patterns are searched, as re.search does.
    vcs(repos.work, releasable_branches=("main", "feat")).validate_repostate()


@pytest.mark.parametrize("staged", [False, True])
def test_uncommitted_changes_are_refused(repos: Repos, staged: bool) -> None:
    (repos.work / "README").write_text("changed\n")
    if staged:
        git(repos.work, "add", "README")
    with pytest.raises(
        VCSError, match=r"^git: 1 file with uncommitted changes \(README\): commit or stash"
    ):
        vcs(repos.work).validate_repostate()
    git(repos.work, "commit", "-q", "-am", "change")
    git(repos.work, "push", "-q")
    vcs(repos.work).validate_repostate()


def test_a_staged_new_file_is_a_change_but_an_untracked_one_is_not(repos: Repos) -> None:
    (repos.work / "new.txt").write_text("new\n")
    vcs(repos.work).validate_repostate()
    git(repos.work, "add", "new.txt")
    with pytest.raises(VCSError, match=r"uncommitted changes \(new.txt\)"):
        vcs(repos.work).validate_repostate()


def test_ahead_of_upstream_is_refused_until_pushed(repos: Repos) -> None:
    commit(repos.work, "a.txt")
    commit(repos.work, "b.txt")
    with pytest.raises(
        VCSError, match=r"^git: branch 'main' is 2 commits ahead of 'origin/main': push first$"
    ):
        vcs(repos.work).validate_repostate()
    git(repos.work, "push", "-q")
    vcs(repos.work).validate_repostate()


def test_behind_upstream_is_seen_after_fetching(repos: Repos) -> None:
    commit(repos.other, "c.txt")
    git(repos.other, "push", "-q")
    # Without fetching, the clone does not know yet.
    vcs(repos.work).validate_repostate(fetch=False)
    with pytest.raises(
        VCSError, match=r"^git: branch 'main' is 1 commit behind 'origin/main': pull first$"
    ):
        vcs(repos.work).validate_repostate()
    git(repos.work, "pull", "-q")
    vcs(repos.work).validate_repostate()


def test_diverged_branch_is_refused(repos: Repos) -> None:
    commit(repos.other, "c.txt")
    git(repos.other, "push", "-q")
    commit(repos.work, "d.txt")
    with pytest.raises(VCSError, match=r"1 commit ahead of and 1 commit behind .*pull and push"):
        vcs(repos.work).validate_repostate()


def test_a_fetch_failure_is_one_line(repos: Repos) -> None:
    git(repos.work, "remote", "set-url", "origin", str(repos.remote.parent / "gone.git"))
    with pytest.raises(VCSError, match=r"^git: 'git fetch origin' failed: .*gone\.git") as caught:
        vcs(repos.work).validate_repostate()
    assert "\n" not in str(caught.value)


def test_bare_repository_is_refused(repos: Repos) -> None:
    git(repos.work, "config", "core.bare", "true")
    with pytest.raises(VCSError, match="is a bare repository: release from a clone"):
        vcs(repos.work).validate_repostate()


def test_a_repository_without_commits_is_refused(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    with pytest.raises(VCSError, match="has no commit yet: commit the package first"):
        vcs(tmp_path, allow_no_upstream=True).validate_repostate()


def test_current_revision_has_rezs_keys(repos: Repos) -> None:
    head = git(repos.work, "rev-parse", "HEAD")
    assert vcs(repos.work).current_revision() == {
        "commit": head,
        "branch": "main",
        "tracking_branch": "origin/main",
        "fetch_url": str(repos.remote),
        "push_url": str(repos.remote),
    }
    git(repos.work, "remote", "set-url", "--push", "origin", "/elsewhere.git")
    assert vcs(repos.work).current_revision()["push_url"] == "/elsewhere.git"


def test_current_revision_without_upstream(repos: Repos) -> None:
    git(repos.work, "checkout", "-q", "-b", "local")
    head = git(repos.work, "rev-parse", "HEAD")
    assert vcs(repos.work).current_revision() == {
        "commit": head,
        "branch": "local",
        "tracking_branch": None,
    }


def test_changelog_since_a_revision_with_a_limit(repos: Repos) -> None:
    first = vcs(repos.work).current_revision()
    for name in ("one", "two", "three"):
        commit(repos.work, name, message=f"add {name}")
    assert git(repos.work, "log", f"{first['commit']}..HEAD") == vcs(repos.work).changelog(first, 0)
    log = vcs(repos.work).changelog(first, 0)
    assert [line.strip() for line in log.splitlines() if line.startswith("    ")] == [
        "add three",
        "add two",
        "add one",
    ]
    limited = vcs(repos.work).changelog(first, 2)
    assert "add two" in limited
    assert "add one" not in limited
    everything = vcs(repos.work).changelog(None, 0)
    assert everything.count("\ncommit ") == 3
    assert "first commit" in everything
    # A revision without a commit (another VCS's) gives the whole log, as Rez does.
    assert vcs(repos.work).changelog({"time": 5}, 0) == everything


def test_changelog_since_an_unknown_commit_is_an_error(repos: Repos) -> None:
    with pytest.raises(VCSError, match=r"'git log 0{40}\.\.HEAD' failed"):
        vcs(repos.work).changelog({"commit": "0" * 40}, 0)


def test_tags_are_created_pushed_and_deleted(repos: Repos) -> None:
    work = vcs(repos.work)
    assert not work.tag_exists("foo-1.0")
    work.create_tag("foo-1.0", "release foo 1.0")
    assert work.tag_exists("foo-1.0")
    assert not work.tag_exists("foo-1")
    assert git(repos.work, "tag", "-l", "--format=%(contents:subject)", "foo-1.0") == (
        "release foo 1.0"
    )
    assert git(repos.work, "cat-file", "-t", "foo-1.0") == "tag"  # annotated
    with pytest.raises(VCSError, match=r"tag 'foo-1\.0' exists already"):
        work.create_tag("foo-1.0", "again")
    assert "refs/tags/foo-1.0" not in git(repos.work, "ls-remote", "--tags", str(repos.remote))
    work.push_tag("foo-1.0")
    assert "refs/tags/foo-1.0" in git(repos.work, "ls-remote", "--tags", str(repos.remote))
    work.delete_tag("foo-1.0")
    assert not work.tag_exists("foo-1.0")
    work.delete_tag("foo-1.0")  # already gone: no error


def test_push_tag_without_upstream_does_nothing(repos: Repos) -> None:
    git(repos.work, "checkout", "-q", "-b", "local")
    work = vcs(repos.work, allow_no_upstream=True)
    work.create_tag("bar-1", "m")
    work.push_tag("bar-1")
    assert "bar-1" not in git(repos.work, "ls-remote", "--tags", str(repos.remote))


def test_a_bad_tag_name_is_an_error(repos: Repos) -> None:
    with pytest.raises(VCSError, match=r"'git tag -a bad\.\.name"):
        vcs(repos.work).create_tag("bad..name", "m")
