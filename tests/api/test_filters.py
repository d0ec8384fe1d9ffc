"""Package filter rules and lists (:mod:`pkg.resolver.filters`)."""

from __future__ import annotations

import pytest

from pkg.core import Version
from pkg.errors import ConfigError
from pkg.resolver.filters import (
    Candidate,
    GlobRule,
    PackageFilter,
    PackageFilterList,
    RangeRule,
    RegexRule,
    TimestampRule,
    parse_rule,
)


def _pkg(name: str, version: str, timestamp: int | None = None) -> Candidate:
    return Candidate(name, Version(version), lambda: timestamp)


@pytest.mark.parametrize(
    ("text", "kind", "family", "shown"),
    [
        ("glob(foo-1.*)", GlobRule, "foo", "glob(foo-1.*)"),
        ("foo-*", GlobRule, "foo", "glob(foo-*)"),
        ("*.beta", GlobRule, None, "glob(*.beta)"),
        ("regex(.*\\.beta$)", RegexRule, None, "regex(.*\\.beta$)"),
        ("regex(foo-.*)", RegexRule, "foo", "regex(foo-.*)"),
        ("range(foo<2)", RangeRule, "foo", "range(foo<2)"),
        ("foo-2", RangeRule, "foo", "range(foo-2)"),
        ("before(100)", TimestampRule, None, "before(100)"),
        ("after(foo:100)", TimestampRule, "foo", "after(foo:100)"),
    ],
)
def test_parse_rule(text: str, kind: type, family: str | None, shown: str) -> None:
    rule = parse_rule(text)
    assert isinstance(rule, kind)
    assert rule.family == family
    assert str(rule) == shown


@pytest.mark.parametrize("text", ["nope(foo)", "range(foo-1+<<)", "after(abc)", "regex(()"])
def test_bad_rules(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_rule(text)


@pytest.mark.parametrize(
    ("rule", "target", "matches"),
    [
        ("glob(foo-1.*)", _pkg("foo", "1.2"), True),
        ("glob(foo-1.*)", _pkg("foo", "2.0"), False),
        ("glob(foo)", _pkg("foo", ""), True),
        ("regex(.*\\.beta$)", _pkg("foo", "1.beta"), True),
        ("regex(oo)", _pkg("foo", "1"), False),  # matched from the start
        ("range(foo<2)", _pkg("foo", "1.5"), True),
        ("range(foo<2)", _pkg("foo", "2"), False),
        ("range(!foo-1)", _pkg("foo", "1"), False),
        ("before(100)", _pkg("foo", "1", 100), True),
        ("before(100)", _pkg("foo", "1", 101), False),
        ("after(100)", _pkg("foo", "1", 101), True),
        ("after(100)", _pkg("foo", "1", 100), False),
        ("after(100)", _pkg("foo", "1", None), False),
        ("before(100)", _pkg("foo", "1", None), False),
    ],
)
def test_rule_matches(rule: str, target: Candidate, matches: bool) -> None:
    assert parse_rule(rule).match(target) is matches


def test_includes_override_excludes() -> None:
    flt = PackageFilter.from_pod({"excludes": ["glob(*.beta)"], "includes": ["foo-*"]})
    assert flt.excludes(_pkg("bar", "1.beta")) == GlobRule("*.beta")
    assert flt.excludes(_pkg("foo", "1.beta")) is None
    assert flt.excludes(_pkg("bar", "1")) is None


def test_family_rules_apply_to_their_family_only() -> None:
    flt = PackageFilter.from_pod({"excludes": "range(foo<2)"})
    assert flt.excludes(_pkg("foo", "1")) is not None
    assert flt.excludes(_pkg("bar", "1")) is None


def test_a_list_excludes_when_any_filter_does() -> None:
    flist = PackageFilterList.from_pod(
        [{"excludes": ["foo-1"]}, {"excludes": ["bar-*"], "includes": ["bar-2"]}]
    )
    assert flist.excludes(_pkg("foo", "1")) is not None
    assert flist.excludes(_pkg("bar", "1")) is not None
    assert flist.excludes(_pkg("bar", "2")) is None
    assert flist.to_pod() == [
        {"excludes": ["range(foo-1)"]},
        {"excludes": ["glob(bar-*)"], "includes": ["range(bar-2)"]},
    ]


def test_timestamps_load_only_when_needed() -> None:
    calls: list[int] = []

    def load() -> int:
        calls.append(1)
        return 50

    flist = PackageFilterList.from_pod([{"excludes": ["foo-1", "after(10)"]}])
    assert flist.excludes(Candidate("foo", Version("1"), load)) is not None
    assert calls == []  # the cheap range rule matched first
    assert flist.excludes(Candidate("foo", Version("2"), load)) is not None
    assert calls == [1]


def test_timestamp_lock_joins_the_most_expensive_filter() -> None:
    flist = PackageFilterList.from_pod(
        [{"excludes": ["glob(zzz-*)"], "includes": ["bar-*"]}]
    ).with_timestamp(100)
    assert flist.excludes(_pkg("foo", "1", 200)) == TimestampRule(100, after=True)
    assert flist.excludes(_pkg("bar", "1", 200)) is None  # the filter includes it
    # A list that excludes nothing is replaced, so its inclusions do not apply.
    fresh = PackageFilterList.from_pod([{"includes": ["bar-*"]}]).with_timestamp(100)
    assert fresh.excludes(_pkg("bar", "1", 200)) is not None
    assert not PackageFilterList().with_timestamp(0)


def test_with_timestamp_leaves_the_original_alone() -> None:
    flist = PackageFilterList.from_pod([{"excludes": ["foo-1"]}])
    flist.with_timestamp(100)
    assert flist.to_pod() == [{"excludes": ["range(foo-1)"]}]


def test_inclusions_go_to_every_filter() -> None:
    flist = PackageFilterList.from_pod([{"excludes": ["foo-*"]}, {"excludes": ["bar-*"]}])
    flist.add_inclusion(parse_rule("*-1"))
    assert flist.excludes(_pkg("foo", "1")) is None
    assert flist.excludes(_pkg("bar", "1")) is None
    assert flist.excludes(_pkg("bar", "2")) is not None
