"""``pkg.api.repository_ops``: copy, move, remove and (un)ignore on temporary repositories."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

import pytest

from pkg.api import repository_ops as ops
from pkg.core import Version
from pkg.errors import RepositoryError, UsageError, VersionError
from pkg.repositories import CopyError
from tests.repo_ops_data import Repos, config_for, make_repos, tree, write_package

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    return make_repos(tmp_path)


@pytest.fixture
def config(tmp_path: Path, repos: Repos) -> Config:
    return config_for(tmp_path, repos.src, repos.dst)


@pytest.mark.parametrize(
    ("text", "name", "version"),
    [
        ("foo-1.2.3", "foo", "1.2.3"),
        ("foo@1.2", "foo", "1.2"),
        ("foo#1", "foo", "1"),
        ("foo", "foo", ""),
        ("foo_bar-1.0-beta", "foo_bar", "1.0-beta"),
    ],
)
def test_parse_package_id(text: str, name: str, version: str) -> None:
    assert ops.parse_package_id(text) == (name, Version(version))


def test_parse_package_id_rejects_a_bad_version() -> None:
    with pytest.raises(VersionError):
        ops.parse_package_id("foo-1+")


def test_search_paths(config: Config, repos: Repos) -> None:
    assert ops.search_paths(config) == [str(repos.src), str(repos.dst)]
    assert ops.search_paths(config, no_local=True) == [str(repos.dst)]
    assert ops.nonlocal_packages_path(config) == [str(repos.dst)]
    joined = os.pathsep.join(["", "/a", "", "/b"])
    assert ops.search_paths(config, paths=joined, no_local=True) == ["/a", "/b"]
    assert ops.search_paths(config, paths=["/x", ""]) == ["/x"]


# -- copy -----------------------------------------------------------------------------------


def test_copy_all_variants(config: Config, repos: Repos) -> None:
    outcome = ops.copy(config, "foo-1.0.0", dest_path=str(repos.dst))
    assert outcome.destination == f"filesystem@{repos.dst}"
    assert [(s.index, d and d.index) for s, d in outcome.copied] == [(0, 0), (1, 1)]
    assert outcome.skipped == ()
    assert not outcome.dry_run
    assert outcome.target_path == str(repos.dst / "foo" / "1.0.0")
    assert (repos.dst / "foo/1.0.0/python-2/a.txt").read_text() == "two\n"
    again = ops.copy(config, "foo-1.0.0", dest_path=str(repos.dst))
    assert again.copied == ()
    assert [(s.index, d.index) for s, d in again.skipped] == [(0, 0), (1, 1)]


def test_copy_selected_variants_and_overwrite(config: Config, repos: Repos) -> None:
    first = ops.copy(config, "foo-1.0.0", dest_path=str(repos.dst), variants=[-1])
    assert [(s.index, d and d.index) for s, d in first.copied] == [(1, 0)]
    both = ops.copy(config, "foo-1.0.0", dest_path=str(repos.dst), variants=[0, 1], overwrite=True)
    assert [(s.index, d and d.index) for s, d in both.copied] == [(0, 1), (1, 0)]
    with pytest.raises(CopyError, match="no variant"):
        ops.copy(config, "foo-1.0.0", dest_path=str(repos.dst), variants=[5])


def test_copy_dry_run_writes_nothing(config: Config, repos: Repos) -> None:
    before = tree(repos.dst)
    outcome = ops.copy(config, "foo-1.0.0", dest_path=str(repos.dst), dry_run=True)
    assert outcome.dry_run
    assert [d for _s, d in outcome.copied] == [None, None]
    assert tree(repos.dst) == before


def test_copy_rename_and_reversion_in_place(config: Config, repos: Repos) -> None:
    outcome = ops.copy(config, "bar", rename="baz", reversion="3.0", keep_timestamp=True)
    assert outcome.destination == f"filesystem@{repos.src}"
    target = outcome.copied[0][1]
    assert target is not None
    assert (target.name, str(target.version)) == ("baz", "3.0")
    assert target.package.timestamp == 1000
    assert os.readlink(repos.src / "baz/3.0/link.txt") == "data.txt"


def test_copy_gets_a_new_timestamp_unless_kept(config: Config, repos: Repos) -> None:
    outcome = ops.copy(config, "bar", dest_path=str(repos.dst))
    target = outcome.copied[0][1]
    assert target is not None
    timestamp = target.package.timestamp
    assert timestamp is not None
    assert timestamp >= int(time.time()) - 60


def test_shallow_copy_links_the_payload(config: Config, repos: Repos) -> None:
    ops.copy(config, "bar", dest_path=str(repos.dst), shallow=True)
    assert os.readlink(repos.dst / "bar/2.0/data.txt") == str(repos.src / "bar/2.0/data.txt")
    assert os.readlink(repos.dst / "bar/2.0/link.txt") == "data.txt"


def test_follow_symlinks_copies_the_target(config: Config, repos: Repos) -> None:
    ops.copy(config, "bar", dest_path=str(repos.dst), follow_symlinks=True)
    link = repos.dst / "bar/2.0/link.txt"
    assert not link.is_symlink()
    assert link.read_text() == "data\n"


def test_copy_non_relocatable_needs_force(config: Config, repos: Repos) -> None:
    with pytest.raises(CopyError, match="non-relocatable"):
        ops.copy(config, "foo-2.0", dest_path=str(repos.dst))
    ops.copy(config, "foo-2.0", dest_path=str(repos.dst), force=True)
    assert (repos.dst / "foo/2.0/package.py").is_file()


def test_copy_over_itself_is_refused(config: Config) -> None:
    with pytest.raises(CopyError, match="over itself"):
        ops.copy(config, "bar", reversion="2.0")


def test_copy_into_an_empty_repository(config: Config, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "just_a_dir").mkdir(parents=True)
    with pytest.raises(ops.EmptyRepositoryError, match="--allow-empty") as caught:
        ops.copy(config, "bar", dest_path=str(empty))
    assert caught.value.where == f"filesystem@{empty}"
    assert str(caught.value) == ops.EMPTY_REPOSITORY_MESSAGE
    ops.copy(config, "bar", dest_path=str(empty), allow_empty=True)
    assert (empty / "bar/2.0/data.txt").is_file()


@pytest.mark.parametrize(
    ("request_", "error", "message"),
    [
        ("nope", ops.PackageNotFoundError, "No matching packages found."),
        ("foo", ops.AmbiguousPackageError, "More than one package matches, please choose:"),
    ],
)
def test_copy_needs_exactly_one_match(
    config: Config, repos: Repos, request_: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        ops.copy(config, request_, dest_path=str(repos.dst))
    assert str(caught.value).startswith(message)


def test_ambiguous_lists_candidates(config: Config, repos: Repos) -> None:
    with pytest.raises(ops.AmbiguousPackageError) as caught:
        ops.copy(config, "foo", dest_path=str(repos.dst))
    assert caught.value.candidates == ("foo-1.0.0", "foo-2.0")


def test_copy_search_path_options(config: Config, repos: Repos) -> None:
    with pytest.raises(ops.PackageNotFoundError):
        ops.copy(config, "bar", dest_path=str(repos.dst), no_local=True)
    write_package(repos.dst, "bar", "9.0")
    outcome = ops.copy(config, "bar-9", dest_path=str(repos.src), no_local=True)
    assert outcome.source.repository is not None
    assert outcome.source.repository.location == str(repos.dst)
    # --paths wins over --nl
    again = ops.copy(config, "bar-2", paths=str(repos.src), no_local=True, rename="b2")
    assert again.copied


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "Expected PKG."),
        ({"package": "bar", "variant_uri": "x[0]"}, "Supply PKG or --variant-uri, not both."),
        ({"package": "bar"}, "--dest-path must be specified unless --rename or --reversion"),
    ],
)
def test_copy_usage_errors(config: Config, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace(".", r"\.")):
        ops.copy(config, **kwargs)


def test_copy_by_variant_uri(config: Config, repos: Repos) -> None:
    uri = f"{repos.src}/foo/1.0.0/package.py[1]"
    outcome = ops.copy(config, variant_uri=uri, dest_path=str(repos.dst), variants=[0])
    assert [(s.index, d and d.index) for s, d in outcome.copied] == [(1, 0)]
    assert (repos.dst / "foo/1.0.0/python-3/b.txt").is_file()


def test_variant_uri_outside_the_search_path(tmp_path: Path, repos: Repos) -> None:
    config = config_for(tmp_path, tmp_path / "elsewhere")
    uri = f"{repos.src}/bar/2.0/package.py[]"
    outcome = ops.copy(config, variant_uri=uri, dest_path=str(repos.dst))
    assert outcome.source.qualified_name == "bar-2.0"


@pytest.mark.parametrize(
    "uri",
    [
        "{src}/foo/1.0.0/package.py[7]",
        "{src}/foo/1.0.0/package.py",
        "{src}/foo/9/package.py[0]",
        "{src}/foo/1.0.0/package.py[x]",
        "relative/foo/1.0.0/package.py[0]",
    ],
)
def test_unknown_variant_uri(config: Config, repos: Repos, uri: str) -> None:
    with pytest.raises(ops.UnknownVariantError, match="Unknown variant: "):
        ops.copy(config, variant_uri=uri.format(src=repos.src), dest_path=str(repos.dst))


# -- move -----------------------------------------------------------------------------------


def test_move(config: Config, repos: Repos) -> None:
    outcome = ops.move(config, "bar-2.0", str(repos.src), str(repos.dst), keep_timestamp=True)
    assert outcome.destination == f"filesystem@{repos.dst}"
    assert outcome.moved.uri == str(repos.dst / "bar/2.0/package.py")
    assert outcome.moved.timestamp == 1000
    assert (repos.src / "bar/.ignore2.0").exists()
    assert not (repos.dst / "bar/.ignore2.0").exists()
    with pytest.raises(ops.PackageNotFoundError, match=r"Package not found\."):
        ops.move(config, "bar-2.0", str(repos.src), str(repos.dst))


def test_move_errors(config: Config, repos: Repos) -> None:
    with pytest.raises(CopyError, match="non-relocatable"):
        ops.move(config, "foo-2.0", str(repos.src), str(repos.dst))
    ops.move(config, "foo-2.0", str(repos.src), str(repos.dst), force=True)
    write_package(repos.src, "other", "1.0")
    with pytest.raises(CopyError, match="already exists at destination"):
        ops.move(config, "other-1.0", str(repos.src), str(repos.dst))


def test_repositories_containing(config: Config, repos: Repos) -> None:
    write_package(repos.dst, "bar", "2.0")
    assert ops.repositories_containing(config, "bar-2.0") == [
        f"filesystem@{repos.src}",
        f"filesystem@{repos.dst}",
    ]
    assert ops.repositories_containing(config, "bar-3") == []
    assert ops.list_repositories(config) == [f"filesystem@{repos.src}", f"filesystem@{repos.dst}"]


# -- remove ---------------------------------------------------------------------------------


def test_remove_package(config: Config, repos: Repos) -> None:
    ops.ignore(config, "bar-2.0", str(repos.src))
    assert ops.remove_package(config, "bar-2.0", str(repos.src)) == f"filesystem@{repos.src}"
    assert not (repos.src / "bar/2.0").exists()
    assert not (repos.src / "bar/.ignore2.0").exists()
    with pytest.raises(ops.PackageNotFoundError) as caught:
        ops.remove_package(config, "bar-2.0", str(repos.src))
    assert (caught.value.package, caught.value.where) == ("bar-2.0", f"filesystem@{repos.src}")


def test_remove_family(config: Config, repos: Repos) -> None:
    ops.remove_family(config, "empty_family", str(repos.src))
    assert not (repos.src / "empty_family").exists()
    with pytest.raises(ops.FamilyNotFoundError, match=r"Package family not found\."):
        ops.remove_family(config, "empty_family", str(repos.src))
    with pytest.raises(RepositoryError, match="annot remove non-empty package family 'foo'"):
        ops.remove_family(config, "foo", str(repos.src))
    with pytest.raises(UsageError, match="Expected package name, not version"):
        ops.remove_family(config, "foo-1", str(repos.src))
    ops.remove_family(config, "foo", str(repos.src), force=True)
    assert not (repos.src / "foo").exists()


def test_a_family_of_ignored_packages_is_not_empty(config: Config, repos: Repos) -> None:
    ops.ignore(config, "bar-2.0", str(repos.src))
    with pytest.raises(RepositoryError, match="non-empty"):
        ops.remove_family(config, "bar", str(repos.src))


def test_remove_ignored_since(
    config: Config, repos: Repos, monkeypatch: pytest.MonkeyPatch
) -> None:
    ops.ignore(config, "bar-2.0", str(repos.src))
    ops.ignore(config, "foo-7", str(repos.src), allow_missing=True)
    nothing = ops.remove_ignored_since(config, 1)
    assert (nothing.count, nothing.removed) == (0, ())
    assert nothing.searched == (f"filesystem@{repos.src}", f"filesystem@{repos.dst}")
    dry = ops.remove_ignored_since(config, 0, paths=[str(repos.src)], dry_run=True)
    assert dry.dry_run
    assert sorted(name for _label, name in dry.removed) == ["bar-2.0", "foo-7"]
    assert (repos.src / "bar/2.0").exists()
    # A marker's ctime cannot be set: age it by moving "now" instead.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86400)
    assert ops.remove_ignored_since(config, 4).count == 0
    done = ops.remove_ignored_since(config, 2)
    assert done.removed == ((f"filesystem@{repos.src}", "bar-2.0"),)
    assert not (repos.src / "bar/2.0").exists()


def test_remove_ignored_since_skips_memory_repositories(config: Config) -> None:
    outcome = ops.remove_ignored_since(config, 0, paths=["memory@scratch"])
    assert outcome.searched == ("memory@scratch",)
    assert outcome.count == 0


# -- ignore ---------------------------------------------------------------------------------


def test_ignore_and_unignore(config: Config, repos: Repos) -> None:
    src = str(repos.src)
    assert ops.ignore(config, "bar-2.0", src) == ops.IgnoreOutcome(True, f"filesystem@{src}")
    assert not ops.ignore(config, "bar-2.0", src).changed
    assert ops.repositories_containing(config, "bar-2.0") == []
    assert ops.unignore(config, "bar-2.0", src).changed
    assert not ops.unignore(config, "bar-2.0", src).changed
    assert ops.repositories_containing(config, "bar-2.0") == [f"filesystem@{src}"]


def test_ignore_missing(config: Config, repos: Repos) -> None:
    src = str(repos.src)
    with pytest.raises(ops.PackageNotFoundError, match=r"^Package not found$"):
        ops.ignore(config, "bar-9", src)
    assert ops.ignore(config, "bar-9", src, allow_missing=True).changed
    assert (repos.src / "bar/.ignore9").exists()
    with pytest.raises(ops.PackageNotFoundError, match=r"^Package not found$"):
        ops.unignore(config, "bar-9", src)
    assert not (repos.src / "bar/.ignore9").exists()
    assert ops.ignore(config, "newfam", src, allow_missing=True).changed
    assert (repos.src / "newfam/.ignore").exists()
