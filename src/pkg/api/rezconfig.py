"""Convert a Rez config file (``rezconfig.py`` or YAML ``.rezconfig``) to pkg's TOML.

>>> print(rezconfig_to_toml('''
... packages_path = ["~/packages", "/studio/packages"]
... release_hooks = ModifyList(append=["emailer"])
... cache_packages_path = None
... plugins = {"release_vcs": {"git": {"allow_no_upstream": True}}}
... ''', "rezconfig.py"))
packages_path = ["~/packages", "/studio/packages"]
release_hooks = { append = ["emailer"] }
cache_packages_path = { null = true }
<BLANKLINE>
[plugins.release_vcs.git]
allow_no_upstream = true
<BLANKLINE>

Names starting with ``_``, modules and imported classes are not settings and are left
out; every other name must be a setting pkg knows, with a value it accepts (the result is
checked by loading it).  ``ModifyList`` becomes the ``{ prepend, append }`` table and
``None`` becomes ``{ null = true }``, as in pkg's config files.  Python functions as values
(``package_preprocess_function``) and ``DelayLoad`` cannot be converted: name the
function as a ``"module.function"`` string instead.
"""

from __future__ import annotations

import json
import math
import re
import types
from typing import TYPE_CHECKING, Any

from pkg.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["read_rezconfig", "rezconfig_to_toml", "toml_text"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class _ModifyList:
    """Rez's ``ModifyList``, as a config file builds it."""

    def __init__(self, prepend: list[object] | None = None, append: list[object] | None = None):
        self.prepend = prepend
        self.append = append


class _DelayLoad:
    def __init__(self, filepath: str) -> None:
        self.filepath = filepath


def read_rezconfig(text: str, filename: str) -> dict[str, object]:
    """The settings of a Rez config file's ``text``, in pkg's config-file shape.

    Raises:
        ConfigError: the file does not run or parse, or holds a value TOML cannot hold.
    """
    if filename.endswith((".yaml", ".yml")) or (not filename.endswith(".py") and _looks_yaml(text)):
        from pkg.packages._yaml import load_yaml

        try:
            data = load_yaml(text)
        except ValueError as error:
            raise ConfigError(f"invalid YAML: {error}", source=filename) from None
        if not isinstance(data, dict):
            raise ConfigError("a config file must be a mapping", source=filename)
        namespace: dict[str, object] = dict(data)
    else:
        namespace = {"ModifyList": _ModifyList, "DelayLoad": _DelayLoad}
        try:
            exec(compile(text, filename, "exec"), namespace)
        except Exception as error:  # any error of the file's own code
            raise ConfigError(f"{type(error).__name__}: {error}", source=filename) from None
    out: dict[str, object] = {}
    for key, value in namespace.items():
        if key.startswith("_") or isinstance(value, types.ModuleType | type):
            continue
        out[key] = _convert(value, key, filename)
    return out


def _looks_yaml(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(re.match(r"\s*[A-Za-z_][\w.]*\s*:", first))


def _convert(value: object, key: str, filename: str) -> object:
    if value is None:
        return {"null": True}
    if isinstance(value, _ModifyList):
        table: dict[str, object] = {}
        if value.prepend is not None:
            table["prepend"] = _convert(list(value.prepend), key, filename)
        if value.append is not None:
            table["append"] = _convert(list(value.append), key, filename)
        return table
    if isinstance(value, _DelayLoad):
        raise ConfigError(
            f"DelayLoad({value.filepath!r}) cannot be converted: copy the file's content "
            "into the setting",
            key_path=key,
            source=filename,
        )
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(f"{value} cannot be written in TOML", key_path=key, source=filename)
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_convert(item, key, filename) for item in items]
    if isinstance(value, dict):
        return {str(k): _convert(v, f"{key}.{k}", filename) for k, v in value.items()}
    raise ConfigError(
        f"a {type(value).__name__} value cannot be converted (use a 'module.function' "
        "string for functions)",
        key_path=key,
        source=filename,
    )


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, bool | int | float | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"not a TOML value: {value!r}")


def _is_section(value: object) -> bool:
    """A table written as a ``[section]`` (not inline): a non-empty mapping that is not a
    list edit or a null."""
    return (
        isinstance(value, dict)
        and bool(value)
        and value != {"null": True}
        and not set(value) <= {"prepend", "append"}
    )


def toml_text(data: Mapping[str, Any]) -> str:
    """``data`` as a TOML document: plain keys first, then one ``[section]`` per table."""
    lines: list[str] = []

    def table(prefix: str, values: Mapping[str, Any]) -> None:
        plain = [(k, v) for k, v in values.items() if not _is_section(v)]
        nested = [(k, v) for k, v in values.items() if _is_section(v)]
        if prefix and plain:
            lines.extend(["", f"[{prefix}]"])
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in plain)
        for k, v in nested:
            table(f"{prefix}.{_key(k)}" if prefix else _key(k), v)

    table("", data)
    return "\n".join(lines).lstrip("\n") + "\n"


def rezconfig_to_toml(text: str, filename: str) -> str:
    """The TOML config file equivalent to the Rez config file ``text``.

    Raises:
        ConfigError: the file cannot be read, a value cannot be converted, or pkg does
            not accept the result (unknown setting, wrong type); the message names the
            file and the key.
    """
    import tomllib

    from pkg.config import load_config

    data = read_rezconfig(text, filename)
    toml = toml_text(data)
    parsed = tomllib.loads(toml)
    try:
        load_config(environ={}, overrides=parsed)
    except ConfigError as error:
        # the overrides' label is "command line": name the converted file instead
        raise ConfigError(str(error).replace(error.source, filename, 1)) from None
    return toml
