"""SourceCode bodies: the header of a one-line ``def`` is found without tokenizing, with
the same answer as the tokenizer gives."""

from __future__ import annotations

import io
import tokenize

import pytest

from pkg.packages import SourceCode
from pkg.packages._code import _SIMPLE_HEADER, _header_end


def _tokenized_end(source: str) -> tuple[int, int] | None:
    """Where the tokenizer says the ``def`` header ends (the slow path's answer)."""
    depth = 0
    seen_def = False
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and tok.string == "def":
            seen_def = True
        elif tok.type == tokenize.OP and seen_def:
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
            elif tok.string == ":" and depth == 0:
                return tok.end[0] - 1, tok.end[1]
    return None


SIMPLE = [
    "def commands():\n    env.PATH.append('{root}/bin')\n",
    "def commands() -> None:\n    pass",
    "def commands():  # a comment\n    pass\n",
    "def commands(): env.X = 1",
    "def preprocess(this, data):\n    data['x'] = 1",
    "def f(x: int = 1, *args, **kwargs) -> int | None:\n    return x",
    "def f(x=lambda: 1):\n  pass",
    "  def f():\n  pass",
    "def\tf\t( ) :\n\tpass",
]

#: Headers the fast path leaves to the tokenizer.
OTHER = [
    "def f(x=(1, 2)):\n    pass",
    "def f(x='a:b'):\n    pass",
    "def f(\n    x,\n):\n    pass",
    "def f(x) -> dict[str, int]:\n    pass",
    "def f(x={}):\n  pass",
    "def f(x, \\\n      y):\n  pass",
    "def f(\r):\n    pass",
]


@pytest.mark.parametrize("source", SIMPLE)
def test_simple_headers_match_the_tokenizer(source: str) -> None:
    assert _SIMPLE_HEADER.match(source) is not None
    assert _header_end(source) == _tokenized_end(source)


@pytest.mark.parametrize("source", OTHER)
def test_other_headers_are_tokenized(source: str) -> None:
    assert _SIMPLE_HEADER.match(source) is None
    assert _header_end(source) == _tokenized_end(source)


def test_body_of_a_simple_and_a_bracketed_header() -> None:
    simple = SourceCode("def commands():\n    env.A = 1\n    # done\n", "commands")
    bracketed = SourceCode("def commands(x=(1,\n 2)):\n    env.A = 1\n", "commands")
    assert simple.body() == "env.A = 1\n# done"
    assert bracketed.body() == "env.A = 1"
