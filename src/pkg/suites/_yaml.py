"""Reading and writing ``suite.yaml`` in the form Rez 3.4.0 reads and writes.

pkg has no YAML library, so this module writes the one shape a suite file has (a
``contexts`` mapping of mappings, ``hidden_tools`` tagged ``!!set`` as PyYAML writes a
Python set) and reads it back with the package-definition YAML reader once the ``!!set``
tags are dropped (a set is written as a mapping whose values are null).

>>> text = dump_suite_yaml({"contexts": {"a": {"name": "a", "hidden_tools": {"x"},
...     "priority": 1, "prefix_char": None, "tool_aliases": {"m": "yes"}}}})
>>> print(text, end="")
contexts:
  a:
    hidden_tools: !!set
      x: null
    name: a
    prefix_char: null
    priority: 1
    tool_aliases:
      m: 'yes'
>>> load_suite_yaml(text)["contexts"]["a"]["tool_aliases"]
{'m': 'yes'}
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from pkg.packages._yaml import YamlError, load_yaml

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["YamlError", "dump_suite_yaml", "load_suite_yaml", "yaml_scalar"]

#: Plain scalars that YAML 1.1 would read as something other than the same string.
_SPECIAL = re.compile(r"(?i:y|n|yes|no|true|false|on|off|null|~|)$|[-+]?(\.|\d|0x|0b)|\.(inf|nan)$")
_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./\-]*")
#: A ``!!set`` tag written before a value.
_SET_TAG = re.compile(r"(:[ \t]+)!!set(?=[ \t]|$)", re.MULTILINE)


def yaml_scalar(value: object) -> str:
    """``value`` (None, bool, int or str) as a YAML scalar that reads back the same.

    >>> [yaml_scalar(v) for v in (None, True, 3, "maya", "x:", "it's", "no", "a\\nb")]
    ['null', 'true', '3', 'maya', "'x:'", "'it''s'", "'no'", '"a\\\\nb"']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not _SPECIAL.match(text):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text)


def _dump(value: object, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, (set, frozenset)):
        value = dict.fromkeys(sorted(value))
    assert isinstance(value, dict)
    for key in sorted(value):
        item = value[key]
        head = f"{pad}{yaml_scalar(key)}:"
        if isinstance(item, (set, frozenset)):
            if item:
                out.append(f"{head} !!set")
                _dump(item, indent + 2, out)
            else:
                out.append(f"{head} !!set {{}}")
        elif isinstance(item, dict):
            if item:
                out.append(head)
                _dump(item, indent + 2, out)
            else:
                out.append(f"{head} {{}}")
        else:
            out.append(f"{head} {yaml_scalar(item)}")


def dump_suite_yaml(data: Mapping[str, object]) -> str:
    """``data`` (nested mappings of scalars, with sets) as YAML text, keys sorted."""
    out: list[str] = []
    _dump(dict(data), 0, out)
    return "\n".join(out) + "\n"


def load_suite_yaml(text: str) -> dict[str, object]:
    """Read the text of a ``suite.yaml`` (pkg's or Rez's).

    Raises:
        YamlError: the text is not such a file.
    """
    data = load_yaml(_SET_TAG.sub(r"\1", text))
    if not isinstance(data, dict):
        raise YamlError("a suite file is a mapping", 1)
    return data
