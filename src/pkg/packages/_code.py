"""Values that a package definition keeps besides plain data: functions kept as code.

:class:`SourceCode` holds the text of a function from a ``package.py`` (a rex function
such as ``commands``, an ``@late`` function, ``preprocess``); :class:`ModifyList` is the
list modifier that ``package.py`` files may use inside ``with scope("config")``.
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass, field

__all__ = ["ModifyList", "SourceCode"]


@dataclass(frozen=True, slots=True)
class SourceCode:
    """A function of a package definition, kept as source text.

    Attributes:
        source: the function's source, dedented, from its ``def`` line to its last line;
            decorator lines are not part of it (see :attr:`decorator`, :attr:`includes`).
        name: the function's name.
        filepath: the file the function was read from, or None.
        lineno: 1-based line of the ``def`` in that file (1 when unknown).
        decorator: ``"late"`` for a late-bound function, else None (early-bound functions
            are evaluated when the definition is loaded and never kept).
        includes: module names given to ``@include(...)``, in order.
    """

    source: str
    name: str
    filepath: str | None = None
    lineno: int = 1
    decorator: str | None = None
    includes: tuple[str, ...] = field(default=())

    def body(self) -> str:
        """The function body, dedented, without the ``def`` line: what rex executes.

        Comment lines written further left than the code they precede are moved to that
        code's indentation first, so they do not prevent the dedent.
        """
        return _function_body(self.source)

    def decorator_lines(self) -> list[str]:
        """The decorator lines to write above :attr:`source` (``@late()``, ``@include(...)``)."""
        lines = []
        if self.includes:
            lines.append(f"@include({', '.join(repr(name) for name in self.includes)})")
        if self.decorator is not None:
            lines.append(f"@{self.decorator}()")
        return lines

    def to_text(self, name: str | None = None) -> str:
        """Source to write back into a ``package.py``: decorators, then the function.

        A function without parameters is written as ``def <name>():`` and its body, as
        Rez writes it (annotations such as ``-> None`` are dropped); one with parameters
        (``preprocess(this, data)``) keeps its own signature.

        Args:
            name: write the function under this name instead of :attr:`name`.
        """
        target = name or self.name
        header = _def_header().match(self.source)
        if header is not None and not header.group("params").strip():
            body = self.body().rstrip("\n") or "pass"
            source = f"def {target}():\n" + textwrap.indent(body, "    ")
        else:
            source = _rename(self.source, self.name, target) if target != self.name else self.source
        return "\n".join([*self.decorator_lines(), source])


@dataclass(frozen=True, slots=True, repr=False)
class ModifyList:
    """Prepend and/or append items to a list-valued setting instead of replacing it."""

    prepend: tuple[object, ...] | None = None
    append: tuple[object, ...] | None = None

    def apply(self, value: list[object] | tuple[object, ...] | None) -> list[object]:
        """``prepend + value + append``; ``value`` None counts as an empty list."""
        if value is not None and not isinstance(value, list | tuple):
            raise ValueError(f"cannot apply ModifyList to a non-list: {value!r}")
        return [*(self.prepend or ()), *(value or ()), *(self.append or ())]

    def __repr__(self) -> str:
        """Python source that rebuilds the value (used when writing ``package.py``)."""
        args = [
            f"{name}={list(value)!r}"
            for name, value in (("prepend", self.prepend), ("append", self.append))
            if value is not None
        ]
        return f"ModifyList({', '.join(args)})"


#: A one-line ``def`` header without brackets, strings, comments or line continuations
#: inside it (``def commands():``, ``def f(x, y=1) -> None:``): its colon is the header's
#: end, found without tokenizing (tokenize compiles a large regex on first use).
_SIMPLE_HEADER = re.compile(
    r"[ \t]*def[ \t]+\w+[ \t]*\([^()\[\]{}'\"#\\\r\n]*\)[ \t]*(?:->[^:()\[\]{}'\"#\\\r\n]*)?:"
)


def _header_end(source: str) -> tuple[int, int] | None:
    """(0-based line, column after the colon) where the ``def`` header ends."""
    simple = _SIMPLE_HEADER.match(source)
    if simple is not None:
        return 0, simple.end()
    depth = 0
    seen_def = False
    try:
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
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return None


def _function_body(source: str) -> str:
    end = _header_end(source)
    if end is None:
        return source.rstrip()
    line, col = end
    lines = source.split("\n")
    rest = lines[line][col:].strip()
    if rest and not rest.startswith("#"):
        # a one-line function: "def commands(): env.X = 1"
        return rest
    code = textwrap.dedent("\n".join(lines[line + 1 :]))
    return textwrap.dedent(_align_comments(code).rstrip())


def _align_comments(code: str) -> str:
    """Indent column-0 comments like the next line of code after them."""
    lines = code.split("\n")
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            continue
        following = next(
            (candidate for candidate in lines[index + 1 :] if not candidate.startswith("#")),
            "",
        )
        margin = len(following) - len(following.lstrip())
        lines[index] = following[:margin] + line
    return "\n".join(lines)


@functools.cache
def _def_header() -> re.Pattern[str]:
    """``def name(params)`` (compiled on first use: only writing a definition needs it)."""
    return re.compile(r"\s*def\s+\w+\s*\((?P<params>[^)]*)\)")


def _rename(source: str, old: str, new: str) -> str:
    head, sep, tail = source.partition(f"def {old}")
    if not sep:
        return source
    return f"{head}def {new}{tail}"
