"""Version, variant and request bindings, and ``intersects``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.core import Requirement, Version, VersionRange
from pkg.rex import (
    EphemeralsBinding,
    RequirementsBinding,
    RexError,
    VariantBinding,
    VariantsBinding,
    VersionBinding,
    intersects,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkg.packages import Variant


@pytest.mark.parametrize(
    ("text", "major", "minor", "patch", "length"),
    [
        ("1.2.3alpha", 1, 2, "3alpha", 3),
        ("2", 2, None, None, 1),
        ("01.0.10", "01", 0, 10, 3),
        ("", None, None, None, 0),
        ("a-b_c", "a", "b_c", None, 2),
    ],
)
def test_version_binding(
    text: str, major: object, minor: object, patch: object, length: int
) -> None:
    v = VersionBinding(Version(text))
    assert (v.major, v.minor, v.patch, len(v), str(v)) == (major, minor, patch, length, text)
    assert v[length] is None


def test_version_binding_slices_and_iteration() -> None:
    v = VersionBinding(Version("1.2.3"))
    assert v[:2] == (1, 2)
    assert v.as_tuple() == (1, 2, 3)
    assert [str(t) for t in v] == ["1", "2", "3"]
    assert repr(v) == "VersionBinding('1.2.3')"
    with pytest.raises(AttributeError, match=r"version 1\.2\.3 has no attribute 'nope'"):
        v.nope  # noqa: B018


def test_variant_binding(variant_factory: Callable[..., Variant]) -> None:
    variant = variant_factory("foo", "1.2", "requires = ['bar']\ncustom = 'c'\n")
    binding = VariantBinding(variant)
    assert binding.root == variant.root
    assert binding.name == "foo"
    assert binding.custom == "c"
    assert str(binding.version) == "1.2"
    assert binding.version.minor == 2
    assert str(binding) == "foo-1.2"
    assert repr(binding) == "VariantBinding(foo-1.2)"
    assert not binding.is_cached
    with pytest.raises(AttributeError, match=r"package foo-1\.2 has no attribute 'nope'"):
        binding.nope  # noqa: B018
    with pytest.raises(AttributeError):
        binding._private  # noqa: B018
    cached = VariantBinding(variant, cached_root="/cache/foo")
    assert cached.root == "/cache/foo"
    assert cached.is_cached


def test_variants_binding(variant_factory: Callable[..., Variant]) -> None:
    binding = VariantBinding(variant_factory("foo", "1"))
    resolve = VariantsBinding({"foo": binding})
    assert resolve.foo is binding
    assert resolve["foo"] is binding
    assert "foo" in resolve
    assert "bar" not in resolve
    assert resolve.get("bar") is None
    assert list(resolve) == ["foo"]
    assert len(resolve) == 1
    with pytest.raises(AttributeError, match="package does not exist: 'bar'"):
        resolve.bar  # noqa: B018


def test_requirements_binding() -> None:
    request = RequirementsBinding([Requirement("foo-1.2+"), Requirement("!bar")])
    assert request.foo == "foo-1.2+"
    assert request["bar"] == "!bar"
    assert request.get_range("foo") == VersionRange("1.2+")
    assert request.get_range("nope") is None
    assert request.get_range("nope", "3") == VersionRange("3")
    assert str(request) == "dict_values(['foo-1.2+', '!bar'])"
    with pytest.raises(AttributeError, match="request does not exist: 'nope'"):
        request.nope  # noqa: B018


def test_ephemerals_binding() -> None:
    ephemerals = EphemeralsBinding([Requirement(".foo.cli-1")])
    assert "foo.cli" in ephemerals
    assert ephemerals["foo.cli"] == ".foo.cli-1"
    assert ephemerals.get_range("foo.cli") == VersionRange("1")
    with pytest.raises(AttributeError, match="ephemeral does not exist: 'x'"):
        ephemerals.x  # noqa: B018


def test_intersects(variant_factory: Callable[..., Variant]) -> None:
    binding = VariantBinding(variant_factory("maya", "2019.1"))
    assert intersects("maya-2019+", "2019")
    assert not intersects("maya-2018", "2019")
    assert not intersects("!maya-2018", "2018")
    assert intersects(VersionRange("1+"), "2")
    assert intersects(binding, "2019")
    assert not intersects(binding, "2020")
    assert intersects(binding.version, "2019.1")
    with pytest.raises(RexError, match="cannot test a int"):
        intersects(3, "1")
