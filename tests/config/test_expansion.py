"""``~``, ``${VAR}`` and ``{system.*}`` expansion, platform_map and computed defaults."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pkg.config._system import SystemInfo, expand_text

if TYPE_CHECKING:
    from tests.config.conftest import Loader


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${FOO}/x", "foo/x"),
        ("$FOO/x", "foo/x"),
        ("${MISSING}/x", "${MISSING}/x"),
        ("~/a", "HOME/a"),
        ("~", "HOME"),
        ("~platform==linux", "~platform==linux"),
        ("a ~/b", "a HOME/b"),
        ("x~/y", "x~/y"),
        ("{system.platform}", "linux"),
        ("{system.user}@host", "alice@host"),
        ("{system.nope}", "{system.nope}"),
        ("{qualified_name}", "{qualified_name}"),
        ("${REF}", "{system.arch}"),
    ],
)
def test_expand_text(tmp_path: Path, text: str, expected: str) -> None:
    environ = {"FOO": "foo", "USER": "alice", "REF": "{system.arch}"}
    system = SystemInfo(environ, tmp_path, {"platform": {"^.*$": "linux"}})
    result = expand_text(text, system, environ, tmp_path)
    if "{system.arch}" in expected:
        # a variable's value is expanded for system attributes after substitution
        assert result == platform.machine()
    else:
        assert result == expected.replace("HOME", str(tmp_path))


def test_settings_are_expanded(load: Loader, home: Path) -> None:
    config = load(
        files={"a.toml": "local_packages_path = '${ROOT}/{system.platform}/pkgs'\n"},
        env={"ROOT": "/studio", "USER": "bob"},
    )
    assert config.local_packages_path == f"/studio/{SystemInfo({}, home).get('platform')}/pkgs"
    assert config.implicit_packages[0].startswith("~platform==")
    assert "{" not in "".join(config.implicit_packages)
    assert config.plugins.release_hook.emailer.sender == "bob@rez-release.com"


def test_platform_map_applies_to_system_values(load: Loader) -> None:
    config = load(
        files={
            "a.toml": "[platform_map.arch]\n'^.*$' = 'anyarch'\n"
            "[platform_map.os]\n'^(.*)$' = 'os-\\1'\n"
        }
    )
    assert config.implicit_packages[1] == "~arch==anyarch"
    assert config.implicit_packages[2].startswith("~os==os-")


def test_os_matches_lsb_release_style() -> None:
    name = SystemInfo({}, Path("/")).get("os")
    assert name
    assert "-" in name


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"EDITOR": "myed"}, "myed"), ({"PATH": ""}, None)],
)
def test_computed_editor(load: Loader, env: dict[str, str], expected: str | None) -> None:
    if platform.system() != "Linux":
        pytest.skip("editor detection differs per platform")
    assert load(env=env).editor == expected


def test_computed_defaults_yield_to_layers(load: Loader) -> None:
    config = load(files={"a.toml": "tmpdir = '/scratch'\neditor = 'ed'"})
    assert (config.tmpdir, config.editor) == ("/scratch", "ed")
    assert config.context_tmpdir


def test_release_hook_settings_keep_fqdn_until_read(
    load: Loader, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from pkg.config import expand_late

    def no_lookup() -> str:
        raise AssertionError("the configuration looked up the fqdn while loading")

    monkeypatch.setattr(socket, "getfqdn", no_lookup)
    config = load(
        files={"a.toml": "local_packages_path = '/p/{system.hostname}'\n"},
        env={"USER": "bob"},
    )
    body = config.plugins.release_hook.emailer.body
    assert "bob@{system.fqdn}" in body
    assert config.local_packages_path == f"/p/{SystemInfo({}, home).get('hostname')}"
    monkeypatch.setattr(socket, "getfqdn", lambda: "host.example.org")
    system = SystemInfo({"USER": "bob"}, home)
    assert "bob@host.example.org" in str(expand_late(body, system))
    assert expand_late(["{system.domain}", {"k": "{system.fqdn}"}], system) == [
        "example.org",
        {"k": "host.example.org"},
    ]


def test_fqdn_is_expanded_at_load_outside_release_hooks(
    load: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    monkeypatch.setattr(socket, "getfqdn", lambda: "host.example.org")
    config = load(files={"a.toml": "local_packages_path = '/p/{system.domain}'\n"})
    assert config.local_packages_path == "/p/example.org"
