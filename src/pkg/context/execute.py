"""Turning a context into a running shell, as ``rez-env`` does.

:func:`context_script` runs the context's rex code (package ``pre_commands``,
``commands``, ``post_commands`` and the ``REZ_*`` variables) over the parent environment
and renders the actions for one shell.  :func:`execute_shell` writes that script, the
``.rxt`` file and the startup scripts to a temporary directory, starts the shell with
:mod:`pkg.shells.spawn`, waits and returns its exit status.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.config import SystemInfo
from pkg.context.files import save_context
from pkg.context.rxt import ContextFileError
from pkg.errors import ConfigError, RepositoryError
from pkg.repositories.search import RepositoryPool
from pkg.rex import ContextInfo, RexExecutor, execute_context
from pkg.shells import get_shell
from pkg.shells.spawn import (
    StartupOptions,
    join_command,
    run_launcher,
    system_paths,
    write_startup,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.config import Config
    from pkg.context.rxt import ContextFile, VariantHandle
    from pkg.packages import Variant
    from pkg.rex import RexVariant
    from pkg.shells import Shell

__all__ = [
    "context_info",
    "context_script",
    "default_shell_name",
    "execute_shell",
    "load_variant",
    "load_variants",
]


def default_shell_name(config: Config, environ: Mapping[str, str]) -> str:
    """``default_shell``, else the shell ``$SHELL`` names when pkg knows it, else bash."""
    from pkg.shells import SHELLS

    if config.default_shell:
        return config.default_shell
    current = os.path.basename(environ.get("SHELL", ""))
    return current if current in SHELLS else "bash"


def load_variants(context: ContextFile, config: Config) -> list[Variant]:
    """The resolved variants of a loaded context, read from their repositories.

    Raises:
        ContextFileError: a variant no longer exists.
    """
    pool = RepositoryPool(config)
    return [load_variant(handle, pool) for handle in context.resolved_packages]


def load_variant(handle: VariantHandle, pool: RepositoryPool) -> Variant:
    """The variant ``handle`` names, from its repository in ``pool``.

    Raises:
        ContextFileError: it cannot be read, or is not in its repository any more.
    """
    try:
        repository = pool.get(f"{handle.repository_type}@{handle.location}")
        package = repository.get_package(handle.name, handle.version)
    except RepositoryError as error:
        raise ContextFileError(f"cannot load {handle}: {error}") from None
    if package is not None:
        for variant in package.iter_variants():
            if variant.index == handle.index:
                return variant
    raise ContextFileError(f"the context's package {handle} is not in {handle.location}")


def context_info(context: ContextFile, config: Config, environ: Mapping[str, str]) -> ContextInfo:
    """What the context tells its packages' commands (request, paths, flags ...)."""
    return ContextInfo(
        requests=context.package_requests,
        implicits=context.implicit_packages,
        ephemerals=context.resolved_ephemerals,
        package_paths=context.package_paths,
        tool_path=context.rez_path,
        tool_version=context.rez_version,
        timestamp=context.timestamp,
        requested_timestamp=context.requested_timestamp,
        building=context.building,
        testing=context.testing,
        system=SystemInfo(environ, Path.home(), config.platform_map),
    )


def context_script(
    context: ContextFile,
    variants: Sequence[RexVariant],
    shell: Shell,
    config: Config,
    *,
    parent_environ: Mapping[str, str],
    rxt_file: str,
    context_file: str,
    interactive: bool,
) -> str:
    """The context as a script for ``shell``, in Rez's order: ``REZ_RXT_FILE`` and
    ``REZ_CONTEXT_FILE``, the context's variables and package commands (each variant
    fully copied into the package cache runs from there, when the context and the
    ``read_package_cache`` setting allow), the system
    paths appended to ``PATH`` (unless the context says not to), then
    ``REZ_SHELL_INIT_TIMESTAMP`` and ``REZ_SHELL_INTERACTIVE``.

    Raises:
        PackageCommandError: a package's commands failed or called ``stop()``.
        ShellRenderError: an action cannot be written in this shell.
    """
    executor = RexExecutor(config, parent_environ, pathsep=shell.pathsep)
    executor.setenv("REZ_RXT_FILE", rxt_file)
    executor.setenv("REZ_CONTEXT_FILE", context_file)
    info = context_info(context, config, parent_environ)
    if context.package_caching and config.cache_packages_path and config.read_package_cache:
        from dataclasses import replace

        from pkg.package_cache import cached_roots  # only with a package cache

        info = replace(info, cached_roots=cached_roots(variants, config))
    execute_context(executor, variants, info)
    for line in ("", "", "#" * 80, "post system setup", "#" * 80):
        executor.comment(line)
    for path in _suite_bins(context, config.suite_visibility, parent_environ):
        executor.appendenv("PATH", path)
    if context.append_sys_path:
        for path in system_paths(shell, parent_environ, config.standard_system_paths):
            executor.appendenv("PATH", path)
    executor.setenv("REZ_SHELL_INIT_TIMESTAMP", str(int(time.time())))
    executor.setenv("REZ_SHELL_INTERACTIVE", "1" if interactive else "0")
    return shell.render(executor.actions)


def execute_shell(
    context: ContextFile,
    config: Config,
    *,
    variants: Sequence[RexVariant] | None = None,
    shell_name: str | None = None,
    command: str | Sequence[str] | None = None,
    stdin: bool = False,
    rcfile: str | None = None,
    norc: bool = False,
    quiet: bool = False,
    load_path: str | None = None,
    parent_environ: Mapping[str, str] | None = None,
    new_session: bool = False,
    detached: bool = False,
    pre_command: str | Sequence[str] | None = None,
    summary: Sequence[str] = (),
) -> int:
    """Start a shell in ``context``, wait for it and return its exit status.

    Args:
        context: a solved context.
        config: the configuration (separators, prompt settings, ``default_shell`` ...).
        variants: the resolved variants (default: read from the context's handles).
        shell_name: the shell (default: :func:`default_shell_name`).
        command: run this command line and exit ('' runs nothing); a list of arguments
            is joined as Rez joins them (``$VAR`` in an argument still expands); None
            starts a shell.
        stdin: the shell reads commands from standard input.
        rcfile: a startup file to source instead of the user's.
        norc: source no user startup file.
        quiet: no welcome message; an interactive shell otherwise prints ``summary``
            and the welcome message.
        load_path: the ``.rxt`` file the context came from; ``REZ_RXT_FILE`` names it
            instead of a copy.
        parent_environ: the environment to start from (default: ``os.environ``).
        new_session: start the shell with the ``new_session_popen_args`` setting (by
            default in a new process session), as ``rez-env --new-session``.
        detached: run the shell through the ``terminal_emulator_command`` setting (a
            new terminal window), replacing ``pre_command``; without such a command
            the shell runs here.  The temporary directory is kept, as the terminal
            may return before the shell has read it (Rez does the same).
        pre_command: arguments put before the shell's command line (a string is split
            on whitespace), as ``rez-env --pre-command``.
        summary: lines printed before the welcome message of an interactive shell:
            the context's summary (``pkg context``), rendered by the caller.

    Raises:
        PackageCommandError: a package's commands failed; no shell was started.
        ShellError: the shell is unknown, not installed or could not start.
        ContextFileError: a variant of the context cannot be found.
        ConfigError: ``new_session_popen_args`` names an argument Popen does not take.
    """
    environ = dict(os.environ if parent_environ is None else parent_environ)
    shell = get_shell(shell_name or default_shell_name(config, environ)).from_config(config)
    if variants is None:
        variants = load_variants(context, config)
    if command is not None and not isinstance(command, str):
        command = join_command(shell, command)
    options = StartupOptions(
        command=command,
        stdin=stdin and command is None,
        rcfile=rcfile,
        norc=norc,
        quiet=quiet or bool(command),
        summary=tuple(summary),
        set_prompt=config.set_prompt,
        prefix_prompt=config.prefix_prompt,
        sourced_first=config.package_commands_sourced_first,
    )
    prefix = _command_prefix(config, detached, pre_command)
    popen_args = _new_session_args(config) if new_session else {}
    tmpdir = Path(tempfile.mkdtemp(prefix="pkg_context_"))
    try:
        if load_path and os.path.isfile(load_path):
            rxt_file = os.path.abspath(load_path)
        else:
            rxt_file = str(save_context(context, tmpdir / "context.rxt"))
        context_file = tmpdir / f"context.{shell.file_extension}"
        script = context_script(
            context,
            variants,
            shell,
            config,
            parent_environ=environ,
            rxt_file=rxt_file,
            context_file=str(context_file),
            interactive=command is None,
        )
        context_file.write_text(script, encoding=shell.encoding)
        launch = write_startup(
            shell, context_file, tmpdir, options, environ=environ, home=Path.home()
        )
        return run_launcher(launch, environ, prefix=prefix, popen_args=popen_args)
    finally:
        if not detached:
            shutil.rmtree(tmpdir, ignore_errors=True)


def _suite_bins(context: ContextFile, visibility: str, environ: Mapping[str, str]) -> list[str]:
    """The ``bin`` directories of the suites on ``PATH`` (a ``PATH`` entry whose parent
    holds ``suite.yaml``) that stay on it in the context, per ``suite_visibility``:
    all of them (``always``), none (``never``), or, for a context of a suite, only
    that suite (``parent`` and ``parent_priority``, as Rez 3.4.0 does)."""
    entries = [e for e in environ.get("PATH", "").split(os.pathsep) if e and os.path.isdir(e)]
    suites = [
        os.path.dirname(e)
        for e in entries
        if os.path.isfile(os.path.join(os.path.dirname(e), "suite.yaml"))
    ]
    if visibility == "never" or not suites:
        return []
    if visibility != "always":
        suites = [context.parent_suite_path] if context.parent_suite_path else []
    return [os.path.join(path, "bin") for path in suites]


#: :class:`subprocess.Popen` arguments that ``new_session_popen_args`` may not set
#: (pkg sets them itself).
_RESERVED_POPEN_ARGS = frozenset(
    {"args", "env", "executable", "shell", "stdin", "stdout", "stderr"}
)


def _command_prefix(
    config: Config, detached: bool, pre_command: str | Sequence[str] | None
) -> list[str]:
    """What goes before the shell's command line: the terminal emulator's command when
    ``detached`` and one is configured (or found), else ``pre_command``."""
    if detached and config.terminal_emulator_command:
        pre_command = config.terminal_emulator_command
    if isinstance(pre_command, str):
        return pre_command.split()
    return list(pre_command or ())


def _new_session_args(config: Config) -> dict[str, object]:
    """The ``new_session_popen_args`` setting, checked against Popen's arguments.

    Raises:
        ConfigError: it names an argument Popen does not take, or one pkg sets.
    """
    import inspect
    import subprocess

    args = dict(config.new_session_popen_args or {})
    known = set(inspect.signature(subprocess.Popen).parameters) - _RESERVED_POPEN_ARGS
    for key in args:
        if key not in known:
            raise ConfigError(
                f"{key!r} is not a subprocess.Popen argument pkg can pass",
                key_path="new_session_popen_args",
            )
    return args
