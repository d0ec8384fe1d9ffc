"""``pkg.suites``: suite.yaml, tool naming and clashes, saving, wrappers and ``+`` args.

Contexts are real :class:`ContextFile` values; their tools come from a table instead of
repositories (``pkg.api.suite`` reads them from packages; see tests/cli/test_suite.py).
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING

import pytest

from pkg.context import ContextFile, VariantHandle, load_context
from pkg.core import parse_requirement
from pkg.suites import (
    Suite,
    SuiteError,
    parse_tool_args,
    read_wrapper,
    visible_suite_paths,
)
from pkg.suites._yaml import dump_suite_yaml, load_suite_yaml, yaml_scalar

if TYPE_CHECKING:
    from pathlib import Path

#: family -> tools
TOOLS = {"maya": ["maya", "render"], "nuke": ["nuke", "render"], "dup": ["render"], "lib": ["x"]}


def ctx(*requests: str, resolved: tuple[str, ...] = ()) -> ContextFile:
    names = resolved or tuple(r.lstrip("~!").split("-")[0] for r in requests)
    return ContextFile(
        package_requests=tuple(parse_requirement(r) for r in requests),
        resolved_packages=tuple(VariantHandle(n, "1.0", None, "/repo") for n in names),
        status="solved",
    )


def source(context: ContextFile) -> list[tuple[str, list[str]]]:
    requested = {r.name for r in context.package_requests if not r.conflict}
    return [
        (f"{h.name}-{h.version}", TOOLS[h.name])
        for h in context.resolved_packages
        if h.name in requested and h.name in TOOLS
    ]


def make() -> Suite:
    suite = Suite(source)
    suite.add_context("maya", ctx("maya", resolved=("maya", "lib")))
    suite.add_context("nuke", ctx("nuke"))
    return suite


def test_later_context_wins_clash_and_bump_reverses_it() -> None:
    suite = make()
    tools = suite.tools()
    assert sorted(tools.visible) == ["maya", "nuke", "render"]
    assert tools.visible["render"].context_name == "nuke"
    assert [t.context_name for t in tools.conflicts["render"]] == ["maya"]
    suite.bump("maya")
    assert suite.tools().visible["render"].context_name == "maya"
    assert [t.context_name for t in suite.tools().conflicts["render"]] == ["nuke"]


def test_only_requested_packages_give_tools() -> None:
    # lib is resolved in the maya context but not requested: its tool 'x' is absent
    assert "x" not in make().tools().visible


def test_prefix_suffix_alias_and_hide() -> None:
    suite = make()
    suite.set_prefix("nuke", "n_")
    suite.set_suffix("maya", "-2")
    suite.alias_tool("maya", "maya", "mymaya")
    suite.hide_tool("nuke", "nuke")
    tools = suite.tools()
    assert sorted(tools.visible) == ["mymaya", "n_render", "render-2"]
    assert [(t.tool_name, t.alias) for t in tools.hidden] == [("nuke", "n_nuke")]
    assert not tools.conflicts
    suite.unhide_tool("nuke", "nuke")
    suite.unalias_tool("maya", "maya")
    suite.set_prefix("nuke", "")
    assert sorted(suite.tools().visible) == ["maya-2", "nuke", "render", "render-2"]


def test_tool_in_conflict_within_a_context() -> None:
    suite = Suite(source)
    suite.add_context("both", ctx("maya", "dup"))
    render = suite.tools().visible["render"]
    assert render.packages == ("maya-1.0", "dup-1.0")
    assert render.in_conflict


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda s: s.add_context("maya", ctx("maya")), "context already in the suite: 'maya'"),
        (lambda s: s.remove_context("nope"), "no such context in the suite: 'nope'"),
        (lambda s: s.hide_tool("maya", "nuke"), "no such tool 'nuke' in context 'maya'"),
        (lambda s: s.alias_tool("maya", "x", "y"), "no such tool 'x' in context 'maya'"),
        (
            lambda s: s.add_context("bad", ContextFile(package_requests=(), status="failed")),
            "context 'bad' is not a solved context",
        ),
        (lambda s: s.add_context("a/b", ctx("maya")), "invalid context name: 'a/b'"),
    ],
)
def test_invalid_operations(action: object, message: str) -> None:
    suite = make()
    with pytest.raises(SuiteError) as info:
        action(suite)  # type: ignore[operator]
    assert str(info.value) == message


def test_alias_twice_is_an_error() -> None:
    suite = make()
    suite.alias_tool("maya", "maya", "a")
    with pytest.raises(SuiteError, match="already aliased to 'a'"):
        suite.alias_tool("maya", "maya", "b")


def test_find_contexts() -> None:
    suite = make()
    assert suite.find_contexts(in_request="maya") == ["maya"]
    assert suite.find_contexts(in_resolve="lib") == ["maya"]
    assert suite.find_contexts(in_resolve="!lib") == ["nuke"]
    assert suite.find_contexts(in_resolve="lib-2") == []
    assert suite.find_contexts(in_request="nuke", in_resolve="!maya") == ["nuke"]


def test_save_load_round_trip(tmp_path: Path) -> None:
    suite = make()
    suite.set_prefix("nuke", "n:")
    suite.hide_tool("maya", "maya")
    suite.alias_tool("nuke", "nuke", "it's #1")
    target = suite.save(tmp_path / "s")
    assert sorted(os.listdir(target / "bin")) == ["it's #1", "n:render", "render"]
    assert sorted(os.listdir(target / "contexts")) == ["maya.rxt", "nuke.rxt"]
    saved = load_context(target / "contexts" / "nuke.rxt")
    assert (saved.parent_suite_path, saved.suite_context_name) == (str(target), "nuke")

    again = Suite.load(target, source)
    assert again.contexts == suite.contexts
    assert again.next_priority == 3
    assert sorted(again.tools().visible) == ["it's #1", "n:render", "render"]
    # saving over the directory it was loaded from replaces it as a whole
    again.remove_context("maya")
    again.save(target)
    assert sorted(os.listdir(target / "bin")) == ["it's #1", "n:render"]
    assert os.listdir(target / "contexts") == ["nuke.rxt"]
    assert [p.name for p in tmp_path.iterdir()] == ["s"]


def test_save_refuses_an_existing_directory(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(SuiteError, match="cannot save suite, path exists"):
        make().save(tmp_path / "taken")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("contexts: [a]\n", "'contexts' is not a mapping"),
        ("contexts:\n  a: 3\n", "context 'a' is not a mapping"),
        ("contexts:\n  a:\n    priority: x\n", "context 'a': priority must be an integer"),
        ("contexts: {\n", "cannot read"),
    ],
)
def test_malformed_suite_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "suite.yaml").write_text(text)
    with pytest.raises(SuiteError, match=message):
        Suite.load(tmp_path, source)


def test_not_a_suite(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="not a suite"):
        Suite.load(tmp_path, source)


@pytest.mark.parametrize(
    "value", ["plain", "x:", "a #b", "yes", "No", "1.0", "-x", "it's", "", "tab\there", "é"]
)
def test_yaml_scalars_round_trip(value: str) -> None:
    text = dump_suite_yaml({"contexts": {value: {"suffix": value, "hidden_tools": {value}}}})
    data = load_suite_yaml(text)
    assert data == {"contexts": {value: {"suffix": value, "hidden_tools": {value: None}}}}


def test_yaml_scalar_forms() -> None:
    assert [yaml_scalar(v) for v in (None, False, 7, "on", "a b")] == [
        "null",
        "false",
        "7",
        "'on'",
        "'a b'",
    ]


def test_wrapper_is_a_shell_script_and_rez_yaml(tmp_path: Path) -> None:
    suite = make()
    suite.contexts["nuke"].prefix_char = "@"
    target = suite.save(tmp_path / "s")
    wrapper = target / "bin" / "render"
    info = read_wrapper(str(wrapper))
    assert (info.context_name, info.tool_name, info.prefix_char) == ("nuke", "render", "@")
    assert info.suite_path == str(target)
    assert wrapper.read_text().startswith("#!/bin/sh\nexec ")
    assert os.access(wrapper, os.X_OK)
    # sh runs it: the exec line hands the file to pkg forward (here: a stand-in python)
    fake = tmp_path / "fakepy"
    fake.write_text('#!/bin/sh\necho "$@"\n')
    fake.chmod(0o755)
    body = wrapper.read_text().replace(wrapper.read_text().split()[2], str(fake), 1)
    wrapper.write_text(body)
    out = subprocess.run([str(wrapper), "a b", "+a"], capture_output=True, text=True, check=True)
    assert out.stdout == f"-I -m pkg forward {wrapper} a b +a\n"


def test_read_rez_wrapper(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    path = tmp_path / "bin" / "tool"
    path.write_text(
        "#!/usr/bin/env _rez_fwd\nfunc_name: _FWD__invoke_suite_tool_alias\nkwargs:\n"
        "  context_name: ctx\n  prefix_char: null\n  tool_name: tool\nmodule: suite\n"
    )
    info = read_wrapper(str(path))
    assert (info.context_name, info.tool_name, info.prefix_char) == ("ctx", "tool", None)
    path.write_text("#!/usr/bin/env _rez_fwd\nfunc_name: other\nkwargs: {}\nmodule: x\n")
    with pytest.raises(Exception, match="not a suite tool's wrapper"):
        read_wrapper(str(path))


def test_parse_tool_args() -> None:
    opts = parse_tool_args("t", ["-x", "+a", "file", "++verbose", "++verbose"], "+")
    assert (opts.about, opts.verbose, opts.tool_args) == (True, 2, ["-x", "file"])
    opts = parse_tool_args("t", ["+p", "foo-1", "^bar", "++strict", "++nl"], "+")
    assert (opts.patch, opts.strict, opts.no_local) == (["foo-1", "^bar"], True, True)
    opts = parse_tool_args("t", ["++command", "ls", "-l"], "+")
    assert opts.command == ["ls", "-l"]
    opts = parse_tool_args("t", ["+a", "++no-rez-args", "+i"], "+")
    assert (opts.about, opts.interactive, opts.tool_args) == (False, False, ["+a", "+i"])
    opts = parse_tool_args("t", ["@i", "+a"], "@")
    assert (opts.interactive, opts.tool_args) == (True, ["+a"])
    assert parse_tool_args("t", ["+a", "++peek"], "").tool_args == ["+a", "++peek"]


def test_visible_suite_paths(tmp_path: Path) -> None:
    suite = make().save(tmp_path / "s")
    (tmp_path / "plain" / "bin").mkdir(parents=True)
    entries = [str(tmp_path / "plain" / "bin"), str(suite / "bin"), "", str(suite / "bin")]
    assert visible_suite_paths(entries) == [str(suite)]
