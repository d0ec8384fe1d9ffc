"""Execute a ``package.py`` the way Rez does and turn its globals into attribute data.

The file runs with a small set of globals (:data:`PACKAGE_GLOBALS`).  Afterwards:

* ``@early()`` functions are called and replaced by their return value;
* ``@late()`` functions and rex functions (``commands`` ...) become :class:`SourceCode`;
* ``preprocess`` is kept as :class:`SourceCode` when building, else dropped;
* other functions, modules, names starting with ``__`` and the injected globals are dropped;
* ``with scope("name"):`` blocks become nested dicts under ``name``.
"""

from __future__ import annotations

import ast
import inspect
import sys
import textwrap
import traceback
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from pkg._pyast import compile_tree, parse
from pkg.errors import PackageDefinitionError
from pkg.packages._code import ModifyList, SourceCode

__all__ = [
    "REX_KEYS",
    "InvalidPackageError",
    "LineMap",
    "exec_package_py",
    "extra_sys_path",
    "parse_source",
]

#: Attributes that hold rex code.
REX_KEYS = frozenset(
    {"pre_commands", "commands", "post_commands", "pre_build_commands", "pre_test_commands"}
)

#: Values seen by ``@early()`` functions unless the caller gives others.
DEFAULT_EARLY_BINDINGS: Mapping[str, object] = {
    "building": False,
    "testing": False,
    "build_variant_index": 0,
    "build_variant_requires": [],
}

_F = TypeVar("_F", bound=Callable[..., Any])
_BINDING = "_pkg_binding"
_INCLUDES = "_pkg_includes"


class InvalidPackageError(Exception):
    """Raised by ``package.py`` code (an ``@early`` function, ``preprocess``) to reject itself."""


class LateOnRexKeyError(ValueError):
    """``@late()`` was put on a rex function."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"cannot use @late() on the rex function {name!r}")


def early() -> Callable[[_F], _F]:
    """Decorator: evaluate the function when the definition is loaded."""

    def mark(fn: _F) -> _F:
        setattr(fn, _BINDING, "early")
        return fn

    return mark


def late() -> Callable[[_F], _F]:
    """Decorator: keep the function and evaluate it on first access to the attribute."""

    def mark(fn: _F) -> _F:
        if fn.__name__ in REX_KEYS:
            raise LateOnRexKeyError(fn.__name__)
        setattr(fn, _BINDING, "late")
        return fn

    return mark


def include(module_name: str, *module_names: str) -> Callable[[_F], _F]:
    """Decorator: make the named modules available to the function when it runs."""

    def mark(fn: _F) -> _F:
        previous: tuple[str, ...] = getattr(fn, _INCLUDES, ())
        setattr(fn, _INCLUDES, (*previous, module_name, *module_names))
        return fn

    return mark


class _RecursiveAttribute:
    """An object whose attribute assignments build a nested dict (``c.a.b = 1``)."""

    def __init__(self) -> None:
        object.__setattr__(self, "_data", {})
        object.__setattr__(self, "_pending", None)

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        data: dict[str, object] = object.__getattribute__(self, "_data")
        if attr in data:
            return data[attr]
        child = _RecursiveAttribute()
        object.__setattr__(child, "_pending", (attr, self))
        return child

    def __getitem__(self, attr: str) -> Any:
        return getattr(self, attr)

    def __setattr__(self, attr: str, value: object) -> None:
        object.__getattribute__(self, "_data")[attr] = value
        self._attach()

    def _attach(self) -> None:
        pending = object.__getattribute__(self, "_pending")
        if pending is not None:
            attr, parent = pending
            parent._attach()
            object.__getattribute__(parent, "_data")[attr] = self
            object.__setattr__(self, "_pending", None)

    def _update(self, values: Mapping[str, object]) -> None:
        object.__getattribute__(self, "_data").update(values)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = object.__getattribute__(self, "_data")
        return {
            key: value.to_dict() if isinstance(value, _RecursiveAttribute) else value
            for key, value in data.items()
        }


class _Scope(_RecursiveAttribute):
    """``with scope("name") as s:``: names assigned in the block become keys of the scope."""

    def __init__(self, name: str, owner: _ScopeContext) -> None:
        super().__init__()
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_before", {})

    def __enter__(self) -> _Scope:
        before = dict(sys._getframe(1).f_locals)
        object.__setattr__(self, "_before", before)
        return self

    def __exit__(self, *exc: object) -> None:
        frame_locals = sys._getframe(1).f_locals
        before: dict[str, object] = object.__getattribute__(self, "_before")
        changed = {
            key: value
            for key, value in frame_locals.items()
            if not (key.startswith("__") and key.endswith("__"))
            and (key not in before or value is not before[key])
            and not isinstance(value, _Scope)
        }
        self._update(changed)
        frame_locals.clear()
        frame_locals.update(before)
        owner: _ScopeContext = object.__getattribute__(self, "_owner")
        owner.close(self)


class _ScopeContext:
    """The ``scope`` global: a factory of nested scopes."""

    def __init__(self) -> None:
        self.root = _RecursiveAttribute()
        self.stack: list[_Scope] = []
        self.scopes: dict[tuple[str, ...], _Scope] = {}

    def __call__(self, name: str) -> _Scope:
        path = (*(object.__getattribute__(s, "_name") for s in self.stack), name)
        scope = self.scopes.get(path)
        if scope is None:
            scope = self.scopes[path] = _Scope(name, self)
        self.stack.append(scope)
        return scope

    def close(self, scope: _Scope) -> None:
        self.stack.pop()
        parent = self.stack[-1] if self.stack else self.root
        parent._update({object.__getattribute__(scope, "_name"): scope.to_dict()})

    def to_dict(self) -> dict[str, object]:
        return self.root.to_dict()


_INJECTED = frozenset(
    {"scope", "early", "late", "include", "ModifyList", "InvalidPackageError", "__builtins__"}
)


def _modify_list(append: list[object] | None = None, prepend: list[object] | None = None) -> object:
    for value in (prepend, append):
        if value is not None and not isinstance(value, list):
            raise ValueError(f"expected a list in ModifyList, not {value!r}")
    return ModifyList(
        prepend=None if prepend is None else tuple(prepend),
        append=None if append is None else tuple(append),
    )


class LineMap:
    """Lines of the top-level statements of a ``package.py``, found with :mod:`ast`."""

    def __init__(self, tree: ast.Module | None) -> None:
        self.names: dict[str, int] = {}
        self.functions: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        self.statements: list[tuple[int, int, str]] = []
        if tree is None:
            return
        for statement in tree.body:
            for name in _assigned_names(statement):
                self.names[name] = statement.lineno
                last = statement.end_lineno or statement.lineno
                self.statements.append((statement.lineno, last, name))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                self.functions[first] = node

    def attribute_at(self, line: int) -> str:
        for first, last, name in reversed(self.statements):
            if first <= line <= last:
                return name
        return ""


def _assigned_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    if isinstance(node, ast.With):
        names = []
        for item in node.items:
            call = item.context_expr
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "scope"
                and call.args
                and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)
            ):
                names.append(call.args[0].value)
        return names
    return []


@contextmanager
def extra_sys_path(paths: Sequence[str]) -> Iterator[None]:
    """``paths`` (those not there already) put first on ``sys.path`` for the block, and
    taken off again after it."""
    added = [p for p in paths if p not in sys.path]
    sys.path[:0] = added
    try:
        yield
    finally:
        for path in added:
            if path in sys.path:
                sys.path.remove(path)


def _failure_line(error: BaseException, filepath: str) -> int | None:
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename == filepath:
            line = frame.lineno
    return line


def parse_source(text: str, filepath: str) -> ast.Module:
    """The syntax tree of a ``package.py``.

    Raises:
        PackageDefinitionError: a syntax error (with its line), or a null byte.
    """
    try:
        return parse(text, filepath)
    except SyntaxError as error:
        raise PackageDefinitionError(
            f"syntax error: {error.msg}", filepath=filepath, line=error.lineno
        ) from error
    except ValueError as error:  # "source code string cannot contain null bytes"
        raise PackageDefinitionError(f"syntax error: {error}", filepath=filepath) from error


def exec_package_py(
    text: str,
    filepath: str,
    *,
    building: bool,
    early_bindings: Mapping[str, object],
    sys_paths: Sequence[str] = (),
    tree: ast.Module | None = None,
) -> tuple[dict[str, object], LineMap]:
    """Run ``text`` (the contents of ``filepath``); return its attribute data and line map.

    ``tree`` is ``text`` already parsed by :func:`parse_source`; it is compiled as it is,
    so the text is parsed only once.
    """
    if tree is None:
        tree = parse_source(text, filepath)
    try:
        code = compile_tree(tree, filepath, dont_inherit=True)
    except SyntaxError as error:  # found after parsing, e.g. 'return' outside a function
        raise PackageDefinitionError(
            f"syntax error: {error.msg}", filepath=filepath, line=error.lineno
        ) from error
    lines = LineMap(tree)
    scopes = _ScopeContext()
    namespace: dict[str, Any] = {
        "scope": scopes,
        "early": early,
        "late": late,
        "include": include,
        "ModifyList": _modify_list,
        "InvalidPackageError": InvalidPackageError,
    }
    try:
        with extra_sys_path(sys_paths):
            exec(code, namespace)
    except LateOnRexKeyError as error:
        raise PackageDefinitionError(
            str(error),
            filepath=filepath,
            line=lines.names.get(error.name, _failure_line(error, filepath)),
            attribute=error.name,
        ) from error
    except Exception as error:
        line = _failure_line(error, filepath)
        raise PackageDefinitionError(
            f"error while executing the file: {type(error).__name__}: {error}",
            filepath=filepath,
            line=line,
            attribute=lines.attribute_at(line) if line else "",
        ) from error

    builtins = vars(__builtins__) if isinstance(__builtins__, types.ModuleType) else __builtins__
    data: dict[str, object] = {
        key: value
        for key, value in namespace.items()
        if key not in _INJECTED and not (key in builtins and builtins[key] is value)
    }
    data.update(scopes.to_dict())
    processor = _Processor(text, filepath, lines, building, early_bindings, sys_paths)
    with extra_sys_path(sys_paths):
        processor.process(data)
    return _trim(data, building), lines


class _EarlyThis:
    """``this`` inside an ``@early()`` function: the raw attribute dict as attributes."""

    def __init__(self, data: Mapping[str, object]) -> None:
        self._data = data

    def __getattr__(self, attr: str) -> object:
        if attr not in self._data:
            raise AttributeError(f"no such package attribute {attr!r}")
        value = self._data[attr]
        if isinstance(value, types.FunctionType) and hasattr(value, _BINDING):
            raise ValueError(
                f"an @early() function cannot refer to another early or late function: {attr!r}"
            )
        return value


class _Processor:
    def __init__(
        self,
        text: str,
        filepath: str,
        lines: LineMap,
        building: bool,
        early_bindings: Mapping[str, object],
        sys_paths: Sequence[str],
    ) -> None:
        self.text_lines = text.splitlines()
        self.filepath = filepath
        self.lines = lines
        self.building = building
        self.early_bindings = early_bindings

    def process(self, data: dict[str, object]) -> None:
        self._process_dict(data, data, top=True)

    def _process_dict(self, mapping: dict[str, object], root: dict[str, object], top: bool) -> None:
        for key, value in mapping.items():
            mapping[key] = self._process(key if top else "", value, root)

    def _process(self, key: str, value: object, root: dict[str, object]) -> object:
        if isinstance(value, dict):
            self._process_dict(value, root, top=False)
            return value
        if not isinstance(value, types.FunctionType):
            return value
        binding = getattr(value, _BINDING, None)
        if binding == "early":
            return self._process(key, self._call_early(key, value, root), root)
        if binding == "late":
            return self.source_of(value, "late")
        if value.__name__ in REX_KEYS or (value.__name__ == "preprocess" and self.building):
            return self.source_of(value, None)
        return value

    def _call_early(self, key: str, fn: types.FunctionType, root: dict[str, object]) -> object:
        namespace = dict(fn.__globals__)
        namespace["this"] = _EarlyThis(root)
        namespace.update(DEFAULT_EARLY_BINDINGS)
        namespace.update(self.early_bindings)
        copy = types.FunctionType(
            fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__
        )
        nargs = fn.__code__.co_argcount
        line = self._def_line(fn)
        if nargs > 1:
            raise PackageDefinitionError(
                "an @early() function must take zero or one argument",
                filepath=self.filepath,
                line=line,
                attribute=key or fn.__name__,
            )
        try:
            return copy(root) if nargs else copy()
        except Exception as error:
            raise PackageDefinitionError(
                f"@early() function {fn.__name__!r} failed: {type(error).__name__}: {error}",
                filepath=self.filepath,
                line=_failure_line(error, self.filepath) or line,
                attribute=key or fn.__name__,
            ) from error

    def _node(self, fn: types.FunctionType) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        if fn.__code__.co_filename != self.filepath:
            return None
        node = self.lines.functions.get(fn.__code__.co_firstlineno)
        return node if node is not None and node.name == fn.__name__ else None

    def _def_line(self, fn: types.FunctionType) -> int:
        node = self._node(fn)
        return node.lineno if node is not None else fn.__code__.co_firstlineno

    def source_of(self, fn: types.FunctionType, decorator: str | None) -> SourceCode:
        node = self._node(fn)
        includes: tuple[str, ...] = getattr(fn, _INCLUDES, ())
        if node is not None:
            end = node.end_lineno or node.lineno
            text = "\n".join(self.text_lines[node.lineno - 1 : end])
            source = textwrap.dedent(text).rstrip()
            return SourceCode(source, fn.__name__, self.filepath, node.lineno, decorator, includes)
        try:
            lines, first = inspect.getsourcelines(fn)
        except (OSError, TypeError) as error:
            raise PackageDefinitionError(
                f"cannot find the source of function {fn.__name__!r}",
                filepath=self.filepath,
                attribute=fn.__name__,
            ) from error
        while lines and lines[0].lstrip().startswith("@"):
            lines = lines[1:]
            first += 1
        source = textwrap.dedent("".join(lines)).rstrip()
        return SourceCode(source, fn.__name__, fn.__code__.co_filename, first, decorator, includes)


def _trim(data: dict[str, object], building: bool) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in data.items():
        if key.startswith("__") or isinstance(value, types.ModuleType):
            continue
        if isinstance(value, types.FunctionType):
            continue  # plain helpers (and preprocess when not building)
        if isinstance(value, SourceCode) and value.name == "preprocess" and not building:
            continue
        result[key] = _trim(value, building) if isinstance(value, dict) else value
    return result
