"""Version ranges: every form Rez accepts, its normal form, membership and the algebra."""

from __future__ import annotations

import pickle

import pytest

from pkg import Version, VersionRange
from pkg.errors import VersionError

# (written, normal form) -- every form from the issue, Rez's documentation and its quirks.
NORMAL_FORMS = [
    ("3", "3"),
    ("2+", "2+"),
    (">=2", "2+"),
    (">2", ">2"),
    ("<5", "<5"),
    ("<=5", "<=5"),
    ("==2", "==2"),
    ("1+<5", "1+<5"),
    (">=1<5", "1+<5"),
    (">1<5", ">1<5"),
    (">1<=5", ">1<=5"),
    ("1+<=5", "1..5"),
    ("1..5", "1..5"),
    ("<=4,>2", ">2<=4"),
    ("<4,>2", ">2<4"),
    ("<4,>=2", "2+<4"),
    (">2,<3", ">2<3"),
    (">=2,<3", "2+<3"),
    (">=2,<=6", "2..6"),
    ("4|6+", "4|6+"),
    ("6+|4", "4|6+"),
    ("3+<6|4+<8", "3+<8"),
    ("", ""),
    (">", ">"),
    ("==", "=="),
    ("..", "=="),
    ("..5", "<=5"),
    ("+", ""),
    (">=", ""),
    ("<=", "=="),
    ("+<5", "<5"),
    ("><5", "><5"),
    ("1,<5", "1+<5"),
    ("1<5", "1+<5"),
    ("1+,<5", "1+<5"),
    ("4,>2", ">2<=4"),  # a bare version before a comma is an inclusive upper bound
    ("4+,>2", ">2<=4"),
    ("<=4,<2", "2..4"),  # Rez reads "<" after the comma as an inclusive lower bound
    ("1.0+<1.0_", "1.0"),  # the superset form is recognised when printing
    ("1|1.5", "1"),
    ("1|2", "1|2"),
    ("1|3|2", "1|2|3"),
    ("1+<2|2+<3", "1+<3"),
    ("1+<2|>2", "1+<2|>2"),  # 2 itself is left out
    ("1..2|>2", "1+"),
    ("1+<2|2", "1+<2_"),
    ("|3+<2", ""),  # once "any", later parts are checked for syntax only
    ("1|", ""),
    ("1.2-3", "1.2-3"),
    ("==1.0", "==1.0"),
    ("1.0|1-0", "1.0"),
    ("1..3|2+<3|>3", "1..3|>3"),  # Rez's union leaves these touching pieces apart
    ("1+<3|1.5..2|>3", "1+"),  # ... and merges these, taking in 3
    ("1\n", "1"),  # a trailing newline in a part is tolerated, as by Rez's regex
    ("1|\n", "1"),
]


@pytest.mark.parametrize(("text", "normal"), NORMAL_FORMS)
def test_normal_form(text: str, normal: str) -> None:
    assert str(VersionRange(text)) == normal


@pytest.mark.parametrize(("text", "normal"), NORMAL_FORMS)
def test_str_parses_back_to_an_equal_range(text: str, normal: str) -> None:
    r = VersionRange(text)
    assert VersionRange(str(r)) == r
    assert hash(VersionRange(str(r))) == hash(r)


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("1+<<2", 3, "unexpected '<'"),
        ("3+<2", 0, "above upper bound"),
        ("4..2", 0, "above upper bound"),
        ("1..", 0, "above upper bound"),
        ("1|2|3+<2", 4, "above upper bound"),
        ("<", 1, "ends too early"),
        ("1.", 1, "separator"),
        ("1..2..3", 4, "unexpected '..'"),
        ("foo bar", 3, "unexpected ' '"),
        ("<>2", 0, "needs a version"),
        ("2,3", 2, "unexpected '3'"),
        ("=2", 0, "unexpected '='"),
        ("1$", 1, "unexpected '$'"),
        ("1|2+|3..|4", 5, "above upper bound"),
    ],
)
def test_syntax_errors_point_at_the_fault(text: str, position: int, reason: str) -> None:
    with pytest.raises(VersionError) as info:
        VersionRange(text)
    assert info.value.position == position
    assert reason in str(info.value)
    first, shown, caret = str(info.value).splitlines()
    assert first.startswith(f"Invalid version range {text!r}")
    assert shown == f"    {text}"
    assert caret == "    " + " " * position + "^"


@pytest.mark.parametrize(
    ("range_", "inside", "outside"),
    [
        ("3", ["3", "3.0", "3.1.4", "3.99", "3.a"], ["2", "4", "3_", "30", "3a", ""]),
        ("2+", ["2", "2.1", "5.0.0", "10"], ["1", "1.99", ""]),
        (">2", ["2.0", "3"], ["2", "1"]),
        ("<5", ["", "4.99", "1"], ["5", "5.0", "6"]),
        ("<=5", ["5", "4"], ["5.0", "6"]),
        ("==2", ["2"], ["2.0", "1", "3"]),
        ("1+<5", ["1", "4.9"], ["5", "0.9"]),
        ("1..5", ["1", "5"], ["5.0", "0"]),
        ("4|6+", ["4", "4.3.1", "6", "6.1", "10.0.0"], ["5", "5.1", "3"]),
        ("", ["", "1", "zzz"], []),
        (">", ["0", "a"], [""]),
        ("==", [""], ["0"]),
        ("==1|==3|==5|==7|==9|==11", ["1", "5", "11"], ["2", "1.0", "12", ""]),
        ("1+<3|1.5..2|>3", ["3"], ["0"]),
    ],
)
def test_membership(range_: str, inside: list[str], outside: list[str]) -> None:
    r = VersionRange(range_)
    for text in inside:
        assert Version(text) in r, text
    for text in outside:
        assert Version(text) not in r, text


@pytest.mark.parametrize(
    ("a", "b", "union", "intersection", "difference"),
    [
        ("1+<3", "2+<4", "1+<4", "2+<3", "1+<2"),
        ("1", "2", "1|2", None, "1"),
        ("", "2", "", "2", "<2|2_+"),
        ("3|5+", "4+<6", "3|4+", "5+<6", "3|6+"),
        ("1+", "1..1.5", "1+", "1..1.5", ">1.5"),
        ("<1", "1+", "", None, "<1"),
        ("<1", ">1", "<1|>1", None, "<1"),
    ],
)
def test_algebra(a: str, b: str, union: str, intersection: str | None, difference: str) -> None:
    ra, rb = VersionRange(a), VersionRange(b)
    assert str(ra | rb) == union
    assert str(ra.union(rb)) == union
    both = ra & rb
    if intersection is None:
        assert not both
        assert both.is_empty()
        assert not ra.intersects(rb)
    else:
        assert str(both) == intersection
        assert ra.intersects(rb)
    assert str(ra - rb) == difference


@pytest.mark.parametrize(
    ("text", "inverse"),
    [
        ("1+<2", "<1|2+"),
        ("3", "<3|3_+"),
        (">2", "<=2"),
        ("<=2", ">2"),
        ("==", ">"),
        (">", "=="),
        ("4|6+", "<4|4_+<6"),
        ("1..3|2+<3|>3", "<1"),  # Rez raises here; pkg inverts the merged form
    ],
)
def test_inverse(text: str, inverse: str) -> None:
    r = VersionRange(text)
    assert str(~r) == inverse
    assert ~~r == r


def test_any_and_empty() -> None:
    anything = VersionRange()
    assert anything.is_any()
    assert anything == VersionRange("") == VersionRange.any()
    nothing = ~anything
    assert nothing.is_empty()
    assert nothing == VersionRange.empty()
    assert not nothing
    assert len(nothing) == 0
    assert str(nothing) == "[EMPTY]"
    assert ~nothing == anything
    assert Version("1") not in nothing
    assert anything.issuperset(nothing)
    assert VersionRange("1") - VersionRange("") == nothing
    assert nothing | VersionRange("1") == VersionRange("1")


def test_superset_and_subset() -> None:
    assert VersionRange("1+").issuperset(VersionRange("2|3"))
    assert VersionRange("1").issuperset(VersionRange("1.5"))
    assert not VersionRange("1").issuperset(VersionRange("1+"))
    assert VersionRange("1.5") in VersionRange("1")
    assert VersionRange("2|3").issubset(VersionRange("1+"))
    many = VersionRange("|".join(f"=={i}" for i in range(10)))
    assert many.issuperset(VersionRange("==3|==7"))
    assert not many.issuperset(VersionRange("==3|==7.1"))
    assert many.intersects(VersionRange("7.0|==7"))
    assert not many.intersects(VersionRange("7.0|>9"))


def test_constructors_and_inspection() -> None:
    v = Version("2")
    assert str(VersionRange.from_version(v)) == "2"
    assert str(VersionRange.from_version(v, "==")) == "==2"
    assert str(VersionRange.from_version(v, "gt")) == ">2"
    assert str(VersionRange.from_version(v, ">=")) == "2+"
    assert str(VersionRange.from_version(v, "lt")) == "<2"
    assert str(VersionRange.from_version(v, "lte")) == "<=2"
    versions = [Version("3"), Version("1"), Version("3")]
    exact = VersionRange.from_versions(versions)
    assert str(exact) == "==1|==3"
    assert exact.to_versions() == [Version("1"), Version("3")]
    assert VersionRange("1+").to_versions() is None
    assert str(VersionRange.as_span(Version("1"), Version("2"))) == "1..2"
    assert str(VersionRange.as_span(Version("1"), None, lower_inclusive=False)) == ">1"
    assert str(VersionRange("2+<4|6+<8").span()) == "2+<8"
    assert [str(r) for r in VersionRange("3|5+").split()] == ["3", "5+"]
    r = VersionRange("1+<2")
    assert r.lower_bounded()
    assert r.upper_bounded()
    assert r.bounded()
    assert not VersionRange("<2").lower_bounded()
    assert not VersionRange("2+").upper_bounded()
    assert len(VersionRange("1|3|5")) == 3


def test_ranges_are_values() -> None:
    r = VersionRange("1+<2|4")
    assert pickle.loads(pickle.dumps(r)) == r
    assert VersionRange("1+<2") == VersionRange(">=1,<2")
    assert hash(VersionRange("1+<2")) == hash(VersionRange(">=1,<2"))
    assert VersionRange("1") < VersionRange("2")
    assert VersionRange("1").__eq__("1") is NotImplemented
    with pytest.raises(AttributeError):
        r.foo = 1  # type: ignore[attr-defined]
