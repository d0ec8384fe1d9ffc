"""Shells: render :mod:`pkg.rex` actions as script text for bash, sh, zsh, csh, tcsh, fish,
cmd, powershell and pwsh.

Renderers are pure: they read nothing from the machine and run nothing.  See
``docs/shells.md``.

>>> from pkg.rex import Setenv, literal
>>> shell = get_shell("bash")()
>>> shell.render([Setenv("GREETING", literal("it's $5").e(" in ${HOME}"))])
'export GREETING="it\\'s \\\\$5 in ${HOME}"\\n'
"""

from __future__ import annotations

from pkg.errors import ShellError
from pkg.shells._quote import ShellRenderError
from pkg.shells.base import Shell
from pkg.shells.fish import Fish
from pkg.shells.unix import Bash, Csh, Sh, Tcsh, Zsh
from pkg.shells.windows import Cmd, PowerShell, Pwsh

__all__ = [
    "SHELLS",
    "Bash",
    "Cmd",
    "Csh",
    "Fish",
    "PowerShell",
    "Pwsh",
    "Sh",
    "Shell",
    "ShellRenderError",
    "Tcsh",
    "UnknownShellError",
    "Zsh",
    "get_shell",
    "shell_names",
]

#: The built-in shells by name.
SHELLS: dict[str, type[Shell]] = {
    cls.name: cls for cls in (Bash, Cmd, Csh, Fish, PowerShell, Pwsh, Sh, Tcsh, Zsh)
}


class UnknownShellError(ShellError):
    """No shell of that name is known."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown shell {name!r} (known: {', '.join(shell_names())})")


def shell_names() -> tuple[str, ...]:
    """The names of the known shells, sorted."""
    return tuple(sorted(SHELLS))


def get_shell(name: str) -> type[Shell]:
    """The shell class called ``name``; :class:`UnknownShellError` if there is none."""
    try:
        return SHELLS[name]
    except KeyError:
        raise UnknownShellError(name) from None


def __dir__() -> list[str]:
    return sorted(__all__)
