"""Differential tests of versions, ranges and requests against rez 3.4.0.

Each test generates thousands of strings (see :mod:`tests.parity.generate`), feeds them
to both implementations and collects every difference; the expected number of
differences is zero.  Together the tests compare well over 10,000 cases per run.

Known, deliberate differences (also in docs/migrating-from-rez.md):

* Rez answers "no versions" with ``None``; pkg with the empty range.  They are mapped to
  each other here.
* Where Rez cannot invert a range it left in touching pieces (it raises), pkg inverts the
  merged form; such cases are checked for correctness instead of compared.
* Rez's ``==`` on ranges compares its bound lists, pkg's compares the versions, so only
  ``str()`` forms are compared for ranges.
"""

from __future__ import annotations

import itertools
import operator
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest

from pkg import Requirement, RequirementList, Version, VersionRange
from pkg.errors import PkgError
from tests.parity.generate import Generator

if TYPE_CHECKING:
    from collections.abc import Callable

rez_version = pytest.importorskip("rez.version")
rez_formatting = pytest.importorskip("rez.utils.formatting")
rez_exceptions = pytest.importorskip("rez.exceptions")

pytestmark = pytest.mark.parity

RezVersion: Any = rez_version.Version
RezRange: Any = rez_version.VersionRange
RezRequest: Any = rez_formatting.PackageRequest
RezRequirementList: Any = rez_version.RequirementList
_REZ_ERRORS = (rez_version.VersionError, rez_exceptions.PackageRequestError)

SEEDS = [1, 2]


def _outcome(fn: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", value) or ("error", None), for either implementation."""
    try:
        return ("ok", fn())
    except PkgError:
        return ("error", None)
    except _REZ_ERRORS:
        return ("error", None)


class Diffs:
    """Collects differences and counts compared cases."""

    def __init__(self) -> None:
        self.cases = 0
        self.found: list[str] = []

    def check(self, what: str, pkg_value: object, rez_value: object) -> None:
        self.cases += 1
        if pkg_value != rez_value:
            self.found.append(f"{what}: pkg={pkg_value!r} rez={rez_value!r}")

    def assert_none(self, minimum_cases: int) -> None:
        assert self.cases >= minimum_cases
        assert not self.found, f"{len(self.found)} differences, e.g.:\n" + "\n".join(
            self.found[:25]
        )


def _range_str(r: Any) -> str | None:
    """str() of a range, with Rez's None and pkg's empty range both mapped to None."""
    if r is None or (isinstance(r, VersionRange) and r.is_empty()):
        return None
    return str(r)


@pytest.mark.parametrize("seed", SEEDS)
def test_versions(seed: int) -> None:
    gen = Generator(seed)
    diffs = Diffs()
    texts = [gen.version() for _ in range(1500)] + [gen.odd_version() for _ in range(500)]
    pairs: list[tuple[Version, Any]] = []
    for text in texts:
        ours = _outcome(partial(Version, text))
        theirs = _outcome(partial(RezVersion, text))
        diffs.check(f"parse {text!r}", ours[0], theirs[0])
        if ours[0] == theirs[0] == "ok":
            mine, rez = ours[1], theirs[1]
            diffs.check(f"str {text!r}", str(mine), str(rez))
            diffs.check(f"len {text!r}", len(mine), len(rez))
            if mine:
                diffs.check(f"next {text!r}", str(mine.next()), str(rez.next()))
                diffs.check(f"trim {text!r}", str(mine.trim(1)), str(rez.trim(1)))
                diffs.check(f"major {text!r}", str(mine.major), str(rez.major))
            pairs.append((mine, rez))
    for i in range(len(pairs) - 1):
        (a, ra), (b, rb) = pairs[i], pairs[i + 1 + (i * 7) % (len(pairs) - i - 1)]
        diffs.check(f"{a} < {b}", a < b, ra < rb)
        diffs.check(f"{a} == {b}", a == b, ra == rb)
    for start in range(0, len(pairs), 40):
        chunk = pairs[start : start + 40]
        ours_sorted = [str(v) for v in sorted(v for v, _ in chunk)]
        rez_sorted = [str(v) for v in sorted(r for _, r in chunk)]
        # Equal versions may be spelt differently ("1.0"/"1-0"): compare as versions.
        diffs.check(
            f"sort chunk {start}",
            [Version(t) for t in ours_sorted],
            [Version(t) for t in rez_sorted],
        )
    diffs.assert_none(minimum_cases=5000)


def _probe_versions(gen: Generator) -> list[str]:
    return [gen.version() for _ in range(6)]


@pytest.mark.parametrize("seed", SEEDS)
def test_ranges(seed: int) -> None:
    gen = Generator(seed)
    diffs = Diffs()
    for _ in range(2500):
        text = gen.range()
        ours = _outcome(partial(VersionRange, text))
        theirs = _outcome(partial(RezRange, text))
        diffs.check(f"parse {text!r}", ours[0], theirs[0])
        if ours[0] == theirs[0] == "ok":
            mine, rez = ours[1], theirs[1]
            diffs.check(f"str {text!r}", str(mine), str(rez))
            diffs.check(f"is_any {text!r}", mine.is_any(), rez.is_any())
            diffs.check(f"bounded {text!r}", mine.bounded(), rez.bounded())
            for probe in _probe_versions(gen):
                diffs.check(
                    f"{probe!r} in {text!r}",
                    Version(probe) in mine,
                    RezVersion(probe) in rez,
                )
    diffs.assert_none(minimum_cases=5000)


def _valid_range_pairs(gen: Generator, count: int) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        a, b = gen.range(), gen.range()
        if _outcome(partial(RezRange, a))[0] == _outcome(partial(RezRange, b))[0] == "ok":
            pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("seed", SEEDS)
def test_range_algebra(seed: int) -> None:
    gen = Generator(seed)
    diffs = Diffs()
    for a, b in _valid_range_pairs(gen, 1200):
        pa, pb, ra, rb = VersionRange(a), VersionRange(b), RezRange(a), RezRange(b)
        what = f"{a!r} {b!r}"
        diffs.check(f"union {what}", _range_str(pa | pb), _range_str(ra | rb))
        diffs.check(f"intersection {what}", _range_str(pa & pb), _range_str(ra & rb))
        diffs.check(f"superset {what}", pa.issuperset(pb), ra.issuperset(rb))
        diffs.check(f"intersects {what}", pa.intersects(pb), ra.intersects(rb))
        rez_inverse = _outcome(ra.inverse)
        rez_difference = _outcome(partial(operator.sub, ra, rb))
        if rez_inverse[0] == "ok":
            diffs.check(f"inverse {a!r}", _range_str(~pa), _range_str(rez_inverse[1]))
        else:
            # Rez cannot invert this one; pkg must still give the exact complement.
            inverse = ~pa
            assert not inverse.intersects(pa)
            assert (inverse | pa).is_any()
        if rez_difference[0] == "ok":
            diffs.check(f"difference {what}", _range_str(pa - pb), _range_str(rez_difference[1]))
    diffs.assert_none(minimum_cases=5000)


def _request_fields(req: Any) -> tuple[object, ...]:
    rng = req.range
    range_text = (
        None if rng is None or (isinstance(rng, VersionRange) and rng.is_empty()) else str(rng)
    )
    return (str(req), req.name, range_text, req.conflict, req.weak, req.ephemeral)


@pytest.mark.parametrize("seed", SEEDS)
def test_requests(seed: int) -> None:
    gen = Generator(seed)
    diffs = Diffs()
    parsed: list[tuple[Requirement, Any]] = []
    for _ in range(2500):
        text = gen.request()
        ours = _outcome(partial(Requirement, text))
        theirs = _outcome(partial(RezRequest, text))
        diffs.check(f"parse {text!r}", ours[0], theirs[0])
        if ours[0] == theirs[0] == "ok":
            diffs.check(f"fields {text!r}", _request_fields(ours[1]), _request_fields(theirs[1]))
            parsed.append((ours[1], theirs[1]))
    # Merging and conflicts between requests for the same package.
    by_name: dict[str, list[tuple[Requirement, Any]]] = {}
    for pair in parsed:
        by_name.setdefault(pair[0].name, []).append(pair)
    for group in by_name.values():
        for (a, ra), (b, rb) in itertools.pairwise(group):
            merged = a.merged(b)
            rez_merged = ra.merged(rb)
            diffs.check(
                f"merge {a} {b}",
                None if merged is None else str(merged),
                None if rez_merged is None else str(rez_merged),
            )
            diffs.check(f"conflicts {a} {b}", a.conflicts_with(b), ra.conflicts_with(rb))
        for start in range(0, len(group) - 4, 5):
            chunk = group[start : start + 5]
            ours_list = RequirementList(p for p, _ in chunk)
            rez_list = RezRequirementList([r for _, r in chunk])
            diffs.check(f"list {[str(p) for p, _ in chunk]}", str(ours_list), str(rez_list))
    diffs.assert_none(minimum_cases=3000)
