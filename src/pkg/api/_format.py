"""Expansion of ``{field}`` templates over packages and variants, as ``rez-search -f``.

Fields are attribute names of the object; a unique prefix of a known field is expanded to
it (``{q}`` is ``{qualified_name}``); an unknown field is left as written; ``None`` prints
as nothing and a list as its items joined by spaces.  Lists of request lists (variants)
print each inner list the way Rez prints it, so output matches ``rez-search`` byte for byte.
"""

from __future__ import annotations

import re
import string
from typing import TYPE_CHECKING, Any

from pkg.core import Requirement

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["SEARCH_FIELDS", "expand_abbreviations", "format_object"]

#: The fields ``pkg search -f`` knows for abbreviation, in Rez's order.
SEARCH_FIELDS = (
    "pre_commands",
    "tools",
    "uuid",
    "build_requires",
    "version",
    "timestamp",
    "release_message",
    "private_build_requires",
    "revision",
    "description",
    "base",
    "authors",
    "variants",
    "commands",
    "name",
    "changelog",
    "post_commands",
    "requires",
    "root",
    "index",
    "uri",
    "num_variants",
    "qualified_name",
)

_FIELD = re.compile(r"{(?P<var>.+?)}")


def expand_abbreviations(template: str, fields: Iterable[str]) -> str:
    """Replace ``{abbrev}`` by ``{field}`` where ``abbrev`` is a prefix of exactly one field."""
    known = tuple(fields)

    def expand(match: re.Match[str]) -> str:
        name = match.group("var")
        if name not in known:
            candidates = [f for f in known if f.startswith(name)]
            if len(candidates) == 1:
                name = candidates[0]
        return "{" + name + "}"

    return _FIELD.sub(expand, template)


def _inner(value: object) -> str:
    """``str()`` of one item of a listed value, with request lists shown as Rez shows them."""
    if isinstance(value, list | tuple) and all(isinstance(v, Requirement) for v in value):
        return "[" + ", ".join(f"PackageRequest({str(v)!r})" for v in value) + "]"
    return str(value)


class _ObjectFormatter(string.Formatter):
    def __init__(self, obj: object) -> None:
        self.obj = obj

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, int):
            return super().get_value(key, args, kwargs)
        return getattr(self.obj, key)

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        try:
            return super().get_field(field_name, args, kwargs)
        except (AttributeError, KeyError, TypeError, IndexError):
            head = re.match(r"[^.\[]+", field_name)
            return ("{" + field_name + "}", head.group() if head else field_name)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return " ".join(_inner(v) for v in value)
        return super().convert_field(value, conversion)


def format_object(template: str, obj: object) -> str:
    """Expand ``template``'s fields from ``obj``'s attributes (see the module docstring)."""
    return _ObjectFormatter(obj).format(template)
