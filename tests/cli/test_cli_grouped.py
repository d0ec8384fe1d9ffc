"""Rez-style ``--`` argument groups, with a test-only grouped command."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import rich_click as click

from pkg.cli import GroupedCommand, arg_groups, main, split_arg_groups

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.mark.parametrize(
    ("args", "own", "groups"),
    [
        ([], [], []),
        (["a", "b"], ["a", "b"], []),
        (["a", "--"], ["a"], [[]]),
        (["--", "a"], [], [["a"]]),
        (["a", "--", "b", "c"], ["a"], [["b", "c"]]),
        (["a", "--", "b", "--", "c"], ["a"], [["b"], ["c"]]),
        (["a", "--", "--", "c"], ["a"], [[], ["c"]]),
        (["-x", "--", "-y", "--z"], ["-x"], [["-y", "--z"]]),
        (["a", "---", "-- "], ["a", "---", "-- "], []),
    ],
)
def test_split_arg_groups(args: list[str], own: list[str], groups: list[list[str]]) -> None:
    assert split_arg_groups(args) == (own, groups)


Recorded = list[tuple[tuple[str, ...], bool, tuple[tuple[str, ...], ...]]]


@pytest.fixture
def recorded(add_command: Callable[[click.Command], click.Command]) -> Recorded:
    """Register ``t-env PKG... [--flag] [-- CMD...]...``; each run appends what it got."""
    seen: Recorded = []

    @click.command("t-env", cls=GroupedCommand)
    @click.argument("pkgs", nargs=-1)
    @click.option("--flag", is_flag=True)
    @click.pass_context
    def t_env(ctx: click.Context, pkgs: tuple[str, ...], flag: bool) -> None:
        """Record the arguments and groups."""
        seen.append((pkgs, flag, arg_groups(ctx)))

    add_command(t_env)
    return seen


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["foo"], (("foo",), False, ())),
        (["foo", "--flag", "bar"], (("foo", "bar"), True, ())),
        (["foo", "--", "echo", "hi"], (("foo",), False, (("echo", "hi"),))),
        (["foo", "--"], (("foo",), False, ((),))),
        (["--", "--flag", "--help"], ((), False, (("--flag", "--help"),))),
        (["foo", "--", "-DX=1", "--", "-j4"], (("foo",), False, (("-DX=1",), ("-j4",)))),
        (["-v", "foo", "--", "-v"], (("foo",), False, (("-v",),))),
    ],
)
def test_grouped_command(recorded: Recorded, argv: list[str], expected: object) -> None:
    assert main(["t-env", *argv]) == 0
    assert recorded == [expected]


def test_grouping_happens_below_the_root(recorded: Recorded) -> None:
    assert main(["-v", "t-env", "a", "--", "b"]) == 0
    assert recorded == [(("a",), False, (("b",),))]


def test_ungrouped_commands_keep_click_meaning_of_double_dash(
    add_command: Callable[[click.Command], click.Command], capsys: pytest.CaptureFixture[str]
) -> None:
    @click.command("t-plain")
    @click.argument("args", nargs=-1)
    @click.pass_context
    def plain(ctx: click.Context, args: tuple[str, ...]) -> None:
        """Echo the arguments."""
        click.echo(f"{args} {arg_groups(ctx)}")

    add_command(plain)
    assert main(["t-plain", "a", "--", "--b"]) == 0
    assert capsys.readouterr().out == "('a', '--b') ()\n"


@pytest.mark.parametrize(
    ("argv", "code", "groups"),
    [
        (["x"], 0, ()),
        (["x", "--", "a"], 0, (("a",),)),
        (["x", "--", "a", "--", "b"], 0, (("a",), ("b",))),
        (["x", "--", "a", "--", "b", "--", "c"], 2, None),
    ],
)
def test_max_groups_and_groups_param(
    add_command: Callable[[click.Command], click.Command],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    code: int,
    groups: tuple[tuple[str, ...], ...] | None,
) -> None:
    seen: list[tuple[tuple[str, ...], ...]] = []

    @click.command("t-build", cls=GroupedCommand, max_groups=2, groups_param="extra")
    @click.argument("name")
    def t_build(name: str, extra: tuple[tuple[str, ...], ...]) -> None:
        """Record the extra groups."""
        seen.append(extra)

    add_command(t_build)
    assert main(["t-build", *argv]) == code
    if groups is None:
        assert seen == []
        assert "takes at most 2 '--' argument group(s), got 3" in capsys.readouterr().err
    else:
        assert seen == [groups]


def test_no_groups_allowed(
    add_command: Callable[[click.Command], click.Command], capsys: pytest.CaptureFixture[str]
) -> None:
    @click.command("t-none", cls=GroupedCommand, max_groups=0)
    def t_none() -> None:
        """Accept no groups."""

    add_command(t_none)
    assert main(["t-none"]) == 0
    assert main(["t-none", "--"]) == 2
    assert "takes no arguments after '--'" in capsys.readouterr().err
