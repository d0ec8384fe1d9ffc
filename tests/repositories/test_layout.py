"""What a filesystem repository lists: Rez's layout rules."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from pkg.repositories import FilesystemRepository

from .conftest import make_config, versions

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config
    from pkg.errors import PackageDefinitionError

    from .conftest import RepoMaker, Writer


def test_versioned_packages_are_listed_lowest_first(write: Writer, make_repo: RepoMaker) -> None:
    for version in ["1.10", "1.2", "2.0", "1.2.1"]:
        write("foo", version)
    repo = make_repo()
    assert versions(repo, "foo") == ["1.2", "1.2.1", "1.10", "2.0"]
    assert [str(v) for v in repo.iter_versions("foo")] == ["1.2", "1.2.1", "1.10", "2.0"]


def test_families_are_sorted_and_invalid_names_skipped(
    write: Writer, make_repo: RepoMaker, repo_dir: Path
) -> None:
    write("zeta")
    write("alpha")
    (repo_dir / "-bad").mkdir()
    (repo_dir / ".hidden").mkdir()
    (repo_dir / "settings.yaml").write_text("{}")
    (repo_dir / "notes.txt").write_text("x")
    assert list(make_repo().iter_family_names()) == ["alpha", "zeta"]


def test_unversioned_package_hides_version_dirs(write: Writer, make_repo: RepoMaker) -> None:
    write("foo", "1.0")
    write("foo", "")
    repo = make_repo()
    packages = list(repo.iter_packages("foo"))
    assert [str(p.version) for p in packages] == [""]
    assert packages[0].base == str(repo.root / "foo")


def test_unversioned_not_allowed(
    write: Writer, home: Path, repo_dir: Path, index_dir: Path
) -> None:
    write("foo", "1.0")
    write("foo", "")
    config = make_config(home, {"allow_unversioned_packages": False})
    repo = FilesystemRepository(repo_dir, config, index_dir=index_dir)
    assert versions(repo, "foo") == ["1.0"]


def test_ignored_versions_are_hidden(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    write("foo", "1.0")
    write("foo", "2.0")
    (repo_dir / "foo" / ".ignore2.0").touch()
    assert versions(make_repo(), "foo") == ["1.0"]
    assert versions(make_repo(honour_ignore=False), "foo") == ["1.0", "2.0"]


def test_building_versions_hidden_until_defined(
    write: Writer, make_repo: RepoMaker, repo_dir: Path
) -> None:
    write("foo", "1.0")
    (repo_dir / "foo" / "2.0").mkdir()
    (repo_dir / "foo" / ".building2.0").touch()
    write("foo", "3.0")
    (repo_dir / "foo" / ".building3.0").touch()  # stale marker: 3.0 is complete
    repo = make_repo()
    assert versions(repo, "foo") == ["1.0", "3.0"]
    write("foo", "2.0")
    assert versions(repo, "foo") == ["1.0", "2.0", "3.0"]


def test_version_dir_without_definition_is_an_error(
    write: Writer, make_repo: RepoMaker, repo_dir: Path
) -> None:
    write("foo", "1.0")
    (repo_dir / "foo" / "2.0").mkdir()
    errors: list[PackageDefinitionError] = []
    repo = make_repo()
    assert [str(p.version) for p in repo.iter_packages("foo", errors=errors)] == ["1.0"]
    assert "no package definition file" in str(errors[0])


def test_check_definition_files_setting(
    write: Writer, home: Path, repo_dir: Path, index_dir: Path
) -> None:
    write("foo", "1.0")
    (repo_dir / "foo" / "2.0").mkdir()
    config = make_config(
        home, {"plugins.package_repository.filesystem.check_package_definition_files": True}
    )
    repo = FilesystemRepository(repo_dir, config, index_dir=index_dir)
    assert [str(v) for v in repo.iter_versions("foo")] == ["1.0"]


def test_invalid_and_hidden_version_dirs(
    write: Writer, make_repo: RepoMaker, repo_dir: Path
) -> None:
    write("foo", "1.0")
    (repo_dir / "foo" / "1.0-x@").mkdir()
    (repo_dir / "foo" / "1.0-x@" / "package.py").write_text("name = 'foo'\n")
    (repo_dir / "foo" / ".pkg-tmp-2.0").mkdir()
    errors: list[PackageDefinitionError] = []
    repo = make_repo()
    assert [str(p.version) for p in repo.iter_packages("foo", errors=errors)] == ["1.0"]
    assert len(errors) == 1
    assert "not a valid version" in str(errors[0])


def test_load_errors_do_not_stop_the_listing(write: Writer, make_repo: RepoMaker) -> None:
    write("foo", "1.0")
    write("foo", "2.0", "requires = [\n")
    write("foo", "3.0")
    repo = make_repo()
    errors: list[PackageDefinitionError] = []
    assert [str(p.version) for p in repo.iter_packages("foo", errors=errors)] == ["1.0", "3.0"]
    assert len(errors) == 1
    assert errors[0].filepath.endswith(os.path.join("2.0", "package.py"))
    assert errors[0].line is not None
    assert repo.load_errors == tuple(errors)


def test_package_yaml_and_precedence(write: Writer, make_repo: RepoMaker, repo_dir: Path) -> None:
    directory = repo_dir / "foo" / "1.0"
    directory.mkdir(parents=True)
    (directory / "package.yaml").write_text("name: foo\nversion: '1.0'\ndescription: yaml\n")
    repo = make_repo()
    assert [p.description for p in repo.iter_packages("foo")] == ["yaml"]
    write("foo", "1.0", "description = 'py'\n")
    assert [p.description for p in repo.iter_packages("foo")] == ["py"]


def test_combined_family(make_repo: RepoMaker, repo_dir: Path) -> None:
    (repo_dir / "multi.py").write_text(
        "name = 'multi'\ntools = ['tweak']\nversions = ['1.0', '1.1', '2.0']\n"
        "with scope('version_overrides'):\n    with scope('1.1+'):\n        tools = ['twerk']\n"
    )
    (repo_dir / "single.py").write_text("name = 'single'\n")
    repo = make_repo()
    assert list(repo.iter_family_names()) == ["multi", "single"]
    packages = list(repo.iter_packages("multi"))
    assert [(str(p.version), p.tools) for p in packages] == [
        ("1.0", ["tweak"]),
        ("1.1", ["twerk"]),
        ("2.0", ["twerk"]),
    ]
    assert [str(p.version) for p in repo.iter_packages("single")] == [""]


def test_package_attributes_and_variants(write: Writer, make_repo: RepoMaker) -> None:
    write("foo", "1.0", "requires = ['bar-1+']\nvariants = [['python-2.7'], ['python-3']]\n")
    repo = make_repo()
    package = repo.get_package("foo", "1.0")
    assert package is not None
    assert [str(r) for r in package.requires] == ["bar-1+"]
    variants = list(repo.iter_variants(package))
    assert [v.index for v in variants] == [0, 1]
    assert variants[1].root == str(repo.root / "foo" / "1.0" / "python-3")
    assert package.uri == str(repo.root / "foo" / "1.0" / "package.py")
    assert repo.get_package("foo", "2.0") is None


def test_name_and_version_come_from_the_directories(write: Writer, make_repo: RepoMaker) -> None:
    path = write("foo", "1.0")
    path.write_text("name = 'other'\nversion = '9'\n")
    package = make_repo().get_package("foo", "1.0")
    assert package is not None
    assert (package.name, str(package.version)) == ("foo", "1.0")


@pytest.mark.parametrize("same", [True, False])
def test_local_flag(config: Config, tmp_path: Path, home: Path, same: bool) -> None:
    local = tmp_path / "local"
    cfg = make_config(home, {"local_packages_path": str(local)})
    repo = FilesystemRepository(local if same else tmp_path / "other", cfg, use_index=False)
    assert repo.local is same
    assert repo.ref.local is same


def test_uid_is_stable(repo_dir: Path, config: Config) -> None:
    a = FilesystemRepository(repo_dir, config, use_index=False)
    b = FilesystemRepository(str(repo_dir) + "/", config, use_index=False)
    assert a.uid == b.uid
    assert a.location == str(repo_dir)


def test_missing_repository_lists_nothing(tmp_path: Path, config: Config) -> None:
    repo = FilesystemRepository(tmp_path / "nope", config, use_index=False)
    assert list(repo.iter_family_names()) == []
    assert list(repo.iter_packages("foo")) == []
    assert not repo.has_family("foo")
