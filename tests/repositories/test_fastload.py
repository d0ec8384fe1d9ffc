"""The ast fast path gives exactly what executing the package.py gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from pkg.errors import PackageDefinitionError
from pkg.packages import load_definition
from pkg.repositories._fastload import load_definition_fast, parse_simple

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
}

NOT_SIMPLE = {
    "import": "import os\nname = 'foo'\n",
    "call": "name = 'foo'\nrequires = list(['a'])\n",
    "scope": "name = 'foo'\nwith scope('config') as c:\n    c.x = 1\n",
    "decorated": "name = 'foo'\n@late()\ndef tools():\n    return []\n",
    "injected": "name = 'foo'\nscope = 1\n",
    "if": "name = 'foo'\nif True:\n    x = 1\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_same_result(tmp_path: Path, text: str) -> None:
    path = tmp_path / "package.py"
    path.write_text(text)
    assert parse_simple(text, str(path)) is not None
    assert load_definition_fast(str(path)) == load_definition(path)


@pytest.mark.parametrize("text", NOT_SIMPLE.values(), ids=NOT_SIMPLE.keys())
def test_falls_back(tmp_path: Path, text: str) -> None:
    path = tmp_path / "package.py"
    path.write_text(text)
    assert parse_simple(text, str(path)) is None
    assert load_definition_fast(str(path)) == load_definition(path)


@pytest.mark.parametrize(
    "text",
    [
        "requires = ['a']\n",
        "name = 'bad name'\n",
        "name = 'foo'\nrequires = ['@@']\n",
        "name = 'foo'\nversion = 1.5\n",
        "name = 'foo'\ny = {1, 2}\n",
    ],
)
def test_errors_are_the_slow_paths(tmp_path: Path, text: str) -> None:
    path = tmp_path / "package.py"
    path.write_text(text)
    with pytest.raises(PackageDefinitionError) as slow:
        load_definition(path)
    with pytest.raises(PackageDefinitionError) as fast:
        load_definition_fast(str(path))
    assert str(fast.value) == str(slow.value)


def _rez_package_files() -> list[Path]:
    try:
        import rez
    except ImportError:
        return []
    data = Path(rez.__file__).parent / "data" / "tests"
    return sorted(p for p in data.rglob("package.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", _rez_package_files(), ids=str)
def test_rez_test_packages(path: Path) -> None:
    try:
        expected = load_definition(path)
    except PackageDefinitionError as error:
        message = str(error)
    else:
        assert load_definition_fast(str(path)) == expected
        return
    with pytest.raises(PackageDefinitionError) as fast:
        load_definition_fast(str(path))
    assert str(fast.value) == message
