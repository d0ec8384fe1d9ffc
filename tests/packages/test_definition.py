"""Loading package.py / package.yaml: globals, decorators, validation errors, JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from pkg.errors import PackageDefinitionError
from pkg.packages import (
    ModifyList,
    PackageDefinition,
    SourceCode,
    find_definition_file,
    load_definition,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.packages.conftest import WriteFile


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name = 'foo'\n", {"name": "foo"}),
        ("name = 'foo'\nversion = '1.2'\n", {"name": "foo", "version": "1.2"}),
        ("name = 'foo'\nversion = ''\n", {"name": "foo"}),
        ("name = 'foo'\nrequires = ('a', 'b-1+')\n", {"name": "foo", "requires": ["a", "b-1+"]}),
        ("name = 'foo'\ndescription = '''\n    two\n    lines\n'''\n",
         {"name": "foo", "description": "two\nlines"}),
        ("import os\nname = 'foo'\n__x = 1\n", {"name": "foo"}),
        ("name = 'foo'\ndef helper():\n    return 1\nx = helper()\n", {"name": "foo", "x": 1}),
        ("name = 'foo'\nwith scope('config') as c:\n    a = 1\n    c.b.c = 2\n",
         {"name": "foo", "config": {"a": 1, "b": {"c": 2}}}),
        ("name = 'foo'\nwith scope('config'):\n    l = ModifyList(append=['x'])\n",
         {"name": "foo", "config": {"l": ModifyList(append=("x",))}}),
        ("name = 'foo'\n@early()\ndef tools():\n    return [this.name]\n",
         {"name": "foo", "tools": ["foo"]}),
        ("name = 'foo'\n@early()\ndef b():\n    return building\n", {"name": "foo", "b": False}),
        ("name = 'foo'\n@early()\ndef d(data):\n    return data['name']\n",
         {"name": "foo", "d": "foo"}),
        ("name = 'foo'\ndef preprocess(this, data):\n    pass\n", {"name": "foo"}),
    ],
)  # fmt: skip
def test_python_definitions(write: WriteFile, text: str, expected: dict[str, object]) -> None:
    assert dict(load_definition(write(text)).data) == expected


def test_rex_late_and_include_functions(write: WriteFile) -> None:
    path = write(
        """
        name = 'foo'

        @include('mod_a', 'mod_b')
        @late()
        def tools():
            return ['x']

        def commands() -> None:
        # comment at column 0
            env.PATH.append('{root}/bin')
        """
    )
    data = load_definition(path).data
    tools, commands = data["tools"], data["commands"]
    assert isinstance(tools, SourceCode)
    assert (tools.name, tools.lineno, tools.decorator, tools.includes) == (
        "tools",
        5,
        "late",
        ("mod_a", "mod_b"),
    )
    assert tools.source == "def tools():\n    return ['x']"
    assert isinstance(commands, SourceCode)
    assert commands.decorator is None
    assert commands.body() == "# comment at column 0\nenv.PATH.append('{root}/bin')"


def test_preprocess_kept_when_building(write: WriteFile) -> None:
    path = write("name = 'foo'\ndef preprocess(this, data):\n    data['x'] = 1\n")
    code = load_definition(path, building=True).data["preprocess"]
    assert isinstance(code, SourceCode)
    assert code.body() == "data['x'] = 1"


def test_early_bindings(write: WriteFile) -> None:
    path = write("name = 'foo'\n@early()\ndef v():\n    return build_variant_index\n")
    assert load_definition(path, early_bindings={"build_variant_index": 3}).data["v"] == 3


@pytest.mark.parametrize(
    ("text", "line", "attribute", "fragment"),
    [
        ("name = 'foo'\nx = (\n", 2, "", "syntax error"),
        ("version = '1'\n", None, "name", "no 'name'"),
        ("name = 'foo-bar'\n", 1, "name", "invalid package name"),
        ("name = 'foo'\nversion = '1..2'\n", 2, "version", "invalid version"),
        ("name = 'foo'\nversion = 1\n", 2, "version", "expected a version string"),
        ("name = 'foo'\n\nrequires = ['a', 'b-1+<<']\n", 3, "requires", "invalid request"),
        ("name = 'foo'\nrequires = 'a'\n", 2, "requires", "list of requests"),
        ("name = 'foo'\nvariants = [['a'], 'b']\n", 2, "variants", "list of requests"),
        ("name = 'foo'\n@late()\ndef commands():\n    pass\n", 3, "commands", "@late()"),
        ("name = 'foo'\nx = object()\n", 2, "x", "cannot be stored"),
        ("name = 'foo'\nx = 1 / 0\n", 2, "x", "ZeroDivisionError"),
        ("name = 'foo'\n@early()\ndef t(a, b):\n    pass\n", 3, "t", "zero or one"),
        ("name = 'foo'\n@early()\ndef t():\n    raise InvalidPackageError('no')\n", 4, "t", "no"),
        ("name = 'foo'\nhas_plugins = 'yes'\n", 2, "has_plugins", "True or False"),
    ],
)  # fmt: skip
def test_python_errors(
    write: WriteFile, text: str, line: int | None, attribute: str, fragment: str
) -> None:
    path = write(text)
    with pytest.raises(PackageDefinitionError) as info:
        load_definition(path)
    error = info.value
    assert (error.filepath, error.line, error.attribute) == (str(path), line, attribute)
    assert fragment in str(error)
    assert str(path) in str(error)


def test_unreadable_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(PackageDefinitionError, match="cannot read"):
        load_definition(tmp_path / "package.py")
    with pytest.raises(PackageDefinitionError, match="unknown definition format"):
        load_definition(tmp_path / "package.txt")


def test_include_needs_configured_path_when_building(write: WriteFile) -> None:
    path = write("name = 'foo'\n@include('m')\ndef commands():\n    pass\n")
    load_definition(path)
    with pytest.raises(PackageDefinitionError, match="package_definition_python_path"):
        load_definition(path, building=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: foo\nversion: '1.0'\n", {"name": "foo", "version": "1.0"}),
        ("name: foo\nrequires:\n- a\n- 'b-1+'\n", {"name": "foo", "requires": ["a", "b-1+"]}),
        ("name: foo\nvariants:\n- [ 'x-1' ]\n- [y]\n",
         {"name": "foo", "variants": [["x-1"], ["y"]]}),
        ("name: foo\ndescription: >\n    a b\n    c\n", {"name": "foo", "description": "a b c"}),
        ("name: foo\ncommands: |\n  env.A = 1\n", {"name": "foo", "commands": "env.A = 1\n"}),
        ("name: foo  # c\nhashed_variants: yes\n", {"name": "foo", "hashed_variants": True}),
    ],
)  # fmt: skip
def test_yaml_definitions(write: WriteFile, text: str, expected: dict[str, object]) -> None:
    assert dict(load_definition(write(text, "package.yaml")).data) == expected


@pytest.mark.parametrize(
    ("text", "line", "attribute"),
    [
        ("name: foo\nversion: 1.0\n", 2, "version"),
        ("name: foo\nrequires: [a, 'b-+<']\n", 2, "requires"),
        ("name: foo\nx: &anchor 1\n", 2, ""),
        ("name: foo\nx: 'open\n", 2, ""),
        ("- a\n", None, ""),
    ],
)
def test_yaml_errors(write: WriteFile, text: str, line: int | None, attribute: str) -> None:
    path = write(text, "package.yaml")
    with pytest.raises(PackageDefinitionError) as info:
        load_definition(path)
    assert (info.value.line, info.value.attribute) == (line, attribute)


def test_find_definition_file(tmp_path: Path) -> None:
    assert find_definition_file(tmp_path) is None
    (tmp_path / "package.yaml").write_text("name: a\n")
    assert find_definition_file(tmp_path) == tmp_path / "package.yaml"
    (tmp_path / "package.py").write_text("name = 'a'\n")
    assert find_definition_file(tmp_path) == tmp_path / "package.py"


def test_json_round_trip(write: WriteFile) -> None:
    path = write(
        """
        name = 'foo'
        version = '1.0'
        requires = ['a']
        with scope('config'):
            hooks = ModifyList(prepend=['p'])
        @late()
        def tools():
            return []
        def commands():
            env.A = 1
        """
    )
    definition = load_definition(path)
    encoded = json.loads(json.dumps(definition.to_json()))
    assert PackageDefinition.from_json(encoded) == definition


def test_old_style_commands_load_but_cannot_be_used(tmp_path: Path) -> None:
    """Rez-1 list commands: the package loads (and lists), its commands are refused."""
    from pkg.packages import Package, RepositoryRef

    path = tmp_path / "package.py"
    path.write_text("name = 'foo'\ncommands = ['export A=1']\n")
    definition = load_definition(path)
    assert definition.data["commands"] == ["export A=1"]
    package = Package(definition, RepositoryRef("filesystem", str(tmp_path)), base=str(tmp_path))
    with pytest.raises(PackageDefinitionError, match="old-style") as info:
        _ = package.commands
    assert info.value.attribute == "commands"
    assert str(path) in str(info.value)
    with pytest.raises(PackageDefinitionError, match="old-style"):
        package.validate()


def test_repository_name_replaces_the_file_name(tmp_path: Path) -> None:
    """An installed package is named by its directory, as in Rez, even if its file is off."""
    path = tmp_path / "package.py"
    path.write_text("name = 'testing obj'\nversion = '1.0'\n")
    with pytest.raises(PackageDefinitionError, match="invalid package name"):
        load_definition(path)
    assert load_definition(path, name="testing_obj").data["name"] == "testing_obj"


@pytest.mark.parametrize(
    "body",
    [
        "version = '1.0'\nrequires = ['a-1+<2', '~b']\nvariants = [['c'], ['d-2', 'e']]\n",
        "requires = []\ndescription = 'no version'\n",
        "version = '2'\n@late()\ndef requires():\n    return ['a']\n",
        "version = '2'\nvariants = []\nauthors = ['x']\ndef commands():\n    env.A = 1\n",
    ],
)
def test_record_round_trip(write: WriteFile, body: str) -> None:
    """to_record/from_record: equal data in the same order, requests read without
    decoding the rest, and the record is a flat list of strings, False and None."""
    from pkg.packages import Package

    definition = load_definition(write("name = 'foo'\n" + body))
    record = json.loads(json.dumps(definition.to_record()))
    assert all(type(x) is str or x is None or x is False for x in record)
    again = PackageDefinition.from_record(tuple(record))
    assert list(again.data) == list(definition.data)
    assert dict(again.data) == dict(definition.data)
    assert again == definition
    for key in ("name", "version", "requires", "variants", "missing"):
        fresh = PackageDefinition.from_record(record)
        assert (key in fresh.data) == (key in definition.data)
        assert fresh.data.get(key, 0) == definition.data.get(key, 0)
    assert Package(again).requires == Package(definition).requires
    assert Package(again).variants == Package(definition).variants
