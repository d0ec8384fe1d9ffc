"""Writing package definitions back out as ``package.py`` source, the way Rez lays it out."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from pprint import pformat

from pkg.packages._code import SourceCode
from pkg.packages._schema import KEY_ORDER
from pkg.packages.definition import load_definition

__all__ = ["dump_package_py", "write_package_py", "yaml_to_py"]

_HEADER = "# -*- coding: utf-8 -*-\n"
_REX_KEYS = frozenset(
    {"pre_commands", "commands", "post_commands", "pre_build_commands", "pre_test_commands"}
)
_BLOCK_KEYS = frozenset({"description", "changelog"})
_BLOCK_MIN = 40


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.split("\n"))


def _block_string(text: str) -> str:
    lines = [json.dumps(line, ensure_ascii=False)[1:-1].rstrip() for line in text.split("\n")]
    return '"""\n' + "\n".join(lines) + '\n"""'


def _attributes_code(values: Mapping[str, object]) -> list[str]:
    """``a.b = 1``-style lines that rebuild a nested dict inside ``with scope(...)``."""
    lines: list[str] = []
    for key, value in values.items():
        if isinstance(value, Mapping) and value:
            lines.extend(f"{key}.{line}" for line in _attributes_code(value))
            continue
        text = pformat(value)
        if "\n" in text:
            lines.append(f"{key} = \\")
            lines.extend(_indent(text).split("\n"))
        else:
            lines.append(f"{key} = {text}")
    return lines


def _item(key: str, value: object) -> str:
    if key in _BLOCK_KEYS and isinstance(value, str) and len(value) > _BLOCK_MIN:
        return f"{key} = \\\n{_indent(_block_string(value))}"
    if key == "config" and isinstance(value, Mapping):
        body = "\n".join(_attributes_code({"config": value})) or "pass"
        return f"with scope('config') as config:\n{_indent(body)}"
    if isinstance(value, SourceCode):
        return value.to_text(key)
    if key in _REX_KEYS and isinstance(value, str):
        return f"def {key}():\n{_indent(value.strip(chr(10)) or 'pass')}"
    if isinstance(value, list) and len(value) > 1:
        lines = [f"{key} = ["]
        for index, entry in enumerate(value):
            entry_lines = pformat(entry).split("\n")
            if index < len(value) - 1:
                entry_lines[-1] += ","
            lines.extend("    " + line for line in entry_lines)
        lines.append("]")
        return "\n".join(lines)
    text = pformat(value)
    if "\n" in text:
        return f"{key} = \\\n{_indent(text)}"
    return f"{key} = {text}"


def dump_package_py(data: Mapping[str, object]) -> str:
    """``package.py`` source for ``data``, in Rez's layout.

    Keys come in Rez's order (name, version, description, authors, tools, ... see
    :data:`KEY_ORDER`), then the other keys in their own order; None values are left out.
    Functions are written back as their source (with their decorators), rex commands
    given as strings become ``def commands():`` functions, and a description or changelog
    longer than 40 characters becomes a triple-quoted block.
    """
    items = {key: value for key, value in data.items() if value is not None}
    ordered = [key for key in KEY_ORDER if key in items]
    ordered += [key for key in items if key not in KEY_ORDER]
    return _HEADER + "\n" + "\n\n".join(_item(key, items[key]) for key in ordered) + "\n"


def write_package_py(path: Path, data: Mapping[str, object]) -> None:
    """Write :func:`dump_package_py` output to ``path`` atomically, read-only for everyone
    (``r--r--r--``, as Rez installs definitions; not on Windows).

    The text goes to a temporary file in the same directory, which then replaces
    ``path``; on any failure the temporary file is removed and ``path`` is untouched.
    """
    text = dump_package_py(data)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if os.name != "nt":
            # the temporary file is private (0600); a repository is read by everyone
            os.chmod(handle.name, 0o444)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def yaml_to_py(path: Path) -> str:
    """The ``package.py`` equivalent of the ``package.yaml`` at ``path`` (``pkg yaml2py``)."""
    return dump_package_py(load_definition(path).data)
