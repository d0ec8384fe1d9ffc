"""The fast path of :func:`~pkg.packages.load_definition` for simple ``package.py`` files.

A file qualifies when every top-level statement is a docstring, a ``name = <literal>``
assignment (anything :func:`ast.literal_eval` accepts) or an undecorated function.  Such a
file cannot run code at load time, so reading its syntax tree gives exactly what executing
it would: the literals as values, rex functions (``commands`` ...) as
:class:`~pkg.packages.SourceCode`, other functions dropped.  Anything else (imports,
``with scope(...)``, decorators, expressions with calls) is executed as usual, from the
same tree (the file is parsed once either way).  The tests check both paths agree.
"""

from __future__ import annotations

import ast
import textwrap

from pkg.packages._code import SourceCode
from pkg.packages._pyexec import REX_KEYS

__all__ = ["parse_simple"]

#: Names ``package.py`` code sees as globals; assigning one is not "simple".
_INJECTED = frozenset({"scope", "early", "late", "include", "ModifyList", "InvalidPackageError"})


class _NotLiteral(Exception):
    pass


def _literal(node: ast.expr) -> object:
    """What :func:`ast.literal_eval` gives for the common literal forms, faster; anything
    unusual is handed to ``literal_eval`` itself."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_literal(item) for item in node.elts]
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True)}  # type: ignore[arg-type]
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as error:
        raise _NotLiteral from error


def parse_simple(
    tree: ast.Module, text: str, filepath: str
) -> tuple[dict[str, object], dict[str, int]] | None:
    """The raw attributes and their lines if ``tree`` (parsed from ``text``) is a simple
    definition, else None."""
    lines: list[str] | None = None
    raw: dict[str, object] = {}
    names: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
            if len(targets) != 1 or not isinstance(targets[0], ast.Name):
                return None
            key = targets[0].id
            if key in _INJECTED:
                return None
            try:
                raw[key] = _literal(statement.value)
            except _NotLiteral:
                return None
            names[key] = statement.lineno
        elif isinstance(statement, ast.FunctionDef) and not statement.decorator_list:
            key = statement.name
            if key in _INJECTED:
                return None
            names[key] = statement.lineno
            if key in REX_KEYS:
                if lines is None:
                    lines = text.splitlines()
                end = statement.end_lineno or statement.lineno
                source = textwrap.dedent("\n".join(lines[statement.lineno - 1 : end])).rstrip()
                raw[key] = SourceCode(source, key, filepath, statement.lineno, None, ())
            else:
                raw.pop(key, None)  # a plain helper function is dropped
        elif not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)):
            return None
    return {k: v for k, v in raw.items() if not k.startswith("__")}, names
