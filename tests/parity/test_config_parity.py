"""pkg's built-in defaults equal rez 3.4.0's, key by key (skipped without rez).

rez runs in a subprocess (``REZ_DISABLE_HOME_CONFIG=1``, no ``REZ_CONFIG_FILE``) so its
global config never enters this process.  Deliberate differences:

* ``new_session_popen_args``: rez's POSIX default holds a function (``preexec_fn=setpgrp``),
  which a TOML/JSON config cannot express; pkg uses ``start_new_session = true``, which has
  the same effect.
* Values computed from the machine (``tmpdir``, ``editor``, ...) are compared after both
  sides computed them with the same environment and home.
* The release hooks' ``{system.fqdn}``/``{system.domain}`` fields are expanded when the
  setting is read in pkg (:func:`pkg.config.expand_late`), as in Rez; the comparison reads
  them so.
* :data:`PKG_ONLY` settings have no Rez counterpart (``resolve_cache_path``: the on-disk
  resolve cache, docs/caching.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from pkg.config import SystemInfo, expand_late, load_config

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.parity

DELIBERATELY_DIFFERENT = frozenset({"new_session_popen_args"})
PKG_ONLY = frozenset({"resolve_cache_path", "resolve_cache_strict"})

_DUMP = """
import json
from rez.config import config
data = {k: v for k, v in config.data.items() if k != "__doc__"}
print(json.dumps(data, default=repr))
"""


@pytest.fixture(scope="module")
def rez_defaults(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    pytest.importorskip("rez")
    home = tmp_path_factory.mktemp("rezhome")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(HOME=str(home), REZ_DISABLE_HOME_CONFIG="1")
    result = subprocess.run(
        [sys.executable, "-c", _DUMP], env=env, capture_output=True, text=True, check=True
    )
    data: dict[str, Any] = json.loads(result.stdout)
    return data, home


def _pkg_defaults(home: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(HOME=str(home), PKG_DISABLE_HOME_CONFIG="1")
    config = load_config(environ=env, home=home)
    # the release hooks' {system.fqdn} is expanded when read (as pkg config shows it)
    data = expand_late(config.to_dict(), SystemInfo(env, home, config.platform_map))
    assert isinstance(data, dict)
    return data


def test_same_keys(rez_defaults: tuple[dict[str, Any], Path]) -> None:
    rez, home = rez_defaults
    assert set(_pkg_defaults(home)) - PKG_ONLY == set(rez)


def test_same_defaults(rez_defaults: tuple[dict[str, Any], Path]) -> None:
    rez, home = rez_defaults
    pkg = _pkg_defaults(home)
    different = {
        key: (pkg[key], rez[key])
        for key in sorted(set(pkg) & set(rez) - DELIBERATELY_DIFFERENT)
        if key != "plugins" and pkg[key] != rez[key]
    }
    assert different == {}


@pytest.mark.parametrize(
    "plugin_type",
    [
        "shell",
        "release_vcs",
        "release_hook",
        "build_system",
        "package_repository",
        "build_process",
        "command",
    ],
)
def test_same_plugin_defaults(rez_defaults: tuple[dict[str, Any], Path], plugin_type: str) -> None:
    rez, home = rez_defaults
    assert _pkg_defaults(home)["plugins"][plugin_type] == rez["plugins"][plugin_type]


_REZCONFIG = """\
packages_path = ModifyList(prepend=["/studio/dev"], append=["/archive"])
release_hooks = ["emailer"]
cache_packages_path = None
env_var_separators = {"MY_PATHS": ";"}
build_thread_count = 3
plugins = {"release_vcs": {"tag_name": "v{version}", "git": {"allow_no_upstream": True}}}
"""


def test_imported_rezconfig_gives_rez_values(tmp_path: Path) -> None:
    """A rezconfig.py read by rez and its ``pkg config --import-rezconfig`` TOML read by
    pkg give the same settings."""
    pytest.importorskip("rez")
    from pkg.api.rezconfig import rezconfig_to_toml

    source = tmp_path / "rezconfig.py"
    source.write_text(_REZCONFIG)
    converted = tmp_path / "pkg.toml"
    converted.write_text(rezconfig_to_toml(_REZCONFIG, str(source)))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(HOME=str(tmp_path), REZ_DISABLE_HOME_CONFIG="1", REZ_CONFIG_FILE=str(source))
    done = subprocess.run(
        [sys.executable, "-c", _DUMP], env=env, capture_output=True, text=True, check=True
    )
    rez = json.loads(done.stdout)
    pkg_env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    pkg_env.update(PKG_DISABLE_HOME_CONFIG="1", PKG_CONFIG_FILE=str(converted))
    pkg = load_config(environ=pkg_env, home=tmp_path).to_dict()
    for key in ("packages_path", "release_hooks", "cache_packages_path", "build_thread_count"):
        assert pkg[key] == rez[key], key
    assert pkg["env_var_separators"]["MY_PATHS"] == rez["env_var_separators"]["MY_PATHS"]
    assert pkg["plugins"]["release_vcs"] == rez["plugins"]["release_vcs"]
