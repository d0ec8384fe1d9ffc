"""A whole context: variable order, phases, bindings and package errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest

from pkg.core import Requirement, Version
from pkg.rex import (
    Comment,
    ContextInfo,
    PackageCommandError,
    RexExecutor,
    Setenv,
    context_actions,
    execute_context,
)
from tests.rex.conftest import PARENT

if TYPE_CHECKING:
    from collections.abc import Callable

    from pkg.config import Config
    from pkg.packages import Variant
    from pkg.rex import Action


def _env(actions: list[Action]) -> list[tuple[str, str, str]]:
    return [
        (a.kind, a.key, str(a.value))
        for a in actions
        if not isinstance(a, Comment) and hasattr(a, "key") and hasattr(a, "value")
    ]


def _setenvs(actions: list[Action]) -> dict[str, str]:
    return {a.key: str(a.value) for a in actions if isinstance(a, Setenv)}


INFO = ContextInfo(
    requests=[Requirement("foo-1"), Requirement("~bar")],
    implicits=[Requirement("platform-linux")],
    package_paths=["/repo", "/other"],
    tool_path="/tools/pkg",
    tool_version="3.4.0",
    timestamp=1700000000,
)


def test_context_variables_and_order(
    config: Config, variant_factory: Callable[..., Variant]
) -> None:
    bar = variant_factory("bar", "2.0.1", "def commands():\n    env.PATH.append('{root}/bin')\n")
    foo = variant_factory(
        "foo.lib",
        "1",
        "def pre_commands():\n    env.ORDER = 'pre-foo'\n"
        "def commands():\n    env.ORDER.append('cmd-foo')\n"
        "def post_commands():\n    env.ORDER.append('post-foo')\n",
    )
    actions = context_actions([bar, foo], INFO, config=config, parent_environ=PARENT, pathsep=":")
    assert actions[0].kind == "shebang"
    env = _setenvs(actions)
    assert env["REZ_USED"] == "/tools/pkg"
    assert env["REZ_USED_VERSION"] == "3.4.0"
    assert env["REZ_USED_TIMESTAMP"] == "1700000000"
    assert env["REZ_USED_REQUESTED_TIMESTAMP"] == "0"
    assert env["REZ_USED_REQUEST"] == "foo-1 ~bar"
    assert env["REZ_USED_IMPLICIT_PACKAGES"] == "platform-linux"
    assert env["REZ_USED_RESOLVE"] == "bar-2.0.1 foo.lib-1"
    assert env["REZ_USED_PACKAGES_PATH"] == "/repo:/other"
    assert "REZ_USED_LOCAL_RESOLVE" not in env
    assert env["REZ_BAR_VERSION"] == "2.0.1"
    assert (env["REZ_BAR_MAJOR_VERSION"], env["REZ_BAR_MINOR_VERSION"]) == ("2", "0")
    assert env["REZ_BAR_PATCH_VERSION"] == "1"
    assert env["REZ_FOO_LIB_VERSION"] == "1"
    assert env["REZ_FOO_LIB_MINOR_VERSION"] == env["REZ_FOO_LIB_PATCH_VERSION"] == ""
    assert env["REZ_BAR_ROOT"] == bar.root
    assert env["REZ_BAR_BASE"] == bar.base
    assert "REZ_BUILD_ENV" not in env
    assert "REZ_USED_EPH_RESOLVE" not in env
    literal_request = next(
        a for a in actions if isinstance(a, Setenv) and a.key == "REZ_USED_REQUEST"
    )
    assert literal_request.value.is_literal
    tail = [a for a in _env(actions) if not a[1].startswith("REZ_")]
    assert tail == [
        ("setenv", "ORDER", "pre-foo"),
        ("setenv", "PATH", f"{bar.root}/bin"),
        ("appendenv", "ORDER", "cmd-foo"),
        ("appendenv", "ORDER", "post-foo"),
    ]
    comments = [a.value for a in actions if isinstance(a, Comment) and a.value]
    assert comments[:2] == ["#" * 80, "system setup"]
    for header in ("pre_commands", "commands", "post_commands", "package variables"):
        assert header in comments
    assert "commands from package bar-2.0.1[]" in comments
    assert "variables for package foo.lib-1[]" in comments


def test_ephemerals_building_and_rez1(
    config: Config, variant_factory: Callable[..., Variant]
) -> None:
    info = ContextInfo(
        requests=[Requirement("foo")],
        ephemerals=[Requirement(".foo.cli-1.2"), Requirement(".bar-2+")],
        building=True,
        requested_timestamp=5,
    )
    foo = variant_factory(
        "foo",
        "1",
        "def commands():\n"
        "    env.E = ephemerals.get('foo.cli')\n"
        "    env.B = str(building) + str(testing)\n"
        "    env.I = str(intersects(ephemerals.get_range('foo.cli'), '1'))\n",
    )
    cfg = config.with_overrides({"rez_1_environment_variables": True})
    assert not cfg.disable_rez_1_compatibility or cfg.rez_1_environment_variables
    cfg = cfg.with_overrides({"disable_rez_1_compatibility": False})
    actions = context_actions([foo], info, config=cfg, parent_environ={})
    env = _setenvs(actions)
    assert env["REZ_USED_EPH_RESOLVE"] == ".foo.cli-1.2 .bar-2+"
    assert env["REZ_BUILD_ENV"] == "1"
    assert env["REZ_USED_REQUESTED_TIMESTAMP"] == "5"
    assert env["E"] == ".foo.cli-1.2"
    assert env["B"] == "TrueFalse"
    assert env["I"] == "True"
    assert env["REZ_EPH_FOO_CLI_REQUEST"] == "1.2"
    assert env["REZ_EPH_BAR_REQUEST"] == "2+"
    assert env["REZ_REQUEST"] == env["REZ_RAW_REQUEST"] == "foo"
    assert env["REZ_RESOLVE"] == "foo-1"
    assert env["REZ_RESOLVE_MODE"] == "latest"
    keys = [a.key for a in actions if isinstance(a, Setenv)]
    assert keys.index("E") < keys.index("REZ_EPH_FOO_CLI_REQUEST")


def test_bindings_seen_by_commands(config: Config, variant_factory: Callable[..., Variant]) -> None:
    bar = variant_factory("bar", "3.1", "tools = ['b']\n")
    foo = variant_factory(
        "foo",
        "1.2.3",
        "def commands():\n"
        "    env.V = '{version}-{version.major}-{this.version.patch}-{this.name}'\n"
        "    env.R = '{resolve.bar.root}|{root}|{base}'\n"
        "    env.Q = request.foo + '|' + request.get_range('foo').__str__()\n"
        "    env.IM = str('platform' in implicits)\n"
        "    env.S = system\n"
        "    env.T = str(intersects(resolve.bar, '3')) + str(intersects(request.foo, '2'))\n"
        "    env.TOOLS = ' '.join(resolve.bar.tools)\n",
    )
    info = ContextInfo(
        requests=[Requirement("foo-1.2")],
        implicits=[Requirement("platform-linux")],
        system="sys",
    )
    actions = context_actions([bar, foo], info, config=config, parent_environ={})
    env = _setenvs(actions)
    assert env["V"] == "1.2.3-1-3-foo"
    assert env["R"] == f"{bar.root}|{foo.root}|{foo.base}"
    assert env["Q"] == "foo-1.2|1.2"
    assert env["IM"] == "True"
    assert env["S"] == "sys"
    assert env["T"] == "TrueFalse"
    assert env["TOOLS"] == "b"


def test_cached_roots(config: Config, variant_factory: Callable[..., Variant]) -> None:
    foo = variant_factory("foo", "1", "def commands():\n    env.R = root\n")
    info = ContextInfo(cached_roots={"foo": "/cache/foo/1"})
    env = _setenvs(context_actions([foo], info, config=config, parent_environ={}))
    assert env["REZ_FOO_ROOT"] == "/cache/foo/1"
    assert env["REZ_FOO_ORIG_ROOT"] == foo.root
    assert env["R"] == "/cache/foo/1"


def test_executor_keeps_earlier_actions(
    config: Config, variant_factory: Callable[..., Variant]
) -> None:
    executor = RexExecutor(config, {})
    executor.env.REZ_RXT_FILE = "/tmp/context.rxt"
    foo = variant_factory("foo", "1", "def commands():\n    env.X = getenv('REZ_RXT_FILE')\n")
    execute_context(executor, [foo], ContextInfo())
    env = _setenvs(executor.actions)
    assert env["X"] == "/tmp/context.rxt"
    assert "this" not in executor.namespace
    assert "resolve" in executor.namespace


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("def commands():\n    env.A = 1\n    stop('no %s', 'way')\n", 5, "no way"),
        (
            "def commands():\n    env.A = 1\n\n    env.B = getenv('MISSING')\n",
            6,
            "undefined environment variable: MISSING",
        ),
        ("def commands():\n    x = 1\n    x = {}['k']\n", 5, "KeyError: 'k'"),
        ("def commands():\n    env.A = '{this.nope}'\n", 4, "has no attribute 'nope'"),
        ("def commands(): stop('one line')\n", 3, "one line"),
        (
            "def pre_commands():\n    pass\n\ndef post_commands():\n"
            "    # comment\n    raise ValueError('post')\n",
            8,
            "ValueError: post",
        ),
    ],
)
def test_package_errors_name_package_and_line(
    config: Config,
    variant_factory: Callable[..., Variant],
    body: str,
    line: int,
    reason: str,
) -> None:
    ok = variant_factory("ok", "1", "def commands():\n    env.OK = '1'\n")
    bad = variant_factory("bad", "2.0", body)
    with pytest.raises(PackageCommandError) as info:
        context_actions([ok, bad], ContextInfo(), config=config, parent_environ={})
    error = info.value
    assert error.package == "bad-2.0"
    assert error.filepath == bad.package.definition.filepath
    assert error.line == line, str(error)
    assert reason in error.reason
    assert f"package 'bad-2.0' ({error.filepath}, line {line})" in str(error)
    phase = "post_commands" if "post" in body else "commands"
    assert error.phase == phase


@dataclass
class _Plain:
    """A variant-like object whose commands are plain text (as from a ``package.yaml``)."""

    commands: str
    name: str = "plain"
    version: Version = field(default_factory=lambda: Version("1"))
    root: str | None = None
    base: str | None = None
    qualified_name: str = "plain-1"
    qualified_package_name: str = "plain-1"
    is_local: bool = False


def test_error_in_code_without_file(config: Config) -> None:
    variant = _Plain("x = 1\nstop('s')")
    with pytest.raises(PackageCommandError) as info:
        context_actions([variant], ContextInfo(), config=config, parent_environ={})
    assert info.value.filepath is None
    assert info.value.line == 2
    assert str(info.value).startswith("Error in commands of package 'plain-1' (<unknown file>")


def test_syntax_error_line(config: Config) -> None:
    with pytest.raises(PackageCommandError) as info:
        context_actions(
            [_Plain("x = 1\n\nx = = 2")], ContextInfo(), config=config, parent_environ={}
        )
    assert info.value.line == 3
    assert "syntax error" in info.value.reason


def test_text_commands_and_missing_root(config: Config) -> None:
    actions = context_actions(
        [_Plain("env.R = '[{root}]'")], ContextInfo(), config=config, parent_environ={}
    )
    env = _setenvs(actions)
    assert env["R"] == "[]"
    local = _Plain("", is_local=True)
    env = _setenvs(context_actions([local], ContextInfo(), config=config, parent_environ={}))
    assert env["REZ_USED_LOCAL_RESOLVE"] == "plain-1"
    assert env["REZ_PLAIN_ROOT"] == env["REZ_PLAIN_BASE"] == ""
