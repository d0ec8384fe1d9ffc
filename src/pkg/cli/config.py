"""``pkg config``: print the configuration, like ``rez-config``."""

from __future__ import annotations

import json
import re

import click

__all__ = ["config_command", "render_yaml"]

# Scalars that a YAML reader would not read back as the same string.
_YAML_SPECIAL = re.compile(
    r"""^(?:
        ~|null|Null|NULL|true|True|TRUE|false|False|FALSE
        |y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF
        |[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?
        |0[xo][0-9a-fA-F_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
    )$""",
    re.VERBOSE,
)
_YAML_INDICATORS = frozenset("?:,[]{}#&*!|>'\"%@`")


def _yaml_scalar(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if "\n" in text or any(ord(char) < 32 for char in text):
        return json.dumps(text)
    needs_quotes = (
        not text
        or text != text.strip()
        or text[0] in _YAML_INDICATORS
        or (text[0] == "-" and (len(text) == 1 or text[1] == " "))
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or _YAML_SPECIAL.match(text) is not None
    )
    if needs_quotes:
        return "'" + text.replace("'", "''") + "'"
    return text


def _yaml_lines(value: object, indent: str) -> list[str]:
    lines: list[str] = []
    if isinstance(value, dict):
        for key in sorted(value):
            item = value[key]
            head = f"{indent}{_yaml_scalar(key)}:"
            if isinstance(item, dict | list) and item:
                lines.append(head)
                lines.extend(_yaml_lines(item, indent if isinstance(item, list) else indent + "  "))
            else:
                lines.append(f"{head} {_yaml_inline(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _yaml_lines(item, indent + "  ")
                lines.append(f"{indent}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            else:
                lines.append(f"{indent}- {_yaml_inline(item)}")
    else:
        lines.append(indent + _yaml_scalar(value))
    return lines


def _yaml_inline(value: object) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _yaml_scalar(value)


def render_yaml(data: object) -> str:
    """Block-style YAML with sorted keys, as ``rez-config`` prints (no trailing newline)."""
    if isinstance(data, dict | list) and not data:
        return _yaml_inline(data)
    return "\n".join(_yaml_lines(data, ""))


@click.command(name="config")
@click.argument("field", metavar="FIELD", required=False)
@click.option("--json", "as_json", is_flag=True, help="Output dict/list field values as JSON.")
@click.option(
    "--search-list", is_flag=True, help="List the config files searched, lowest precedence first."
)
@click.option(
    "--source-list", is_flag=True, help="List the config files loaded, lowest precedence first."
)
@click.option(
    "--import-rezconfig",
    "rezconfig",
    metavar="FILE",
    help="Print the Rez config file FILE (rezconfig.py or YAML) as a pkg TOML config file.",
)
def config_command(
    field: str | None,
    as_json: bool,
    search_list: bool,
    source_list: bool,
    rezconfig: str | None,
) -> None:
    """Print the configuration, or the setting FIELD (a dotted path such as
    plugins.release_vcs.tag_name)."""
    import os
    from pathlib import Path

    from pkg.config import SystemInfo, expand_late, load_config, to_plain

    if rezconfig:
        from pkg.api.rezconfig import rezconfig_to_toml
        from pkg.errors import ConfigError

        try:
            with open(rezconfig, encoding="utf-8") as stream:
                text = stream.read()
        except OSError as error:
            raise ConfigError(f"cannot read it: {error.strerror}", source=rezconfig) from None
        click.echo(rezconfig_to_toml(text, rezconfig), nl=False)
        return

    config = load_config()
    if search_list or source_list:
        for path in config.search_list if search_list else config.source_list:
            click.echo(str(path))
        return
    data = to_plain(config.get(field)) if field else config.to_dict()
    # the release hooks' {system.fqdn} and {system.domain}, as the hooks will read them
    data = expand_late(data, SystemInfo(os.environ, Path.home(), config.platform_map))
    if isinstance(data, dict | list):
        click.echo(json.dumps(data) if as_json else render_yaml(data))
    else:
        click.echo(str(data))
