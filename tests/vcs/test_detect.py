"""Finding the VCS of a source directory, and the plugin registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.vcs import ReleaseVCS, VCSError, detect_vcs, vcs_plugins
from pkg.vcs.git import GitVCS
from pkg.vcs.stub import StubVCS
from tests.vcs._support import git, isolate_git, vcs_settings

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(monkeypatch)


def test_the_builtins_are_registered() -> None:
    plugins = vcs_plugins()
    assert plugins["git"] is GitVCS
    assert plugins["stub"] is StubVCS
    assert all(issubclass(cls, ReleaseVCS) and cls.name == name for name, cls in plugins.items())


def test_git_is_found_walking_up(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    source = tmp_path / "packages" / "foo"
    source.mkdir(parents=True)
    found = detect_vcs(source, vcs_settings())
    assert isinstance(found, GitVCS)
    assert found.root == tmp_path


def test_the_nearest_root_wins(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    source = tmp_path / "foo"
    source.mkdir()
    (source / ".stub").write_text("")
    assert isinstance(detect_vcs(source, vcs_settings()), StubVCS)


def test_two_at_the_same_depth_are_ambiguous(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".stub").write_text("")
    with pytest.raises(
        VCSError, match=r"several version control systems .* \(git, stub\); choose one with --vcs"
    ):
        detect_vcs(tmp_path, vcs_settings())
    assert isinstance(detect_vcs(tmp_path, vcs_settings(), forced="stub"), StubVCS)
    assert isinstance(detect_vcs(tmp_path, vcs_settings(), forced="git"), GitVCS)


def test_no_vcs(tmp_path: Path) -> None:
    with pytest.raises(VCSError, match=r"no version control system \(one of git, stub\)"):
        detect_vcs(tmp_path, vcs_settings())


def test_forced_unknown_or_absent(tmp_path: Path) -> None:
    with pytest.raises(VCSError, match=r"unknown version control system 'svn' \(one of git"):
        detect_vcs(tmp_path, vcs_settings(), forced="svn")
    with pytest.raises(VCSError, match=r"^git: .* is not in a git repository$"):
        detect_vcs(tmp_path, vcs_settings(), forced="git")


def test_a_relative_source_dir_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".stub").write_text("")
    monkeypatch.chdir(tmp_path)
    from pathlib import Path

    assert detect_vcs(Path(), vcs_settings()).root == tmp_path
