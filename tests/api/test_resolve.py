"""``pkg.api.resolve`` over filesystem repositories."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import pytest

from pkg.api.resolve import Resolve, resolve
from pkg.config import load_config
from pkg.core import Requirement, Version
from pkg.errors import ConfigError, RequestError
from pkg.resolver import PackageFamilyNotFoundError
from pkg.resolver.filters import PackageFilterList
from pkg.resolver.orderers import VersionSplitOrder
from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config


@pytest.fixture
def config(repo: Path) -> Config:
    return load_config(overrides={"packages_path": [str(repo)], "implicit_packages": []})


def _names(result: Resolve) -> list[str]:
    return result.resolved_strs()


def test_solves_and_describes_the_variants(repo: Path, config: Config) -> None:
    result = resolve(["foo"], config=config)
    assert result.status == "solved"
    assert result.success
    assert _names(result) == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]
    foo = result.resolved_packages[-1]
    assert (foo.name, str(foo.version), foo.index) == ("foo", "2.0", 1)
    assert foo.root == str(repo / "foo" / "2.0" / "python-3.11")
    assert result.resolved_packages[0].index is None
    assert result.failure_description is None
    assert result.num_loaded_packages == 6  # every foo in range, bar, both pythons
    assert result.solve_time >= 0
    assert result.package_paths == (str(repo),)
    assert result.requests == (Requirement("foo"),)
    assert result.variant_select_mode == "version_priority"
    assert str(result) == "solved(foo ==> bar-1[] python-3.11[] foo-2.0[1])"


def test_result_is_frozen(config: Config) -> None:
    result = resolve(["bar"], config=config)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "failed"  # type: ignore[misc]


def test_failure(config: Config) -> None:
    result = resolve(["foo-1.0", "!bar"], config=config)
    assert result.status == "failed"
    assert result.resolved_packages == ()
    assert result.failure_description
    assert not result.success
    assert str(result).startswith("Resolve:failed(")


def test_unknown_family_raises(config: Config) -> None:
    with pytest.raises(PackageFamilyNotFoundError):
        resolve(["nothing"], config=config)
    with pytest.raises(RequestError):
        resolve(["foo-1+<<"], config=config)


def test_implicit_packages(config: Config) -> None:
    result = resolve(["foo"], config=config, implicit_packages=["~python-3.9"])
    assert _names(result) == ["python-3.9[]", "bar-1[]", "foo-2.0[0]"]
    assert result.implicit_packages == (Requirement("~python-3.9"),)
    assert result.requested_packages(include_implicit=True)[-1] == Requirement("~python-3.9")
    from_config = resolve(
        ["foo"], config=config.with_overrides({"implicit_packages": ["python-3.9"]})
    )
    assert "python-3.9[]" in _names(from_config)
    without = resolve(
        ["foo"], config=config, implicit_packages=["python-3.9"], add_implicit_packages=False
    )
    assert without.implicit_packages == ()
    assert "python-3.11[]" in _names(without)


def test_filters(config: Config) -> None:
    excluded = resolve(["foo"], config=config, package_filter=[{"excludes": ["foo-2*"]}])
    assert _names(excluded)[-1] == "foo-1.1[]"
    as_object = resolve(
        ["foo"],
        config=config,
        package_filter=PackageFilterList.from_pod([{"excludes": ["range(foo-2)"]}]),
    )
    assert _names(as_object)[-1] == "foo-1.1[]"
    from_config = resolve(
        ["foo"],
        config=config.with_overrides({"package_filter": {"excludes": ["glob(foo-2*)"]}}),
    )
    assert _names(from_config)[-1] == "foo-1.1[]"
    assert resolve(["foo"], config=config, package_filter=[]).resolved_strs()[-1] == "foo-2.0[1]"
    with pytest.raises(ConfigError):
        resolve(["foo"], config=config, package_filter=[{"excludes": ["bad(x)"]}])


def test_a_family_filtered_away_fails(config: Config) -> None:
    result = resolve(["bar", "~foo"], config=config, package_filter=[{"excludes": ["foo*"]}])
    assert result.status == "solved"
    with pytest.raises(Exception, match="foo"):
        resolve(["foo"], config=config, package_filter=[{"excludes": ["foo*"]}])


def test_timestamp_lock(config: Config) -> None:
    assert _names(resolve(["foo"], config=config, timestamp=2500))[-1] == "foo-1.1[]"
    assert _names(resolve(["foo"], config=config, timestamp=1500))[-1] == "foo-1.0[]"
    locked = resolve(["foo"], config=config, timestamp=1500)
    assert locked.timestamp == 1500
    assert resolve(["foo"], config=config, timestamp=0).timestamp is None
    # Untimestamped packages are never hidden by a lock.
    assert _names(resolve(["python"], config=config, timestamp=1)) == ["python-3.11[]"]


def test_before_after_rules(config: Config) -> None:
    after = resolve(["foo"], config=config, package_filter=[{"excludes": ["after(1500)"]}])
    assert _names(after)[-1] == "foo-1.0[]"
    before = resolve(["foo-1"], config=config, package_filter=[{"excludes": ["before(1000)"]}])
    assert _names(before)[-1] == "foo-1.1[]"


def test_orderers(config: Config) -> None:
    earliest = resolve(
        ["foo"], config=config, package_orderers=[{"type": "sorted", "descending": False}]
    )
    assert _names(earliest)[-1] == "foo-1.0[]"
    split = resolve(
        ["foo", "python"],
        config=config,
        package_orderers=[VersionSplitOrder(Version("3.9"))],
    )
    assert _names(split) == ["python-3.9[]", "bar-1[]", "foo-2.0[0]"]
    soft = resolve(
        ["foo"],
        config=config,
        package_orderers=[{"type": "soft_timestamp", "timestamp": 2500, "packages": ["foo"]}],
    )
    assert _names(soft)[-1] == "foo-1.1[]"
    from_config = resolve(
        ["foo"],
        config=config.with_overrides(
            {"package_orderers": [{"type": "sorted", "descending": False}]}
        ),
    )
    assert _names(from_config)[-1] == "foo-1.0[]"


def test_earlier_repositories_hide_later_versions(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    write_package(other, "bar", "1", "requires = ['python-3.9']\n")
    write_package(other, "bar", "2", "")
    config = load_config(overrides={"implicit_packages": []})
    result = resolve(["bar-1"], config=config, paths=[str(repo), str(other)])
    assert _names(result) == ["bar-1[]"]
    hidden = resolve(["bar-1"], config=config, paths=[str(other), str(repo), str(other)])
    assert _names(hidden) == ["python-3.9[]", "bar-1[]"]
    assert hidden.package_paths == (str(other), str(repo))
    assert _names(resolve(["bar"], config=config, paths=[str(repo), str(other)])) == ["bar-2[]"]


def test_building_adds_build_requires(config: Config) -> None:
    result = resolve(["foo-2"], config=config, building=True)
    assert "cmake-3.25[]" in _names(result)
    assert result.building


def test_variant_select_mode(config: Config) -> None:
    result = resolve(["foo", "python"], config=config, variant_select_mode="intersection_priority")
    assert result.variant_select_mode == "intersection_priority"
    with pytest.raises(ConfigError):
        resolve(["foo"], config=config, variant_select_mode="bogus")  # type: ignore[arg-type]


def test_lazy_loading(config: Config) -> None:
    result = resolve(["bar"], config=config)
    assert result.num_loaded_packages == 1
