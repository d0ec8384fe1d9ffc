"""MemoryProvider and PackageData."""

from __future__ import annotations

from pkg.core import Requirement, Version
from pkg.resolver import MemoryProvider, PackageData


def test_versions_latest_first_and_unknown_family() -> None:
    provider = MemoryProvider({"foo": {"1": {}, "10": {}, "2": {}}})
    assert [str(v) for v in provider.versions("foo") or []] == ["10", "2", "1"]
    assert provider.versions("bar") is None


def test_exclude_leaves_an_empty_family() -> None:
    provider = MemoryProvider({"foo": {"1": {}}}, exclude=lambda name, version: True)
    assert provider.versions("foo") == []


def test_custom_order() -> None:
    provider = MemoryProvider(
        {"foo": {"1": {}, "2": {}, "3": {}}},
        version_key_fn=lambda name, v: (v <= Version("2"), v),  # version_split at 2
    )
    assert [str(v) for v in provider.versions("foo") or []] == ["2", "1", "3"]
    assert provider.version_key("foo", Version("3")) == (False, Version("3"))


def test_package_data() -> None:
    provider = MemoryProvider(
        {
            "foo": {
                "1": {
                    "requires": ["bar"],
                    "variants": [["python-2"], ["python-3"]],
                    "build_requires": ["cmake"],
                }
            }
        }
    )
    data = provider.package("foo", Version("1"))
    assert data.requires == (Requirement("bar"),)
    assert data.variant_requires(False) == [
        (0, [Requirement("bar"), Requirement("python-2")]),
        (1, [Requirement("bar"), Requirement("python-3")]),
    ]
    assert data.variant_requires(True)[0][1][-1] == Requirement("cmake")
    assert provider.package("foo", Version("1")) is data  # cached


def test_package_without_variants_has_one_unindexed_variant() -> None:
    data = PackageData(requires=(Requirement("bar"),))
    assert data.variant_requires(False) == [(None, [Requirement("bar")])]
