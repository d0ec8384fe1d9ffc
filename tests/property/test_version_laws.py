"""Laws that must hold for every version and range: total order, round trips, algebra."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pkg import Version, VersionRange
from pkg.core import Bound, VersionIndex
from tests.property.strategies import ranges, version_text, versions

settings.register_profile("pkg", max_examples=150, deadline=None)
settings.load_profile("pkg")


@given(version_text)
def test_version_round_trip(text: str) -> None:
    v = Version(text)
    assert str(v) == text
    assert Version(str(v)) == v


@given(versions, versions)
def test_exactly_one_of_lt_eq_gt(a: Version, b: Version) -> None:
    assert [a < b, a == b, a > b].count(True) == 1
    assert (a <= b) == (a < b or a == b)
    assert (a >= b) == (a > b or a == b)
    if a == b:
        assert hash(a) == hash(b)


@given(versions, versions, versions)
def test_order_is_transitive(a: Version, b: Version, c: Version) -> None:
    low, mid, high = sorted([a, b, c])
    assert low <= mid <= high
    assert low <= high


@given(versions)
def test_next_bounds_every_extension(v: Version) -> None:
    nxt = v.next()
    assert v < nxt
    if v:
        assert Version(f"{v}.0") < nxt
        assert Version(f"{v}.zzz") < nxt


@given(ranges())
def test_range_round_trip(r: VersionRange) -> None:
    assert VersionRange(str(r)) == r
    assert hash(VersionRange(str(r))) == hash(r)


@given(ranges())
def test_double_inverse(r: VersionRange) -> None:
    assert ~~r == r


@given(ranges(), ranges(), st.lists(versions, max_size=8))
def test_union_contains_both(a: VersionRange, b: VersionRange, probes: list[Version]) -> None:
    both = a | b
    assert both.issuperset(a)
    assert both.issuperset(b)
    for v in probes:
        if v in a or v in b:
            assert v in both


@given(ranges(), ranges(), st.lists(versions, max_size=8))
def test_intersection_within_both(a: VersionRange, b: VersionRange, probes: list[Version]) -> None:
    common = a & b
    assert a.issuperset(common)
    assert b.issuperset(common)
    assert bool(common) == a.intersects(b)
    for v in probes:
        assert (v in common) == (v in a and v in b)


@given(ranges(), ranges())
def test_difference_is_intersection_with_inverse(a: VersionRange, b: VersionRange) -> None:
    assert a - b == a & ~b


@given(ranges(), st.lists(versions, max_size=8))
def test_inverse_is_the_complement(r: VersionRange, probes: list[Version]) -> None:
    inverse = ~r
    assert not r.intersects(inverse)
    assert (r | inverse).is_any()
    for v in probes:
        assert (v in r) != (v in inverse)


@given(ranges(), ranges())
def test_superset_agrees_with_algebra(a: VersionRange, b: VersionRange) -> None:
    assert a.issuperset(b) == ((a & b) == b or b.is_empty())


@given(st.lists(versions, max_size=30), ranges())
def test_version_index_selects_what_the_range_contains(
    items: list[Version], r: VersionRange
) -> None:
    index = VersionIndex(items)
    assert index.select(r) == [i for i, v in enumerate(items) if v in r]
    assert index.select(r.union(r.inverse())) == list(range(len(items)))


@given(st.lists(versions, max_size=20))
def test_exact_bounds_make_the_range_of_their_versions(items: list[Version]) -> None:
    made = VersionRange.from_exact_bounds(Bound.exact(v) for v in items)
    expected = VersionRange.from_versions(items)
    assert str(made) == str(expected)
    assert made == expected
