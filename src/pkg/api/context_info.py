"""``pkg.api.context_info``: what ``pkg context`` and ``pkg status`` print about a
context, as ``rez-context`` and ``rez-status`` do.

Everything here returns text (or lines tagged with a style name) and prints nothing:
the command line decides whether to style it.  A context is read from a ``.rxt`` file
(``-`` for standard input) or, without one, from ``$REZ_RXT_FILE``, which a ``pkg env``
shell sets.

>>> columnise([("a", "bb", ""), ("ccc", "d", "(x)")])
['a    bb  ', 'ccc  d   (x)']

See ``docs/contexts.md``.
"""

from __future__ import annotations

import json
import os
import pprint
import shutil
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.context import ContextFile, ContextFileError, load_context
from pkg.errors import PkgError, RepositoryError, RequestError, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from pkg.config import Config
    from pkg.context import VariantHandle
    from pkg.packages import Variant
    from pkg.resolver.dot import ResolveGraph
    from pkg.rex import RexExecutor
    from pkg.shells.base import Shell

__all__ = [
    "ENV_FORMATS",
    "NOT_IN_CONTEXT",
    "Line",
    "LoadedContext",
    "NotInContextError",
    "columnise",
    "context_environ",
    "current_context",
    "current_context_path",
    "default_format",
    "dependency_graph",
    "diff_files",
    "fetch_diff",
    "graph_dot",
    "interpret",
    "load_for_info",
    "object_lines",
    "prune_graph",
    "resolve_diff",
    "status_lines",
    "status_tool_rows",
    "summary_lines",
    "tool_conflicts",
    "tool_providers",
    "tool_rows",
    "which",
]

#: What is printed outside a context (rez's words).
NOT_IN_CONTEXT = "not in a resolved environment context."


class NotInContextError(PkgError):
    """No context file was given and this process is not in a context."""


#: ``-f`` formats that print the environment instead of a script.
ENV_FORMATS = ("dict", "table", "json")

#: A line of output and the name of its style (None: plain).  Style names: ``heading``,
#: ``local``, ``implicit``, ``ephemeral``, ``critical``.
Line = tuple[str, "str | None"]


def columnise(rows: Iterable[Sequence[object]], padding: int = 2) -> list[str]:
    """Rows as aligned columns: every cell but the last padded to its column's width
    plus ``padding`` (trailing blanks kept, as Rez prints them)."""
    table = [[str(cell) for cell in row] for row in rows]
    widths: dict[int, int] = {}
    for row in table:
        for i, cell in enumerate(row):
            widths[i] = max(widths.get(i, 0), len(cell))
    out = []
    for row in table:
        cells = [
            cell if i == len(row) - 1 else cell.ljust(widths[i] + padding)
            for i, cell in enumerate(row)
        ]
        out.append("".join(cells))
    return out


def current_context(config: Config) -> LoadedContext | None:
    """The context of the current ``pkg env`` shell (``$REZ_RXT_FILE``), or None.

    Raises:
        ContextFileError: the file it names cannot be read.
    """
    if current_context_path() is None:
        return None
    return load_for_info(None, config)


def current_context_path(environ: Mapping[str, str] | None = None) -> str | None:
    """The context file of the current ``pkg env`` (or ``rez-env``) shell, or None."""
    value = (os.environ if environ is None else environ).get("REZ_RXT_FILE", "")
    return value or None


@dataclass(frozen=True)
class LoadedContext:
    """A context read for printing, with its resolved variants.

    ``variants`` holds one entry per resolved handle, in resolve order: the variant,
    or None when it cannot be found in its repository any more.
    """

    context: ContextFile
    path: str | None
    variants: tuple[Variant | None, ...]

    def found(self) -> list[Variant]:
        """The variants that could be loaded.

        Raises:
            ContextFileError: one could not (the environment cannot be made without it).
        """
        missing = [
            h
            for h, v in zip(self.context.resolved_packages, self.variants, strict=True)
            if v is None
        ]
        if missing:
            raise ContextFileError(
                f"the context's package {missing[0]} is not in {missing[0].location}"
            )
        return [v for v in self.variants if v is not None]

    def variant(self, name: str) -> Variant | None:
        """The resolved variant of family ``name``, or None."""
        for variant in self.variants:
            if variant is not None and variant.name == name:
                return variant
        return None


def load_for_info(
    rxt: str | None, config: Config, *, environ: Mapping[str, str] | None = None
) -> LoadedContext:
    """Read the context ``rxt`` (``-``: standard input; None: the current context).

    Raises:
        NotInContextError: no ``rxt`` and not in a context.
        ContextFileError: the file cannot be read or is not a context.
    """
    path = rxt or current_context_path(environ)
    if not path:
        raise NotInContextError(NOT_IN_CONTEXT)
    if path == "-":
        context = ContextFile.loads(sys.stdin.read(), source="STDIN")
        path = None
    else:
        context = load_context(os.path.expanduser(path))
    return LoadedContext(context, path, _load_variants(context, config))


def _load_variants(context: ContextFile, config: Config) -> tuple[Variant | None, ...]:
    """Each resolved variant, or None where it cannot be read (any more)."""
    from pkg.context.execute import load_variant
    from pkg.repositories.search import RepositoryPool

    pool = RepositoryPool(config)
    out: list[Variant | None] = []
    for handle in context.resolved_packages:
        try:
            out.append(load_variant(handle, pool))
        except PkgError:  # ContextFileError included
            out.append(None)
    return tuple(out)


# -- the summary -----------------------------------------------------------------------


def _time(seconds: int, verbose: bool) -> str:
    local = time.localtime(seconds)
    if verbose:
        return time.strftime("%a %b %d %H:%M:%S %Z %Y", local) + f" ({seconds})"
    return time.strftime("%a %b %d %H:%M:%S %Y", local)


def _made_by(context: ContextFile) -> str:
    """``pkg v<version>`` for a context pkg made, ``Rez v<version>`` for one Rez made."""
    import pkg

    if os.path.basename(context.rez_path.rstrip("/\\")) == "pkg":
        return f"pkg v{pkg.__version__}"
    return f"Rez v{context.rez_version}"


def _same_path(a: str, b: str) -> bool:
    return os.path.realpath(os.path.expanduser(a)) == os.path.realpath(os.path.expanduser(b))


def _is_current(path: str | None, environ: Mapping[str, str]) -> bool:
    current = current_context_path(environ)
    return bool(path and current and os.path.exists(current) and _same_path(path, current))


def _resolved_rows(
    loaded: LoadedContext,
    config: Config,
    *,
    source_order: bool,
    show_uris: bool,
    environ: Mapping[str, str],
) -> tuple[list[tuple[str, str, str]], list[str | None]]:
    pairs = list(zip(loaded.context.resolved_packages, loaded.variants, strict=True))
    if not source_order:
        pairs.sort(key=lambda pair: pair[0].name)
    current = _is_current(loaded.path, environ)
    rows: list[tuple[str, str, str]] = []
    styles: list[str | None] = []
    for handle, variant in pairs:
        flags: list[str] = []
        style: str | None = None
        root = _root(handle, variant)
        if current:
            prefix = "REZ_" + handle.name.upper().replace(".", "_")
            if environ.get(prefix + "_ORIG_ROOT"):
                root = environ.get(prefix + "_ROOT", root)
                flags.append("cached")
        if show_uris or (variant is not None and variant.root is None):
            location = _uri(handle, variant)
        else:
            location = root
        if variant is None or (location == root and not os.path.exists(root)):
            flags.append("NOT FOUND")
            style = "critical"
        if _is_local(handle, variant, config):
            flags.append("local")
            style = "local"
        name = f"{handle.name}-{handle.version}" if handle.version else handle.name
        rows.append((name, location, f"({', '.join(flags)})" if flags else ""))
        styles.append(style)
    for request in sorted(loaded.context.resolved_ephemerals, key=lambda r: r.name):
        rows.append((str(request), "", "(ephemeral)"))
        styles.append("ephemeral")
    return rows, styles


def _root(handle: VariantHandle, variant: Variant | None) -> str:
    if variant is not None and variant.root is not None:
        return str(variant.root)
    parts = [handle.location, handle.name, *([handle.version] if handle.version else [])]
    return os.path.join(*parts)


def _uri(handle: VariantHandle, variant: Variant | None) -> str:
    if variant is not None:
        return str(variant.uri)
    return os.path.join(_root(handle, None), "package.py") + f"[{handle.index or ''}]"


def _is_local(handle: VariantHandle, variant: Variant | None, config: Config) -> bool:
    if variant is not None:
        return bool(variant.is_local)
    return _same_path(handle.location, config.local_packages_path)


def summary_lines(
    loaded: LoadedContext,
    config: Config,
    *,
    verbosity: int = 0,
    source_order: bool = False,
    show_uris: bool = False,
    environ: Mapping[str, str] | None = None,
) -> list[Line]:
    """What ``rez-context`` prints about a context (and ``rez-env`` on entry): who
    resolved it and when, the request (implicit packages marked), then the resolved
    packages sorted by name (``source_order``: in resolve order) with their roots
    (``show_uris``: their URIs) and ``(local)`` markers, or why the resolve failed.

    ``verbosity`` 1 adds the search paths, package filters and resolve details; 2 the
    tools too.
    """
    environ = os.environ if environ is None else environ
    context = loaded.context
    verbose = verbosity > 0
    lines: list[Line] = []
    status = "resolved" if context.success else "resolve failed,"
    lines.append(
        (
            f"{status} by {context.user}@{context.host}, on {_time(context.created, verbose)}, "
            f"using {_made_by(context)}",
            None,
        )
    )
    if context.requested_timestamp:
        lines.append(
            (
                "packages released after "
                f"{_time(context.requested_timestamp, verbose)} were ignored",
                None,
            )
        )
    lines.append(("", None))
    if verbose:
        lines.append(("search paths:", "heading"))
        paths = [
            (p, "(local)" if _same_path(p, config.local_packages_path) else "")
            for p in context.package_paths
        ]
        lines.extend(
            (line, "local" if label else None)
            for line, (_, label) in zip(columnise(paths), paths, strict=True)
        )
        lines.append(("", None))
        if context.package_filter.to_pod():
            lines.append(("package filters:", "heading"))
            lines.append((json.dumps(context.package_filter.to_pod(), indent=2), None))
            lines.append(("", None))
    lines.append(("requested packages:", "heading"))
    rows: list[tuple[str, str]] = []
    styles: list[str | None] = []
    for request in context.package_requests:
        ephemeral = request.name.startswith(".")
        rows.append((str(request), "(ephemeral)" if ephemeral else ""))
        styles.append("ephemeral" if ephemeral else None)
    for request in context.implicit_packages:
        rows.append((str(request), "(implicit)"))
        styles.append("implicit")
    lines.extend(zip(columnise(rows), styles, strict=True))
    lines.append(("", None))
    if not context.success:
        lines.append(
            (f"The context failed to resolve:\n{context.failure_description or ''}", "critical")
        )
        lines.append(("", None))
        lines.append(
            ("To see a graph of the failed resolution, add --fail-graph to pkg env.", None)
        )
        lines.append(("", None))
        return lines
    lines.append(("resolved packages:", "heading"))
    resolved, resolved_styles = _resolved_rows(
        loaded, config, source_order=source_order, show_uris=show_uris, environ=environ
    )
    lines.extend(zip(columnise(resolved), resolved_styles, strict=True))
    if verbose:
        lines.append(("", None))
        lines.append(("resolve details:", "heading"))
        lines.append((f"load time:         {context.load_time:.02f} secs", None))
        lines.append(
            (f"solve time:        {context.solve_time - context.load_time:.02f} secs", None)
        )
        lines.append((f"packages queried:  {context.num_loaded_packages}", None))
        lines.append((f"from cache:        {context.from_cache}", None))
        if loaded.path:
            lines.append((f"rxt file:          {loaded.path}", None))
    if verbosity >= 2:
        lines.append(("", None))
        lines.append(("tools:", "heading"))
        lines.extend(tool_rows(loaded))
    return lines


# -- tools -------------------------------------------------------------------------------


def _tools(loaded: LoadedContext) -> dict[str, tuple[str, list[str]]]:
    """``{family: (qualified package name, tools)}`` of the packages that have tools."""
    out: dict[str, tuple[str, list[str]]] = {}
    for variant in loaded.variants:
        if variant is None:
            continue
        tools = variant.get("tools")
        if tools is not None:
            out[variant.name] = (variant.qualified_package_name, [str(t) for t in tools])
    return out


def tool_conflicts(loaded: LoadedContext) -> set[str]:
    """The tools that more than one resolved package provides."""
    seen: dict[str, int] = {}
    for _, tools in _tools(loaded).values():
        for tool in set(tools):
            seen[tool] = seen.get(tool, 0) + 1
    return {tool for tool, count in seen.items() if count > 1}


def tool_providers(loaded: LoadedContext, tool: str) -> list[str]:
    """The packages (qualified names) providing ``tool``, sorted."""
    return sorted(name for name, tools in _tools(loaded).values() if tool in tools)


def tool_rows(loaded: LoadedContext) -> list[Line]:
    """The ``TOOL PACKAGE`` table of ``rez-context --tools`` (empty without tools);
    tools that several packages provide are marked ``(in conflict)``."""
    data = _tools(loaded)
    if not data:
        return []
    conflicts = tool_conflicts(loaded)
    rows = [("TOOL", "PACKAGE", ""), ("----", "-------", "")]
    styles: list[str | None] = [None, None]
    for _, (package, tools) in sorted(data.items()):
        for tool in sorted(tools):
            clash = tool in conflicts
            rows.append((tool, package, "(in conflict)" if clash else ""))
            styles.append("critical" if clash else None)
    return list(zip(columnise(rows), styles, strict=True))


def status_tool_rows(loaded: LoadedContext | None, pattern: str | None) -> list[Line]:
    """The ``TOOL ALIASING PACKAGE SOURCE`` table of ``rez-status --tools`` for the
    current context (only tools matching the glob ``pattern``); empty when none."""
    from fnmatch import fnmatch

    if loaded is None:
        return []
    conflicts = tool_conflicts(loaded)
    found: list[tuple[str, str, str, str, str]] = []
    for _, (package, tools) in sorted(_tools(loaded).items()):
        for tool in tools:
            if pattern and not fnmatch(tool, pattern):
                continue
            label = "(in conflict)" if tool in conflicts else ""
            found.append((tool, "-", package, "active context", label))
    if not found:
        return []
    found.sort(key=lambda row: row[0].lower())
    rows = [
        ("TOOL", "ALIASING", "PACKAGE", "SOURCE", ""),
        ("----", "--------", "-------", "------", ""),
        *found,
    ]
    styles = [None, None, *("critical" if row[4] else None for row in found)]
    return list(zip(columnise(rows), styles, strict=True))


# -- interpreting ----------------------------------------------------------------------


def _executor(
    loaded: LoadedContext,
    config: Config,
    shell_name: str,
    parent_environ: Mapping[str, str],
    rxt_file: str | None,
) -> tuple[Shell, RexExecutor]:
    from pkg.context.execute import context_info
    from pkg.rex import RexExecutor, execute_context
    from pkg.shells import get_shell
    from pkg.shells.spawn import system_paths

    shell = get_shell(shell_name).from_config(config)
    executor = RexExecutor(config, parent_environ, pathsep=shell.pathsep)
    if rxt_file:
        executor.setenv("REZ_RXT_FILE", rxt_file)
    execute_context(executor, loaded.found(), context_info(loaded.context, config, parent_environ))
    for text in ("", "", "#" * 80, "post system setup", "#" * 80):
        executor.comment(text)
    if loaded.context.append_sys_path:
        for path in system_paths(shell, parent_environ, config.standard_system_paths):
            executor.appendenv("PATH", path)
    return shell, executor


def _check_solved(loaded: LoadedContext) -> None:
    if not loaded.context.success:
        where = f"{loaded.path}: " if loaded.path else ""
        raise ContextFileError(f"{where}the context did not resolve ({loaded.context.status})")


def context_environ(
    loaded: LoadedContext, config: Config, parent_environ: Mapping[str, str]
) -> dict[str, str]:
    """The variables the context sets (with the system paths appended to ``PATH``), as
    ``rez-context -i -f dict`` gives them: the values, expanded over ``parent_environ``.

    Raises:
        ContextFileError: the context did not resolve, or a package is missing.
        PackageCommandError: a package's commands failed.
    """
    from pkg.context.execute import default_shell_name

    _check_solved(loaded)
    shell_name = default_shell_name(config, os.environ)
    _, executor = _executor(loaded, config, shell_name, parent_environ, None)
    return dict(executor.environ)


def interpret(
    loaded: LoadedContext,
    config: Config,
    fmt: str,
    *,
    style: str = "file",
    parent_environ: Mapping[str, str],
) -> str:
    """The context as ``rez-context -i -f FMT`` prints it: a script for the shell
    ``fmt`` (``style`` ``eval``: one line, commands joined by ``;``, comments dropped),
    or the environment (``dict``: Python's pretty-printed dict, ``table``: two columns,
    ``json``: sorted and indented by 4).

    Raises:
        ContextFileError: the context did not resolve, or a package is missing.
        PackageCommandError: a package's commands failed.
        ShellError: ``fmt`` is an unknown shell.
    """
    if fmt in ENV_FORMATS:
        env = context_environ(loaded, config, parent_environ)
        if fmt == "table":
            return "\n".join(columnise(sorted(env.items())))
        if fmt == "dict":
            return pprint.pformat(env)
        return json.dumps(env, sort_keys=True, indent=4)
    _check_solved(loaded)
    rxt = os.path.abspath(loaded.path) if loaded.path and os.path.isfile(loaded.path) else None
    shell, executor = _executor(loaded, config, fmt, parent_environ, rxt)
    script = shell.render(executor.actions)
    if style == "file":
        return script if script.endswith("\n") else script + "\n"
    kept = [line.rstrip().rstrip(";") for line in script.splitlines() if not line.startswith("#")]
    return ";".join(kept)


def which(
    loaded: LoadedContext, config: Config, command: str, parent_environ: Mapping[str, str]
) -> str | None:
    """Where ``command`` is found on the context's ``PATH`` (None: not found).

    Raises:
        ContextFileError: the context did not resolve, or a package is missing.
        PackageCommandError: a package's commands failed.
    """
    env = context_environ(loaded, config, parent_environ)
    path = env.get("PATH", parent_environ.get("PATH", ""))
    return shutil.which(command, path=path)


# -- graphs ------------------------------------------------------------------------------


def dependency_graph(loaded: LoadedContext) -> ResolveGraph:
    """The dependency graph: one node per resolved package (and ephemeral), an edge to
    each package it requires (conflict requests left out).

    Raises:
        ContextFileError: the context did not resolve, or a package is missing.
    """
    from pkg.resolver.dot import GraphEdge, GraphNode, ResolveGraph

    _check_solved(loaded)
    attrs = (("fontsize", "10"), ("fillcolor", "#AAFFAA"), ("style", "filled"))
    labels: dict[str, str] = {}
    for variant in loaded.found():
        labels[variant.name] = variant.qualified_package_name
    for request in loaded.context.resolved_ephemerals:
        labels[request.name] = str(request)
    edges: set[tuple[str, str]] = set()
    for variant in loaded.found():
        for request in variant.requires:
            if not request.conflict:
                edges.add((variant.name, request.name))
    nodes = tuple(GraphNode(name, label, attrs) for name, label in labels.items())
    return ResolveGraph(nodes, tuple(GraphEdge(a, b) for a, b in sorted(edges)))


def prune_graph(graph: ResolveGraph, package: str) -> ResolveGraph:
    """Keep only the nodes of ``package`` (a family name or request) and the nodes that
    lead to them.

    Raises:
        UsageError: the package is not in the graph.
    """
    from pkg.core import parse_requirement
    from pkg.resolver.dot import ResolveGraph

    try:
        name = parse_requirement(package).name
    except RequestError as error:
        raise UsageError(str(error).splitlines()[0]) from None
    targets = set()
    for node in graph.nodes:
        try:
            label_name = parse_requirement(node.label.strip("\"'").rsplit("[", 1)[0]).name
        except (RequestError, ValueError):
            continue
        if label_name == name:
            targets.add(node.id)
    if not targets:
        raise UsageError(f"the package {name!r} does not appear in the graph")
    keep = set(targets)
    todo = list(targets)
    while todo:
        node_id = todo.pop()
        for edge in graph.edges:
            if edge.target == node_id and edge.source not in keep:
                keep.add(edge.source)
                todo.append(edge.source)
    return ResolveGraph(
        tuple(n for n in graph.nodes if n.id in keep),
        tuple(e for e in graph.edges if e.source in keep and e.target in keep),
    )


# -- diffs ---------------------------------------------------------------------------------


def _versions_between(
    family: str, low: str, high: str, paths: Sequence[str], config: Config
) -> int:
    """How many versions of ``family`` lie in ``[low, high]`` along ``paths`` (at
    least 2: both ends)."""
    from pkg.core import Version
    from pkg.repositories.search import PackageSearchPath

    lo, hi = Version(low), Version(high)
    try:
        found = {
            v
            for v in PackageSearchPath.from_paths(paths, config).iter_versions(family)
            if lo <= v <= hi
        }
    except RepositoryError:
        found = set()
    return max(len(found | {lo, hi}), 2)


def resolve_diff(
    old: ContextFile, new: ContextFile, config: Config, *, heading: tuple[str, str] | None
) -> list[str]:
    """The difference between two resolves, per package as ``rez-context --diff``
    shows it: ``old new (+N versions)`` for a newer package in ``new``, ``(-N
    versions)`` for an older one (N counts the versions in between along the search
    path, plus one), ``- new`` for an added one and ``old -`` for a removed one.
    Empty when the resolves are the same.

    Raises:
        ContextFileError: the contexts have different package search paths.
    """
    from pkg.core import Version

    if tuple(old.package_paths) != tuple(new.package_paths):
        raise ContextFileError(
            "cannot diff resolves, package search paths differ: "
            f"{os.pathsep.join(old.package_paths)} vs {os.pathsep.join(new.package_paths)}"
        )
    mine = {(h.name, h.version) for h in old.resolved_packages}
    theirs = {(h.name, h.version) for h in new.resolved_packages}
    only_mine, only_theirs = mine - theirs, theirs - mine
    if not (only_mine or only_theirs):
        return []
    mine_by_name = dict(only_mine)
    theirs_by_name = dict(only_theirs)

    def qualified(name: str, version: str) -> str:
        return f"{name}-{version}" if version else name

    newer: list[tuple[str, str, str]] = []
    older: list[tuple[str, str, str]] = []
    removed: list[tuple[str, str, str]] = []
    for name, version in sorted(only_mine):
        if name not in theirs_by_name:
            removed.append((qualified(name, version), "-", ""))
            continue
        other = theirs_by_name[name]
        a, b = Version(version), Version(other)
        if a == b:
            continue
        count = _versions_between(name, str(min(a, b)), str(max(a, b)), old.package_paths, config)
        row = (qualified(name, version), qualified(name, other))
        if b > a:
            newer.append((*row, f"(+{count - 1} versions)"))
        else:
            older.append((*row, f"(-{count - 1} versions)"))
    added = [
        ("-", qualified(name, version), "")
        for name, version in sorted(only_theirs)
        if name not in mine_by_name
    ]
    rows: list[tuple[str, str, str]] = []
    if heading is not None:
        rows.append((heading[0], heading[1], ""))
        rows.append(("-" * len(heading[0]), "-" * len(heading[1]), ""))
    rows.extend(newer + older + added + removed)
    return columnise(rows)


def diff_files(loaded: LoadedContext, other_path: str, config: Config) -> list[str]:
    """:func:`resolve_diff` of ``loaded`` against the context file ``other_path``,
    headed by both file names.

    Raises:
        ContextFileError: the other file cannot be read, or the search paths differ.
    """
    other = load_context(os.path.expanduser(other_path))
    names = (os.path.basename(loaded.path or "STDIN"), os.path.basename(other_path))
    return resolve_diff(loaded.context, other, config, heading=names)


def fetch_diff(loaded: LoadedContext, config: Config) -> list[str]:
    """:func:`resolve_diff` of ``loaded`` against a new resolve of its request on its
    search path, headed ``current``/``updated``.

    Raises:
        PkgError: the request no longer resolves for a reason other than a conflict
            (a missing family, for instance).
    """
    from pkg.api.env import create_context

    context = loaded.context
    fresh = create_context(
        [str(r) for r in context.package_requests], config, paths=list(context.package_paths)
    )
    return resolve_diff(context, fresh.context, config, heading=("current", "updated"))


def graph_dot(loaded: LoadedContext, *, dependency: bool = False, prune: str | None = None) -> str:
    """The resolve graph (``dependency``: the dependency graph) as DOT text, pruned to
    the package ``prune`` and what leads to it.

    Raises:
        ContextFileError: the context holds no graph (or did not resolve, for the
            dependency graph).
        UsageError: ``prune`` is not in the graph.
    """
    if dependency:
        graph = dependency_graph(loaded)
    else:
        found = loaded.context.resolve_graph()
        if found is None or not found.nodes:
            raise ContextFileError("the context does not contain a graph")
        graph = found
    return (prune_graph(graph, prune) if prune else graph).to_dot()


def default_format(config: Config, environ: Mapping[str, str] | None = None) -> str:
    """The ``-f`` default: the ``default_shell`` setting, else the current shell."""
    from pkg.context.execute import default_shell_name

    return default_shell_name(config, os.environ if environ is None else environ)


# -- status ----------------------------------------------------------------------------------


def status_lines(loaded: LoadedContext | None) -> list[str]:
    """What ``rez-status`` prints without an object: pkg's version and the active
    context file (or that there is none), the suites visible on ``PATH`` and the suite
    the context belongs to."""
    import pkg
    from pkg.suites import visible_suite_paths

    lines = [f"Using pkg v{pkg.__version__}", ""]
    if loaded is None:
        lines.append("No active context.")
    elif loaded.path:
        lines.append(f"Active Context: {loaded.path}")
    else:
        lines.append("In Active Context.")
    suites = visible_suite_paths(os.environ.get("PATH", "").split(os.pathsep))
    if suites:
        lines.extend(["", f"{len(suites)} visible suites:", *suites])
    else:
        lines.extend(["", "No visible suites."])
    if loaded is not None and loaded.context.parent_suite_path:
        name, suite = loaded.context.suite_context_name, loaded.context.parent_suite_path
        lines.extend(["", f"Currently within context {name!r} in suite at {suite}"])
    return lines


def _tool_info(value: str, loaded: LoadedContext | None, word: str) -> list[str]:
    unpathed = os.path.basename(value) == value
    found = shutil.which(value) if unpathed else None
    if found is None and os.path.exists(os.path.abspath(value)):
        found = os.path.abspath(value)
    if not found or not os.path.isfile(found) or loaded is None:
        return []
    tool = os.path.basename(found)
    providers = tool_providers(loaded, tool)
    if not providers:
        return []
    lines = [f"'{tool}' {word} a tool in the active context:", f"Tool:     {tool}"]
    if loaded.path:
        lines.append(f"Context:  {loaded.path}")
    if len(providers) > 1:
        lines.append(f"Packages (in conflict): {' '.join(providers)}")
    else:
        lines.append(f"Package:  {providers[0]}")
    return lines


def _package_lines(name: str, uri: str, local: bool) -> list[str]:
    return [f"Package:  {name}", f"URI:      {uri}" + ("  (local)" if local else "")]


def _package_info(value: str, loaded: LoadedContext | None, config: Config, word: str) -> list[str]:
    from pkg.core import parse_requirement
    from pkg.repositories.search import PackageSearchPath

    if os.path.basename(value) != value:
        return []
    try:
        request = parse_requirement(value)
    except (RequestError, ValueError):
        return []
    if request.conflict:
        return []
    variant = loaded.variant(request.name) if loaded is not None else None
    if variant is not None and variant.version in request.range:
        assert loaded is not None
        lines = [f"'{request.name}' {word} a package in the active context:"]
        lines += _package_lines(variant.qualified_package_name, variant.uri, variant.is_local)
        if loaded.path:
            lines.append(f"Context:  {loaded.path}")
        return lines
    try:
        latest = PackageSearchPath.from_paths(None, config).get_latest_package(
            request.name, request.range
        )
    except RepositoryError:
        latest = None
    if latest is None:
        return []
    text = f"'{request.name}' {word} a package. The latest version"
    if not request.range.is_any():
        text += f" in the range '{request.range}'"
    return [f"{text} is:", *_package_lines(latest.qualified_name, latest.uri, latest.is_local)]


def _context_file_info(value: str, word: str) -> list[str]:
    path = os.path.abspath(value)
    if not os.path.isfile(path):
        return []
    try:
        load_context(path)
    except ContextFileError:
        return []
    return [f"'{path}' {word} a context. Use 'pkg context' for more information."]


def object_lines(value: str, loaded: LoadedContext | None, config: Config) -> list[str]:
    """What ``rez-status OBJECT`` prints: what ``value`` is, in this order: a tool of
    the active context (found on ``PATH``), a package (the active context's, else the
    latest in range on ``packages_path``), a context file; each found kind is followed
    by a blank line.  Empty when it is none of them."""
    lines: list[str] = []
    for kind in ("tool", "package", "context"):
        word = "is also" if lines else "is"
        if kind == "tool":
            found = _tool_info(value, loaded, word)
        elif kind == "package":
            found = _package_info(value, loaded, config, word)
        else:
            found = _context_file_info(value, word)
        if found:
            lines.extend([*found, ""])
    return lines
