"""A fast path for loading the simple ``package.py`` files that fill most repositories.

A file qualifies when every top-level statement is a docstring, a ``name = <literal>``
assignment (anything :func:`ast.literal_eval` accepts) or an undecorated function.  Such a
file cannot run code at load time, so parsing it gives exactly what executing it would:
the literals as values, rex functions (``commands`` ...) as
:class:`~pkg.packages.SourceCode`, other functions dropped.  Anything else (imports,
``with scope(...)``, decorators, expressions with calls) goes through
:func:`pkg.packages.load_definition`.  The test suite checks both paths agree.

This belongs in :mod:`pkg.packages` eventually (proposed as ``load_definition``'s own
fast path); it lives here until then.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.errors import PackageDefinitionError
from pkg.packages import REX_KEYS, PackageDefinition, SourceCode, load_definition
from pkg.packages._schema import validate

if TYPE_CHECKING:
    from pkg.config import Config

__all__ = ["load_definition_fast", "parse_simple"]

#: Names ``package.py`` code sees as globals; assigning one is not "simple".
_INJECTED = frozenset({"scope", "early", "late", "include", "ModifyList", "InvalidPackageError"})


class _NotLiteral(Exception):
    pass


_NUMBER = (int, float, complex)


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


def parse_simple(text: str, filepath: str) -> tuple[dict[str, object], dict[str, int]] | None:
    """The raw attributes and their lines if ``text`` is a simple definition, else None."""
    try:
        tree = ast.parse(text, filepath)
    except (SyntaxError, ValueError):
        return None
    lines: list[str] | None = None
    raw: dict[str, object] = {}
    names: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            key = statement.targets[0].id
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
        else:
            return None
    return {k: v for k, v in raw.items() if not k.startswith("__")}, names


def load_definition_fast(path: str, *, config: Config | None = None) -> PackageDefinition:
    """:func:`pkg.packages.load_definition`, without executing simple ``package.py`` files.

    Raises:
        PackageDefinitionError: as ``load_definition``.
    """
    if path.endswith(".py"):
        filepath = path
        try:
            with open(path, "rb") as stream:
                text = stream.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        parsed = None if text is None else parse_simple(text, filepath)
        if parsed is not None:
            raw, names = parsed
            if "name" in raw:
                try:
                    return PackageDefinition(validate(raw, filepath, names), filepath, "py")
                except PackageDefinitionError:
                    pass  # let the full loader report it the usual way
    return load_definition(Path(path), config=config)
