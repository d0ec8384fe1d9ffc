"""Search paths: order, hiding, latest; building repositories from paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.errors import PackageDefinitionError, RepositoryError
from pkg.repositories import (
    FilesystemRepository,
    MemoryRepository,
    PackageSearchPath,
    RepositoryPool,
    get_latest_package,
    get_package,
    get_repositories,
    iter_packages,
)

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config

    from .conftest import Writer


@pytest.fixture
def two(write: Writer, tmp_path: Path, config: Config, index_dir: Path) -> PackageSearchPath:
    first, second = tmp_path / "one", tmp_path / "two"
    for version in ["1.0", "3.0"]:
        write("foo", version, "description = 'one'\n", root=first)
    for version in ["1.0", "2.0", "4.0"]:
        write("foo", version, "description = 'two'\n", root=second)
    write("bar", "1.0", root=second)
    return PackageSearchPath(
        [FilesystemRepository(p, config, index_dir=index_dir) for p in (first, second)]
    )


def test_earlier_repository_hides_same_version(two: PackageSearchPath) -> None:
    found = [(str(p.version), p.description) for p in two.iter_packages("foo")]
    assert found == [("1.0", "one"), ("3.0", "one"), ("2.0", "two"), ("4.0", "two")]


def test_range_and_versions(two: PackageSearchPath) -> None:
    assert [str(p.version) for p in two.iter_packages("foo", "2+")] == ["3.0", "2.0", "4.0"]
    assert [str(v) for v in two.iter_versions("foo", "<3")] == ["1.0", "2.0"]


def test_latest_and_get(two: PackageSearchPath) -> None:
    latest = two.get_latest_package("foo")
    assert latest is not None
    assert str(latest.version) == "4.0"
    below = two.get_latest_package("foo", "<4")
    assert below is not None
    assert str(below.version) == "3.0"
    assert two.get_latest_package("nope") is None
    exact = two.get_package("foo", "1.0")
    assert exact is not None
    assert exact.description == "one"
    from_request = two.get_latest_package_from_string("foo-2")
    assert from_request is not None
    assert str(from_request.version) == "2.0"


def test_family_names_deduplicated(two: PackageSearchPath) -> None:
    assert list(two.iter_family_names()) == ["foo", "bar"]


def test_module_functions(two: PackageSearchPath) -> None:
    repos = two.repositories
    assert [str(p.version) for p in iter_packages("foo", "==4.0", repositories=repos)] == ["4.0"]
    latest = get_latest_package("foo", repositories=repos)
    assert latest is not None
    assert str(latest.version) == "4.0"
    assert get_package("bar", "1.0", repositories=repos) is not None


def test_errors_are_collected_across_repositories(
    write: Writer, tmp_path: Path, config: Config
) -> None:
    write("foo", "1.0", "requires = [", root=tmp_path / "a")
    write("foo", "2.0", root=tmp_path / "b")
    path = PackageSearchPath.from_paths([str(tmp_path / "a"), str(tmp_path / "b")], config)
    errors: list[PackageDefinitionError] = []
    assert [str(p.version) for p in path.iter_packages("foo", errors=errors)] == ["2.0"]
    assert len(errors) == 1


def test_get_repositories_from_paths(tmp_path: Path, config: Config) -> None:
    repos = get_repositories([str(tmp_path / "x"), "memory@cache", "filesystem@/opt/y"], config)
    assert [r.type_name for r in repos] == ["filesystem", "memory", "filesystem"]
    assert repos[0].location == str(tmp_path / "x")
    assert repos[1].location == "cache"
    assert repos[2].location == "/opt/y"
    default = get_repositories(None, config)
    assert [r.location for r in default] == list(config.packages_path)
    with pytest.raises(RepositoryError, match="unknown package repository type"):
        get_repositories(["nosuch@x"], config)


def test_pool_reuses_repositories(tmp_path: Path, config: Config) -> None:
    pool = RepositoryPool(config)
    assert pool.get(str(tmp_path)) is pool.get(f"filesystem@{tmp_path}/")
    memory = MemoryRepository({"foo": {"1": {}}}, location="m")
    pool.add("memory@m", memory)
    assert pool.get("memory@m") is memory
    path = PackageSearchPath(get_repositories(["memory@m"], config, pool=pool))
    assert [str(p.version) for p in path.iter_packages("foo")] == ["1"]


def test_broken_version_still_hides_later_repositories(
    write: Writer, tmp_path: Path, config: Config
) -> None:
    write("foo", "1.0", "requires = [", root=tmp_path / "a")
    write("foo", "1.0", root=tmp_path / "b")
    write("foo", "2.0", root=tmp_path / "b")
    path = PackageSearchPath.from_paths([str(tmp_path / "a"), str(tmp_path / "b")], config)
    errors: list[PackageDefinitionError] = []
    assert [str(p.version) for p in path.iter_packages("foo", errors=errors)] == ["2.0"]
    assert len(errors) == 1
    assert [str(v) for v in path.iter_versions("foo")] == ["1.0", "2.0"]
