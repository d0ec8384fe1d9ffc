"""cmd.exe and PowerShell (Windows PowerShell 5 as ``powershell``, PowerShell 7 as ``pwsh``).

A leading ``~`` stands for ``%USERPROFILE%`` (``HOME`` for pwsh).  cmd and
``powershell`` rewrite the expandable parts of variables matching ``pathed_env_vars`` to Windows
paths (``/`` becomes ``\\``), as Rez does on Windows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pkg.rex.escaped import EscapedString
from pkg.shells._quote import cmd_arg, cmd_path, cmd_text, pwsh_string, segments
from pkg.shells.base import Shell

if TYPE_CHECKING:
    from pkg.shells._quote import Segment

__all__ = ["Cmd", "PowerShell", "Pwsh"]


class _WindowsShell(Shell):
    """Path rewriting shared by cmd and PowerShell."""

    #: Whether pathed variables get backslashes.
    windows_paths: ClassVar[bool] = True

    home_variable: ClassVar[str] = "USERPROFILE"

    def value_segments(self, key: str, value: EscapedString) -> list[Segment]:
        if not (self.windows_paths and self.is_pathed(key)):
            return self.segments(value)
        return segments(
            value,
            shell=self.name,
            home=self.home_variable,
            rewrite=lambda text: text.replace("/", "\\"),
        )

    def shebang(self) -> list[str]:
        return []

    def comment(self, text: str) -> str:
        return f"# {text}".rstrip()


class Cmd(_WindowsShell):
    """cmd.exe batch files.

    Values are written unquoted with ``^`` before each special character (including
    ``"``, so quoting never switches on) and ``%`` doubled; ``${NAME}`` becomes
    ``%NAME%``.  Command arguments are quoted for the program (the Microsoft C runtime
    rules) and then caret-escaped; ``source`` paths are double-quoted.  A batch file
    cannot set a value containing a line break: that is a
    :class:`~pkg.shells.ShellRenderError`.  Aliases are ``doskey`` macros.
    """

    name: ClassVar[str] = "cmd"
    file_extension: ClassVar[str] = "bat"
    executable: ClassVar[str] = "cmd"
    default_pathsep: ClassVar[str] = ";"
    line_terminator: ClassVar[str] = "\r\n"
    last_status: ClassVar[str] = "%errorlevel%"

    def quote(self, value: str | EscapedString) -> str:
        return cmd_arg(self.segments(value), shell=self.name)

    def setenv(self, key: str, value: EscapedString) -> list[str]:
        return [f"set {key}={cmd_text(self.value_segments(key, value), shell=self.name)}"]

    def unsetenv(self, key: str) -> list[str]:
        return [f"set {key}="]

    def alias(self, name: str, value: str) -> list[str]:
        return [f"doskey {name}={value} $*"]

    def info(self, text: EscapedString) -> list[str]:
        return [f"echo({cmd_text(self.segments(text), shell=self.name)}"]

    def error(self, text: EscapedString) -> list[str]:
        return [f">&2 echo({cmd_text(self.segments(text), shell=self.name)}"]

    def comment(self, text: str) -> str:
        return f"REM {text.replace('%', '%%').replace('^', '^^')}".rstrip()

    def source(self, path: str) -> str:
        return f"call {cmd_path(self.segments(path), shell=self.name)}"


class PowerShell(_WindowsShell):
    """Windows PowerShell.  Values are double-quoted strings with backtick escapes."""

    name: ClassVar[str] = "powershell"
    file_extension: ClassVar[str] = "ps1"
    executable: ClassVar[str] = "powershell"
    # Windows PowerShell reads a script without a byte-order mark in the ANSI code page
    encoding: ClassVar[str] = "utf-8-sig"
    default_pathsep: ClassVar[str] = ";"

    def quote(self, value: str | EscapedString) -> str:
        return pwsh_string(self.segments(value))

    def setenv(self, key: str, value: EscapedString) -> list[str]:
        text = pwsh_string(self.value_segments(key, value))
        return [f'Set-Item -Path "Env:{key}" -Value {text}']

    def pendenv(self, key: str, value: EscapedString, *, prepend: bool) -> list[str]:
        # an unset variable reads as empty, even under Set-StrictMode
        current = f'(Get-ChildItem -ErrorAction SilentlyContinue "Env:{key}").Value'
        part = EscapedString.of(self.separator(key), True)
        if prepend:
            text = pwsh_string(self.value_segments(key, value + part))
            joined = f"({text} + {current})"
        else:
            text = pwsh_string(self.value_segments(key, part + value))
            joined = f"({current} + {text})"
        return [f'Set-Item -Path "Env:{key}" -Value {joined}']

    def unsetenv(self, key: str) -> list[str]:
        return [f'Remove-Item -ErrorAction SilentlyContinue "Env:{key}"']

    def alias(self, name: str, value: str) -> list[str]:
        return [f"function {name}() {{ {value} @args }}"]

    def info(self, text: EscapedString) -> list[str]:
        return [f"Write-Host {self.quote(text)}"]

    def error(self, text: EscapedString) -> list[str]:
        return [f"[Console]::Error.WriteLine({self.quote(text)})"]

    def source(self, path: str) -> str:
        return f". {self.quote(path)}"


class Pwsh(PowerShell):
    """PowerShell 7 (any platform).  Paths are kept as written; the separator is ``:``
    unless given (pass ``pathsep=";"`` for Windows)."""

    name: ClassVar[str] = "pwsh"
    executable: ClassVar[str] = "pwsh"
    encoding: ClassVar[str] = "utf-8"
    default_pathsep: ClassVar[str] = ":"
    windows_paths: ClassVar[bool] = False
    home_variable: ClassVar[str] = "HOME"
