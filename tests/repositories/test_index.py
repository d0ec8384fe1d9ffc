"""The on-disk metadata index: hits, misses and invalidation on every kind of change."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.repositories import _index
from pkg.repositories import _layout as layout
from pkg.repositories._index import RACY_NS, FamilyIndex, IndexStore
from pkg.repositories._layout import LayoutSettings, Stamp

from .conftest import versions

if TYPE_CHECKING:
    from pkg.repositories import FilesystemRepository

    from .conftest import RepoMaker, Writer

OLD = 1_600_000_000  # an mtime far in the past: stamps are trusted at once


def age(path: Path) -> None:
    """Make ``path`` (and everything below) look old, so its stamps are trusted."""
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.utime(os.path.join(root, name), (OLD, OLD))
    os.utime(path, (OLD, OLD))


def fresh(make_repo: RepoMaker) -> FilesystemRepository:
    """A new repository object: nothing in process memory, only the disk index."""
    return make_repo()


@pytest.fixture
def populated(write: Writer, repo_dir: Path) -> Path:
    for version in ["1.0", "2.0", "3.0"]:
        write("foo", version, "requires = ['bar']\n")
    write("bar", "1.0")
    age(repo_dir)
    return repo_dir


def loads(repo: FilesystemRepository) -> int:
    return repo.index.stats["loads"]


def test_second_process_hits_the_index(populated: Path, make_repo: RepoMaker) -> None:
    first = fresh(make_repo)
    assert versions(first, "foo") == ["1.0", "2.0", "3.0"]
    assert loads(first) == 3
    second = fresh(make_repo)
    assert versions(second, "foo") == ["1.0", "2.0", "3.0"]
    assert loads(second) == 0
    assert second.index.stats["disk_hits"] == 1
    assert [str(r) for r in next(second.iter_packages("foo")).requires] == ["bar"]


def test_repeated_reads_in_process_reuse_packages(populated: Path, make_repo: RepoMaker) -> None:
    repo = fresh(make_repo)
    first = list(repo.iter_packages("foo"))
    second = list(repo.iter_packages("foo"))
    assert all(a is b for a, b in zip(first, second, strict=True))
    assert loads(repo) == 3


def test_touching_a_definition_reloads_only_it(populated: Path, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    path = populated / "foo" / "2.0" / "package.py"
    os.utime(path, (OLD + 10, OLD + 10))
    repo = fresh(make_repo)
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0"]
    assert loads(repo) == 1


def test_changed_content_is_seen(populated: Path, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    (populated / "foo" / "2.0" / "package.py").write_text("name = 'foo'\nrequires = ['baz']\n")
    package = fresh(make_repo).get_package("foo", "2.0")
    assert package is not None
    assert [str(r) for r in package.requires] == ["baz"]


def test_replaced_with_same_size_and_mtime_is_seen(populated: Path, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    path = populated / "foo" / "2.0" / "package.py"
    text = path.read_text()
    replacement = path.with_name("new.py")
    replacement.write_text(text.replace("'bar'", "'baz'"))
    assert replacement.stat().st_size == path.stat().st_size
    os.utime(replacement, (OLD, OLD))
    os.replace(replacement, path)  # new inode, same size and mtime
    age(populated / "foo" / "2.0")
    package = fresh(make_repo).get_package("foo", "2.0")
    assert package is not None
    assert [str(r) for r in package.requires] == ["baz"]


def test_in_place_rewrite_same_size_and_mtime_is_seen(
    populated: Path, make_repo: RepoMaker
) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    path = populated / "foo" / "2.0" / "package.py"
    text = path.read_text()
    path.write_text(text.replace("'bar'", "'baz'"))  # same inode and size
    os.utime(path, (OLD, OLD))  # ctime still moves
    package = fresh(make_repo).get_package("foo", "2.0")
    assert package is not None
    assert [str(r) for r in package.requires] == ["baz"]


def test_adding_and_removing_versions(populated: Path, write: Writer, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    write("foo", "4.0")
    assert versions(fresh(make_repo), "foo") == ["1.0", "2.0", "3.0", "4.0"]
    shutil.rmtree(populated / "foo" / "1.0")
    repo = fresh(make_repo)
    assert versions(repo, "foo") == ["2.0", "3.0", "4.0"]
    assert loads(repo) == 0


def test_ignore_file_invalidates(populated: Path, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    (populated / "foo" / ".ignore3.0").touch()
    assert versions(fresh(make_repo), "foo") == ["1.0", "2.0"]


def test_new_family_is_listed(populated: Path, write: Writer, make_repo: RepoMaker) -> None:
    assert list(fresh(make_repo).iter_family_names()) == ["bar", "foo"]
    write("baz")
    assert list(fresh(make_repo).iter_family_names()) == ["bar", "baz", "foo"]


def test_removed_family_disappears(populated: Path, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("bar", "1.0")
    shutil.rmtree(populated / "bar")
    repo = fresh(make_repo)
    assert versions(repo, "bar") == []
    assert list(repo.iter_family_names()) == ["foo"]


def test_load_error_is_cached_and_replayed(
    write: Writer, repo_dir: Path, make_repo: RepoMaker
) -> None:
    write("foo", "1.0", "requires = [\n")
    age(repo_dir)
    assert versions(fresh(make_repo), "foo") == []
    repo = fresh(make_repo)
    assert versions(repo, "foo") == []
    assert loads(repo) == 0
    assert len(repo.load_errors) == 1


@pytest.mark.parametrize("content", ["", "{not json", '{"format": 99}', "[]", '{"format": 1}'])
def test_corrupt_index_files_are_ignored(
    populated: Path, make_repo: RepoMaker, content: str
) -> None:
    repo = fresh(make_repo)
    versions(repo, "foo")
    store = repo.index.store
    assert store is not None
    (store.directory / "foo.json").write_text(content)
    (store.directory / ".families.json").write_text(content)
    again = fresh(make_repo)
    assert versions(again, "foo") == ["1.0", "2.0", "3.0"]
    assert list(again.iter_family_names()) == ["bar", "foo"]
    assert json.loads((store.directory / "foo.json").read_text())["family"] == "foo"


def test_recent_changes_are_verified_by_content(
    write: Writer, repo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stamp taken within RACY_NS of the file's mtime is not trusted: the file's hash is
    checked, which catches a same-tick rewrite that leaves every stat field equal."""
    path = write("foo", "1.0", "requires = ['aaa']\n")
    calls: list[str] = []

    def loader(p: str, content: bytes) -> tuple[object, object]:
        text = content.decode()
        calls.append(text)
        return {"text": text}, None

    index = FamilyIndex(repo_dir, LayoutSettings(), loader, IndexStore(repo_dir.parent / "ix"))
    entry = index.family("foo")
    assert entry is not None
    recorded = entry.defs["1.0"].stamp
    path.write_text("name = 'foo'\nversion = '1.0'\nrequires = ['bbb']\n")
    # Pretend the filesystem clock did not move: every stat field is as before.
    real = layout.stamp
    size = path.stat().st_size
    assert recorded is not None

    def frozen(st: os.stat_result) -> Stamp:
        return recorded if st.st_size == size else real(st)

    monkeypatch.setattr(_index, "stamp", frozen)
    again = index.family("foo")
    assert again is not None
    assert "bbb" in str(again.defs["1.0"].data)


def test_old_stamps_are_trusted_without_reading(write: Writer, repo_dir: Path) -> None:
    write("foo", "1.0")
    age(repo_dir)
    index = FamilyIndex(repo_dir, LayoutSettings(), lambda p, content: ({"x": 1}, None))
    assert index.family("foo") is not None
    entry = index.family("foo")
    assert entry is not None
    assert entry.defs["1.0"].seen - OLD * 10**9 >= RACY_NS
    assert index.stats["loads"] == 1


def test_snapshot_mode_trusts_memory_until_cleared(
    populated: Path, write: Writer, make_repo: RepoMaker
) -> None:
    repo = make_repo(revalidate=False)
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0"]
    write("foo", "4.0")
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0"]
    repo.clear_caches()
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0", "4.0"]


def test_without_index_nothing_is_written(
    populated: Path, make_repo: RepoMaker, index_dir: Path
) -> None:
    repo = make_repo(use_index=False)
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0"]
    assert not index_dir.exists()


def test_index_keyed_by_settings(populated: Path, make_repo: RepoMaker, index_dir: Path) -> None:
    versions(make_repo(), "foo")
    versions(make_repo(honour_ignore=False), "foo")
    assert len(list(index_dir.iterdir())) == 1  # ignore-handling does not change the data


def test_unreadable_index_dir_is_harmless(
    populated: Path, make_repo: RepoMaker, tmp_path: Path
) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where a directory should be")
    repo = make_repo(index_dir=blocker)
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0"]


def test_stamps_are_taken_before_reading(write: Writer, repo_dir: Path) -> None:
    """A file changed while it is being loaded is stored as never trusted."""
    path = write("foo", "1.0")
    age(repo_dir)
    count = 0

    def loader(p: str, content: bytes) -> tuple[object, object]:
        nonlocal count
        count += 1
        Path(p).write_text(f"name = 'foo'\n# {count}\n")  # changes on every load
        return count, None

    index = FamilyIndex(repo_dir, LayoutSettings(), loader)
    entry = index.family("foo")
    assert entry is not None
    assert entry.defs["1.0"].stamp is None
    assert index.family("foo") is not None
    assert count > 3  # reloaded, never trusted
    del path
    time.sleep(0)


def test_definition_replaced_by_yaml_is_seen(populated: Path, make_repo: RepoMaker) -> None:
    fresh(make_repo).get_package("foo", "1.0")
    directory = populated / "foo" / "2.0"
    (directory / "package.py").unlink()
    (directory / "package.yaml").write_text("name: foo\nversion: '2.0'\ndescription: now yaml\n")
    age(directory)
    os.utime(populated / "foo", (OLD, OLD))
    package = fresh(make_repo).get_package("foo", "2.0")
    assert package is not None
    assert package.description == "now yaml"


def test_definitions_from_the_index_equal_fresh_ones(
    write: Writer, repo_dir: Path, make_repo: RepoMaker
) -> None:
    write(
        "foo",
        "1.0",
        "requires = ['bar-1+']\nvariants = [['a'], ['b']]\nconfig = {'x': {'y': [1, 2]}}\n"
        "@late()\ndef tools():\n    return ['t']\n"
        "def commands():\n    env.PATH.append('{root}')\n"
        "with scope('config') as c:\n    c.release_packages_path = ModifyList(append=['/x'])\n",
    )
    age(repo_dir)
    first = fresh(make_repo).get_package("foo", "1.0")
    second = fresh(make_repo)
    again = second.get_package("foo", "1.0")
    assert loads(second) == 0
    assert first is not None
    assert again is not None
    assert again.definition == first.definition
    assert again.tools == ["t"]


def test_index_keeps_version_order_and_bad_names(
    write: Writer, repo_dir: Path, make_repo: RepoMaker
) -> None:
    """The listing stores its versions in version order: a warm read parses no version
    and still sorts by version and reports a directory that is not a version."""
    for version in ["10.0", "2.0", "1.0.beta", "1.0", "1..0"]:
        write("foo", version, "requires = ['bar-1+<2']\nvariants = [['a'], ['b', 'c']]\n")
    age(repo_dir)
    expected = ["1.0", "1.0.beta", "2.0", "10.0"]
    assert versions(fresh(make_repo), "foo") == expected
    second = fresh(make_repo)
    errors: list[object] = []
    packages = list(second.iter_packages("foo", errors=errors))  # type: ignore[arg-type]
    assert [str(p.version) for p in packages] == expected
    assert loads(second) == 0
    assert len(errors) == 1
    assert "'1..0' is not a valid version" in str(errors[0])
    assert [str(r) for r in packages[0].requires] == ["bar-1+<2"]
    assert [[str(r) for r in v] for v in packages[0].variants] == [["a"], ["b", "c"]]
    assert packages[0].data["variants"] == [["a"], ["b", "c"]]
