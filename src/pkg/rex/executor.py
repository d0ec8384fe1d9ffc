"""The rex executor: runs package command code and records :mod:`~pkg.rex.actions`.

It keeps the environment the code has built so far (``getenv`` sees an earlier
``setenv``) on top of the parent environment it was given, and never touches the real
process environment.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import types
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, cast

from pkg._pyast import compile_tree, parse
from pkg.rex import actions as act
from pkg.rex._format import NamespaceFormatter, expand_user, expand_vars
from pkg.rex.bindings import optionvars
from pkg.rex.errors import RexError, RexStopError, RexUndefinedVariableError
from pkg.rex.escaped import EscapedString, expandable, literal

if TYPE_CHECKING:
    from pkg.config import Config

__all__ = [
    "Code",
    "CodeSource",
    "EnvironmentVariable",
    "RexEnvironment",
    "RexExecutor",
    "code_filename",
]


class CodeSource(Protocol):
    """A function kept as source (:class:`pkg.packages.SourceCode` is one)."""

    @property
    def source(self) -> str: ...
    @property
    def filepath(self) -> str | None: ...
    @property
    def lineno(self) -> int: ...
    def body(self) -> str: ...


#: Rex code: source text, a kept function, or a Python function.
Code = str | CodeSource | Callable[[], object]


class EnvironmentVariable:
    """``env.NAME``: set, change or read one variable."""

    __slots__ = ("_executor", "name")

    def __init__(self, name: str, executor: RexExecutor) -> None:
        self.name = name
        self._executor = executor

    def set(self, value: object) -> None:
        self._executor.setenv(self.name, value)

    def unset(self) -> None:
        self._executor.unsetenv(self.name)

    def prepend(self, value: object) -> None:
        self._executor.prependenv(self.name, value)

    def append(self, value: object) -> None:
        self._executor.appendenv(self.name, value)

    def reset(self, value: object, friends: object = None) -> None:
        self._executor.resetenv(self.name, value, friends)

    def get(self) -> str:
        return self._executor.getenv(self.name)

    def value(self) -> str:
        return self.get()

    def setdefault(self, value: object) -> None:
        """Set the variable unless it has a non-empty value."""
        if not self:
            self.set(value)

    def __str__(self) -> str:
        return self.get()

    def __repr__(self) -> str:
        return f"EnvironmentVariable({self.name!r}, {self.get()!r})"

    def __bool__(self) -> bool:
        try:
            return bool(self.get())
        except RexUndefinedVariableError:
            return False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EnvironmentVariable):
            other = other.get()
        return self.get() == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]


class RexEnvironment:
    """``env``: ``env.NAME`` / ``env["NAME"]`` give an :class:`EnvironmentVariable`;
    ``env.NAME = value`` sets it.  ``"NAME" in env`` is true for inherited variables and
    for names already used through ``env``, as in Rez."""

    __slots__ = ("_executor", "_vars")
    _executor: RexExecutor
    _vars: dict[str, EnvironmentVariable]

    def __init__(self, executor: RexExecutor, parent_keys: Iterator[str]) -> None:
        object.__setattr__(self, "_executor", executor)
        object.__setattr__(
            self, "_vars", {k: EnvironmentVariable(k, executor) for k in parent_keys}
        )

    def __getitem__(self, name: str) -> EnvironmentVariable:
        variable: EnvironmentVariable | None = self._vars.get(name)
        if variable is None:
            variable = self._vars[name] = EnvironmentVariable(name, self._executor)
        return variable

    def __setitem__(self, name: str, value: object) -> None:
        self[name].set(value)

    def __getattr__(self, name: str) -> EnvironmentVariable:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self[name]

    def __setattr__(self, name: str, value: object) -> None:
        self[name] = value

    def __contains__(self, name: object) -> bool:
        return name in self._vars

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._vars))

    def __len__(self) -> int:
        return len(self._vars)


class RexExecutor:
    """Runs rex code in a namespace and records the actions it asks for.

    Args:
        config: gives ``env_var_separators``, ``parent_variables``,
            ``all_parent_variables``, ``optionvars`` and ``catch_rex_errors``.
        parent_environ: the environment the result will be applied on top of.  It is only
            read.
        pathsep: the separator for variables without an ``env_var_separators`` entry
            (the target shell's; ``os.pathsep`` by default).
        shebang: record a :class:`~pkg.rex.actions.Shebang` first, as Rez does.
        bindings: extra names for the namespace (``system``, ``resolve`` ...).
    """

    def __init__(
        self,
        config: Config,
        parent_environ: Mapping[str, str],
        *,
        pathsep: str = os.pathsep,
        shebang: bool = True,
        bindings: Mapping[str, object] | None = None,
    ) -> None:
        self.config = config
        self.parent_environ = parent_environ
        self.pathsep = pathsep
        self.all_parent_variables = config.all_parent_variables
        self.parent_variables = frozenset(config.parent_variables)
        #: Variables set by the code run so far, with their expanded values.
        self.environ: dict[str, str] = {}
        self.actions: list[act.Action] = []
        self.namespace: dict[str, Any] = {}
        self.formatter = NamespaceFormatter(self.namespace)
        self.env = RexEnvironment(self, iter(parent_environ))
        self.namespace.update(
            {
                "format": self.expand,
                "literal": literal,
                "expandable": expandable,
                "optionvars": self.optionvars,
                "env": self.env,
                **{name: getattr(self, name) for name in _PUBLIC},
            }
        )
        if shebang:
            self.shebang()
        if bindings:
            self.namespace.update(bindings)

    # -- namespace -------------------------------------------------------------------
    def bind(self, name: str, value: object) -> None:
        """Make ``value`` visible to rex code as ``name``."""
        self.namespace[name] = value

    def unbind(self, name: str) -> None:
        self.namespace.pop(name, None)

    def separator(self, key: str) -> str:
        """The separator that joins the parts of variable ``key``."""
        return self.config.env_var_separators.get(key, self.pathsep)

    def is_pathed(self, key: str) -> bool:
        """True when ``key`` matches ``pathed_env_vars`` (its parts are paths)."""
        return any(fnmatch.fnmatch(key, pattern) for pattern in self.config.pathed_env_vars)

    # -- expansion -------------------------------------------------------------------
    def expand(self, value: object) -> str:
        """``{...}`` against the namespace, ``$VAR`` normalised to ``${VAR}`` (rex ``format``)."""
        return self.formatter.format(str(value))

    def _format(self, value: object) -> EscapedString:
        if not isinstance(value, str | EscapedString):
            return EscapedString.of(str(value))
        promoted = EscapedString.promote(value)
        try:
            return promoted.formatted(self.expand)
        except (KeyError, ValueError):
            # an unknown {name} (or a stray brace) leaves the value as written
            return promoted

    def _expand(self, value: str | EscapedString) -> EscapedString:
        def substitute(text: str) -> str:
            text = expand_vars(text, self.environ)
            text = expand_vars(text, self.parent_environ)
            return expand_user(text, self.parent_environ)

        return EscapedString.promote(value).formatted(substitute)

    def _key(self, key: object) -> tuple[str, str]:
        written = str(self._format(key))
        return written, str(self._expand(written))

    def _value(self, value: object) -> tuple[EscapedString, str]:
        written = self._format(value)
        return written, str(self._expand(written))

    # -- reading the environment -----------------------------------------------------
    def getenv(self, key: object) -> str:
        """The variable's current value; :class:`RexUndefinedVariableError` if it has none."""
        _, name = self._key(key)
        if name in self.environ:
            return self.environ[name]
        if name in self.parent_environ:
            return self.parent_environ[name]
        raise RexUndefinedVariableError(f"Referenced undefined environment variable: {name}")

    def undefined(self, key: object) -> bool:
        _, name = self._key(key)
        return name not in self.environ and name not in self.parent_environ

    def defined(self, key: object) -> bool:
        return not self.undefined(key)

    def expandvars(self, value: object, format: bool = True) -> str:
        """``value`` with ``$VAR`` references replaced by their current values."""
        text: str | EscapedString = str(self._format(value)) if format else str(value)
        return str(self._expand(text))

    def optionvars(self, name: str, default: object = None) -> Any:
        return optionvars(self.config, name, default)

    # -- actions ---------------------------------------------------------------------
    def setenv(self, key: object, value: object) -> None:
        written_key, name = self._key(key)
        written, expanded = self._value(value)
        self.actions.append(act.Setenv(written_key, written))
        self.environ[name] = expanded

    def unsetenv(self, key: object) -> None:
        written_key, name = self._key(key)
        self.actions.append(act.Unsetenv(written_key))
        self.environ.pop(name, None)

    def resetenv(self, key: object, value: object, friends: object = None) -> None:
        written_key, name = self._key(key)
        written, expanded = self._value(value)
        self.actions.append(act.Resetenv(written_key, written, friends))
        self.environ[name] = expanded

    def prependenv(self, key: object, value: object) -> None:
        self._pend(key, value, prepend=True)

    def appendenv(self, key: object, value: object) -> None:
        self._pend(key, value, prepend=False)

    def _pend(self, key: object, value: object, *, prepend: bool) -> None:
        written_key, name = self._key(key)
        written, expanded = self._value(value)
        if name not in self.environ and (
            self.all_parent_variables or name in self.parent_variables
        ):
            self.environ[name] = self.parent_environ.get(name, "")
        if name not in self.environ:
            # first touch of a variable that is not a parent variable: it is replaced
            self.actions.append(act.Setenv(written_key, written))
            self.environ[name] = expanded
            return
        sep = self.separator(name)
        parts = self.environ[name].split(sep)
        if prepend:
            self.actions.append(act.Prependenv(written_key, written))
            self.environ[name] = sep.join([expanded, *parts])
        else:
            self.actions.append(act.Appendenv(written_key, written))
            self.environ[name] = sep.join([*parts, expanded])

    def alias(self, name: object, value: object) -> None:
        self.actions.append(act.Alias(str(self._format(name)), str(self._format(value))))

    def info(self, value: object = "") -> None:
        self.actions.append(act.Info(self._format(value)))

    def error(self, value: object) -> None:
        self.actions.append(act.Error(self._format(value)))

    def stop(self, message: object, *args: object) -> None:
        """Abort: raises :class:`RexStopError` with ``message % args``."""
        raise RexStopError(str(message) % args if args else str(message))

    def command(self, value: str | list[str] | tuple[str, ...]) -> None:
        """Run a command in the shell; ``value`` is not ``{}``-formatted."""
        self.actions.append(act.Command(value if isinstance(value, str) else tuple(value)))

    def comment(self, value: object) -> None:
        self.actions.append(act.Comment(str(self._format(value))))

    def source(self, value: object) -> None:
        self.actions.append(act.Source(str(self._format(value))))

    def shebang(self) -> None:
        self.actions.append(act.Shebang())

    # -- running code ----------------------------------------------------------------
    def execute(self, code: Code, *, filename: str | None = None) -> None:
        """Run rex code; names it assigns last until the call returns.

        Source code runs as module-level code, so its local names are visible to
        ``{name}`` expansion.  :class:`RexError` propagates; any other exception is
        wrapped in a :class:`RexError` when ``catch_rex_errors`` is set (the default).
        """
        saved = dict(self.namespace)
        try:
            if _is_function(code):
                self._call(code)
            else:
                exec(_compile(code, filename), self.namespace)
        except RexError:
            raise
        except Exception as error:
            if not self.config.catch_rex_errors:
                raise
            raise RexError(f"{type(error).__name__}: {error}") from error
        finally:
            self.namespace.clear()
            self.namespace.update(saved)

    def _call(self, func: Callable[[], object]) -> None:
        if not isinstance(func, types.FunctionType):
            func()
            return
        scope = {**func.__globals__, **self.namespace}
        clone = types.FunctionType(
            func.__code__, scope, func.__name__, func.__defaults__, func.__closure__
        )
        clone()


_PUBLIC = (
    "setenv",
    "unsetenv",
    "resetenv",
    "prependenv",
    "appendenv",
    "alias",
    "info",
    "error",
    "stop",
    "command",
    "comment",
    "source",
    "shebang",
    "getenv",
    "expandvars",
    "defined",
    "undefined",
)


def body_offset(code: CodeSource) -> tuple[str, int]:
    """The body of ``code`` and the number to add to its line numbers to get file lines."""
    body = code.body()
    body_lines = body.split("\n")
    first = next((i for i, line in enumerate(body_lines) if line.strip()), None)
    if first is None:
        return body, 0
    wanted = body_lines[first].strip()
    for index, line in enumerate(code.source.split("\n")):
        if line.rstrip().endswith(wanted):
            return body, code.lineno + index - (first + 1)
    return body, 0


def code_filename(code: Code, filename: str | None = None) -> str:
    """The file name tracebacks of ``code`` show (``<rex>`` when unknown)."""
    if filename:
        return filename
    if isinstance(code, str):
        return "<rex>"
    if _is_function(code):
        inner = getattr(code, "__code__", None)
        return inner.co_filename if isinstance(inner, types.CodeType) else "<rex>"
    return cast("CodeSource", code).filepath or "<rex>"


def _is_function(code: Code) -> TypeGuard[Callable[[], object]]:
    """True for a Python callable (as opposed to source text or a kept function)."""
    return not isinstance(code, str) and not hasattr(code, "body") and callable(code)


def _compile(code: Code, filename: str | None) -> types.CodeType:
    name = code_filename(code, filename)
    if isinstance(code, str):
        text, offset = code, 0
    elif _is_function(code):  # pragma: no cover - callers run functions with _call
        raise TypeError("a function cannot be compiled")
    else:
        text, offset = body_offset(cast("CodeSource", code))
    try:
        tree = parse(text, name)
    except SyntaxError as error:
        line = (error.lineno or 0) + offset
        raise RexError(f"syntax error at line {line}: {error.msg}") from error
    ast.increment_lineno(tree, offset)
    return compile_tree(tree, name)
