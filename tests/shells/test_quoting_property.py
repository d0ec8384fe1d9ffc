"""Property: any text, set as a literal value or passed as text to info, comes back unchanged
from every installed shell."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pkg.rex import Info, Setenv, expandable, literal
from tests.shells._run import RUNNERS, run

# Any character but NUL (no environment can hold it) and lone surrogates (not UTF-8).
if TYPE_CHECKING:
    from pkg.rex import Action

_CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
# Characters shells care about, drawn often so that short strings meet them together.
_NASTY = st.sampled_from([*"'\"$`\\!\n\r\t ~*?[]{}%;&|#()<>=^-", "${HOME}", "$x", "\u201c"])
texts = st.lists(st.one_of(_NASTY, _CHARS), max_size=12).map("".join)

_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(RUNNERS))
@_SETTINGS
@given(values=st.lists(texts, min_size=1, max_size=6))
def test_literal_round_trip(name: str, values: list[str]) -> None:
    actions: list[Action] = [Setenv(f"V{i}", literal(v)) for i, v in enumerate(values)]
    with tempfile.TemporaryDirectory() as tmp:
        result = run(name, actions, Path(tmp))
    assert [result.environ[f"V{i}"] for i in range(len(values))] == values


@pytest.mark.parametrize("name", sorted(RUNNERS))
@_SETTINGS
@given(value=texts)
def test_expandable_round_trip_and_info(name: str, value: str) -> None:
    """Expandable text around a reference: only the reference changes."""
    actions: list[Action] = [
        Setenv("E", expandable("x" + value.replace("$", "$ ") + "${REF}")),
        Info(literal(value.replace("\n", " ").replace("\r", " "))),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        result = run(name, actions, Path(tmp), environ={"REF": "r e'f"})
    assert result.environ["E"] == "x" + value.replace("$", "$ ") + "r e'f"
    assert result.stdout == value.replace("\n", " ").replace("\r", " ") + "\n"
