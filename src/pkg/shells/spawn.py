"""Starting a shell in a context: the startup scripts, then the process.

The context itself is one script (``context.<ext>``) made by the caller.  As in Rez, the
shell is not pointed at it directly: :func:`write_startup` writes a launcher script,
``rez-shell.<ext>``, which the shell runs.  For a command (``-c``/``--``) or ``--stdin``,
the launcher sources the context, then the user's startup files, then runs the command
(or a shell reading standard input) and exits with its status.  For an interactive
shell, the launcher starts the interactive shell with a startup file of its own, which
sources the context first, then the user's startup files (unless ``norc``), sets the
prompt and prints the welcome message:

* bash: ``bash --rcfile <tmp>/rcfile.sh``;
* zsh: ``ZDOTDIR`` points at the temporary directory, whose ``.zshrc`` restores it;
* sh: ``ENV`` points at ``<tmp>/ENV.sh``;
* csh and tcsh: ``HOME`` points at the temporary directory, whose ``.tcshrc`` and
  ``.cshrc`` restore it;
* fish: ``fish --init-command 'source <context>'``; fish runs its own configuration
  first (``--no-config`` with ``norc``).

Only :func:`run_launcher` runs anything.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

from pkg._record import record
from pkg.errors import ShellError
from pkg.rex import actions as act
from pkg.rex.escaped import expandable, literal

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from pkg.shells.base import Shell

__all__ = [
    "SPAWNABLE",
    "WELCOME",
    "Launch",
    "StartupOptions",
    "join_command",
    "run_launcher",
    "shell_program",
    "startup_files",
    "system_paths",
    "write_startup",
]

#: The shells :func:`write_startup` can start.
SPAWNABLE = frozenset({"bash", "sh", "zsh", "csh", "tcsh", "fish"})

#: The message an interactive shell prints on entry (Rez's words, with pkg's name).
WELCOME = "You are now in a pkg-configured environment."

#: What the prompt gets prefixed with, per shell (Rez's shell plugin settings; Rez doubles
#: the ``%`` of zsh's, which zsh's prompt shows as one).
_PROMPTS = {"zsh": "%%"}

#: Characters that need no quoting in a command word (as :func:`shlex.quote`).
_UNSAFE = re.compile(r"[^\w@%+=:,./-]", re.ASCII)

#: User startup files a shell's own startup would read, in Rez's order.
_USER_FILES: dict[str, tuple[str, ...]] = {
    "bash": ("~/.bash_profile", "~/.bash_login", "~/.profile", "~/.bashrc"),
    "zsh": ("~/.zprofile", "~/.zlogin", "~/.zshrc", "~/.zshenv"),
    "csh": ("~/.tcshrc", "~/.cshrc", "~/.login", "~/.cshdirs"),
    "tcsh": ("~/.tcshrc", "~/.cshrc", "~/.login", "~/.cshdirs"),
    "sh": ("~/.profile",),
}


#: The arguments that keep each shell from reading startup files (Rez's ``norc_arg``).
_NORC_ARGS: dict[str, tuple[str, ...]] = {
    "bash": ("--norc",),
    "sh": ("--noprofile",),
    "zsh": ("--no-rcs",),
    "fish": ("--no-config",),
}

_SYSTEM_PATHS: dict[str, tuple[str, ...]] = {}


def system_paths(
    shell: Shell, environ: Mapping[str, str], standard: Sequence[str] = ()
) -> tuple[str, ...]:
    """The directories the shell puts on ``PATH`` when it starts without one, then those
    of :data:`os.defpath`, as Rez appends them to a context's ``PATH``.

    ``standard`` (the ``standard_system_paths`` setting), when not empty, is the answer
    instead.  The shell is asked once per process.
    """
    if standard:
        return tuple(standard)
    found = _SYSTEM_PATHS.get(shell.name)
    if found is not None:
        return found
    paths: list[str] = []
    program = shutil.which(shell.executable, path=environ.get("PATH", os.defpath))
    if program is not None:
        argv = [program, *_NORC_ARGS.get(shell.name, ()), "-c", "echo __PATHS_ $PATH"]
        env = {k: v for k, v in environ.items() if k != "PATH"}
        try:
            done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        except OSError:
            done = None
        if done is not None and done.returncode == 0:
            for line in done.stdout.splitlines():
                words = line.split()
                if "__PATHS_" in words and words[-1] != "__PATHS_":
                    paths = words[-1].split(os.pathsep)
                    break
    paths.extend(p for p in os.defpath.split(os.pathsep) if p not in paths)
    found = _SYSTEM_PATHS[shell.name] = tuple(p for p in paths if p)
    return found


@record(frozen=True, slots=True)
class StartupOptions:
    """How the shell starts.

    Attributes:
        command: the command to run and exit (None: a shell, interactive or reading
            standard input).
        stdin: read commands from standard input (ignored with a command).
        rcfile: a startup file to source instead of the user's.
        norc: source no user startup file.
        quiet: no welcome message.
        summary: the lines of the context's summary (as ``pkg context`` prints it),
            printed before the welcome message of an interactive shell.
        set_prompt: change the prompt (``set_prompt``).
        prefix_prompt: put the context marker before the prompt (``prefix_prompt``).
        sourced_first: source the context before the user's files
            (``package_commands_sourced_first``).
    """

    command: str | None = None
    stdin: bool = False
    rcfile: str | None = None
    norc: bool = False
    quiet: bool = False
    summary: tuple[str, ...] = ()
    set_prompt: bool = True
    prefix_prompt: bool = True
    sourced_first: bool = True

    @property
    def interactive(self) -> bool:
        return self.command is None and not self.stdin


@record(frozen=True, slots=True)
class Launch:
    """The process to start."""

    argv: tuple[str, ...]


def shell_program(shell: Shell, environ: Mapping[str, str]) -> str:
    """The full path of ``shell``'s program on ``environ``'s ``PATH``.

    Raises:
        ShellError: the program is not installed.
    """
    found = shutil.which(shell.executable, path=environ.get("PATH", os.defpath))
    if found is None:
        raise ShellError(f"cannot start {shell.name}: {shell.executable!r} is not on PATH")
    return found


def join_command(shell: Shell, args: Sequence[str]) -> str:
    """``args`` as one command line, quoted as Rez quotes ``rez-env -- ARGS``.

    Words with special characters are double-quoted, so ``$VAR`` still expands.

    >>> from pkg.shells import Bash
    >>> join_command(Bash(), ["echo", "$HOME/x y", "it's", ""])
    'echo "$HOME/x y" "it\\'s" \\'\\''
    """
    if shell.name == "fish":
        replacements: tuple[tuple[str, str], ...] = (("\\", "\\\\"), ('"', '\\"'))
    elif shell.name in ("csh", "tcsh"):
        replacements = (("!", "\\!"), ('"', '"\'"\'"'), ("`", "\\`"))
    else:
        replacements = (("`", "\\`"), ('"', '"\'"\'"'))

    def word(arg: str) -> str:
        if not arg:
            return "''"
        if _UNSAFE.search(arg) is None:
            return arg
        for old, new in replacements:
            arg = arg.replace(old, new)
        return f'"{arg}"'

    return " ".join(word(arg) for arg in args)


def startup_files(
    shell: Shell, options: StartupOptions, environ: Mapping[str, str], home: Path
) -> list[str]:
    """The user's startup files to source after (or before) the context, as Rez does."""

    def exists(path: str) -> bool:
        return _exists(path, home)

    name = shell.name
    if name == "bash" and not options.interactive:
        path = environ.get("BASH_ENV")
        return [path] if path and exists(path) else []
    if name == "sh":
        if not options.interactive:
            return []
        files = [] if options.norc else [f for f in _USER_FILES["sh"] if exists(f)]
        env_file = environ.get("ENV")
        return files + ([env_file] if env_file and exists(env_file) else [])
    if options.rcfile or options.norc:
        rcfile = options.rcfile
        return [rcfile] if rcfile and not options.norc and exists(rcfile) else []
    files = [f for f in _USER_FILES.get(name, ()) if exists(f)]
    if options.interactive:
        # what the interactive shell would read itself (Rez wraps these files)
        wanted = {"bash": ("~/.bashrc",), "zsh": ("~/.zshrc",)}.get(name, files[:1])
        return [f for f in files if f in wanted]
    return files


def _exists(path: str, home: Path) -> bool:
    return os.path.isfile(_expand_home(path, home))


def _expand_home(path: str, home: Path) -> str:
    if path == "~" or path.startswith("~/"):
        return str(home) + path[1:]
    return os.path.expanduser(path)


def _prompt_actions(
    shell: Shell, options: StartupOptions, environ: Mapping[str, str]
) -> list[act.Action]:
    if not options.set_prompt:
        return []
    name = shell.name
    if name in ("sh", "bash", "zsh"):
        marker = (
            r"%{%B%}$REZ_ENV_PROMPT%{%b%}"
            if name == "zsh"
            else r"\[\e[1m\]$REZ_ENV_PROMPT\[\e[0m\]"
        )
        new = (
            f"{marker} $REZ_STORED_PROMPT_SH"
            if options.prefix_prompt
            else f"$REZ_STORED_PROMPT_SH {marker}"
        )
        return [
            act.Command(
                'if [ -z "$REZ_STORED_PROMPT_SH" ]; then export REZ_STORED_PROMPT_SH="$PS1"; fi'
            ),
            act.Command(f'export PS1="{new}"'),
        ]
    if name in ("csh", "tcsh"):
        stored = environ.get("REZ_STORED_PROMPT_CSH")
        current = stored or environ.get("prompt", "[%m %c]%# ")
        out: list[act.Action] = []
        if not stored:
            out.append(act.Setenv("REZ_STORED_PROMPT_CSH", literal(f'"{current}"')))
        marker = "$REZ_ENV_PROMPT"
        new = f"{marker} {current}" if options.prefix_prompt else f"{current} {marker}"
        out.append(act.Command(f"set prompt={shell.quote(new)}"))
        return out
    if name == "fish":
        return [
            act.Command(
                "functions -q fish_prompt; and functions -c fish_prompt __pkg_stored_prompt; "
                "and function fish_prompt; printf '%s ' $REZ_ENV_PROMPT; __pkg_stored_prompt; end"
                if options.prefix_prompt
                else "functions -q fish_prompt; and functions -c fish_prompt __pkg_stored_prompt; "
                "and function fish_prompt; __pkg_stored_prompt; printf '%s ' $REZ_ENV_PROMPT; end"
            )
        ]
    return []


def _startup_actions(
    shell: Shell,
    context_file: Path,
    files: Sequence[str],
    options: StartupOptions,
    environ: Mapping[str, str],
    *,
    unset: str | None = None,
    welcome: bool = False,
) -> list[act.Action]:
    out: list[act.Action] = []
    if options.sourced_first:
        out.append(act.Source(str(context_file)))
    out.extend(act.Source(f) for f in files)
    if not options.sourced_first:
        out.append(act.Source(str(context_file)))
    if unset:
        out.append(act.Unsetenv(unset))
    out.extend(_prompt_actions(shell, options, environ))
    if welcome and not options.quiet:
        out.extend(act.Info(literal(line)) for line in options.summary)
        out.extend(act.Info(literal(text)) for text in ("", WELCOME, ""))
    return out


def write_startup(
    shell: Shell,
    context_file: Path,
    tmpdir: Path,
    options: StartupOptions,
    *,
    environ: Mapping[str, str],
    home: Path,
) -> Launch:
    """Write the launcher (and any startup file) into ``tmpdir``; the process to start.

    Args:
        shell: the renderer of the chosen shell.
        context_file: the context script, in ``shell``'s language.
        tmpdir: a directory for the scripts; the caller removes it.
        options: command, stdin and rc handling.
        environ: the environment the shell starts from.
        home: the user's home directory.

    Raises:
        ShellError: the shell's program is not on ``PATH``.
    """
    name = shell.name
    if name not in SPAWNABLE:
        raise ShellError(f"pkg cannot start {name} yet (it can: {', '.join(sorted(SPAWNABLE))})")
    program = shell_program(shell, environ)
    files = startup_files(shell, options, environ, home)
    ext = shell.file_extension
    launcher: list[act.Action] = [act.Shebang()]

    if name in ("csh", "tcsh"):
        launcher.append(act.Command("if (! $?REZ_ENV_PROMPT) setenv REZ_ENV_PROMPT ''"))
    prompt = _PROMPTS.get(name, ">")
    launcher.append(act.Setenv("REZ_ENV_PROMPT", expandable("${REZ_ENV_PROMPT}").literal(prompt)))

    extra: list[str] = []
    if options.norc and name == "fish":
        extra.append("--no-config")
    if not options.interactive:
        unset = "BASH_ENV" if name == "bash" else None
        launcher.extend(_startup_actions(shell, context_file, files, options, environ, unset=unset))
        if options.command is not None:
            if options.command:
                launcher.append(act.Command(options.command))
        else:
            launcher.append(act.Command(f"{program} -s" if name != "fish" else program))
    else:
        launcher.extend(
            _interactive(shell, program, context_file, tmpdir, files, options, environ, home)
        )
    launcher.append(act.Command(f"exit {shell.last_status}"))
    script = _write(shell, tmpdir / f"rez-shell.{ext}", launcher)
    return Launch((program, *extra, str(script)))


def _interactive(
    shell: Shell,
    program: str,
    context_file: Path,
    tmpdir: Path,
    files: Sequence[str],
    options: StartupOptions,
    environ: Mapping[str, str],
    home: Path,
) -> list[act.Action]:
    """Write the startup file of an interactive shell; the launcher lines starting it."""
    name = shell.name
    ext = shell.file_extension
    out: list[act.Action] = []
    rc = _startup_actions(shell, context_file, files, options, environ, welcome=True)
    if name == "bash":
        rcfile = _write(shell, tmpdir / f"rcfile.{ext}", rc)
        out.append(act.Command(f"{program} --rcfile {shell.quote(str(rcfile))}"))
    elif name == "zsh":
        restore = _restore("ZDOTDIR", environ)
        zshenv = [] if options.norc or options.rcfile else ["~/.zshenv"]
        _write(
            shell,
            tmpdir / ".zshenv",
            [act.Source(_expand_home(f, home)) for f in zshenv if _exists(f, home)],
        )
        _write(shell, tmpdir / ".zshrc", [*restore, *rc])
        out.append(act.Setenv("ZDOTDIR", literal(str(tmpdir))))
        out.append(act.Command(program))
    elif name == "sh":
        env_file = _write(shell, tmpdir / f"ENV.{ext}", [*_restore("ENV", environ), *rc])
        out.append(act.Setenv("ENV", literal(str(env_file))))
        out.append(act.Command(program))
    elif name in ("csh", "tcsh"):
        restore = [act.Setenv("HOME", literal(environ.get("HOME", str(home))))]
        for rc_name in (".tcshrc", ".cshrc"):
            _write(shell, tmpdir / rc_name, [*restore, *rc])
        out.append(act.Setenv("HOME", literal(str(tmpdir))))
        out.append(act.Command(program))
    elif name == "fish":
        # fish reads its own configuration before --init-command runs
        own = [options.rcfile] if options.rcfile and not options.norc else []
        init_actions = _startup_actions(shell, context_file, own, options, environ, welcome=True)
        init = _write(shell, tmpdir / f"init.{ext}", init_actions)
        extra = ["--no-config"] if options.norc else []
        command = [program, *extra, "--init-command", f"source {shell.quote(str(init))}"]
        out.append(act.Command(join_command(shell, command)))
    else:
        raise ShellError(f"pkg cannot start an interactive {name} shell")
    return out


def _restore(key: str, environ: Mapping[str, str]) -> list[act.Action]:
    value = environ.get(key)
    return [act.Unsetenv(key) if value is None else act.Setenv(key, literal(value))]


def _write(shell: Shell, path: Path, actions: Sequence[act.Action]) -> Path:
    path.write_text(shell.render(actions), encoding=shell.encoding)
    return path


def run_launcher(
    launch: Launch,
    environ: Mapping[str, str],
    *,
    prefix: Sequence[str] = (),
    popen_args: Mapping[str, Any] | None = None,
) -> int:
    """Run ``launch`` in ``environ``, wait, and return its exit status
    (128 + the signal number when a signal ended it, as shells report it).

    ``prefix`` goes before the launcher's own arguments (Rez's ``pre_command``: a
    terminal emulator's command, ``nice``...); ``popen_args`` are more
    :class:`subprocess.Popen` arguments (``start_new_session`` ...).

    Raises:
        ShellError: the shell (or the prefix's program) could not be started.
    """
    argv = [*prefix, *launch.argv]
    try:
        code = subprocess.call(argv, env=dict(environ), **dict(popen_args or {}))
    except OSError as error:
        raise ShellError(f"cannot run {argv[0]}: {error.strerror or error}") from None
    return 128 - code if code < 0 else code
