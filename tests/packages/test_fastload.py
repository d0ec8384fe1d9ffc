"""The fast path of ``load_definition`` (simple files read from their syntax tree) gives
exactly what executing the package.py gives."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest

from pkg.errors import PackageDefinitionError
from pkg.packages import PackageDefinition, _fastload, load_definition
from pkg.packages._fastload import parse_simple

if TYPE_CHECKING:
    from pathlib import Path

CASES = {
    "plain": "name = 'foo'\nversion = '1.0'\nrequires = ['bar-1+', '~baz']\n",
    "docstring": '"""Doc."""\nname = "foo"\ndescription = """\n  long\n  text\n"""\n',
    "commands": "name = 'foo'\ndef commands():\n    env.PATH.append('{root}/bin')\n\n    # c\n",
    "helper": "name = 'foo'\ndef helper():\n    return 1\ntools = ['a']\n",
    "nested": (
        "name = 'foo'\nconfig = {'a': {'b': [1, 2.5, None, True]}}\nvariants = [['a'], ['b']]\n"
    ),
    "tuple": "name = 'foo'\nrequires = ('a', 'b')\n",
    "negative": "name = 'foo'\nx = -1\ny = 1e3\n",
    "reassigned": "name = 'foo'\ntools = ['a']\ntools = ['b']\n",
    "dunder": "name = 'foo'\n__x = 1\n",
    "pre_post": "name = 'foo'\ndef pre_commands():\n    pass\ndef post_commands():\n    pass\n",
    "preprocess": "name = 'foo'\ndef preprocess(this, data):\n    pass\n",
    "crlf": "name = 'foo'\r\ndef commands():\r\n    env.A = 1\r\n",
}

NOT_SIMPLE = {
    "import": "import os\nname = 'foo'\n",
    "call": "name = 'foo'\nrequires = list(['a'])\n",
    "scope": "name = 'foo'\nwith scope('config') as c:\n    c.x = 1\n",
    "decorated": "name = 'foo'\n@late()\ndef tools():\n    return []\n",
    "injected": "name = 'foo'\nscope = 1\n",
    "if": "name = 'foo'\nif True:\n    x = 1\n",
}


def executed(path: Path, *, building: bool = False) -> PackageDefinition:
    """``load_definition`` with the fast path turned off: the file is always executed."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_fastload, "parse_simple", lambda *_args: None)
        patch.setattr("pkg.packages.definition.parse_simple", lambda *_args: None)
        return load_definition(path, building=building)


def simple(path: Path) -> tuple[dict[str, object], dict[str, int]] | None:
    text = path.read_text()
    return parse_simple(ast.parse(text, str(path)), text, str(path))


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_result(tmp_path: Path, text: str) -> None:
    path = tmp_path / "package.py"
    path.write_bytes(text.encode())
    assert simple(path) is not None
    assert load_definition(path) == executed(path)
    assert load_definition(str(path), content=text.encode()) == executed(path)


@pytest.mark.parametrize("text", NOT_SIMPLE.values(), ids=NOT_SIMPLE.keys())
def test_falls_back(tmp_path: Path, text: str) -> None:
    path = tmp_path / "package.py"
    path.write_text(text)
    assert simple(path) is None
    assert load_definition(path) == executed(path)


def test_building_keeps_preprocess(tmp_path: Path) -> None:
    path = tmp_path / "package.py"
    path.write_text(CASES["preprocess"])
    assert "preprocess" not in load_definition(path).data
    assert "preprocess" in load_definition(path, building=True).data


@pytest.mark.parametrize(
    "text",
    [
        "requires = ['a']\n",
        "name = 'bad name'\n",
        "name = 'foo'\nrequires = ['@@']\n",
        "name = 'foo'\nversion = 1.5\n",
        "name = 'foo'\ny = {1, 2}\n",
        "name = 'foo'\nrequires = [\n",
        "name = 'foo'\nreturn 1\n",
        "name = 'foo'\0\n",
    ],
)
def test_errors_are_the_slow_paths(tmp_path: Path, text: str) -> None:
    path = tmp_path / "package.py"
    path.write_text(text)
    with pytest.raises(PackageDefinitionError) as slow:
        executed(path)
    with pytest.raises(PackageDefinitionError) as fast:
        load_definition(path)
    assert str(fast.value) == str(slow.value)


def _rez_package_files() -> list[Path]:
    try:
        import rez
    except ImportError:
        return []
    from pathlib import Path

    data = Path(rez.__file__).parent / "data" / "tests"
    return sorted(p for p in data.rglob("package.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _rez_package_files(), ids=str)
def test_rez_test_packages(path: Path) -> None:
    try:
        expected = executed(path)
    except PackageDefinitionError as error:
        message = str(error)
    else:
        assert load_definition(path) == expected
        return
    with pytest.raises(PackageDefinitionError) as fast:
        load_definition(path)
    assert str(fast.value) == message
