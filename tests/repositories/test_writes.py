"""Writes to a filesystem repository: ignore, remove, copy, move; atomic on failure."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from pkg.errors import RepositoryError
from pkg.repositories import CopyError, FilesystemRepository, MemoryRepository, copy_package
from pkg.repositories import move_package as move

from .conftest import make_config, versions

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config
    from pkg.packages import Package

    from .conftest import RepoMaker, Writer

RELOCATABLE = "relocatable = True\n"


def get(repo: FilesystemRepository, family: str, version: str) -> Package:
    package = repo.get_package(family, version)
    assert package is not None
    return package


def leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob(".pkg-tmp-*"))


# -- ignore / unignore / remove --------------------------------------------------------


def test_ignore_and_unignore(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    write("foo", "1.0")
    write("foo", "2.0")
    repo = make_repo()
    assert repo.ignore_package("foo", "2.0") == 1
    assert (repo_dir / "foo" / ".ignore2.0").is_file()
    assert versions(repo, "foo") == ["1.0"]
    assert repo.ignore_package("foo", "2.0") == 0
    assert repo.ignore_package("foo", "3.0") == -1
    assert repo.ignore_package("foo", "3.0", allow_missing=True) == 1
    assert repo.unignore_package("foo", "2.0") == 1
    assert repo.unignore_package("foo", "2.0") == 0
    assert repo.unignore_package("foo", "3.0") == -1
    assert versions(repo, "foo") == ["1.0", "2.0"]


def test_remove_package(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    write("foo", "1.0")
    write("foo", "2.0")
    repo = make_repo()
    assert versions(repo, "foo") == ["1.0", "2.0"]
    assert repo.remove_package("foo", "2.0")
    assert versions(repo, "foo") == ["1.0"]
    assert not (repo_dir / "foo" / "2.0").exists()
    assert not (repo_dir / "foo" / ".ignore2.0").exists()
    assert not repo.remove_package("foo", "2.0")
    assert sorted(os.listdir(repo_dir / "foo")) == ["1.0"]


def test_remove_read_only_package(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    path = write("foo", "1.0")
    path.chmod(0o444)
    (repo_dir / "foo" / "1.0").chmod(0o555)
    assert make_repo().remove_package("foo", "1.0")
    assert not (repo_dir / "foo" / "1.0").exists()


def test_remove_family(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    write("foo", "1.0")
    repo = make_repo()
    with pytest.raises(RepositoryError, match="non-empty"):
        repo.remove_family("foo")
    repo.ignore_package("foo", "1.0")
    with pytest.raises(RepositoryError, match="non-empty"):
        repo.remove_family("foo")  # hidden versions still count
    assert repo.remove_family("foo", force=True)
    assert not (repo_dir / "foo").exists()
    assert not repo.remove_family("foo")
    (repo_dir / "empty").mkdir()
    assert repo.remove_family("empty")


def test_remove_ignored_since(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    write("foo", "1.0")
    write("foo", "2.0")
    repo = make_repo()
    repo.ignore_package("foo", "1.0")
    assert repo.remove_ignored_since(0, dry_run=True) == ["foo-1.0"]
    assert (repo_dir / "foo" / "1.0").exists()
    assert repo.remove_ignored_since(1) == []
    assert repo.remove_ignored_since(0) == ["foo-1.0"]
    assert not (repo_dir / "foo" / "1.0").exists()


def test_lock_timeout(write: Writer, home: Path, repo_dir: Path) -> None:
    from pkg.repositories import LockTimeoutError

    write("foo", "1.0")
    config = make_config(home, {"plugins.package_repository.filesystem.file_lock_timeout": 1})
    repo = FilesystemRepository(repo_dir, config, use_index=False)
    other = FilesystemRepository(repo_dir, config, use_index=False)
    with repo.lock_family("foo"), pytest.raises(LockTimeoutError):
        other.ignore_package("foo", "1.0")
    assert other.ignore_package("foo", "1.0") == 1


def test_lock_dir_setting(write: Writer, home: Path, repo_dir: Path) -> None:
    config = make_config(home, {"plugins.package_repository.filesystem.file_lock_dir": ".lock"})
    repo = FilesystemRepository(repo_dir, config, use_index=False)
    assert repo.lock_path("foo") == repo_dir / ".lock.foo"  # no such directory yet
    (repo_dir / ".lock").mkdir()
    assert repo.lock_path("foo") == repo_dir / ".lock" / ".lock.foo"
    bad = make_config(home, {"plugins.package_repository.filesystem.file_lock_dir": "a/b"})
    with pytest.raises(RepositoryError, match="single"):
        FilesystemRepository(repo_dir, bad, use_index=False).lock_path("foo")


# -- copy -------------------------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path, config: Config) -> FilesystemRepository:
    root = tmp_path / "src"
    for version in ("1.0", "2.0"):
        base = root / "foo" / version
        for sub in ("python-2.7", "python-3"):
            (base / sub / "bin").mkdir(parents=True)
            (base / sub / "bin" / "tool").write_text(f"{version} {sub}")
        (base / "package.py").write_text(
            f"name = 'foo'\nversion = '{version}'\n{RELOCATABLE}"
            "timestamp = 1000\nvariants = [['python-2.7'], ['python-3']]\n"
            "def commands():\n    env.PATH.append('{root}/bin')\n"
        )
    flat = root / "flat" / "1.0"
    (flat / "lib").mkdir(parents=True)
    (flat / "lib" / "x.txt").write_text("x")
    (flat / "package.py").write_text(f"name = 'flat'\nversion = '1.0'\n{RELOCATABLE}")
    return FilesystemRepository(root, config, use_index=False)


@pytest.fixture
def dest(tmp_path: Path, config: Config, index_dir: Path) -> FilesystemRepository:
    return FilesystemRepository(tmp_path / "dest", config, index_dir=index_dir)


def test_copy_package_with_variants(
    source: FilesystemRepository, dest: FilesystemRepository
) -> None:
    result = copy_package(get(source, "foo", "1.0"), dest)
    assert len(result.copied) == 2
    copied = get(dest, "foo", "1.0")
    assert copied.num_variants == 2
    assert (dest.root / "foo" / "1.0" / "python-3" / "bin" / "tool").read_text() == "1.0 python-3"
    assert copied.timestamp != 1000
    assert copied.format_version == 2
    assert copied.commands is not None
    assert leftovers(dest.root) == []
    again = copy_package(get(source, "foo", "1.0"), dest)
    assert again.copied == []
    assert len(again.skipped) == 2


def test_copy_some_variants_then_the_rest(
    source: FilesystemRepository, dest: FilesystemRepository
) -> None:
    copy_package(get(source, "foo", "1.0"), dest, variants=[1])
    package = get(dest, "foo", "1.0")
    assert [str(r) for r in package.variants[0]] == ["python-3"]
    copy_package(get(source, "foo", "1.0"), dest, variants=[0])
    package = get(dest, "foo", "1.0")
    assert [[str(r) for r in v] for v in package.variants] == [["python-3"], ["python-2.7"]]
    with pytest.raises(CopyError, match="no variant"):
        copy_package(get(source, "foo", "1.0"), dest, variants=[5])


def test_copy_rename_reversion_keep_timestamp(
    source: FilesystemRepository, dest: FilesystemRepository
) -> None:
    copy_package(
        get(source, "foo", "2.0"), dest, dest_name="bar", dest_version="3.1", keep_timestamp=True
    )
    package = get(dest, "bar", "3.1")
    assert (package.name, str(package.version), package.timestamp) == ("bar", "3.1", 1000)
    assert (
        dest.root / "bar" / "3.1" / "python-2.7" / "bin" / "tool"
    ).read_text() == "2.0 python-2.7"


def test_copy_overwrite(source: FilesystemRepository, dest: FilesystemRepository) -> None:
    copy_package(get(source, "foo", "1.0"), dest)
    tool = dest.root / "foo" / "1.0" / "python-3" / "bin" / "tool"
    tool.write_text("changed")
    copy_package(get(source, "foo", "1.0"), dest, overwrite=True)
    assert tool.read_text() == "1.0 python-3"
    assert leftovers(dest.root) == []


def test_shallow_copy_symlinks(source: FilesystemRepository, dest: FilesystemRepository) -> None:
    copy_package(get(source, "flat", "1.0"), dest, shallow=True)
    link = dest.root / "flat" / "1.0" / "lib"
    assert link.is_symlink()
    assert (link / "x.txt").read_text() == "x"


def test_copy_package_without_variants(
    source: FilesystemRepository, dest: FilesystemRepository
) -> None:
    copy_package(get(source, "flat", "1.0"), dest)
    assert (dest.root / "flat" / "1.0" / "lib" / "x.txt").read_text() == "x"
    assert versions(dest, "flat") == ["1.0"]


def test_dry_run_copies_nothing(source: FilesystemRepository, dest: FilesystemRepository) -> None:
    result = copy_package(get(source, "foo", "1.0"), dest, dry_run=True)
    assert [d for _s, d in result.copied] == [None, None]
    assert not dest.root.exists() or versions(dest, "foo") == []


def test_copy_refusals(
    source: FilesystemRepository, write: Writer, repo_dir: Path, config: Config
) -> None:
    with pytest.raises(CopyError, match="over itself"):
        copy_package(get(source, "foo", "1.0"), source)
    write("fixed", "1.0", "relocatable = False\n")
    repo = FilesystemRepository(repo_dir, config, use_index=False)
    with pytest.raises(CopyError, match="non-relocatable"):
        copy_package(get(repo, "fixed", "1.0"), source)
    copy_package(get(repo, "fixed", "1.0"), source, force=True)
    assert versions(source, "fixed") == ["1.0"]


def test_hashed_variants_get_shortlinks(
    tmp_path: Path, config: Config, dest: FilesystemRepository
) -> None:
    from pkg.packages import variant_hash

    root = tmp_path / "hsrc"
    base = root / "h" / "1.0"
    base.mkdir(parents=True)
    (base / "package.py").write_text(
        f"name = 'h'\nversion = '1.0'\n{RELOCATABLE}hashed_variants = True\n"
        "variants = [['python-2.7'], ['python-3']]\n"
    )
    src = FilesystemRepository(root, config, use_index=False)
    for variant in get(src, "h", "1.0").iter_variants():
        digest = variant_hash(variant.variant_requires)
        (base / digest).mkdir()
        (base / digest / "f").write_text(str(variant.index))
    copy_package(get(src, "h", "1.0"), dest)
    links = dest.root / "h" / "1.0" / "_v"
    assert sorted(os.listdir(links)) == ["a", "b"]
    roots = [v.root for v in get(dest, "h", "1.0").iter_variants()]
    assert roots == [str(dest.root / "h" / "1.0" / "_v" / n) for n in ("a", "b")]
    assert (links / "b" / "f").read_text() == "1"


def test_failure_mid_copy_leaves_nothing(
    source: FilesystemRepository, dest: FilesystemRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    calls = 0
    real = shutil.copytree

    def failing(src: str, dst: str, **kwargs: Any) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            real(src, dst, **kwargs)
            raise OSError("disk full")
        return real(src, dst, **kwargs)

    monkeypatch.setattr(shutil, "copytree", failing)
    with pytest.raises(OSError, match="disk full"):
        copy_package(get(source, "foo", "1.0"), dest)
    assert not (dest.root / "foo").exists()
    assert leftovers(dest.root) == []
    assert versions(dest, "foo") == []


def test_failure_adding_a_variant_leaves_the_package_intact(
    source: FilesystemRepository, dest: FilesystemRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    copy_package(get(source, "foo", "1.0"), dest, variants=[0])
    before = (dest.root / "foo" / "1.0" / "package.py").read_text()

    def failing(*args: object, **kwargs: object) -> object:
        raise OSError("disk full")

    monkeypatch.setattr(shutil, "copytree", failing)
    with pytest.raises(OSError, match="disk full"):
        copy_package(get(source, "foo", "1.0"), dest, variants=[1])
    assert (dest.root / "foo" / "1.0" / "package.py").read_text() == before
    assert not (dest.root / "foo" / "1.0" / "python-3").exists()
    assert leftovers(dest.root) == []


def test_failure_writing_the_definition_leaves_nothing(
    source: FilesystemRepository, dest: FilesystemRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pkg.repositories import _fsinstall

    def failing(path: Path, data: object) -> None:
        path.write_text("name = 'fo")  # a torn write
        raise OSError("killed")

    monkeypatch.setattr(_fsinstall, "write_package_py", failing)
    with pytest.raises(OSError, match="killed"):
        copy_package(get(source, "foo", "1.0"), dest)
    assert not (dest.root / "foo").exists()
    assert leftovers(dest.root) == []


# -- move -------------------------------------------------------------------------------


def test_move_package(source: FilesystemRepository, dest: FilesystemRepository) -> None:
    moved = move(get(source, "foo", "2.0"), dest, keep_timestamp=True)
    assert moved.timestamp == 1000
    assert versions(dest, "foo") == ["2.0"]
    assert versions(source, "foo") == ["1.0"]  # hidden, not deleted
    assert (source.root / "foo" / ".ignore2.0").exists()
    with pytest.raises(CopyError, match="already exists"):
        move(get(dest, "foo", "2.0"), dest)


def test_install_mismatches(source: FilesystemRepository, dest: FilesystemRepository) -> None:
    copy_package(get(source, "flat", "1.0"), dest, dest_name="foo")
    with pytest.raises(RepositoryError, match="no variants"):
        copy_package(get(source, "foo", "1.0"), dest)


def test_copy_into_memory_repository(source: FilesystemRepository) -> None:
    memory = MemoryRepository()
    copy_package(get(source, "foo", "1.0"), memory, skip_payload=True)
    package = memory.get_package("foo", "1.0")
    assert package is not None
    assert package.num_variants == 2
