"""Package orderers (:mod:`pkg.resolver.orderers`)."""

from __future__ import annotations

from typing import Any

import pytest

from pkg.core import Version
from pkg.errors import ConfigError
from pkg.resolver.orderers import (
    NoOrder,
    OrdererList,
    PerFamilyOrder,
    SoftTimestampOrder,
    SortedOrder,
    VersionSplitOrder,
    orderer_from_pod,
)

VERSIONS = ["1.0", "1.1", "2.0", "2.1", "2.2", "3.0"]
#: Release times: everything up to 2.0 before T=250, the rest after.
TIMES = {"1.0": 100, "1.1": 150, "2.0": 200, "2.1": 300, "2.2": 400, "3.0": 500}


def _timestamps(family: str) -> list[tuple[Version, int | None]]:
    return [(Version(v), t) for v, t in TIMES.items()] if family == "foo" else []


def _order(pod: list[dict[str, Any]], family: str = "foo") -> list[str]:
    orderers = OrdererList.from_pod(pod, _timestamps)
    return [str(v) for v in orderers.order(family, [Version(v) for v in VERSIONS])]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        ([], ["3.0", "2.2", "2.1", "2.0", "1.1", "1.0"]),
        ([{"type": "sorted", "descending": True}], ["3.0", "2.2", "2.1", "2.0", "1.1", "1.0"]),
        ([{"type": "sorted", "descending": False}], VERSIONS),
        ([{"type": "no_order"}], VERSIONS),
        (
            [{"type": "version_split", "first_version": "2.0"}],
            ["2.0", "1.1", "1.0", "3.0", "2.2", "2.1"],
        ),
        (
            [{"type": "soft_timestamp", "timestamp": 250}],
            ["2.0", "1.1", "1.0", "2.1", "2.2", "3.0"],
        ),
        (
            [{"type": "soft_timestamp", "timestamp": 250, "rank": 2}],
            ["2.2", "2.1", "2.0", "1.1", "1.0", "3.0"],
        ),
        (
            [{"type": "soft_timestamp", "timestamp": 1000}],
            ["3.0", "2.2", "2.1", "2.0", "1.1", "1.0"],
        ),
        (
            [
                {
                    "type": "per_family",
                    "orderers": [{"packages": ["foo"], "type": "sorted", "descending": False}],
                }
            ],
            VERSIONS,
        ),
        (
            [{"type": "sorted", "descending": False, "packages": ["bar"]}],
            ["3.0", "2.2", "2.1", "2.0", "1.1", "1.0"],
        ),
        (
            [
                {"type": "version_split", "first_version": "1.1", "packages": "foo"},
                {"type": "sorted", "descending": False},
            ],
            ["1.1", "1.0", "3.0", "2.2", "2.1", "2.0"],
        ),
    ],
)
def test_orders(pod: list[dict[str, Any]], expected: list[str]) -> None:
    assert _order(pod) == expected


def test_per_family_applies_to_named_families_only() -> None:
    pod = [
        {
            "type": "per_family",
            "orderers": [{"packages": ["bar"], "type": "sorted", "descending": False}],
            "default_order": {"type": "sorted", "descending": False},
        }
    ]
    assert _order(pod)[0] == "3.0"  # default_order is never used, as in Rez
    assert _order(pod, "bar") == VERSIONS


def test_from_pod_and_back() -> None:
    pods: list[dict[str, Any]] = [
        {"type": "no_order", "packages": ["foo"]},
        {"type": "sorted", "descending": False, "packages": ["*"]},
        {"type": "version_split", "first_version": "2.0", "packages": ["a", "b"]},
        {"type": "soft_timestamp", "timestamp": 5, "rank": 3, "packages": ["*"]},
    ]
    assert [orderer_from_pod(p).to_pod() for p in pods] == pods
    per = orderer_from_pod(
        {
            "type": "per_family",
            "orderers": [{"packages": ["b", "a"], "type": "sorted", "descending": True}],
        }
    )
    assert isinstance(per, PerFamilyOrder)
    assert per.packages == ("a", "b")
    assert per.to_pod()["orderers"][0]["packages"] == ["a", "b"]
    assert orderer_from_pod(["sorted", {"descending": True}]) == SortedOrder(True)
    assert orderer_from_pod({"type": "no_order", "packages": "x"}) == NoOrder(("x",))
    assert orderer_from_pod({"type": "version_split", "first_version": "1"}) == VersionSplitOrder(
        Version("1")
    )


@pytest.mark.parametrize(
    "pod",
    [{"type": "bogus"}, {"type": "sorted"}, {"type": "version_split"}, {"type": "soft_timestamp"}],
)
def test_bad_orderers(pod: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        orderer_from_pod(pod)


def test_keys_of_different_families_compare_by_version() -> None:
    orderers = OrdererList.from_pod([{"type": "no_order", "packages": ["bar"]}])
    foo = orderers.version_key("foo", Version("2"))
    bar = orderers.version_key("bar", Version("1"))
    assert bar < foo
    assert foo > bar
    assert not foo < bar


def test_without_orderers_the_key_is_the_version() -> None:
    assert OrdererList().version_key("foo", Version("1")) == Version("1")
    assert OrdererList().get("foo") is None


def test_soft_timestamp_split_is_computed_once() -> None:
    calls: list[str] = []

    def lookup(family: str) -> list[tuple[Version, int | None]]:
        calls.append(family)
        return _timestamps(family)

    order = SoftTimestampOrder(250)
    assert order.first_after("foo", lookup) == Version("2.1")
    assert order.first_after("foo", lookup) == Version("2.1")
    assert calls == ["foo"]
    assert order.first_after("nothing", lookup) is None
