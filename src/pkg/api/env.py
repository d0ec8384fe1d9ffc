"""``pkg.api.env``: resolve a request into a context, as ``rez-env`` does, save it as a
``.rxt`` file, or start a shell (or run a command) in it.

>>> from pkg.api.env import env_filter
>>> env_filter([], exclude=["*.beta"], include=["foo-*"]).to_pod()
[{'excludes': ['glob(*.beta)'], 'includes': ['glob(foo-*)']}]

See ``docs/contexts.md``.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from pkg._record import record
from pkg.api._paths import nonlocal_packages_path
from pkg.context import context_from_resolve, load_context, save_context
from pkg.resolver.filters import PackageFilterList
from pkg.resolver.reporter import Reporter

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from pathlib import Path

    from pkg.api.resolve import Resolve
    from pkg.config import Config
    from pkg.context import ContextFile
    from pkg.packages import Variant
    from pkg.resolver import SolveResult
    from pkg.resolver.dot import ResolveGraph

__all__ = [
    "EnvContext",
    "SolveProgress",
    "create_context",
    "entry_summary",
    "env_filter",
    "load_env_context",
    "patched_requests",
    "solve_stats",
    "spawn_shell",
    "write_context",
    "write_graph",
]

#: Suffixes written as DOT text rather than rendered.
_DOT_SUFFIXES = frozenset({".dot", ".gv"})


@record(frozen=True)
class EnvContext:
    """A resolve and the context file made from it, or a context loaded from ``path``
    (``resolve`` None)."""

    resolve: Resolve | None
    context: ContextFile
    path: str | None = None
    #: Why the package cache could not be updated after the resolve, if it could not.
    cache_warning: str | None = None

    @property
    def success(self) -> bool:
        return self.context.success

    def graph(self) -> ResolveGraph:
        """The resolve graph (empty for a resolve that made none)."""
        from pkg.resolver.dot import ResolveGraph

        return self.context.resolve_graph() or ResolveGraph()

    def request_str(self) -> str:
        """The request, implicit packages included, as one line."""
        return " ".join(str(r) for r in self.context.requested_packages(include_implicit=True))


def env_filter(
    base: Iterable[Mapping[str, object]] | None,
    *,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
) -> PackageFilterList:
    """The package filter of ``rez-env``: ``base`` (the ``package_filter`` setting, or
    None for ``--no-filters``), with ``exclude`` rules added to its last filter and
    ``include`` rules to every filter.

    Raises:
        ConfigError: a rule does not parse.
    """
    filters = PackageFilterList.from_pod(base or [])
    exclude, include = tuple(exclude), tuple(include)
    if exclude or include:
        from pkg.resolver.filters import parse_rule

        for text in exclude:
            filters.add_exclusion(parse_rule(text))
        for text in include:
            filters.add_inclusion(parse_rule(text))
    return filters


def create_context(
    requests: Sequence[str],
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    no_local: bool = False,
    add_implicit_packages: bool = True,
    building: bool = False,
    timestamp: int | None = None,
    exclude: Iterable[str] = (),
    include: Iterable[str] = (),
    no_filters: bool = False,
    max_fails: int = -1,
    time_limit: float = -1,
    caching: bool = True,
    package_caching: bool | None = None,
    package_cache_async: bool | None = None,
    reporter: Reporter | None = None,
) -> EnvContext:
    """Resolve ``requests`` the way ``rez-env`` does, and make the context file.

    A failed resolve still gives a context (``success`` False), as in Rez.

    Args:
        requests: the package requests.
        config: the configuration.
        paths: the repositories (default: ``packages_path``).
        no_local: without ``paths``, leave the local repository out (``--nl``).
        add_implicit_packages: False for ``--ni``.
        building: add every package's build requirements (``-b``).
        timestamp: ignore packages released after this epoch time (``-t``); 0: no lock,
            but 0 is stored as the requested time, as Rez does.
        exclude: filter rules hiding packages (``--exclude``).
        include: filter rules letting packages through (``--include``).
        no_filters: start from no filter instead of ``package_filter``.
        max_fails: stop after this many failed phases (-1: no limit).
        time_limit: stop after this many seconds (-1: no limit).
        caching: whether a resolve cache may be used (``--no-cache``: False).
        package_caching: whether the package cache may be used (stored in the context;
            default: True, or ``package_cache_during_build`` when building; rez-env
            passes True unless ``--no-pkg-cache``, building or not).  With
            ``cache_packages_path`` set, a solved context's cachable variants are then
            queued for copying into the cache (see
            :func:`pkg.api.pkg_cache.update_package_cache`).
        package_cache_async: copy them in a background process (True) or before
            returning (False, ``--pkg-cache-mode sync``); default: ``package_cache_async``.
        reporter: receives solver progress.

    Raises:
        PkgError: a request is invalid, a family or version does not exist, or a filter
            rule does not parse.
    """
    from pkg.api.resolve import resolve  # not needed to use a saved context (-i)

    if paths is None and no_local:
        paths = nonlocal_packages_path(config)
    filters = env_filter(
        None if no_filters else config.package_filter, exclude=exclude, include=include
    )
    result = resolve(
        requests,
        paths=None if paths is None else [os.path.expanduser(p) for p in paths],
        add_implicit_packages=add_implicit_packages,
        config=config,
        timestamp=timestamp,
        package_filter=filters,
        building=building,
        max_fails=max_fails,
        time_limit=time_limit,
        reporter=reporter,
        caching=caching,
    )
    context = context_from_resolve(
        result,
        config,
        requested_timestamp=timestamp,
        caching=caching,
        from_cache=result.from_cache,
        package_caching=package_caching,
        package_cache_async=package_cache_async,
    )
    warning = None
    if context.success and context.package_caching and config.cache_packages_path:
        warning = _update_package_cache(result.resolved_packages, config, package_cache_async)
    return EnvContext(result, context, cache_warning=warning)


def _update_package_cache(
    variants: Sequence[Variant], config: Config, package_cache_async: bool | None
) -> str | None:
    """Queue (and copy, or start copying) ``variants`` into the package cache; the
    reason when that cannot be done."""
    from pkg.api.pkg_cache import PackageCacheError, update_package_cache

    try:
        update_package_cache(variants, config, package_cache_async=package_cache_async)
    except (PackageCacheError, OSError) as error:
        return f"package caching disabled: {error}"
    return None


def load_env_context(path: str, config: Config | None = None) -> EnvContext:
    """The context saved at ``path`` (``pkg env -i``).

    Given ``config`` with ``cache_packages_path`` set, the context's variants are queued
    for the package cache as after a resolve, as its ``package_caching`` and
    ``package_cache_async`` say (what Rez does when it loads a context).

    Raises:
        ContextFileError: it cannot be read or is not a context file.
    """
    path = os.path.expanduser(path)
    context = load_context(path)
    warning = None
    if (
        config is not None
        and config.cache_packages_path
        and context.success
        and context.package_caching
    ):
        from pkg.context import ContextFileError
        from pkg.context.execute import load_variants

        try:
            variants = load_variants(context, config)
        except ContextFileError:
            variants = []  # reported when the shell starts
        warning = _update_package_cache(variants, config, context.package_cache_async)
    return EnvContext(None, context, path, cache_warning=warning)


def patched_requests(
    requests: Sequence[str], *, input_path: str | None, strict: bool, rank: int
) -> tuple[str, ...]:
    """The request of ``pkg env --patch``: the context of ``input_path`` (else the
    current one, ``$REZ_RXT_FILE``) patched with ``requests``, as strings.

    See :func:`pkg.context.patched_request` for ``strict`` and ``rank``.

    Raises:
        UsageError: no ``input_path`` and not in a context.
        ContextFileError: the context cannot be read.
        RequestError: a request does not parse.
    """
    from pkg.api.context_info import current_context_path
    from pkg.context import patched_request
    from pkg.errors import UsageError

    path = input_path or current_context_path()
    if path is None:
        raise UsageError("cannot patch: not in a context (give one with -i FILE)")
    source = load_context(path)
    return tuple(str(r) for r in patched_request(source, requests, strict=strict, rank=rank))


def entry_summary(env: EnvContext, config: Config) -> list[tuple[str, str | None]]:
    """The summary ``pkg context`` prints for ``env``'s context, as (text, style) lines:
    what an interactive ``pkg env`` shell shows on entry.

    Raises:
        ContextFileError: a loaded context's file cannot be read again.
    """
    from pkg.api.context_info import LoadedContext, load_for_info, summary_lines

    if env.resolve is None and env.path:
        loaded = load_for_info(env.path, config)
    else:
        variants = () if env.resolve is None else tuple(env.resolve.resolved_packages)
        loaded = LoadedContext(env.context, None, variants)
    return summary_lines(loaded, config)


def spawn_shell(
    env: EnvContext,
    config: Config,
    *,
    shell: str | None = None,
    command: str | Sequence[str] | None = None,
    stdin: bool = False,
    rcfile: str | None = None,
    norc: bool = False,
    quiet: bool = False,
    new_session: bool = False,
    detached: bool = False,
    pre_command: str | Sequence[str] | None = None,
    summary: Sequence[str] = (),
) -> int:
    """Start a shell in ``env``'s context (or run ``command`` in it) and wait for it, as
    ``rez-env`` does; return its exit status.

    The environment starts from this process's, then the context's package commands
    apply.  See :func:`pkg.context.execute.execute_shell` for the arguments.

    Raises:
        PackageCommandError: a package's commands failed; nothing was started.
        ShellError: the shell is unknown, not installed or could not start.
        ContextFileError: a package of a loaded context cannot be found.
    """
    from pkg.context.execute import execute_shell

    return execute_shell(
        env.context,
        config,
        variants=None if env.resolve is None else env.resolve.resolved_packages,
        shell_name=shell,
        command=command,
        stdin=stdin,
        rcfile=rcfile,
        norc=norc,
        quiet=quiet,
        load_path=env.path,
        new_session=new_session,
        detached=detached,
        pre_command=pre_command,
        summary=summary,
    )


def write_context(context: ContextFile, output: str) -> Path | None:
    """Save ``context`` to the file ``output`` (atomically), or print it for ``-``.

    Returns the file written (None for standard output).

    Raises:
        ContextFileError: the file could not be written.
    """
    if output == "-":
        sys.stdout.write(context.dumps())
        sys.stdout.flush()
        return None
    return save_context(context, os.path.expanduser(output))


def write_graph(
    graph: ResolveGraph, path: str | Path | None = None, *, image_format: str = "png"
) -> tuple[Path, Path | None]:
    """Write ``graph`` as DOT, and as an image when graphviz's ``dot`` is on PATH.

    ``path`` names either file: ``x.dot`` (or ``.gv``) is the DOT file and the image is
    ``x.<image_format>`` beside it; ``x.png`` (any other suffix) is the image and the
    DOT file is ``x.dot``.  Without ``path``, both go to a new temporary directory.

    Returns (DOT file, image file or None when ``dot`` is not on PATH).

    Raises:
        GraphError: ``dot`` failed.
    """
    import shutil
    import tempfile
    from pathlib import Path

    from pkg.api._graph import save_graph

    if path is None:
        path = Path(tempfile.mkdtemp(prefix="pkg-env-graph-")) / "resolve.dot"
    target = Path(os.path.expanduser(path))
    if target.suffix.lower() in _DOT_SUFFIXES:
        dot_file, image = target, target.with_suffix(f".{image_format}")
    else:
        dot_file, image = target.with_suffix(".dot"), target
        if not target.suffix:
            image = target.with_suffix(f".{image_format}")
    text = graph.to_dot()
    save_graph(text, dot_file)
    if shutil.which("dot") is None:
        return dot_file, None
    return dot_file, save_graph(text, image)


#: How :class:`SolveProgress` tells a solve stopped by ``max_fails`` from one with no
#: solution left (the solver's own wording).
_FAIL_LIMIT = "fail limit reached"


class SolveProgress(Reporter):
    """Solver progress as ``rez-env -v`` prints it: ``SOLVE #n (k fails so far)...``
    before each phase, then ``SUCCESS``, ``FAIL: there is no solution`` (no phase left
    to try) or ``FAIL: a cycle was detected``.  A solve stopped by ``max_fails`` or the
    time limit ends with no such line, as in Rez.

    Args:
        write: called with each line (no newline).

    >>> from pkg.resolver import MemoryProvider, solve
    >>> repo = MemoryProvider({"a": {"1": {}, "2": {"requires": ["b"]}},
    ...                        "b": {"1": {"requires": ["!a-2"]}}})
    >>> _ = solve(["a"], repo, reporter=SolveProgress(print))
    SOLVE #1 (0 fails so far)...
    SOLVE #2 (0 fails so far)...
    SOLVE #3 (1 fails so far)...
    SUCCESS
    """

    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write

    def phase_starting(self, number: int, num_fails: int, state: str) -> None:
        self.write(f"SOLVE #{number} ({num_fails} fails so far)...")

    def ending(self, result: SolveResult) -> None:
        if result.status == "solved":
            self.write("SUCCESS")
        elif result.status == "cyclic":
            self.write("FAIL: a cycle was detected")
        elif (
            result.status == "failed"
            and result.num_solves
            and not result.failure_description.startswith(_FAIL_LIMIT)
        ):
            self.write("FAIL: there is no solution")


def solve_stats(resolve: Resolve) -> dict[str, dict[str, float | int]]:
    """The statistics of a resolve, grouped as ``rez-env --stats`` groups them.

    Only the ``global`` group: ``num_solves`` and ``num_fails`` (phases solved and
    failed, counted as Rez counts them), ``solve_time`` (seconds, package loading
    included) and ``num_loaded_packages`` (package definitions the solver used; Rez
    reports a ``load_time`` instead).  pkg's solver does not count Rez's extractions,
    intersections and reductions.
    """
    result = resolve.result
    return {
        "global": {
            "num_solves": result.num_solves,
            "num_fails": result.num_fails,
            "solve_time": resolve.solve_time,
            "num_loaded_packages": resolve.num_loaded_packages,
        }
    }
