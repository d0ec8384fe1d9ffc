from __future__ import annotations

import doctest

import pytest

import pkg.rex._format
import pkg.rex.bindings
import pkg.rex.escaped
from pkg.rex import EscapedString, expandable, literal


def test_parts_merge_and_compare() -> None:
    value = literal("a").l("b").e("c").expandable("d").literal("e")
    assert value.parts == ((True, "ab"), (False, "cd"), (True, "e"))
    assert str(value) == "abcde"
    assert value == "abcde"
    assert value != literal("abcde")
    assert hash(value) == hash("abcde")


def test_is_literal() -> None:
    assert literal("x").is_literal
    assert not (literal("x") + "y").is_literal
    assert not EscapedString(()).is_literal


def test_add_and_radd() -> None:
    assert ("a" + literal("b")).parts == ((False, "a"), (True, "b"))
    assert (literal("b") + expandable("c") + literal("d")).parts == (
        (True, "b"),
        (False, "c"),
        (True, "d"),
    )


def test_join_and_promote() -> None:
    joined = EscapedString.join(":", [literal("a"), "b"])
    assert joined.parts == ((True, "a"), (False, ":b"))
    assert EscapedString.join(":", []) == ""
    assert EscapedString.promote("x") == expandable("x")
    same = literal("y")
    assert EscapedString.promote(same) is same


def test_formatted_leaves_literals() -> None:
    value = literal("{a}").e("{a}")
    assert value.formatted(str.upper).parts == ((True, "{a}"), (False, "{A}"))


def test_builders_do_not_mutate() -> None:
    base = literal("a")
    base.e("b")
    assert base == literal("a")


def test_equality_with_other_types() -> None:
    assert literal("1") != 1


@pytest.mark.parametrize("module", [pkg.rex.escaped, pkg.rex._format, pkg.rex.bindings])
def test_docstring_examples(module: object) -> None:
    failed, attempted = doctest.testmod(module)  # type: ignore[arg-type]
    assert attempted > 0
    assert failed == 0
