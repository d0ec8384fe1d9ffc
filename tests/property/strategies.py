"""Hypothesis strategies for versions, ranges and requests, shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from pkg import Version, VersionRange
from pkg.errors import VersionError

_ALPHA = "abcxyzABZ_"
_DIGITS = "0123456789"

# Tokens mix the cases that matter for ordering: numbers with and without padding,
# alphabetic runs with the three character classes, and mixed alternating runs.
sub_token = st.one_of(
    st.text(_DIGITS, min_size=1, max_size=3),
    st.text(_ALPHA, min_size=1, max_size=3),
)
token = st.lists(sub_token, min_size=1, max_size=3).map("".join)
version_text = st.lists(st.tuples(st.sampled_from(".-"), token), max_size=5).map(
    lambda parts: "".join(sep + tok for sep, tok in parts)[1:]
)
versions = version_text.map(Version)

_version_or_empty = st.one_of(st.just(""), version_text)


@st.composite
def _range_part(draw: st.DrawFn) -> str:
    a = draw(version_text.filter(bool))
    b = draw(_version_or_empty)
    form = draw(st.integers(0, 11))
    forms = [
        a,
        f"=={b}",
        f"{b}..{a}",
        f"{a}+",
        f">{b}",
        f">={b}",
        f"<{a}",
        f"<={b}",
        f"{b}+<{a}",
        f">{b}<={a}",
        f"<={a},>{b}",
        f"{a}|{b}+",
    ]
    return forms[form]


@st.composite
def ranges(draw: st.DrawFn) -> VersionRange:
    """Valid ranges (impossible bounds such as ``3+<2`` are drawn again)."""
    parts = draw(st.lists(_range_part(), min_size=1, max_size=3))
    text = "|".join(parts)
    try:
        return VersionRange(text)
    except VersionError:
        from hypothesis import assume

        assume(False)
        raise  # unreachable: assume(False) aborts the example
