"""The POSIX family (sh, bash, zsh) and the C shells (csh, tcsh)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pkg.shells._quote import NAME, csh_word, posix_word
from pkg.shells.base import Shell

if TYPE_CHECKING:
    from pkg.rex.escaped import EscapedString

__all__ = ["Bash", "Csh", "Sh", "Tcsh", "Zsh"]


class Sh(Shell):
    """POSIX sh (dash on Debian).  Aliases are functions, ``name() { value "$@"; }``, or
    shell aliases when ``name`` is not an identifier.

    ``info``/``error`` use ``printf '%s\\n'`` rather than ``echo``, whose handling of
    backslashes and of a leading ``-n`` differs between shells.
    """

    name: ClassVar[str] = "sh"
    file_extension: ClassVar[str] = "sh"
    executable: ClassVar[str] = "sh"

    def quote(self, value: str | EscapedString) -> str:
        return posix_word(self.segments(value))

    def setenv(self, key: str, value: EscapedString) -> list[str]:
        return [f"export {key}={self.quote(value)}"]

    def unsetenv(self, key: str) -> list[str]:
        return [f"unset {key}"]

    def alias(self, name: str, value: str) -> list[str]:
        if NAME.match(name):
            return [f'{name}() {{ {value} "$@"; }}']
        # POSIX function names are identifiers; an alias takes any name
        return [f"alias {name}={posix_word([(False, value)])}"]

    def info(self, text: EscapedString) -> list[str]:
        return [f"printf '%s\\n' {self.quote(text)}"]

    def error(self, text: EscapedString) -> list[str]:
        return [f"printf '%s\\n' {self.quote(text)} 1>&2"]

    def comment(self, text: str) -> str:
        return f"# {text}".rstrip()

    def source(self, path: str) -> str:
        return f". {self.quote(path)}"


class _Functions(Sh):
    """Shells whose function names may hold ``-``, ``.`` and ``+`` (bash, zsh)."""

    def alias(self, name: str, value: str) -> list[str]:
        return [f'{name}() {{ {value} "$@"; }}']


class Bash(_Functions):
    """GNU bash.  Aliases are exported functions, so child bash processes see them too."""

    name: ClassVar[str] = "bash"
    executable: ClassVar[str] = "bash"

    def alias(self, name: str, value: str) -> list[str]:
        return [f'function {name}() {{ {value} "$@"; }}; export -f {name}']


class Zsh(_Functions):
    """zsh: as sh (zsh has ``unset``, ``export`` and POSIX functions)."""

    name: ClassVar[str] = "zsh"
    executable: ClassVar[str] = "zsh"


#: csh has no ``printf`` builtin, and the ``printf`` program may be off ``PATH`` while a
#: context script runs (a package may replace ``PATH`` before the system paths are
#: appended), so ``info``/``error`` use the ``echo`` builtin in a subshell, with tcsh's
#: ``echo_style`` set so that it neither reads ``-n`` nor backslash escapes.
_VERBATIM_ECHO = "set echo_style = none; echo"


class Csh(Shell):
    """The C shell (tcsh on Debian, where ``csh`` is tcsh).

    Aliases are csh aliases, which append the caller's arguments; ``prependenv`` and
    ``appendenv`` first make sure the variable exists, since csh fails on a reference
    to an undefined variable.  ``info`` and ``error`` print with the ``echo`` builtin
    (see :data:`_VERBATIM_ECHO`), so they work whatever ``PATH`` holds.
    """

    name: ClassVar[str] = "csh"
    file_extension: ClassVar[str] = "csh"
    executable: ClassVar[str] = "csh"
    last_status: ClassVar[str] = "$status"

    def quote(self, value: str | EscapedString) -> str:
        return csh_word(self.segments(value))

    def setenv(self, key: str, value: EscapedString) -> list[str]:
        return [f"setenv {key} {self.quote(value)}"]

    def unsetenv(self, key: str) -> list[str]:
        return [f"unsetenv {key}"]

    def pendenv(self, key: str, value: EscapedString, *, prepend: bool) -> list[str]:
        return [f"if (! $?{key}) setenv {key} ''", *super().pendenv(key, value, prepend=prepend)]

    def alias(self, name: str, value: str) -> list[str]:
        return [f"alias {name} {self.quote_code(value)}"]

    def quote_code(self, code: str) -> str:
        """``code`` quoted so that the alias holds it as written."""
        return csh_word([(False, code)])

    def info(self, text: EscapedString) -> list[str]:
        return [f"( {_VERBATIM_ECHO} {self.quote(text)} )"]

    def error(self, text: EscapedString) -> list[str]:
        # csh can only redirect both streams; the subshell sends stdout to stderr
        return [f"( {_VERBATIM_ECHO} {self.quote(text)} > /dev/stderr )"]

    def comment(self, text: str) -> str:
        return f"# {text}".rstrip()

    def source(self, path: str) -> str:
        return f"source {self.quote(path)}"


class Tcsh(Csh):
    """tcsh: as csh."""

    name: ClassVar[str] = "tcsh"
    executable: ClassVar[str] = "tcsh"
