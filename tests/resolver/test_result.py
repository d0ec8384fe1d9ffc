"""Resolved variants whose requirements are kept as text until read."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from pkg.core import Version, parse_requirement
from pkg.errors import RequestError
from pkg.resolver import ResolvedVariant


def test_unparsed_requires_are_parsed_when_first_read() -> None:
    variant = ResolvedVariant.unparsed("foo", Version("1.2"), 0, "bar-1+<2\n~baz\n!qux")
    assert variant.requires == (
        parse_requirement("bar-1+<2"),
        parse_requirement("~baz"),
        parse_requirement("!qux"),
    )
    assert variant.requires is variant.requires  # parsed once
    assert ResolvedVariant.unparsed("foo", Version("1"), None, "").requires == ()


def test_an_unparsed_variant_is_an_ordinary_one() -> None:
    parsed = ResolvedVariant("foo", Version("1.2"), 0, (parse_requirement("bar"),))
    unparsed = ResolvedVariant.unparsed("foo", Version("1.2"), 0, "bar")
    assert unparsed == parsed
    assert hash(unparsed) == hash(parsed)
    assert str(unparsed) == "foo-1.2[0]"
    assert [f.name for f in dataclasses.fields(unparsed)] == ["name", "version", "index"]
    again = pickle.loads(pickle.dumps(unparsed))
    assert again == parsed
    assert again.requires == parsed.requires
    with pytest.raises(dataclasses.FrozenInstanceError):
        unparsed.name = "bar"  # type: ignore[misc]


def test_a_bad_requirement_text_fails_when_read() -> None:
    variant = ResolvedVariant.unparsed("foo", Version("1"), None, "bar-1+<<2")
    with pytest.raises(RequestError):
        _ = variant.requires
