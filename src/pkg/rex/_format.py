"""String expansion for rex: ``{...}`` formatting and ``$VAR`` substitution."""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING, Any

from pkg.rex.escaped import EscapedString

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = ["NamespaceFormatter", "expand_user", "expand_vars"]

#: ``${NAME}`` or ``$NAME`` (``NAME`` = letters and ``_`` only: ``$FOO1`` is ``${FOO}1``,
#: as in Rez).  Matches become ``${NAME}`` before formatting, so ``{`` of ``${NAME}`` is
#: not a format field.
_SHELL_REF = re.compile(r"\$\{([^{}]+?)\}|\$([a-zA-Z_]+)")

#: What :func:`expand_vars` substitutes: ``$word`` or ``${anything}``.
_EXPAND_REF = re.compile(r"\$(\w+|\{[^}]*\})")


class NamespaceFormatter(string.Formatter):
    """``str.format`` against a namespace, with shell references protected.

    ``$VAR`` and ``${VAR}`` come out as ``${VAR}``; string values of fields are formatted
    again (so a local variable holding ``"{root}/bin"`` expands fully).

    >>> NamespaceFormatter({"root": "/r"}).format("{root}/bin:$PATH")
    '/r/bin:${PATH}'
    """

    def __init__(self, namespace: Mapping[str, Any]) -> None:
        super().__init__()
        self.namespace = namespace

    def format(self, format_string: str, /, *args: Any, **kwargs: Any) -> str:
        protected = _SHELL_REF.sub(
            lambda m: "${{" + (m.group(1) or m.group(2)) + "}}", format_string
        )
        return super().format(protected, *args, **kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, EscapedString):
            value = str(value)
        if isinstance(value, str):
            value = self.format(value)
        return format(value, format_spec)

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str):
            if not key:
                raise ValueError("zero length field name in format")
            return kwargs[key] if key in kwargs else self.namespace[key]
        return super().get_value(key, args, kwargs)


def expand_vars(text: str, environ: Mapping[str, str]) -> str:
    """Substitute ``$NAME`` and ``${NAME}`` found in ``environ``; leave the others.

    >>> expand_vars("$A/${B}/$C", {"A": "a", "B": "b"})
    'a/b/$C'
    """
    if "$" not in text:
        return text
    pos = 0
    while match := _EXPAND_REF.search(text, pos):
        name = match.group(1)
        if name.startswith("{"):
            name = name[1:-1]
        if name in environ:
            head = text[: match.start()] + environ[name]
            text = head + text[match.end() :]
            pos = len(head)
        else:
            pos = match.end()
    return text


def expand_user(text: str, environ: Mapping[str, str]) -> str:
    """``~`` or ``~/...`` at the start becomes ``$HOME`` from ``environ`` (when set).

    ``~user`` forms are left alone: looking users up would be I/O.

    >>> expand_user("~/bin", {"HOME": "/home/u"})
    '/home/u/bin'
    """
    if not text.startswith("~") or (len(text) > 1 and text[1] != "/"):
        return text
    home = environ.get("HOME")
    if home is None:
        return text
    return (home.rstrip("/") + text[1:]) or "/"
