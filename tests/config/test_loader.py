"""Layering, environment parsing, list modification, merging and validation errors."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING

import pytest

from pkg.config import Config, load_config
from pkg.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from tests.config.conftest import Loader


def test_defaults_follow_rez(load: Loader, home: Path) -> None:
    config = load()
    assert config.packages_path == (
        f"{home}/packages",
        f"{home}/.rez/packages/int",
        f"{home}/.rez/packages/ext",
    )
    assert config.plugins.release_vcs.tag_name == "{qualified_name}"
    assert config.plugins.shell.zsh.prompt == "%"
    assert config.plugins.build_system.cmake.cmake_args == ("-Wno-dev", "--no-warn-unused-cli")
    assert config.package_filter == ()
    assert config.default_relocatable_per_package == {}
    assert config.tmpdir
    assert len(dataclasses.fields(Config)) - 1 == 148
    assert config.source_of("quiet") == "built-in defaults"


def test_config_is_immutable(load: Loader) -> None:
    config = load()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.quiet = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.env_var_separators["X"] = "y"  # type: ignore[index]


# -- precedence


@pytest.mark.parametrize(
    ("files", "home_config", "env", "overrides", "expected", "source"),
    [
        ({"a.toml": "build_directory = 'a'"}, None, {}, None, "a", "a.toml"),
        (
            {"a.toml": "build_directory = 'a'", "b.toml": "build_directory = 'b'"},
            None,
            {},
            None,
            "b",
            "b.toml",
        ),
        ({"a.toml": "build_directory = 'a'"}, "build_directory = 'h'", {}, None, "h", "home"),
        (
            {},
            "build_directory = 'h'",
            {"PKG_BUILD_DIRECTORY": "e"},
            None,
            "e",
            "$PKG_BUILD_DIRECTORY",
        ),
        (
            {},
            None,
            {"PKG_BUILD_DIRECTORY_JSON": '"j"'},
            None,
            "j",
            "$PKG_BUILD_DIRECTORY_JSON",
        ),
        (
            {},
            None,
            {"PKG_BUILD_DIRECTORY": "e", "PKG_BUILD_DIRECTORY_JSON": '"j"'},
            None,
            "e",
            "$PKG_BUILD_DIRECTORY",
        ),
        (
            {},
            "build_directory = 'h'",
            {"PKG_BUILD_DIRECTORY": "e"},
            {"build_directory": "c"},
            "c",
            "command line",
        ),
    ],
)
def test_precedence(
    load: Loader,
    files: dict[str, str],
    home_config: str | None,
    env: dict[str, str],
    overrides: dict[str, object] | None,
    expected: str,
    source: str,
) -> None:
    config = load(
        files=files,
        home_config=home_config,
        env={**env, "PKG_DISABLE_HOME_CONFIG": "0"},
        overrides=overrides,
    )
    assert config.build_directory == expected
    label = config.source_of("build_directory")
    if source == "home":
        assert label.endswith(".pkgconfig.toml")
    else:
        assert label.endswith(source)


@pytest.mark.parametrize(
    ("value", "loaded"),
    [("1", False), ("t", False), ("TRUE", False), ("0", True), ("no", True), ("", True)],
)
def test_home_config_disabling(load: Loader, home: Path, value: str, loaded: bool) -> None:
    config = load(home_config="quiet = true", env={"PKG_DISABLE_HOME_CONFIG": value})
    assert config.quiet is loaded
    assert (home / ".pkgconfig.toml" in config.search_list) is loaded
    assert (home / ".pkgconfig.toml" in config.source_list) is loaded


def test_search_and_source_lists(load: Loader, tmp_path: Path, home: Path) -> None:
    missing = tmp_path / "missing.toml"
    config = load(
        files={"a.toml": "quiet = true"},
        env={"PKG_CONFIG_FILE": f"{tmp_path / 'a.toml'}{os.pathsep}{missing}"},
        home_config="",
    )
    config = load_config(
        environ={"PKG_CONFIG_FILE": f"{tmp_path / 'a.toml'}{os.pathsep}{missing}"}, home=home
    )
    assert config.search_list == (tmp_path / "a.toml", missing, home / ".pkgconfig.toml")
    assert config.source_list == (tmp_path / "a.toml", home / ".pkgconfig.toml")


def test_env_overrides_do_not_apply_to_plugins(load: Loader) -> None:
    config = load(env={"PKG_PLUGINS": "x", "PKG_PLUGINS_JSON": '{"shell": 1}'})
    assert config.plugins.shell.bash.prompt == ">"


# -- environment parsing


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        *[("quiet", word, True) for word in ("1", "true", "T", "yes", "y", "on")],
        *[("quiet", word, False) for word in ("0", "false", "f", "No", "n", "off")],
        ("default_cachable", "yes", True),
        ("color_enabled", "force", "force"),
        ("color_enabled", "off", False),
        ("release_hooks", "emailer, amqp command", ("emailer", "amqp", "command")),
        ("implicit_packages", "", ()),
        ("packages_path", os.pathsep.join(["/a b", "", "/c"]), ("/a b", "/c")),
        ("resource_caching_maxsize", "12", 12),
        ("package_cache_clean_limit", "2.5", 2.5),
        ("build_thread_count", "3", 3),
        ("suite_alias_prefix_char", "@", "@"),
        ("optionvars", "a:1,b:x,c:2.5", {"a": 1, "b": "x", "c": 2.5}),
        ("env_var_separators", "PATH::,X:;", {"PATH": ":", "X": ";"}),
        ("editor", "nano", "nano"),
    ],
)
def test_env_parsing(load: Loader, name: str, text: str, expected: object) -> None:
    config = load(env={f"PKG_{name.upper()}": text})
    assert config.get(name) == expected


@pytest.mark.parametrize(
    ("name", "json_text", "expected"),
    [
        ("packages_path", '["/x", "/y"]', ("/x", "/y")),
        ("quiet", "true", True),
        ("package_filter", '{"excludes": ["foo"]}', ({"excludes": ("foo",)},)),
        ("cache_packages_path", '"/cache"', "/cache"),
        ("variant_shortlinks_dirname", "null", None),
        (
            "platform_map",
            '{"os": {"Debian-(.*)": "deb-\\\\1"}}',
            {"os": {"Debian-(.*)": "deb-\\1"}},
        ),
    ],
)
def test_json_env_vars(load: Loader, name: str, json_text: str, expected: object) -> None:
    config = load(env={f"PKG_{name.upper()}_JSON": json_text})
    assert config.get(name) == expected


@pytest.mark.parametrize(
    ("var", "text", "message"),
    [
        ("PKG_QUIET", "maybe", "expected one of"),
        ("PKG_RESOURCE_CACHING_MAXSIZE", "many", "expected an integer, got 'many'"),
        ("PKG_OPTIONVARS", "nocolon", "expected 'k1:v1,k2:v2,...'"),
        ("PKG_QUIET_JSON", "{bad", "invalid JSON"),
        ("PKG_PACKAGE_FILTER", "x", "use the _JSON form"),
        ("PKG_BUILD_THREAD_COUNT", "lots", "'physical_cores'/'logical_cores', got 'lots'"),
    ],
)
def test_env_errors_name_the_variable(load: Loader, var: str, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(env={var: text})
    error = info.value
    assert error.source == f"${var}"
    assert message in str(error)
    assert f"${var}" in str(error)
    assert "\n" not in str(error)


# -- files: merging and list modification


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        (["packages_path = { prepend = ['/a'] }"], ("/a", "~")),
        (["packages_path = { append = ['/b'] }"], ("~", "/b")),
        (["packages_path = { prepend = ['/a'], append = ['/b'] }"], ("/a", "~", "/b")),
        (
            ["packages_path = ['/x']", "packages_path = { append = ['/y'] }"],
            ("/x", "/y"),
        ),
        (["packages_path = { prepend = ['/a'] }", "packages_path = ['/z']"], ("/z",)),
    ],
)
def test_list_modification(
    load: Loader, home: Path, layers: list[str], expected: tuple[str, ...]
) -> None:
    files = {f"{index}.toml": text for index, text in enumerate(layers)}
    defaults = (f"{home}/packages", f"{home}/.rez/packages/int", f"{home}/.rez/packages/ext")
    result = load(files=files).packages_path
    flat: list[str] = []
    for item in expected:
        flat.extend(defaults if item == "~" else [item])
    assert result == tuple(flat)


def test_list_modification_on_null_default_and_overrides(load: Loader) -> None:
    config = load(
        files={"a.toml": "package_orderers = { append = [{ type = 'sorted' }] }"},
        overrides={"release_hooks": {"append": ["emailer"]}},
    )
    assert config.package_orderers == ({"type": "sorted"},)
    assert config.release_hooks == ("emailer",)


def test_dicts_deep_merge_across_layers(load: Loader) -> None:
    config = load(
        files={
            "a.toml": "[env_var_separators]\nFOO = ':'\n[platform_map.os]\nx = 'y'\n",
            "b.toml": "[platform_map.arch]\nz = 'w'\n",
        },
        home_config="[plugins.release_vcs]\ncheck_tag = true\n",
        env={"PKG_DISABLE_HOME_CONFIG": ""},
        overrides={"plugins": {"release_vcs": {"git": {"allow_no_upstream": True}}}},
    )
    assert config.env_var_separators == {
        "CMAKE_MODULE_PATH": ";",
        "DOXYGEN_TAGFILES": " ",
        "FOO": ":",
    }
    assert config.platform_map == {"os": {"x": "y"}, "arch": {"z": "w"}}
    vcs = config.plugins.release_vcs
    assert (vcs.check_tag, vcs.git.allow_no_upstream, vcs.tag_name) == (
        True,
        True,
        "{qualified_name}",
    )
    assert config.source_of("plugins.release_vcs.check_tag").endswith(".pkgconfig.toml")
    assert config.source_of("plugins.release_vcs.git.allow_no_upstream") == "command line"
    assert config.source_of("plugins.release_vcs.tag_name") == "built-in defaults"


def test_env_replaces_dicts(load: Loader) -> None:
    config = load(env={"PKG_ENV_VAR_SEPARATORS": "FOO::"})
    assert config.env_var_separators == {"FOO": ":"}


def test_null_in_toml(load: Loader) -> None:
    config = load(files={"a.toml": "variant_shortlinks_dirname = { null = true }"})
    assert config.variant_shortlinks_dirname is None
    with pytest.raises(ConfigError, match="cannot be null"):
        load(files={"a.toml": "quiet = { null = true }"})


# -- validation errors


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (
            "build_thread_count = 'lots'",
            "build_thread_count",
            "expected a positive integer or 'physical_cores'/'logical_cores', got 'lots'",
        ),
        ("quiet = 'yes'", "quiet", "expected a boolean, got 'yes'"),
        ("packages_path = '/one'", "packages_path", "expected an array of paths"),
        ("suite_visibility = 'sometimes'", "suite_visibility", "expected one of 'never'"),
        ("suite_alias_prefix_char = '++'", "suite_alias_prefix_char", "single character"),
        ("[plugins.shell.bash]\nprompt = 3", "plugins.shell.bash.prompt", "expected a string"),
        (
            "[plugins.build_system.cmake]\nbuild_target = 'Fast'",
            "plugins.build_system.cmake.build_target",
            "expected one of 'Debug'",
        ),
        ("packages_path = { prepend = '/a' }", "packages_path", "expected an array for 'prepend'"),
        ("plugins = 3", "plugins", "expected a table"),
    ],
)
def test_validation_errors_name_file_and_key(
    load: Loader, tmp_path: Path, text: str, key: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load(files={"bad.toml": text})
    error = info.value
    assert error.source == str(tmp_path / "bad.toml")
    assert error.key_path == key
    assert str(tmp_path / "bad.toml") in str(error)
    assert f"key {key!r}" in str(error)
    assert message in str(error)
    assert "\n" not in str(error)


@pytest.mark.parametrize(
    ("text", "key", "hint"),
    [
        ("packges_path = []", "packges_path", "did you mean 'packages_path'?"),
        ("[plugins.shel]\n", "plugins.shel", "did you mean 'shell'?"),
        (
            "[plugins.release_vcs.git]\nallow_no_upstrem = true",
            "plugins.release_vcs.git.allow_no_upstrem",
            "allow_no_upstream",
        ),
        ("zzzzzz = 1", "zzzzzz", ""),
    ],
)
def test_unknown_keys(load: Loader, text: str, key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as info:
        load(files={"bad.toml": text})
    assert info.value.key_path == key
    assert "unknown setting" in str(info.value)
    assert hint in str(info.value)


def test_malformed_toml_names_file_and_line(load: Loader, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(files={"bad.toml": "quiet = true\npackages_path = [\n"})
    message = str(info.value)
    assert str(tmp_path / "bad.toml") in message
    assert "invalid TOML at line 2: " in message
    assert "\n" not in message
    with pytest.raises(ConfigError, match=r"bad\.toml: invalid TOML at line 3: "):
        load(files={"bad.toml": "a = 1\n\nb = = 2\n"})


def test_bad_value_reports_the_layer_that_set_it(load: Loader) -> None:
    with pytest.raises(ConfigError) as info:
        load(files={"ok.toml": "quiet = true"}, overrides={"quiet": "loud"})
    assert info.value.source == "command line"


# -- overrides


def test_with_overrides_returns_a_new_validated_config(load: Loader) -> None:
    config = load(files={"a.toml": "release_hooks = ['emailer']"})
    derived = config.with_overrides(
        {"release_hooks": {"append": ["amqp"]}, "plugins.release_vcs.tag_name": "v{version}"},
        source="package.py config",
    )
    assert derived.release_hooks == ("emailer", "amqp")
    assert derived.plugins.release_vcs.tag_name == "v{version}"
    assert config.release_hooks == ("emailer",)
    assert derived.source_of("release_hooks") == "package.py config"
    assert derived.search_list == config.search_list
    with pytest.raises(ConfigError) as info:
        config.with_overrides({"build_thread_count": 0}, source="package.py config")
    assert str(info.value).startswith("package.py config, key 'build_thread_count'")
    with pytest.raises(ConfigError, match="unknown setting"):
        config.with_overrides({"plugins.shell.fish.prompt": ">"})


def test_with_overrides_on_a_directly_built_config(load: Loader) -> None:
    base = load()
    direct = dataclasses.replace(base, _state=None)
    assert direct.source_of("quiet") == "constructed directly"
    assert direct.with_overrides({"quiet": True}).quiet is True


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, 4), ("physical_cores", None), ("logical_cores", os.cpu_count())],
)
def test_build_thread_count(load: Loader, value: object, expected: int | None) -> None:
    count = load(overrides={"build_thread_count": value}).build_thread_count
    assert isinstance(count, int)
    assert count >= 1
    if expected is not None:
        assert count == expected


def test_get_and_to_dict(load: Loader) -> None:
    config = load()
    assert config.get("plugins.release_vcs.git.allow_no_upstream") is False
    assert config.get("env_var_separators.CMAKE_MODULE_PATH") == ";"
    data = config.to_dict()
    assert len(data) == 148
    assert data["plugins"]["shell"]["cmd"]["additional_pathext"] == [".PY"]
    with pytest.raises(ConfigError, match="did you mean 'quiet'"):
        config.get("quite")
