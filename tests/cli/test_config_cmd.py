"""``pkg config`` through click's test runner (the command object on its own)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from pkg.cli.config import config_command, render_yaml
from pkg.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


def _run(*args: str) -> str:
    result = CliRunner().invoke(config_command, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["plugins.release_vcs"],
            "check_tag: false\ngit:\n  allow_no_upstream: false\n"
            "releasable_branches: []\ntag_name: '{qualified_name}'\n",
        ),
        (
            ["plugins.release_vcs", "--json"],
            json.dumps(
                {
                    "tag_name": "{qualified_name}",
                    "releasable_branches": [],
                    "check_tag": False,
                    "git": {"allow_no_upstream": False},
                }
            )
            + "\n",
        ),
        (["env_var_separators"], "CMAKE_MODULE_PATH: ;\nDOXYGEN_TAGFILES: ' '\n"),
        (["quiet"], "False\n"),
        (["quiet", "--json"], "False\n"),
        (["cache_packages_path"], "None\n"),
        (["build_directory"], "build\n"),
        (["plugins.build_system.cmake.cmake_args"], "- -Wno-dev\n- --no-warn-unused-cli\n"),
    ],
)
def test_field_output(args: list[str], expected: str) -> None:
    assert _run(*args) == expected


def test_whole_config(isolated_environment: Path) -> None:
    text = _run()
    assert f"- {isolated_environment}/packages\n" in text
    assert "plugins:\n  build_process: {}\n" in text
    data = json.loads(_run("--json"))
    assert len(data) == 148


def test_search_and_source_lists(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, isolated_environment: Path
) -> None:
    present = tmp_path / "a.toml"
    present.write_text("quiet = true\n")
    monkeypatch.setenv("PKG_CONFIG_FILE", f"{present}:{tmp_path / 'missing.toml'}")
    monkeypatch.setenv("PKG_DISABLE_HOME_CONFIG", "0")
    assert _run("--search-list").splitlines() == [
        str(present),
        str(tmp_path / "missing.toml"),
        str(isolated_environment / ".pkgconfig.toml"),
    ]
    assert _run("--source-list").splitlines() == [str(present)]
    assert _run("quiet") == "True\n"


@pytest.mark.parametrize("field", ["nope", "plugins.nope", "packages_path.x"])
def test_unknown_field(field: str) -> None:
    result = CliRunner().invoke(config_command, [field])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError)
    assert f"no such setting: {field!r}" in str(result.exception)
    assert "\n" not in str(result.exception)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "{}"),
        ([], "[]"),
        ({"a": ""}, "a: ''"),
        ({"a": "yes"}, "a: 'yes'"),
        ({"a": "12"}, "a: '12'"),
        ({"a": "x: y"}, "a: 'x: y'"),
        ({"a": "it's"}, "a: it's"),
        ({"a": "[x]"}, "a: '[x]'"),
        ({"a": "a\nb"}, 'a: "a\\nb"'),
        ({"a": [{"k": 1, "j": None}]}, "a:\n- j: null\n  k: 1"),
        ({"b": {"c": [1.5]}}, "b:\n  c:\n  - 1.5"),
        ({"a": "~platform==linux"}, "a: ~platform==linux"),
    ],
)
def test_render_yaml(data: object, expected: str) -> None:
    assert render_yaml(data) == expected
