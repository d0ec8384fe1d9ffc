"""Versions: parsing, the token-ordering table and the helpers package definitions use."""

from __future__ import annotations

import pickle

import pytest

from pkg import Version
from pkg.core import VersionToken
from pkg.errors import VersionError

# Rez's documented token comparisons ("some example comparisons that equate to true"),
# plus the rows where its behaviour is more specific than its documentation.
TOKEN_ORDER = [
    ("3", "4"),
    ("01", "1"),  # equal value: the padded text sorts first
    ("beta", "1"),  # alphabetic before numeric
    ("alpha3", "alpha4"),
    ("alpha", "alpha3"),  # a prefix sorts first
    ("gamma33", "33gamma"),
    ("2", "10"),  # numbers by value, not text
    ("a01", "a1"),
    ("Z", "_"),  # documented as "_ first"; code point order puts it between the cases
    ("_", "a"),
    ("A", "a"),
    ("rc1", "rc10"),
    ("1", "1a"),
    ("1a", "1b"),
    ("1_", "1a"),
    ("009", "10"),
]

VERSION_ORDER = [
    ("", "0"),  # the empty version is the smallest
    ("1", "1.0"),  # more tokens with the same prefix is greater
    ("1.0", "1.0.0"),
    ("1.9", "1.10"),
    ("2.0", "10.0"),
    ("1.0", "1.0.rc1"),  # no PEP 440 semantics: rc1 extends 1.0
    ("1.beta", "1.0"),
    ("1.2", "1.2_"),
    ("1.2.99", "1.2_"),
    ("1.2_", "1.2a"),
    ("1.2_", "1.3"),
]


@pytest.mark.parametrize(("low", "high"), TOKEN_ORDER)
def test_token_order(low: str, high: str) -> None:
    assert VersionToken(low) < VersionToken(high)
    assert VersionToken(high) > VersionToken(low)
    assert VersionToken(low) != VersionToken(high)
    assert Version(low) < Version(high)


@pytest.mark.parametrize(("low", "high"), VERSION_ORDER)
def test_version_order(low: str, high: str) -> None:
    a, b = Version(low), Version(high)
    assert a < b
    assert a <= b
    assert b > a
    assert b >= a
    assert a != b
    assert not b < a


@pytest.mark.parametrize(
    ("a", "b"),
    [("1.0", "1-0"), ("1.2.3", "1-2.3"), ("", ""), ("1+2", "1.2"), ("a_b", "a_b")],
)
def test_separators_are_cosmetic(a: str, b: str) -> None:
    assert Version(a) == Version(b)
    assert hash(Version(a)) == hash(Version(b))
    assert str(Version(a)) == a


@pytest.mark.parametrize(
    "text",
    ["1", "1.2.3", "1-2", "2019.1-rc2", "a", "_", "007", "1.2.3.4.5.6.7.8", "1+2", "1 2", "v1"],
)
def test_str_round_trips(text: str) -> None:
    assert str(Version(text)) == text
    assert Version(str(Version(text))) == Version(text)
    assert eval(repr(Version(text))) == Version(text)


@pytest.mark.parametrize(
    ("text", "reason", "caret"),
    [
        (".1", "must start with a token", 0),
        ("1.", "must end with a token", 1),
        ("1..2", "separated by one character", 2),
        ("+", "at least one", 0),
        ("1.2-", "must end with a token", 3),
        ("1.2.3.", "must end with a token", 5),
        ("1.2::3", "separated by one character", 4),
    ],
)
def test_invalid_versions_show_a_caret(text: str, reason: str, caret: int) -> None:
    with pytest.raises(VersionError) as info:
        Version(text)
    message = str(info.value)
    assert reason in message
    assert info.value.position == caret
    lines = message.splitlines()
    assert lines[0].startswith(f"Invalid version {text!r}")
    assert lines[1] == f"    {text}"
    assert lines[2] == "    " + " " * caret + "^"


def test_structure_helpers() -> None:
    v = Version("1.2.3-rc4")
    assert len(v) == 4
    assert str(v.major) == "1"
    assert str(v.minor) == "2"
    assert str(v.patch) == "3"
    assert str(v[-1]) == "rc4"
    assert [str(t) for t in v[1:3]] == ["2", "3"]
    assert v.as_tuple() == ("1", "2", "3", "rc4")
    assert [str(t) for t in v.tokens] == ["1", "2", "3", "rc4"]
    assert str(v.trim(2)) == "1.2"
    assert str(v.trim(0)) == ""
    assert v.trim(10) == v
    assert str(Version("1-2.3").trim(2)) == "1-2"
    with pytest.raises(IndexError):
        _ = Version("1").minor


def test_next() -> None:
    assert str(Version("1.2").next()) == "1.2_"
    assert str(Version("1.a").next()) == "1.a_"
    assert Version("").next() is Version.inf
    assert Version("1.2").next() > Version("1.2.999")
    assert Version("1.2").next() < Version("1.3")
    assert str(VersionToken("a").next()) == "a_"


def test_empty_and_infinite_versions() -> None:
    assert not Version("")
    assert Version("0")
    assert Version.inf
    assert Version.inf.is_inf
    assert str(Version.inf) == "[INF]"
    assert Version.inf > Version("999999.zzz")
    assert Version("") < Version("A")
    with pytest.raises(ValueError, match="trimmed"):
        Version.inf.trim(1)


def test_versions_are_values() -> None:
    v = Version("1.2")
    assert pickle.loads(pickle.dumps(v)) == v
    assert {Version("1.0"), Version("1-0"), Version("1.0.0")} == {Version("1.0"), Version("1.0.0")}
    with pytest.raises(AttributeError):
        v.foo = 1  # type: ignore[attr-defined]
    assert Version("1").__eq__("1") is NotImplemented
    with pytest.raises(TypeError):
        _ = Version("1") < "2"  # type: ignore[operator]


def test_sorting_a_mixed_list() -> None:
    texts = ["1.10", "1.9", "1.9a", "1", "1.0", "", "1.0.0", "1.beta", "01", "1_"]
    assert [str(v) for v in sorted(map(Version, texts))] == [
        "",
        "01",
        "1",
        "1.beta",
        "1.0",
        "1.0.0",
        "1.9",
        "1.9a",
        "1.10",
        "1_",
    ]
