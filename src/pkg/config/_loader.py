"""Building a :class:`~pkg.config.Config` from its layers.

Layers, lowest precedence first:

1. built-in defaults (:mod:`pkg.config._defaults`);
2. the TOML files listed in ``$PKG_CONFIG_FILE`` (``os.pathsep``-separated, in order);
3. ``~/.pkgconfig.toml``, unless ``$PKG_DISABLE_HOME_CONFIG`` is ``1``/``t``/``true``;
4. ``$PKG_<SETTING>`` (top-level settings only, not ``plugins``);
5. ``$PKG_<SETTING>_JSON`` (ignored for a setting whose plain variable is set);
6. overrides (command-line flags, a package's ``config`` section).

File and override layers deep-merge tables and may edit lists with
``{ prepend = [...], append = [...] }``; environment variables replace the whole value.
Every layer is checked for unknown keys when it is read; values are validated, expanded
(``${VAR}``, ``~``, ``{system.*}``) and frozen once all layers are merged.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pkg._record import record
from pkg.config._defaults import default_data
from pkg.config._env import (
    CONFIG_FILE_VAR,
    DISABLE_HOME_CONFIG_VAR,
    HOME_CONFIG_NAME,
    TRUTHY_DISABLE,
    setting_var,
)
from pkg.config._kinds import OPT_DICT, Invalid, Kind
from pkg.config._model import Config
from pkg.config._system import (
    COMPUTED,
    LATE_ATTRS,
    LATE_SECTION,
    SystemInfo,
    expand,
    logical_cores,
    physical_cores,
)
from pkg.config._walk import field_specs, freeze, suggest
from pkg.errors import ConfigError

__all__ = ["COMMAND_LINE", "DEFAULTS", "LoadState", "apply_overrides", "load_config"]

#: Source label of the built-in defaults.
DEFAULTS = "built-in defaults"
#: Source label of overrides given to :func:`load_config`.
COMMAND_LINE = "command line"

_LIST_EDITS = frozenset({"prepend", "append"})
_NULL = {"null": True}


@record(frozen=True, slots=True)
class LoadState:
    """What a config was built from: merged raw data, per-key sources, files, context."""

    raw: Mapping[str, Any]
    sources: Mapping[str, str]
    search_list: tuple[Path, ...]
    source_list: tuple[Path, ...]
    environ: Mapping[str, str]
    home: Path

    def source_of(self, key_path: str) -> str:
        """The label of the layer that last set ``key_path`` (or its closest parent)."""
        parts = key_path.split(".")
        while parts:
            label = self.sources.get(".".join(parts))
            if label is not None:
                return label
            parts.pop()
        return DEFAULTS


# -- public entry points


def load_config(
    *,
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Config:
    """Load the configuration from all layers; see the module docstring.

    Args:
        environ: environment to read ``PKG_*`` variables and ``${VAR}`` expansions from
            (default: :data:`os.environ`).
        home: home directory for ``~/.pkgconfig.toml`` and ``~`` expansion
            (default: :meth:`Path.home`).
        overrides: highest-precedence settings (e.g. from command-line flags), shaped like
            a config file; keys may be dotted paths.

    Raises:
        ConfigError: a file is malformed, a key is unknown or a value is invalid; the
            message names the file (or variable, or ``command line``) and the key.
    """
    env = dict(os.environ if environ is None else environ)
    home_dir = Path.home() if home is None else home
    raw = default_data()
    sources: dict[str, str] = {}
    _record(sources, "", raw, DEFAULTS)
    search = _search_list(env, home_dir)
    loaded: list[Path] = []
    for path in search:
        data = _read_toml(path)
        if data is not None:
            _merge_section(Config, raw, data, str(path), "", sources)
            loaded.append(path)
    _apply_environment(raw, env, sources)
    if overrides:
        _merge_section(Config, raw, _nest(overrides, COMMAND_LINE), COMMAND_LINE, "", sources)
    state = LoadState(raw, sources, tuple(search), tuple(loaded), env, home_dir)
    return _build(state)


def apply_overrides(config: Config, overrides: Mapping[str, object], *, source: str) -> Config:
    """Implementation of :meth:`Config.with_overrides`."""
    state = config._state
    if state is None:
        raw_plain = config.to_dict()
        state = LoadState(raw_plain, {}, (), (), {}, Path.home())
    raw = copy.deepcopy(dict(state.raw))
    sources = dict(state.sources)
    _merge_section(Config, raw, _nest(overrides, source), source, "", sources)
    return _build(dataclasses.replace(state, raw=raw, sources=sources))


# -- reading layers


def _search_list(environ: Mapping[str, str], home: Path) -> list[Path]:
    paths = [Path(item) for item in environ.get(CONFIG_FILE_VAR, "").split(os.pathsep) if item]
    if environ.get(DISABLE_HOME_CONFIG_VAR, "").lower() not in TRUTHY_DISABLE:
        paths.append(home / HOME_CONFIG_NAME)
    return paths


def _read_toml(path: Path) -> dict[str, Any] | None:
    """The parsed file, or ``None`` if there is no such file."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read file: {error}", source=str(path)) from None
    import tomllib  # only when there is a file: its parser has a cost at import

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_toml_message(str(error), text), source=str(path)) from None


def _toml_message(message: str, text: str) -> str:
    """``line N: reason`` from tomllib's ``reason (at line N, column M)``."""
    found = re.search(r"\s*\(at (?:line (\d+), column \d+|end of document)\)$", message)
    if found is None:
        return f"invalid TOML: {message}"
    line = found.group(1) or str(len(text.splitlines()) or 1)
    return f"invalid TOML at line {line}: {message[: found.start()]}"


def _apply_environment(
    raw: dict[str, Any], environ: Mapping[str, str], sources: dict[str, str]
) -> None:
    for key, spec in field_specs(Config).items():
        if not isinstance(spec, Kind):
            continue  # plugins cannot be set from the environment
        plain_var = setting_var(key)
        json_var = setting_var(key, json=True)
        if plain_var in environ:
            label = f"${plain_var}"
            try:
                value = spec.parse_env(environ[plain_var])
            except Invalid as error:
                raise ConfigError(str(error), key_path=key, source=label) from None
        elif json_var in environ:
            label = f"${json_var}"
            try:
                value = json.loads(environ[json_var])
            except ValueError as error:
                raise ConfigError(f"invalid JSON: {error}", key_path=key, source=label) from None
        else:
            continue
        raw[key] = value
        _record(sources, key, value, label)


def _nest(overrides: Mapping[str, object], label: str) -> dict[str, Any]:
    """Turn top-level dotted keys (``"plugins.shell.bash.prompt"``) into nested tables."""
    result: dict[str, Any] = {}
    for key, value in overrides.items():
        *parents, leaf = key.split(".")
        table = result
        for part in parents:
            child = table.setdefault(part, {})
            if not isinstance(child, dict):
                raise ConfigError("conflicting values", key_path=key, source=label)
            table = child
        table[leaf] = _plain_copy(value)
    return result


# -- merging


def _plain_copy(value: object) -> Any:
    if isinstance(value, Mapping):
        return {key: _plain_copy(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_copy(item) for item in value]
    return value


def _deep_merge(base: dict[str, Any], layer: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in layer.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = _plain_copy(value)
    return base


def _record(sources: dict[str, str], path: str, value: object, label: str) -> None:
    """Note that ``label`` set ``path``; tables are recorded key by key.

    What was recorded below ``path`` before is forgotten (for the root: below each of
    ``value``'s keys).
    """
    if not path:
        if not sources:  # nothing to forget (the defaults, recorded first)
            _record_below(sources, "", value, label)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                _record(sources, str(key), item, label)
        return
    prefix = path + "."
    for known in [known for known in sources if known.startswith(prefix)]:
        del sources[known]
    sources[path] = label
    _record_below(sources, path, value, label)


def _record_below(sources: dict[str, str], path: str, value: object, label: str) -> None:
    """Record every key of table ``value`` (recursively) below ``path`` (``""``: the
    root); nothing is recorded there yet."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            sources[child] = label
            _record_below(sources, child, item, label)


def _merge_section(
    section: type,
    base: dict[str, Any],
    layer: Mapping[str, Any],
    label: str,
    prefix: str,
    sources: dict[str, str],
) -> None:
    specs = field_specs(section)
    for key, value in layer.items():
        path = prefix + key
        spec = specs.get(key)
        if spec is None:
            raise ConfigError(f"unknown setting{suggest(key, specs)}", key_path=path, source=label)
        if isinstance(spec, Kind):
            base[key] = _merge_value(spec, base.get(key), value, path, label)
            _record(sources, path, value, label)
            continue
        if not isinstance(value, Mapping):
            raise ConfigError(f"expected a table, got {value!r}", key_path=path, source=label)
        child = base.get(key)
        if not isinstance(child, dict):
            child = base[key] = {}
        sources[path] = label
        _merge_section(spec, child, value, label, path + ".", sources)


def _merge_value(kind: Kind, old: object, new: object, path: str, label: str) -> object:
    if kind.shape == "dict":
        if isinstance(new, Mapping) and isinstance(old, dict):
            return _deep_merge(copy.deepcopy(old), new)
        return _plain_copy(new)
    if isinstance(new, Mapping) and new == _NULL:
        if not kind.accepts_none:
            raise ConfigError("this setting cannot be null", key_path=path, source=label)
        return None
    if kind.shape == "list" and isinstance(new, Mapping) and new and set(new) <= _LIST_EDITS:
        current = [] if old is None else old
        if not isinstance(current, list):
            raise ConfigError(f"cannot prepend/append to {old!r}", key_path=path, source=label)
        edits = {}
        for edit in ("prepend", "append"):
            items = new.get(edit, [])
            if not isinstance(items, list | tuple):
                raise ConfigError(
                    f"expected an array for {edit!r}, got {items!r}", key_path=path, source=label
                )
            edits[edit] = _plain_copy(items)
        return [*edits["prepend"], *current, *edits["append"]]
    return _plain_copy(new)


# -- validation


def _build(state: LoadState) -> Config:
    platform_map = _check(OPT_DICT, state.raw.get("platform_map"), "platform_map", state)
    assert isinstance(platform_map, dict)
    for attr, table in platform_map.items():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ConfigError(
                f"expected a table of regex -> replacement strings for {attr!r}",
                key_path="platform_map",
                source=state.source_of("platform_map"),
            )
    system = SystemInfo(state.environ, state.home, platform_map)
    values = _build_section(Config, state.raw, "", state, system)
    return Config(**values, _state=state)


def _check(kind: Kind, value: object, path: str, state: LoadState) -> object:
    try:
        return kind.check(value)
    except Invalid as error:
        raise ConfigError(str(error), key_path=path, source=state.source_of(path)) from None


def _build_section(
    section: type, data: Mapping[str, Any], prefix: str, state: LoadState, system: SystemInfo
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, spec in field_specs(section).items():
        path = prefix + key
        if not isinstance(spec, Kind):
            sub = data.get(key)
            sub_data = sub if isinstance(sub, Mapping) else {}
            values[key] = spec(**_build_section(spec, sub_data, path + ".", state, system))
            continue
        raw = data.get(key)
        if raw is None and path in COMPUTED:
            value = system.computed_default(path)
        else:
            keep = LATE_ATTRS if path.startswith(LATE_SECTION) else frozenset()
            checked = _check(spec, raw, path, state)
            value = expand(checked, system, state.environ, state.home, keep=keep)
        if path == "build_thread_count":
            value = {"physical_cores": physical_cores(), "logical_cores": logical_cores()}.get(
                str(value), value
            )
        values[key] = freeze(value)
    return values
