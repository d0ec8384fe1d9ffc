"""``pkg config --import-rezconfig``: Rez config files converted to pkg's TOML."""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING

import pytest

from pkg.api.rezconfig import read_rezconfig, rezconfig_to_toml, toml_text
from pkg.cli import main
from pkg.config import load_config
from pkg.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

REZCONFIG = """\
import os
from os.path import join as _join

packages_path = ["~/packages", _join("/studio", "packages")]
release_hooks = ModifyList(append=["emailer"])
implicit_packages = ModifyList(prepend=["~studio"])
cache_packages_path = None
env_var_separators = {"MY_PATHS": ";", "with space": " "}
build_thread_count = 3
package_cache_clean_limit = 0.5
plugins = {
    "release_vcs": {"tag_name": "v{version}", "git": {"allow_no_upstream": True}},
    "shell": {"bash": {"prompt": "$ "}},
}
"""


def test_every_kind_of_value_round_trips() -> None:
    text = rezconfig_to_toml(REZCONFIG, "rezconfig.py")
    assert tomllib.loads(text) == read_rezconfig(REZCONFIG, "rezconfig.py")
    assert "os" not in tomllib.loads(text)  # modules and _private names are not settings
    config = load_config(environ={}, overrides=tomllib.loads(text))
    assert config.packages_path[-1] == "/studio/packages"
    assert config.release_hooks[-1] == "emailer"
    assert config.implicit_packages[0] == "~studio"
    assert config.cache_packages_path is None
    assert config.env_var_separators["with space"] == " "
    assert config.build_thread_count == 3
    assert config.plugins.release_vcs.git.allow_no_upstream is True
    assert config.plugins.shell.bash.prompt == "$ "


def test_yaml_rezconfig() -> None:
    text = rezconfig_to_toml("packages_path:\n- /a\n- /b\nquiet: true\n", ".rezconfig.yaml")
    assert tomllib.loads(text) == {"packages_path": ["/a", "/b"], "quiet": True}


def test_strings_are_escaped() -> None:
    data = {"a": 'say "hi"\\n\ttab \u00e9', "b": {"x.y": [1, {"k": 2.5}]}}
    assert tomllib.loads(toml_text(data)) == data


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("packges_path = []\n", "rezconfig.py, key 'packges_path': unknown setting"),
        ("quiet = 'loud'\n", "rezconfig.py, key 'quiet'"),
        ("def package_preprocess_function(this, data):\n    pass\n", "'module.function'"),
        ("package_definition_python_path = DelayLoad('/x.yaml')\n", "DelayLoad('/x.yaml')"),
        ("packages_path = [\n", "rezconfig.py: SyntaxError"),
    ],
)
def test_bad_files_name_the_file_and_key(source: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        rezconfig_to_toml(source, "rezconfig.py")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value).strip()


def test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "rezconfig.py"
    source.write_text(REZCONFIG)
    assert main(["config", "--import-rezconfig", str(source)]) == 0
    out = capsys.readouterr().out
    assert tomllib.loads(out)["plugins"]["release_vcs"]["tag_name"] == "v{version}"
    assert main(["config", "--import-rezconfig", str(tmp_path / "missing.py")]) == 1
    assert "missing.py: cannot read it" in capsys.readouterr().err
