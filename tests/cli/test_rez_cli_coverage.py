"""Every ``rez`` subcommand and flag is accepted by ``pkg`` or documented as different.

The list of Rez's command line is ``tests/cli/rez_cli.json``: a description of rez 3.4.0's
argparse parsers (every subcommand, option and positional, with its action and nargs),
generated once from rez and kept beside this test (a copy of the project's shared spec).
For each of them the test finds the ``pkg`` parameter with the same option strings and
checks its shape: a flag is a flag, a counter counts, an option takes a value, ``nargs``
matches (``--variants 0 1`` gives both values), listed choices are accepted.

What ``pkg`` does not accept, or accepts differently, must be a row of the table under
:data:`SECTION` in ``docs/migrating-from-rez.md``: ``| rez-X | FLAG | reason |``, where FLAG
is one of the option strings, a positional's name, ``FLAG VALUE`` for a choice, or
``(command)`` for a whole subcommand (several, comma-separated, may share a row).  A row
for something ``pkg`` does accept is stale and fails the test too, as does a row naming
nothing Rez has.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest

from pkg.buildsys import get_build_system, parse_build_args
from pkg.cli import cli
from pkg.cli._commands import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = Path(__file__).with_name("rez_cli.json")
SHARED_SPEC_PATH = ROOT.parent / "shared" / "spec" / "rez_cli.json"
GUIDE = ROOT / "docs" / "migrating-from-rez.md"
SECTION = "## Commands and flags that differ"
WHOLE_COMMAND = "(command)"
TOPLEVEL = "_rez_toplevel"

SPEC: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
REZ_COMMANDS = sorted(name for name in SPEC if not name.startswith("_"))


@dataclass(frozen=True)
class Gap:
    """Something of Rez's command line that pkg does not accept as Rez does."""

    command: str  # the rez script, e.g. "rez-env" ("rez" for the top level)
    names: tuple[str, ...]  # the strings a doc row may use to name it
    problem: str

    def __str__(self) -> str:
        return f"{self.command} {self.names[0]}: {self.problem}"


def script(command: str) -> str:
    return "rez" if command == TOPLEVEL else f"rez-{command}"


def documented_rows() -> dict[tuple[str, str], str]:
    """The ``(rez-X, FLAG) -> reason`` rows of the guide's :data:`SECTION` table."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.find(f"\n{SECTION}\n")
    assert start >= 0, f"{GUIDE.name} has no {SECTION!r} section"
    body = text[start + len(SECTION) + 2 :]
    end = body.find("\n## ")
    body = body if end < 0 else body[:end]
    rows: dict[tuple[str, str], str] = {}
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 3 or set(cells[0]) <= {"-", " ", ":"}:
            continue
        command, flags, reason = (cell.strip("`").strip() for cell in cells)
        if command.lower() == "rez command":
            continue
        for flag in (part.strip().strip("`") for part in flags.split(",")):
            assert reason, f"{GUIDE.name}: the row for {command} {flag} gives no reason"
            assert (command, flag) not in rows, f"{GUIDE.name}: {command} {flag} is listed twice"
            rows[command, flag] = reason
    return rows


def root_context() -> click.Context:
    return click.Context(cli, info_name="pkg", resilient_parsing=True, **cli.context_settings)


def pkg_command(name: str) -> click.Command | None:
    if name == TOPLEVEL:
        return cli
    return cli.get_command(root_context(), name) if name in COMMANDS else None


def parse(command: click.Command, name: str, args: list[str]) -> click.Context:
    """Parse ``args`` as ``pkg NAME ARGS`` without running anything (missing arguments and
    bad values are ignored)."""
    return command.make_context(name, list(args), parent=root_context(), resilient_parsing=True)


def params_by_flag(command: click.Command, ctx: click.Context) -> dict[str, click.Parameter]:
    found: dict[str, click.Parameter] = {}
    for param in command.get_params(ctx):
        for flag in (*param.opts, *param.secondary_opts):
            if isinstance(param, click.Option):
                found[flag] = param
    return found


def sample_values(option: dict[str, Any]) -> list[str]:
    if option["choices"]:
        return [str(choice) for choice in option["choices"][:2]]
    return ["0", "1"]


def flattened(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in flattened(part)]
    return [str(value)]


def option_gaps(name: str, command: click.Command, option: dict[str, Any]) -> list[Gap]:
    """How ``command`` (pkg's NAME) fails to accept the Rez option described by ``option``."""
    rez = script(name)
    flags = tuple(option["flags"])
    ctx = parse(command, name, [])
    if option["action"] == "Help":
        help_option = command.get_help_option(ctx)
        present = set(help_option.opts) if help_option else set()
        return [Gap(rez, (flag,), "not accepted") for flag in flags if flag not in present]
    by_flag = params_by_flag(command, ctx)
    params = {id(by_flag[flag]): by_flag[flag] for flag in flags if flag in by_flag}
    if not params:
        return [Gap(rez, flags, "not accepted")]
    gaps = [
        Gap(rez, (flag,), "this spelling is not accepted") for flag in flags if flag not in by_flag
    ]
    if len(params) > 1:
        return [*gaps, Gap(rez, flags, "the spellings are different options")]
    param = next(iter(params.values()))
    assert isinstance(param, click.Option)
    shown = next(flag for flag in flags if flag in by_flag)
    action = option["action"]
    if action == "Count":
        if not param.count:
            gaps.append(Gap(rez, flags, "does not count repetitions"))
    elif not option["takes_value"]:
        if not param.is_flag or param.count:
            gaps.append(Gap(rez, flags, "is not a flag"))
    elif param.is_flag or param.count:
        gaps.append(Gap(rez, flags, "takes no value"))
    elif isinstance(option["nargs"], int) and option["nargs"] > 1:
        if param.nargs != option["nargs"]:
            gaps.append(Gap(rez, flags, f"takes {param.nargs} values, not {option['nargs']}"))
    elif option["nargs"] in ("+", "*"):
        values = sample_values(option)
        parsed = flattened(parse(command, name, [shown, *values]).params.get(param.name or ""))
        if not all(value in parsed for value in values):
            gaps.append(Gap(rez, flags, f"'{shown} {' '.join(values)}' does not take both values"))
    elif option["nargs"] == "...":
        try:
            parse(command, name, [shown, "--no-such-pkg-flag", "value"])
        except click.UsageError as error:
            gaps.append(Gap(rez, flags, f"does not take the rest of the line: {error}"))
    plugins = plugin_choices().get((name, param.name or ""))
    for choice in option["choices"] or ():
        try:
            param.type.convert(choice, param, ctx)
            accepted = plugins is None or choice in plugins
        except click.BadParameter:
            accepted = False
        if not accepted:
            names = tuple(f"{flag} {choice}" for flag in flags)
            gaps.append(Gap(rez, names, f"the value {choice!r} is not accepted"))
    return gaps


def plugin_choices() -> dict[tuple[str, str], set[str]]:
    """The values of free-text options that name a plugin, by (command, parameter name):
    pkg checks them when the command runs, against these registries."""
    from pkg.shells import shell_names
    from pkg.vcs import vcs_plugins

    shells = set(shell_names())
    return {
        ("env", "shell"): shells,
        ("interpret", "format_"): shells | {"dict", "table"},
        ("release", "vcs"): set(vcs_plugins()),
    }


def positional_gaps(name: str, command: click.Command) -> list[Gap]:
    """How pkg's NAME differs from Rez in its positional arguments (compared in order)."""
    rez = script(name)
    arguments = [param for param in command.params if isinstance(param, click.Argument)]
    passthrough = SPEC[name].get("arg_mode") == "passthrough"
    gaps: list[Gap] = []
    for index, positional in enumerate(SPEC[name].get("positionals", [])):
        names = (positional["name"],)
        if index >= len(arguments):
            gaps.append(Gap(rez, names, "no such argument"))
            continue
        argument = arguments[index]
        nargs = positional["nargs"]
        if nargs in ("*", "...", "A..."):
            if argument.nargs != -1 or argument.required:
                gaps.append(Gap(rez, names, "does not take any number of values"))
        elif passthrough and argument.nargs == -1:
            pass  # the rest of the line, this value first, is passed on as in Rez
        elif nargs == "?":
            if argument.nargs != 1 or argument.required:
                gaps.append(Gap(rez, names, "is not one optional value"))
        elif argument.nargs != 1:
            gaps.append(Gap(rez, names, "is not one value"))
    return gaps


def command_gaps(name: str) -> list[Gap]:
    command = pkg_command(name)
    if command is None:
        return [Gap(script(name), (WHOLE_COMMAND,), "no such pkg command")]
    gaps = [gap for option in SPEC[name]["options"] for gap in option_gaps(name, command, option)]
    if name != TOPLEVEL:  # the top level's positional is the subcommand name
        gaps.extend(positional_gaps(name, command))
    return gaps


def all_gaps() -> list[Gap]:
    return [gap for name in [TOPLEVEL, *REZ_COMMANDS] for gap in command_gaps(name)]


def known_names() -> set[tuple[str, str]]:
    """Every (rez-X, FLAG) a doc row may name."""
    names: set[tuple[str, str]] = set()
    for name in [TOPLEVEL, *REZ_COMMANDS]:
        rez = script(name)
        names.add((rez, WHOLE_COMMAND))
        for option in SPEC[name]["options"]:
            for flag in option["flags"]:
                names.add((rez, flag))
                names.update((rez, f"{flag} {choice}") for choice in option["choices"] or ())
        names.update((rez, positional["name"]) for positional in SPEC[name].get("positionals", []))
    return names


def test_spec_copy_is_current() -> None:
    if not SHARED_SPEC_PATH.is_file():
        pytest.skip(f"{SHARED_SPEC_PATH} is not on this machine")
    shared = json.loads(SHARED_SPEC_PATH.read_text(encoding="utf-8"))
    assert shared == SPEC, f"copy {SHARED_SPEC_PATH} to {SPEC_PATH}"


def test_spec_lists_every_rez_command() -> None:
    # A sanity check of the walk itself: the spec's own count, and a few known flags.
    assert len(REZ_COMMANDS) == SPEC["_meta"]["subcommand_count"]
    assert {"env", "build", "release", "suite", "pkg-cache"} <= set(REZ_COMMANDS)
    assert ("rez-env", "--patch-rank") in known_names()


def undocumented(gaps: list[Gap], rows: dict[tuple[str, str], str]) -> list[str]:
    """The gaps no row of the guide names."""
    return [str(gap) for gap in gaps if not any((gap.command, flag) in rows for flag in gap.names)]


def unknown_rows(rows: dict[tuple[str, str], str]) -> list[str]:
    """The rows that name nothing of Rez's command line."""
    names = known_names()
    return [f"{command} {flag}" for command, flag in rows if (command, flag) not in names]


def stale_rows(rows: dict[tuple[str, str], str], gaps: list[Gap]) -> list[str]:
    """The rows that name something pkg accepts as Rez does."""
    gap_names = {(gap.command, flag) for gap in gaps for flag in gap.names}
    return [f"{command} {flag}" for command, flag in rows if (command, flag) not in gap_names]


def test_every_rez_flag_is_accepted_or_documented() -> None:
    missing = undocumented(all_gaps(), documented_rows())
    assert not missing, (
        f"not accepted as Rez does, and not listed under {SECTION!r} in {GUIDE.name}:\n"
        + "\n".join(missing)
    )


def test_documented_differences_are_not_stale() -> None:
    rows = documented_rows()
    unknown = unknown_rows(rows)
    assert not unknown, f"{GUIDE.name} lists what Rez does not have: {unknown}"
    stale = stale_rows(rows, all_gaps())
    assert not stale, f"{GUIDE.name} lists as different what pkg accepts as Rez does: {stale}"


def test_rows_are_checked_both_ways() -> None:
    gaps = [Gap("rez-env", ("--N0",), "not accepted")]
    assert undocumented(gaps, {}) == ["rez-env --N0: not accepted"]
    assert undocumented(gaps, {("rez-env", "--N0"): "internal"}) == []
    rows = {("rez-env", "--shell"): "x", ("rez-env", "--no-such-flag"): "y"}
    assert stale_rows(rows, gaps) == ["rez-env --shell", "rez-env --no-such-flag"]
    assert unknown_rows(rows) == ["rez-env --no-such-flag"]


@pytest.mark.parametrize(
    "system",
    sorted(
        name
        for name, spec in SPEC["build"]["build_system_specific"].items()
        if spec["options"] and name != "custom"
    ),
)
def test_build_system_flags(system: str) -> None:
    options = {
        flag: option for option in get_build_system(system).cli_options() for flag in option.flags
    }
    for rez_option in SPEC["build"]["build_system_specific"][system]["options"]:
        for flag in rez_option["flags"]:
            assert flag in options, f"pkg build ({system}) does not accept {flag}"
            assert set(rez_option["choices"]) <= set(options[flag].choices), flag


def test_custom_build_args(tmp_path: Path) -> None:
    # rez's custom build system takes the flags a parse_build_args.py adds; so does pkg.
    (flag,) = SPEC["build"]["build_system_specific"]["custom"]["options"][0]["flags"]
    (tmp_path / "parse_build_args.py").write_text(
        f"parser.add_argument({flag!r}, action='store_true')\n", encoding="utf-8"
    )
    values, rest = parse_build_args(str(tmp_path), [flag, "--other"])
    assert values == {flag.lstrip("-"): True}
    assert rest == ["--other"]


def test_a_missing_flag_is_found() -> None:
    # The walk reports what pkg lacks: a command without one of its options is a gap.
    command = click.Command("cp", params=[click.Option(["--dest-path"])])
    gaps = option_gaps("cp", command, {**SPEC["cp"]["options"][1], "flags": ["--dest-path", "-d"]})
    assert [gap.names for gap in gaps] == [("-d",)]
    flag = {
        "flags": ["--x"],
        "takes_value": False,
        "action": "StoreTrue",
        "nargs": 0,
        "choices": None,
    }
    assert [g.problem for g in option_gaps("cp", command, {**flag, "flags": ["--dest-path"]})] == [
        "is not a flag"
    ]

    # An option that takes one value where Rez takes several is found too.
    single = click.Command("cp", params=[click.Option(["--variants"]), click.Argument(["pkg"])])
    (variants,) = [o for o in SPEC["cp"]["options"] if o["flags"] == ["--variants"]]
    assert [g.problem for g in option_gaps("cp", single, variants)] == [
        "'--variants 0 1' does not take both values"
    ]
