"""Splitting values into text and variable references, and each shell's quoting.

A value is an :class:`~pkg.rex.escaped.EscapedString`.  Its literal parts are text; its
expandable parts are text with ``${NAME}`` / ``$NAME`` references (and a leading ``~``,
which means ``${HOME}``).  Nothing else in an expandable part is special: a ``$`` that does
not start a reference, a backtick or ``$(...)`` comes out as plain text in every shell.

Each ``*_word`` function turns the segments into one word of its shell that evaluates to
the text with the references replaced by the variables' values, whatever characters the
text holds.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pkg.errors import ShellError
from pkg.rex.escaped import EscapedString

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "NAME",
    "Segment",
    "ShellRenderError",
    "check_name",
    "cmd_arg",
    "cmd_path",
    "cmd_text",
    "csh_word",
    "fish_word",
    "posix_word",
    "pwsh_string",
    "segments",
]

#: A variable name every shell accepts.
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")

#: ``(is_reference, text)``: a variable name when ``is_reference``, else plain text.
Segment = tuple[bool, str]


class ShellRenderError(ShellError):
    """An action cannot be written in the target shell (bad name, NUL byte, ...)."""


def check_name(shell: str, what: str, name: str, pattern: re.Pattern[str] = NAME) -> str:
    """``name`` if it matches ``pattern``; else :class:`ShellRenderError`."""
    if not pattern.match(name):
        raise ShellRenderError(f"{shell}: invalid {what} name {name!r}")
    return name


def segments(
    value: str | EscapedString,
    *,
    shell: str = "shell",
    home: str = "HOME",
    rewrite: Callable[[str], str] | None = None,
) -> list[Segment]:
    """``value`` as text and variable-reference segments; adjacent text is merged.

    A leading ``~`` of an expandable part becomes a reference to ``home``; ``rewrite``
    is applied to the text of expandable parts (cmd uses it to write Windows paths).

    >>> segments(EscapedString.of("$HOME is ", True).e("${HOME}/x"))
    [(False, '$HOME is '), (True, 'HOME'), (False, '/x')]
    >>> segments("~/bin:$PATH")
    [(True, 'HOME'), (False, '/bin:'), (True, 'PATH')]
    """
    result: list[Segment] = []

    def add(is_reference: bool, text: str) -> None:
        if is_reference:
            result.append((True, text))
        elif text:
            if result and not result[-1][0]:
                result[-1] = (False, result[-1][1] + text)
            else:
                result.append((False, text))

    for is_literal, part in EscapedString.promote(value).parts:
        text = part
        if "\0" in text:
            raise ShellRenderError(f"{shell}: a value cannot contain a NUL character")
        if is_literal:
            add(False, text)
            continue
        if text == "~" or text.startswith("~/"):
            add(True, home)
            text = text[1:]
        change = rewrite or str
        position = 0
        for match in _REFERENCE.finditer(text):
            add(False, change(text[position : match.start()]))
            add(True, match.group(1) or match.group(2))
            position = match.end()
        add(False, change(text[position:]))
    return result


def _map(value: Sequence[Segment], text: Callable[[str], str], ref: Callable[[str], str]) -> str:
    return "".join(ref(part) if is_ref else text(part) for is_ref, part in value)


def posix_word(value: Sequence[Segment]) -> str:
    """One double-quoted word for sh, bash and zsh: ``"a \\"b\\" ${C}"``."""

    def text(part: str) -> str:
        for char in '\\"$`':
            part = part.replace(char, "\\" + char)
        return part

    return '"' + _map(value, text, lambda name: "${" + name + "}") + '"'


def csh_word(value: Sequence[Segment]) -> str:
    """One word for csh and tcsh: text single-quoted, references as ``${NAME:q}``.

    In csh even single quotes do not protect ``!`` (history) or a newline, so those get a
    backslash; ``:q`` keeps a referenced value (spaces, newlines, ``*``) as one word.
    """

    def text(part: str) -> str:
        part = part.replace("'", "'\\''").replace("!", "\\!").replace("\n", "\\\n")
        return "'" + part + "'"

    word = _map(value, text, lambda name: "${" + name + ":q}")
    return word if value and not value[0][0] else "''" + word


def fish_word(value: Sequence[Segment]) -> str:
    """One word for fish: text single-quoted, references as ``"$NAME"`` (never dropped)."""

    def text(part: str) -> str:
        return "'" + part.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return _map(value, text, lambda name: '"$' + name + '"') or "''"


_CMD_SPECIAL = re.compile(r'([\^&|<>()"])')


def cmd_text(value: Sequence[Segment], *, shell: str = "cmd") -> str:
    """Text for a cmd.exe batch line: specials caret-escaped, ``%`` doubled, ``%NAME%``."""

    def text(part: str) -> str:
        if "\n" in part or "\r" in part:
            raise ShellRenderError(f"{shell}: a value cannot contain a line break")
        return _CMD_SPECIAL.sub(r"^\1", part.replace("%", "%%"))

    return _map(value, text, lambda name: "%" + name + "%")


def cmd_arg(value: Sequence[Segment], *, shell: str = "cmd") -> str:
    """One program argument on a cmd.exe line.

    The argument is quoted as the Microsoft C runtime parses it (``\\"`` for a quote,
    backslashes before a quote doubled), then every ``"`` is caret-escaped so that cmd
    never switches quoting on and passes it through.
    """
    texts = [part for is_ref, part in value if not is_ref]
    plain = (
        value
        and len(texts) == len(value)
        and not any(char in part for part in texts for char in ' \t"')
    )
    if plain:
        return cmd_text(value, shell=shell)
    quoted: list[Segment] = []
    for is_ref, part in value:
        escaped = part if is_ref else re.sub(r'(\\*)"', lambda m: m.group(1) * 2 + '\\"', part)
        quoted.append((is_ref, escaped))
    if quoted and not quoted[-1][0]:
        last = quoted[-1][1]
        stripped = last.rstrip("\\")
        quoted[-1] = (False, stripped + (len(last) - len(stripped)) * 2 * "\\")
    return '^"' + cmd_text(quoted, shell=shell) + '^"'


def cmd_path(value: Sequence[Segment], *, shell: str = "cmd") -> str:
    """A double-quoted path for ``call`` (``%`` doubled; a path cannot hold ``"``)."""

    def text(part: str) -> str:
        if any(char in part for char in '"\n\r'):
            raise ShellRenderError(f"{shell}: a path cannot contain a double quote or line break")
        return part.replace("%", "%%")

    return '"' + _map(value, text, lambda name: "%" + name + "%") + '"'


_PWSH_ESCAPES = {"\n": "`n", "\r": "`r", "\t": "`t"}
_PWSH_SPECIAL = re.compile('([`$"\u201c\u201d\u201e])')


def pwsh_string(value: Sequence[Segment]) -> str:
    """A PowerShell double-quoted string; references as ``${Env:NAME}``.

    Backtick, ``$`` and every double-quote character PowerShell knows (including the
    typographic ones) are backtick-escaped.
    """

    def text(part: str) -> str:
        part = _PWSH_SPECIAL.sub(r"`\1", part)
        return "".join(_PWSH_ESCAPES.get(char, char) for char in part)

    return '"' + _map(value, text, lambda name: "${Env:" + name + "}") + '"'
