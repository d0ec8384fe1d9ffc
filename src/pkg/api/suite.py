"""``pkg.api.suite``: managing suites (``pkg suite``) and running their tools
(``pkg forward``), as ``rez-suite`` and Rez's suite wrappers do.

Everything that prints returns lines (tagged with a style name, see
:data:`pkg.api.context_info.Line`); running a tool returns its exit status.  See
``docs/suites.md``.
"""

from __future__ import annotations

import os
import select
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.api.context_info import Line, columnise
from pkg.context import ContextFileError, load_context
from pkg.errors import PkgError
from pkg.suites import Suite, SuiteError, Tool, visible_suite_paths

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from pkg.config import Config
    from pkg.context import ContextFile
    from pkg.packages import Variant
    from pkg.suites import ToolSource, WrapperInfo

__all__ = [
    "add_context",
    "context_lines",
    "create_suite",
    "edit_suite",
    "info_lines",
    "load_suite",
    "run_tool",
    "tool_lines",
    "tool_source",
    "validate_suite",
    "visible_suites",
]


def tool_source(config: Config) -> ToolSource:
    """What a :class:`~pkg.suites.Suite` needs to know a context's tools: the
    ``tools`` of the context's requested packages (not conflicts, not dependencies),
    read from their repositories.

    The returned function raises :class:`ContextFileError` when a package cannot be
    found any more.
    """
    from pkg.context.execute import load_variant
    from pkg.repositories.search import RepositoryPool

    pool = RepositoryPool(config)

    def source(context: ContextFile) -> list[tuple[str, list[str]]]:
        requested = {r.name for r in context.package_requests if not r.conflict}
        out: list[tuple[str, list[str]]] = []
        for handle in context.resolved_packages:
            if handle.name not in requested:
                continue
            variant = load_variant(handle, pool)
            tools = variant.get("tools")
            if tools is not None:
                out.append((variant.qualified_package_name, [str(t) for t in tools]))
        return out

    return source


def load_suite(path: str, config: Config) -> Suite:
    """The suite in directory ``path``.

    Raises:
        SuiteError: it is not a suite or cannot be read.
    """
    return Suite.load(path, tool_source(config))


def create_suite(path: str, config: Config, report: Callable[[str], object] | None = None) -> Path:
    """Create an empty suite at ``path`` (which must not exist); return its real path.

    Raises:
        SuiteError: ``path`` exists or cannot be written.
    """
    if report is not None:
        report(f"create empty suite at {path!r}...")
    return Suite(tool_source(config)).save(path)


def add_context(suite: Suite, name: str, rxt: str, prefix_char: str | None) -> None:
    """Add the context saved in ``rxt`` to ``suite`` as ``name``.

    Raises:
        ContextFileError: ``rxt`` cannot be read.
        SuiteError: the name is taken or the context did not solve.
    """
    suite.add_context(name, load_context(os.path.expanduser(rxt)), prefix_char)


def edit_suite(
    suite: Suite,
    context: str,
    *,
    add: str | None = None,
    prefix_char: str | None = None,
    remove: str | None = None,
    bump: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    hide: str | None = None,
    unhide: str | None = None,
    alias: tuple[str, str] | None = None,
    unalias: str | None = None,
    report: Callable[[str], object] | None = None,
) -> bool:
    """Apply the first edit given, in ``rez-suite``'s order (``context`` names the
    context the per-context edits act on); False when none was given.  The suite is
    changed in memory only: :meth:`Suite.save` writes it.  ``report`` receives what
    is being done, in ``rez-suite -v``'s words.

    Raises:
        ContextFileError: the ``add`` file cannot be read.
        SuiteError: the edit is invalid (unknown context or tool, name taken ...).
    """
    say = report or (lambda _line: None)
    if add:
        say(f"loading context at {add!r}...")
        loaded = load_context(os.path.expanduser(add))
        say(f"adding context {context!r}...")
        suite.add_context(context, loaded, prefix_char)
    elif remove:
        say(f"removing context {remove!r}...")
        suite.remove_context(remove)
    elif bump:
        say(f"bumping context {bump!r}...")
        suite.bump(bump)
    elif prefix is not None:
        say(f"prefixing context {context!r}...")
        suite.set_prefix(context, prefix)
    elif suffix is not None:
        say(f"suffixing context {context!r}...")
        suite.set_suffix(context, suffix)
    elif hide:
        say(f"hiding tool {hide!r} in context {context!r}...")
        suite.hide_tool(context, hide)
    elif unhide:
        say(f"unhiding tool {unhide!r} in context {context!r}...")
        suite.unhide_tool(context, unhide)
    elif alias:
        say(f"aliasing tool {alias[0]!r} as {alias[1]!r} in context {context!r}...")
        suite.alias_tool(context, alias[0], alias[1])
    elif unalias:
        say(f"unaliasing tool {unalias!r} in context {context!r}...")
        suite.unalias_tool(context, unalias)
    else:
        return False
    return True


def validate_suite(suite: Suite, config: Config) -> None:
    """Check that every context of ``suite`` can be read and all its packages found.

    Raises:
        SuiteError: naming the first context at fault.
    """
    from pkg.context.execute import load_variants

    for name in suite.context_names:
        try:
            context = suite.context(name)
            load_variants(context, config)
        except (ContextFileError, SuiteError) as error:
            raise SuiteError(f"error in context {name!r}: {error}") from None


def visible_suites(environ: Mapping[str, str] | None = None) -> list[str]:
    """The suites whose ``bin`` directory is on ``$PATH`` (``rez-suite -l``)."""
    path = (os.environ if environ is None else environ).get("PATH", "")
    return visible_suite_paths(path.split(os.pathsep))


# -- printing ---------------------------------------------------------------------------


def info_lines(suite: Suite, *, verbose: bool = False) -> list[str]:
    """What ``rez-suite DIR`` prints: the contexts, and with ``verbose`` a table of
    each one's visible tools and file."""
    if not suite.contexts:
        return ["Suite is empty."]
    names = sorted(suite.contexts)
    lines = [f"Suite contains {len(names)} contexts:"]
    if not verbose:
        return [*lines, " ".join(names)]
    tools: dict[str, set[str]] = {}
    packages: dict[str, set[tuple[str, ...]]] = {}
    for tool in suite.tools().visible.values():
        tools.setdefault(tool.context_name, set()).add(tool.tool_name)
        packages.setdefault(tool.context_name, set()).add(tool.packages)
    rows = [("NAME", "VISIBLE TOOLS", "PATH"), ("----", "-------------", "----")]
    for name in names:
        count = len(tools.get(name, ()))
        desc = f"{count} tools from {len(packages[name])} packages" if count else "no tools"
        rows.append((name, desc, str(suite.context_path(name) or "-")))
    return [*lines, "", *columnise(rows)]


def _tool_row(tool: Tool, verbose: bool) -> tuple[list[str], str | None]:
    labels: list[str] = []
    style = None
    if tool.in_conflict:
        labels.append("(in conflict)")
        style = "critical"
        if verbose:
            package = ", ".join(tool.packages)
        else:
            package = f"{tool.packages[0]} (+{len(tool.packages) - 1} more)"
    else:
        package = tool.packages[0]
    aliasing = "-"
    if tool.tool_name != tool.alias:
        aliasing = tool.tool_name
        labels.append("(aliased)")
        style = style or "heading"
    return [tool.alias, aliasing, package, tool.context_name, " ".join(labels)], style


def tool_lines(suite: Suite, *, verbose: bool = False, context: str | None = None) -> list[Line]:
    """The ``TOOL ALIASING PACKAGE CONTEXT`` table of ``rez-suite -t``, per context
    (only ``context`` when given); ``verbose`` adds hidden tools and tools shadowed by
    another context, marked ``(hidden)`` and ``(not visible)``.

    Raises:
        SuiteError: ``context`` is not in the suite.
    """
    if context:
        suite.entry(context)
    names = [context] if context else sorted(suite.contexts)
    found = suite.tools()
    entries: dict[str, list[tuple[Tool, str]]] = {}
    for tool in found.visible.values():
        entries.setdefault(tool.context_name, []).append((tool, ""))
    if verbose:
        for tool in found.hidden:
            entries.setdefault(tool.context_name, []).append((tool, "(hidden)"))
        for shadowed in found.conflicts.values():
            for tool in shadowed:
                entries.setdefault(tool.context_name, []).append((tool, "(not visible)"))
    rows: list[list[str]] = [
        ["TOOL", "ALIASING", "PACKAGE", "CONTEXT", ""],
        ["----", "--------", "-------", "-------", ""],
    ]
    styles: list[str | None] = [None, None]
    for i, name in enumerate(names):
        mine = entries.get(name, [])
        if not mine:
            continue
        if i:
            rows.append(["", "", "", "", ""])
            styles.append(None)
        for tool, mark in sorted(mine, key=lambda e: e[0].alias.lower()):
            row, style = _tool_row(tool, verbose)
            if mark:
                row[-1], style = mark, "warning"
            rows.append(row)
            styles.append(style)
    return list(zip(columnise(rows), styles, strict=True))


def context_lines(suite: Suite, name: str, config: Config, *, verbosity: int = 0) -> list[Line]:
    """What ``rez-suite DIR -c NAME`` prints: the summary of context ``name``.

    Raises:
        SuiteError: no such context.
    """
    from pkg.api import context_info as info

    suite.context(name)
    path = suite.context_path(name)
    loaded = info.load_for_info(str(path), config)
    return info.summary_lines(loaded, config, verbosity=verbosity)


# -- running a tool ---------------------------------------------------------------------


def _stdin_ready() -> bool:
    try:
        return bool(select.select([sys.stdin], [], [], 0.0)[0])
    except (OSError, ValueError):
        return True


def run_tool(
    wrapper: str,
    args: Sequence[str],
    config: Config,
    *,
    echo: Callable[[str], object],
    echo_err: Callable[[str], object],
) -> int:
    """Run the tool of the suite wrapper ``wrapper`` (pkg's or Rez's) with ``args``, as
    ``pkg forward`` does; return the exit status.

    Unless the wrapper's context disables them (prefix char ''), arguments starting
    with ``+`` (or its context's char) are options: ``+a`` prints what the tool is,
    ``++versions`` the versions of its package, ``++peek`` how a fresh resolve
    differs, ``+p PKG...`` (with ``++strict``, ``++nl``, ``++verbose``) re-resolves
    the context patched, ``+i`` starts a shell instead of the tool, ``++command CMD
    ARG...`` runs another command and ``++stdin`` reads commands from standard input
    (``++quiet``: no welcome message).  Everything else goes to the tool.

    Raises:
        PkgError: the wrapper, its suite or its context cannot be read, a patch
            request is invalid, or the shell cannot start.
    """
    from pkg.api.env import EnvContext, create_context, spawn_shell
    from pkg.suites import parse_tool_args, read_wrapper

    info = read_wrapper(wrapper)
    suite = load_suite(info.suite_path, config)
    suite.entry(info.context_name)
    context_path = Path(info.suite_path) / "contexts" / f"{info.context_name}.rxt"
    context = load_context(context_path)
    char = config.suite_alias_prefix_char if info.prefix_char is None else info.prefix_char
    opts = parse_tool_args(info.tool_name, args, char)
    if opts.about:
        for line in about_lines(info, context, str(context_path), config):
            echo(line)
        return 0
    if opts.versions:
        return _print_versions(info, context, config, echo)
    if opts.peek:
        from pkg.api.context_info import resolve_diff

        fresh = create_context(
            [str(r) for r in context.package_requests], config, paths=context.package_paths
        )
        for line in resolve_diff(context, fresh.context, config, heading=None):
            echo(line.rstrip())
        return 0
    env = EnvContext(None, context, str(context_path))
    if opts.patch is not None:
        from pkg.api.env import SolveProgress
        from pkg.context import patched_request

        request = patched_request(context, opts.patch, strict=opts.strict)
        env = create_context(
            [str(r) for r in request],
            config,
            no_local=opts.no_local,
            reporter=SolveProgress(echo) if opts.verbose else None,
        )
        if not env.success:
            echo_err(f"The resolve of '{env.request_str()}' failed.")
            echo_err(env.context.failure_description or "Resolve failed.")
            return 1
    command: list[str] | None
    if opts.command:
        command = opts.command
    elif opts.interactive:
        command = None
    else:
        command = [info.tool_name, *opts.tool_args]
    return spawn_shell(
        env, config, command=command, stdin=opts.stdin and _stdin_ready(), quiet=opts.quiet
    )


def _tool_packages(context: ContextFile, tool: str, config: Config) -> list[Variant]:
    """The packages of the whole resolve (not just the request) providing ``tool``."""
    from pkg.context.execute import load_variant
    from pkg.repositories.search import RepositoryPool

    pool = RepositoryPool(config)
    out = []
    for handle in context.resolved_packages:
        try:
            variant = load_variant(handle, pool)
        except PkgError:
            continue
        tools = variant.get("tools") or ()
        if tool in [str(t) for t in tools]:
            out.append(variant)
    return out


def about_lines(
    info: WrapperInfo, context: ContextFile, context_path: str, config: Config
) -> list[str]:
    """What ``+a`` prints: the tool, its wrapper, suite, context and package."""
    lines = [
        f"Tool:     {info.tool_name}",
        f"Path:     {info.path}",
        f"Suite:    {info.suite_path}",
        f"Context:  {context_path} ({info.context_name!r})",
    ]
    variants = _tool_packages(context, info.tool_name, config)
    if len(variants) > 1:
        names = " ".join(v.qualified_package_name for v in variants)
        lines.append(f"Packages (in conflict): {names}")
    elif variants:
        lines.append(f"Package:  {variants[0].qualified_package_name}")
    return lines


def _print_versions(
    info: WrapperInfo,
    context: ContextFile,
    config: Config,
    echo: Callable[[str], object],
) -> int:
    from pkg.repositories.search import get_repositories, iter_packages

    variants = _tool_packages(context, info.tool_name, config)
    if len(variants) > 1:
        names = " ".join(v.qualified_package_name for v in variants)
        echo(f"Packages (in conflict): {names}")
        return 1
    if not variants:
        return 0
    current = variants[0]
    found = iter_packages(current.name, repositories=get_repositories(None, config))
    rows = []
    for package in sorted(found, key=lambda p: p.version, reverse=True):
        mark = "*" if package.version == current.version else " "
        rows.append(
            (
                f"{mark} {package.qualified_name}",
                package.base or package.uri,
                "(local)" if package.is_local else "",
            )
        )
    for line in columnise(rows):
        echo(line.rstrip())
    return 0
