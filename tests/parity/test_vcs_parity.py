"""pkg's git and stub release VCS against Rez's, on the same repositories (skipped
without rez).

Rez's plugins are driven through its Python API (``rez.release_vcs.create_release_vcs``)
over a package source directory in a clone of a bare remote: both must describe the
revision the same way, give the same changelog text, accept and refuse the same working
copies, and read each other's ``.stub`` tags.
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING, Any

import pytest

from pkg.vcs import VCSError, detect_vcs
from pkg.vcs.stub import StubVCS
from tests.vcs._support import Repos, commit, git, isolate_git, make_repos, vcs_settings

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
    # Rez loads its plugins with a deprecated importlib API.
    pytest.mark.filterwarnings("ignore:the load_module\\(\\) method is deprecated"),
]

PACKAGE = "name = 'foo'\nversion = '1.0'\n"


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch)


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    repos = make_repos(tmp_path)
    commit(repos.work, "package.py", PACKAGE, "add the package")
    git(repos.work, "push", "-q")
    git(repos.other, "pull", "-q")
    return repos


def rez_vcs(path: Path, name: str | None = None) -> Any:
    from rez.release_vcs import create_release_vcs

    return create_release_vcs(str(path), name)


def test_detected_the_same(repos: Repos) -> None:
    assert rez_vcs(repos.work).name() == detect_vcs(repos.work, vcs_settings()).name


@pytest.mark.parametrize("branch", ["main", "local"])
def test_current_revision(repos: Repos, branch: str) -> None:
    if branch != "main":
        git(repos.work, "checkout", "-q", "-b", branch)
    ours = detect_vcs(repos.work, vcs_settings()).current_revision()
    assert ours == rez_vcs(repos.work).get_current_revision()
    assert ours["branch"] == branch


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_changelog(repos: Repos, limit: int) -> None:
    previous = detect_vcs(repos.work, vcs_settings()).current_revision()
    for name in ("a", "b"):
        commit(repos.work, name, message=f"change {name}\n\nwith a body line")
    ours = detect_vcs(repos.work, vcs_settings())
    theirs = rez_vcs(repos.work)
    for since in (previous, None, {"no": "commit"}):
        assert ours.changelog(since, limit) == theirs.get_changelog(since, limit or None)


def _refusals(repos: Repos) -> tuple[bool, bool]:
    """(pkg refused, rez refused) for the current state of the clone."""
    from rez.exceptions import ReleaseVCSError

    try:
        detect_vcs(repos.work, vcs_settings()).validate_repostate()
        ours = False
    except VCSError:
        ours = True
    try:
        rez_vcs(repos.work).validate_repostate()
        theirs = False
    except ReleaseVCSError:
        theirs = True
    return ours, theirs


def test_the_same_working_copies_are_refused(repos: Repos) -> None:
    assert _refusals(repos) == (False, False)
    (repos.work / "package.py").write_text(PACKAGE + "description = 'changed'\n")
    assert _refusals(repos) == (True, True)  # uncommitted
    git(repos.work, "commit", "-q", "-am", "describe")
    assert _refusals(repos) == (True, True)  # ahead
    git(repos.work, "push", "-q")
    assert _refusals(repos) == (False, False)
    git(repos.other, "pull", "-q")
    commit(repos.other, "other.txt")
    git(repos.other, "push", "-q")
    assert _refusals(repos) == (True, True)  # behind, once fetched
    git(repos.work, "pull", "-q")
    git(repos.work, "checkout", "-q", "-b", "feature")
    assert _refusals(repos) == (True, True)  # no upstream


def test_stub_tags_are_shared(tmp_path: Path) -> None:
    (tmp_path / "package.py").write_text(PACKAGE)
    (tmp_path / ".stub").write_text("")
    theirs = rez_vcs(tmp_path)
    ours = detect_vcs(tmp_path, vcs_settings())
    assert isinstance(ours, StubVCS)
    assert theirs.name() == ours.name == "stub"
    theirs.create_release_tag("foo-1.0", "released by rez")
    assert ours.tag_exists("foo-1.0")
    ours.create_tag("foo-1.1", "released by pkg: 'quoted'")
    ours.create_tag("foo-1.2", "")
    assert rez_vcs(tmp_path).tag_exists("foo-1.1")
    assert rez_vcs(tmp_path)._read_stub() == {
        "tags": {
            "foo-1.0": "released by rez",
            "foo-1.1": "released by pkg: 'quoted'",
            "foo-1.2": "",
        }
    }
    theirs.create_release_tag("foo-1.3", None)
    assert ours.tags() == {
        "foo-1.0": "released by rez",
        "foo-1.1": "released by pkg: 'quoted'",
        "foo-1.2": "",
        "foo-1.3": None,
    }


def test_stub_changelog_texts(tmp_path: Path) -> None:
    (tmp_path / "package.py").write_text(PACKAGE)
    (tmp_path / ".stub").write_text("")
    theirs = rez_vcs(tmp_path)
    ours = detect_vcs(tmp_path, vcs_settings())
    assert isinstance(ours, StubVCS)
    ours.time = theirs.time
    for previous in (None, theirs.time - 7, {"commit": "abc"}):
        assert ours.changelog(previous, 0) == theirs.get_changelog(previous)
