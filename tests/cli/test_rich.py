"""rich-click is imported only to show help or a usage error (``pkg.cli._rich``)."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from pkg.cli._rich import is_rich, richen, wants_help

_PROBE = """
import sys
from pkg.cli import main
code = main(sys.argv[1:])
print("rich_click" in sys.modules, code, file=sys.stderr)
"""


def _run(*args: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "100", "PKG_DISABLE_HOME_CONFIG": "1"},
    )
    *text, last = done.stderr.splitlines()
    return done.stdout, "\n".join(text) + "\n" + last


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], True),
        (["-h"], True),
        (["env", "foo", "--help"], True),
        (["env", "foo"], False),
        (["env", "foo", "--", "cmd", "--help"], False),
        (["env", "--", "-h"], False),
    ],
)
def test_wants_help(args: list[str], expected: bool) -> None:
    assert wants_help(args) is expected


def test_running_a_command_does_not_import_rich_click() -> None:
    out, err = _run("config", "quiet")
    assert out.strip() == "False"
    assert err.strip().endswith("False 0")


def test_help_is_rendered_by_rich_click() -> None:
    out, err = _run("config", "-h")
    assert "Usage: pkg config [OPTIONS]" in out
    assert "╭─ Options" in out
    assert err.strip().endswith("True 0")


def test_usage_errors_are_rendered_by_rich_click() -> None:
    _out, err = _run("config", "--bogus")
    assert "Usage: pkg config [OPTIONS]" in err
    assert "╭─ Error" in err
    assert "No such option '--bogus'" in err
    assert err.strip().endswith("True 2")


def test_richen_keeps_the_command_class_behaviour() -> None:
    class Custom(click.Command):
        def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
            return super().parse_args(ctx, [*args, "--flag"])

    seen: list[bool] = []

    def record_flag(flag: bool) -> None:
        seen.append(flag)

    command = Custom(
        "custom",
        callback=record_flag,
        params=[click.Option(["--flag"], is_flag=True)],
    )
    assert not is_rich(command)
    assert richen(command) is command
    assert is_rich(command)
    assert isinstance(command, Custom)
    command.main([], standalone_mode=False)
    assert seen == [True]
    plain = richen(click.Command("plain"))
    assert is_rich(plain)
