"""The wrappers in a suite's ``bin`` directory, and the ``+`` arguments they take.

A wrapper names a context of the suite two directories up and a tool in it.  Rez writes
it as YAML behind a ``#!/usr/bin/env _rez_fwd`` line; pkg writes the same YAML keys
behind a ``/bin/sh`` line that hands the file to ``pkg forward`` (by the Python that
wrote it, so ``pkg`` need not be on ``PATH``).  The ``exec`` line is itself a YAML key,
so the whole file still reads as Rez's wrapper document::

    #!/bin/sh
    exec '/usr/bin/python3' -I -m pkg forward "$0" "$@"; : pkg
    func_name: _FWD__invoke_suite_tool_alias
    kwargs:
      context_name: maya
      prefix_char: null
      tool_name: render
    module: suite

:func:`read_wrapper` reads both kinds.  :func:`parse_tool_args` splits a wrapper's
arguments into Rez's ``+`` options and the tool's own arguments.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pkg.errors import PkgError
from pkg.packages._yaml import YamlError, load_yaml
from pkg.suites._yaml import dump_suite_yaml

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "FORWARD_FUNCTION",
    "ToolArgs",
    "WrapperInfo",
    "parse_tool_args",
    "read_wrapper",
    "tool_args_help",
    "write_wrapper",
]

#: The function name a suite tool's wrapper names (Rez's).
FORWARD_FUNCTION = "_FWD__invoke_suite_tool_alias"


@dataclass(frozen=True)
class WrapperInfo:
    """What a wrapper file says: run ``tool_name`` in context ``context_name`` of the
    suite at ``suite_path``; ``prefix_char`` None means the ``suite_alias_prefix_char``
    setting."""

    path: str
    suite_path: str
    context_name: str
    tool_name: str
    prefix_char: str | None


def _exec_line() -> str:
    python = shlex.quote(sys.executable or "python3")
    return f'exec {python} -I -m pkg forward "$0" "$@"; : pkg'


def write_wrapper(path: Path, context_name: str, tool_name: str, prefix_char: str | None) -> None:
    """Write the wrapper for ``tool_name`` of ``context_name`` at ``path``, executable."""
    body = dump_suite_yaml(
        {
            "func_name": FORWARD_FUNCTION,
            "module": "suite",
            "kwargs": {
                "context_name": context_name,
                "tool_name": tool_name,
                "prefix_char": prefix_char,
            },
        }
    )
    path.write_text(f"#!/bin/sh\n{_exec_line()}\n{body}", encoding="utf-8")
    os.chmod(path, 0o755)


def read_wrapper(path: str) -> WrapperInfo:
    """Read the wrapper at ``path`` (pkg's or Rez's).

    Raises:
        PkgError: it cannot be read, or is not a suite tool's wrapper.
    """
    filepath = os.path.abspath(path)
    try:
        with open(filepath, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise PkgError(f"cannot read wrapper {path}: {getattr(error, 'strerror', error)}") from None
    if filepath.lower().endswith(".cmd"):
        lines = lines[4:]  # Rez's Windows wrappers start with a batch script
    text = "\n".join(line for line in lines if not line.startswith("exec "))
    try:
        doc = load_yaml(text)
        assert isinstance(doc, dict)
        kwargs = doc["kwargs"]
        assert isinstance(kwargs, dict)
        func = doc.get("func_name")
        context_name, tool_name = kwargs["context_name"], kwargs["tool_name"]
        prefix_char = kwargs.get("prefix_char")
    except (YamlError, AssertionError, KeyError, TypeError):
        raise PkgError(f"not a suite tool's wrapper: {path}") from None
    if func != FORWARD_FUNCTION:
        raise PkgError(f"{path} forwards to {func!r}, which pkg does not run")
    return WrapperInfo(
        path=filepath,
        suite_path=os.path.dirname(os.path.dirname(filepath)),
        context_name=str(context_name),
        tool_name=str(tool_name),
        prefix_char=None if prefix_char is None else str(prefix_char),
    )


@dataclass
class ToolArgs:
    """A wrapper's arguments: Rez's ``+`` options, and ``tool_args`` for the tool."""

    about: bool = False
    interactive: bool = False
    patch: list[str] | None = None
    versions: bool = False
    command: list[str] | None = None
    stdin: bool = False
    strict: bool = False
    no_local: bool = False
    peek: bool = False
    verbose: int = 0
    quiet: bool = False
    tool_args: list[str] = field(default_factory=list)


def _parser(tool_name: str, char: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=tool_name, prefix_chars=char)
    one, two = char, char * 2
    parser.add_argument(
        f"{one}a", f"{two}about", action="store_true", help="print information about the tool"
    )
    parser.add_argument(
        f"{one}i",
        f"{two}interactive",
        action="store_true",
        help="start an interactive shell in the tool's context",
    )
    parser.add_argument(
        f"{one}p",
        f"{two}patch",
        nargs="*",
        metavar="PKG",
        help="run the tool in the context patched with PKG... (re-resolved)",
    )
    parser.add_argument(
        f"{two}versions",
        action="store_true",
        help="list the versions of the package that provides the tool",
    )
    parser.add_argument(
        f"{two}command",
        nargs="+",
        metavar=("COMMAND", "ARG"),
        help="run COMMAND in the tool's context instead of the tool",
    )
    parser.add_argument(
        f"{two}stdin",
        action="store_true",
        help="read commands from standard input instead of running the tool",
    )
    parser.add_argument(
        f"{two}strict", action="store_true", help="patch from the resolved versions (with patch)"
    )
    parser.add_argument(
        f"{two}nl",
        f"{two}no-local",
        dest="no_local",
        action="store_true",
        help="leave the local repository out when patching",
    )
    parser.add_argument(
        f"{two}peek",
        action="store_true",
        help="show how a fresh resolve of the context's request differs from it",
    )
    parser.add_argument(f"{two}verbose", action="count", default=0, help="more output (repeatable)")
    parser.add_argument(
        f"{two}quiet", action="store_true", help="no welcome message in interactive mode"
    )
    parser.add_argument(
        f"{two}no-rez-args",
        dest="no_rez_args",
        action="store_true",
        help=f"pass every argument to the tool, even those starting with {char!r}",
    )
    return parser


def tool_args_help(tool_name: str, char: str) -> str:
    """The help text of a wrapper's ``+`` options (``+h``)."""
    return _parser(tool_name, char).format_help()


def parse_tool_args(tool_name: str, args: Sequence[str], char: str) -> ToolArgs:
    """Split ``args`` into ``+`` options (``char`` instead of ``+``) and the tool's
    arguments, as Rez's wrappers do: unknown arguments go to the tool in order, and
    ``++no-rez-args`` passes everything else to it.  ``char`` '' means no options.

    Like any argparse parser, a bad option (``++command`` without a command) or ``+h``
    prints to standard error or output and exits (status 2 or 0).
    """
    if not char:
        return ToolArgs(tool_args=list(args))
    parser = _parser(tool_name, char)
    opts, rest = parser.parse_known_args(list(args))
    marker = f"{char * 2}no-rez-args"
    if opts.no_rez_args:
        passed = list(args)
        if marker in passed:
            passed.remove(marker)
        return ToolArgs(tool_args=passed)
    return ToolArgs(
        about=opts.about,
        interactive=opts.interactive,
        patch=opts.patch,
        versions=opts.versions,
        command=opts.command,
        stdin=opts.stdin,
        strict=opts.strict,
        no_local=opts.no_local,
        peek=opts.peek,
        verbose=opts.verbose,
        quiet=opts.quiet,
        tool_args=rest,
    )
