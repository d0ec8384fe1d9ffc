"""Patched requests (``pkg env --patch``): :func:`pkg.context.patched_request`."""

from __future__ import annotations

import pytest

from pkg.context import ContextFile, VariantHandle, patched_request
from pkg.core import parse_requirement
from pkg.errors import RequestError


def _context(requests: list[str], resolved: dict[str, str]) -> ContextFile:
    return ContextFile(
        package_requests=tuple(parse_requirement(r) for r in requests),
        resolved_packages=tuple(
            VariantHandle(name, version, None, "/repo") for name, version in resolved.items()
        ),
    )


CTX = _context(
    ["foo-1", "~bar-2", "!baz", "qux"],
    {"foo": "1.4.2", "bar": "2.1", "qux": "3", "dep": "0.9.1.7"},
)


def _patch(*patches: str, strict: bool = False, rank: int = 0) -> list[str]:
    return [str(r) for r in patched_request(CTX, list(patches), strict=strict, rank=rank)]


def test_no_patch_is_the_request() -> None:
    assert _patch() == ["foo-1", "~bar-2", "!baz", "qux"]


def test_same_kind_replaces_in_place() -> None:
    assert _patch("qux-4", "foo-2") == ["foo-2", "~bar-2", "!baz", "qux-4"]
    assert _patch("~bar-3", "!baz-1") == ["foo-1", "~bar-3", "!baz-1", "qux"]


def test_other_kind_or_new_family_is_appended() -> None:
    assert _patch("bar-2", "~foo", "new") == [
        "foo-1",
        "~bar-2",
        "!baz",
        "qux",
        "bar-2",
        "~foo",
        "new",
    ]


def test_second_patch_of_one_family_is_appended() -> None:
    assert _patch("foo-2", "foo-3") == ["foo-2", "~bar-2", "!baz", "qux", "foo-3"]


def test_caret_removes_every_request_of_a_family() -> None:
    assert _patch("^bar", "^baz", "^nothing") == ["foo-1", "qux"]
    # the removal happens first: the family's new request is appended
    assert _patch("^foo", "foo-2") == ["~bar-2", "!baz", "qux", "foo-2"]


def test_strict_starts_from_the_resolve() -> None:
    assert _patch(strict=True) == ["foo-1.4.2", "bar-2.1", "qux-3", "dep-0.9.1.7"]
    assert _patch("dep-1", strict=True) == ["foo-1.4.2", "bar-2.1", "qux-3", "dep-1"]
    # strict ignores the rank
    assert _patch(strict=True, rank=2) == _patch(strict=True)


@pytest.mark.parametrize(
    ("rank", "limiters"),
    [
        (0, []),
        (1, []),
        (2, ["~foo<1_", "~bar<2_", "~dep<0_"]),
        (3, ["~foo<1.4_", "~dep<0.9_"]),
        (4, ["~dep<0.9.1_"]),
        (5, []),
    ],
)
def test_rank_limits_what_may_change(rank: int, limiters: list[str]) -> None:
    assert _patch(rank=rank) == ["foo-1", "~bar-2", "!baz", "qux", *limiters]


def test_rank_spares_families_a_patch_names() -> None:
    assert _patch("foo-2", "!dep-2", rank=3) == [
        "foo-2",
        "~bar-2",
        "!baz",
        "qux",
        "!dep-2",
        "~dep<0.9_",
    ]


def test_bad_patch_request_names_it() -> None:
    with pytest.raises(RequestError, match="foo--"):
        _patch("foo--")
