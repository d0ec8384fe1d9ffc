"""Rex: the command language of package ``pre_commands``, ``commands`` and ``post_commands``.

Running rex code produces :mod:`~pkg.rex.actions` (plain data: set this variable, define
that alias ...); shells turn actions into script text.  Nothing here touches the process
environment: the executor reads the parent environment it is given and keeps the
variables set so far in memory.  See ``docs/rex.md``.
"""

from __future__ import annotations

from pkg.rex.actions import (
    Action,
    Alias,
    Appendenv,
    Command,
    Comment,
    Error,
    Info,
    Prependenv,
    Resetenv,
    Setenv,
    Shebang,
    Source,
    Stop,
    Unsetenv,
)
from pkg.rex.bindings import (
    EphemeralsBinding,
    RequirementsBinding,
    RexVariant,
    VariantBinding,
    VariantsBinding,
    VersionBinding,
    intersects,
)
from pkg.rex.context import PHASES, ContextInfo, context_actions, execute_context
from pkg.rex.errors import PackageCommandError, RexError, RexStopError, RexUndefinedVariableError
from pkg.rex.escaped import EscapedString, expandable, literal
from pkg.rex.executor import CodeSource, EnvironmentVariable, RexEnvironment, RexExecutor

__all__ = [
    "PHASES",
    "Action",
    "Alias",
    "Appendenv",
    "CodeSource",
    "Command",
    "Comment",
    "ContextInfo",
    "EnvironmentVariable",
    "EphemeralsBinding",
    "Error",
    "EscapedString",
    "Info",
    "PackageCommandError",
    "Prependenv",
    "RequirementsBinding",
    "Resetenv",
    "RexEnvironment",
    "RexError",
    "RexExecutor",
    "RexStopError",
    "RexUndefinedVariableError",
    "RexVariant",
    "Setenv",
    "Shebang",
    "Source",
    "Stop",
    "Unsetenv",
    "VariantBinding",
    "VariantsBinding",
    "VersionBinding",
    "context_actions",
    "execute_context",
    "expandable",
    "intersects",
    "literal",
]


def __dir__() -> list[str]:
    return sorted(__all__)
