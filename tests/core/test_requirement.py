"""Package requests and request lists."""

from __future__ import annotations

import pickle

import pytest

from pkg import Requirement, RequirementList, Version, VersionRange
from pkg.core import is_valid_package_name
from pkg.errors import RequestError

# (request, str, name, range, conflict, weak, ephemeral)
PARSED = [
    ("foo", "foo", "foo", "", False, False, False),
    ("foo-1.2", "foo-1.2", "foo", "1.2", False, False, False),
    ("foo@1.2", "foo@1.2", "foo", "1.2", False, False, False),
    ("foo#1+", "foo#1+", "foo", "1+", False, False, False),
    ("foo<2", "foo<2", "foo", "<2", False, False, False),
    ("foo>=2", "foo-2+", "foo", "2+", False, False, False),
    ("foo==1.0", "foo==1.0", "foo", "==1.0", False, False, False),
    ("foo-==1", "foo==1", "foo", "==1", False, False, False),
    ("foo-1+<2", "foo-1+<2", "foo", "1+<2", False, False, False),
    ("foo-<=4,>2", "foo>2<=4", "foo", ">2<=4", False, False, False),
    ("foo-", "foo", "foo", "", False, False, False),
    ("foo-bar-1", "foo-bar-1", "foo", "bar-1", False, False, False),
    ("foo.bar-2|4", "foo.bar-2|4", "foo.bar", "2|4", False, False, False),
    ("3delight-1", "3delight-1", "3delight", "1", False, False, False),
    ("_private", "_private", "_private", "", False, False, False),
    ("!foo", "!foo", "foo", "", True, False, False),
    ("!foo-1", "!foo-1", "foo", "1", True, False, False),
    ("!foo<2", "!foo<2", "foo", "<2", True, False, False),
    ("~foo", "~foo", "foo", "[EMPTY]", True, True, False),
    ("~foo-", "~foo", "foo", "[EMPTY]", True, True, False),
    ("~foo-1", "~foo-1", "foo", "<1|1_+", True, True, False),
    ("~foo>2", "~foo>2", "foo", "<=2", True, True, False),
    ("~foo-1+<2", "~foo-1+<2", "foo", "<1|2+", True, True, False),
    ("~foo-", "~foo", "foo", "[EMPTY]", True, True, False),
    (".eph", ".eph", ".eph", "", False, False, True),
    (".eph-1", ".eph-1", ".eph", "1", False, False, True),
]


@pytest.mark.parametrize(
    ("text", "shown", "name", "range_", "conflict", "weak", "ephemeral"), PARSED
)
def test_parse(
    text: str,
    shown: str,
    name: str,
    range_: str,
    conflict: bool,
    weak: bool,
    ephemeral: bool,
) -> None:
    req = Requirement(text)
    assert str(req) == shown
    assert req.name == name
    assert str(req.range) == range_
    assert req.conflict is conflict
    assert req.weak is weak
    assert req.ephemeral is ephemeral
    assert Requirement(str(req)) == req
    assert pickle.loads(pickle.dumps(req)) == req


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("foo-1+<<2", 7, "unexpected '<'"),
        ("foo-3+<2", 4, "above upper bound"),
        ("!foo-1..", 5, "above upper bound"),
        ("~foo-1|2..1", 7, "above upper bound"),
        ("fo$o-1", 2, "'fo$o' is not valid"),
        ("foo..bar", 4, "is not valid"),
        ("foo.", 3, "is not valid"),
        ("!.foo", 1, "'.foo' is not valid"),  # an ephemeral cannot be a conflict
        ("..foo", 1, "is not valid"),
        ("__pycache__", 0, "is reserved"),
        ("", 0, "'' is not valid"),
        ("-1", 0, "'' is not valid"),
        ("!", 1, "'' is not valid"),
        ("foo bar", 3, "is not valid"),
    ],
)
def test_bad_requests_point_at_the_fault(text: str, position: int, reason: str) -> None:
    with pytest.raises(RequestError) as info:
        Requirement(text)
    assert info.value.position == position
    assert reason in str(info.value)
    first, shown, caret = str(info.value).splitlines()
    assert first.startswith(f"Invalid package request {text!r}")
    assert shown == f"    {text}"
    assert caret == "    " + " " * position + "^"


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("foo", True),
        ("foo.bar", True),
        ("foo.bar.baz", True),
        ("3delight", True),
        ("_", True),
        ("a" * 500 + "!", False),  # no catastrophic backtracking
        (".foo", False),
        ("foo.", False),
        ("foo..bar", False),
        ("foo-bar", False),
        ("", False),
        ("__pycache__", False),
        ("fóo", False),
    ],
)
def test_package_names(name: str, valid: bool) -> None:
    assert is_valid_package_name(name) is valid


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        ("foo-3+", "!foo-5+", "foo-3+<5"),
        ("foo-1", "foo-1.5", "foo-1.5"),
        ("!foo-2", "!foo-5", "!foo-2|5"),
        ("foo-4", "foo-6", None),
        ("foo", "foo-2", "foo-2"),
        ("~foo-2+", "foo", "foo-2+"),
        ("~foo-2+", "~foo<4", "~foo-2+<4"),
        ("~foo-2", "!foo-3", "!foo<2|2_+"),
        ("~foo", "foo-1", "foo-1"),
        ("foo-1", "~foo", "foo-1"),
        ("!foo", "foo-1", None),
        ("foo-1", "!foo-1.5", "foo-1+<1.5|1.5_+<1_"),
        ("foo-1", "bar-1", None),
    ],
)
def test_merge(a: str, b: str, merged: str | None) -> None:
    result = Requirement(a).merged(Requirement(b))
    assert (None if result is None else str(result)) == merged


@pytest.mark.parametrize(
    ("a", "b", "conflicts"),
    [
        ("foo-1", "foo-2", True),
        ("foo-1", "foo-1.5", False),
        ("!foo-1", "foo-1.5", True),
        ("!foo-1", "foo-1+", False),
        ("foo-1+", "!foo-1", False),
        ("foo-1", "!foo-1+", True),
        ("!foo-1", "!foo-2", False),
        ("~foo", "foo-1", False),
        ("foo-1", "bar-2", False),
    ],
)
def test_conflicts_with_requests(a: str, b: str, conflicts: bool) -> None:
    assert Requirement(a).conflicts_with(Requirement(b)) is conflicts


@pytest.mark.parametrize(
    ("request_", "name", "version", "conflicts"),
    [
        ("foo-1", "foo", "1.2", False),
        ("foo-1", "foo", "2", True),
        ("!foo-1", "foo", "1.2", True),
        ("!foo-1", "foo", "2", False),
        ("~foo-1", "foo", "2", True),
        ("~foo-1", "foo", "1", False),
        ("~foo", "foo", "1", False),
        ("foo-1", "bar", "2", False),
    ],
)
def test_conflicts_with_packages(request_: str, name: str, version: str, conflicts: bool) -> None:
    assert Requirement(request_).conflicts_with((name, Version(version))) is conflicts


def test_construct() -> None:
    req = Requirement.construct("foo", VersionRange("1+"))
    assert str(req) == "foo-1+"
    assert str(Requirement.construct("foo")) == "foo"
    assert str(Requirement.construct("foo", conflict=True)) == "!foo"
    assert str(Requirement.construct("foo", conflict=True, weak=True)) == "~foo"
    assert Requirement.construct(".eph").ephemeral
    with pytest.raises(ValueError, match="weak"):
        Requirement.construct("foo", weak=True)


def test_equality_ignores_cosmetics() -> None:
    assert Requirement("foo-1") == Requirement("foo@1")
    assert hash(Requirement("foo-1")) == hash(Requirement("foo#1"))
    assert Requirement("foo-1") != Requirement("!foo-1")
    assert Requirement("foo").__eq__("foo") is NotImplemented


@pytest.mark.parametrize(
    ("requests", "shown", "conflict"),
    [
        (["foo-1", "foo-1.5+", "bah"], "foo-1.5+<1_ bah", None),
        (["foo-1", "bah", "foo-1.5"], "foo-1.5 bah", None),
        (["foo-1", "foo-1.5", "foo-2"], "foo-1.5 <--!--> foo-2", ("foo-1.5", "foo-2")),
        (["!foo-2", "!foo-5"], "!foo-2|5", None),
        (["foo-3+", "!foo-5+"], "foo-3+<5", None),
        (["a", "~b-2", "!c", "b-1+"], "a b-2 !c", None),
        ([], "", None),
    ],
)
def test_requirement_list(
    requests: list[str], shown: str, conflict: tuple[str, str] | None
) -> None:
    reqs = RequirementList(Requirement(r) for r in requests)  # a generator is fine
    assert str(reqs) == shown
    if conflict is None:
        assert reqs.conflict is None
        assert [str(r) for r in reqs] == shown.split()
        assert len(reqs) == len(shown.split())
    else:
        assert reqs.conflict is not None
        assert (str(reqs.conflict[0]), str(reqs.conflict[1])) == conflict
        assert list(reqs) == []


def test_requirement_list_names() -> None:
    reqs = RequirementList([Requirement(r) for r in ["a", "!b", "~c-1", "a-1"]])
    assert reqs.names == {"a"}
    assert reqs.conflict_names == {"b", "c"}
    got = reqs.get("a")
    assert got is not None
    assert str(got) == "a-1"
    assert reqs.get("zzz") is None
    assert reqs == RequirementList([Requirement(r) for r in ["a-1", "!b", "~c-1"]])
