"""Writing package.py files: Rez's layout, round trips and atomic writes."""

from __future__ import annotations

import os
import stat
from typing import TYPE_CHECKING

import pytest

from pkg.packages import dump_package_py, load_definition, write_package_py, yaml_to_py

if TYPE_CHECKING:
    from pathlib import Path

    from tests.packages.conftest import WriteFile


def test_key_order_and_layout() -> None:
    text = dump_package_py(
        {"custom": 1, "requires": ["a", "b"], "version": "1.0", "name": "foo",
         "description": "short", "tools": ["t"], "uuid": None}
    )  # fmt: skip
    assert text == (
        "# -*- coding: utf-8 -*-\n\n"
        "name = 'foo'\n\n"
        "version = '1.0'\n\n"
        "description = 'short'\n\n"
        "tools = ['t']\n\n"
        "requires = [\n    'a',\n    'b'\n]\n\n"
        "custom = 1\n"
    )


def test_block_strings_and_string_commands() -> None:
    text = dump_package_py(
        {"name": "foo", "description": "x" * 41 + "\nsecond line", "commands": "env.A = 1\n"}
    )
    assert 'description = \\\n    """\n    ' + "x" * 41 + '\n    second line\n    """' in text
    assert "def commands():\n    env.A = 1\n" in text


@pytest.mark.parametrize(
    "text",
    [
        "name = 'foo'\nversion = '2'\nrequires = ['a-1+', '!b']\nvariants = [['c'], ['d']]\n",
        "name = 'foo'\ndescription = '''\n" + "long " * 20 + "\n'''\n",
        "name = 'foo'\nwith scope('config') as c:\n    c.a.b = [1]\n"
        "    m = ModifyList(append=[2])\n",
        "name = 'foo'\n@include('m')\n@late()\ndef tools():\n    return []\n"
        "def commands():\n    env.A = '{root}'\n",
        "name = 'foo'\ntests = {'unit': {'command': 'x', 'requires': ['a']}}\n"
        "help = [['a', 'b']]\n",
    ],
)
def test_round_trip(write: WriteFile, tmp_path: Path, text: str) -> None:
    first = load_definition(write(text))
    out = tmp_path / "out" / "package.py"
    out.parent.mkdir()
    write_package_py(out, first.data)
    second = load_definition(out)
    strip = {"filepath", "lineno"}

    def normal(data: object) -> object:
        from pkg.packages import SourceCode

        if isinstance(data, SourceCode):
            return (data.source, data.name, data.decorator, data.includes)
        if isinstance(data, dict):
            return {k: normal(v) for k, v in data.items() if k not in strip}
        return data

    assert normal(dict(second.data)) == normal(dict(first.data))


def test_atomic_write_leaves_nothing_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "package.py"
    target.write_text("name = 'old'\n")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_package_py(target, {"name": "new"})
    assert target.read_text() == "name = 'old'\n"
    assert [p.name for p in tmp_path.iterdir()] == ["package.py"]


def test_atomic_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "package.py"
    target.write_text("name = 'old'\n")
    write_package_py(target, {"name": "new"})
    assert load_definition(target).data == {"name": "new"}
    assert [p.name for p in tmp_path.iterdir()] == ["package.py"]


def test_yaml_to_py(write: WriteFile) -> None:
    path = write("name: foo\nversion: '1'\ncommands: |\n  env.A = 1\n", "package.yaml")
    assert yaml_to_py(path) == (
        "# -*- coding: utf-8 -*-\n\nname = 'foo'\n\nversion = '1'\n\n"
        "def commands():\n    env.A = 1\n"
    )


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_written_definitions_are_read_only_for_everyone(tmp_path: Path) -> None:
    # as Rez installs them; a private temporary file must not stay private once renamed
    target = tmp_path / "package.py"
    write_package_py(target, {"name": "foo", "version": "1.0"})
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    write_package_py(target, {"name": "foo", "version": "1.1"})  # replaces a read-only file
    assert "1.1" in target.read_text()
