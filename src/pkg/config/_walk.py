"""Reading the schema out of the model classes, and converting values to and from it.

The schema *is* the model: each field of a config section is either annotated
``Annotated[<type>, <Kind>]`` (a setting) or typed as another section class.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pkg.config._kinds import Kind
from pkg.errors import ConfigError

__all__ = ["Spec", "field_specs", "freeze", "get_path", "suggest", "to_plain"]

#: A field's spec: the kind of a setting, or the class of a nested section.
Spec = Kind | type


@functools.cache
def field_specs(section: type) -> Mapping[str, Spec]:
    """The settings and sub-sections of ``section``, in declaration order."""
    result: dict[str, Spec] = {}
    # The model modules do not defer annotations, so these are the real objects.
    annotations = section.__annotations__
    for item in dataclasses.fields(section):
        if item.name.startswith("_"):
            continue
        annotation: object = annotations[item.name]
        metadata = getattr(annotation, "__metadata__", None)  # Annotated[type, Kind]
        if metadata is not None:
            kind = metadata[0]
            assert isinstance(kind, Kind), item.name
            result[item.name] = kind
        else:
            assert isinstance(annotation, type), item.name
            assert dataclasses.is_dataclass(annotation), item.name
            result[item.name] = annotation
    return MappingProxyType(result)


def suggest(name: str, candidates: typing.Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest candidate, or ``""``."""
    import difflib  # only for an error message

    close = difflib.get_close_matches(name, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def freeze(value: object) -> object:
    """Lists become tuples and dicts read-only mappings, recursively."""
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, dict):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    return value


def to_plain(value: object) -> object:
    """Sections and mappings become dicts, tuples become lists (JSON-compatible)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_plain(getattr(value, name)) for name in field_specs(type(value))}
    if isinstance(value, Mapping):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    return value


def get_path(root: object, key_path: str) -> Any:
    """Follow a dotted ``key_path`` through sections and table values."""
    current: object = root
    done: list[str] = []
    for part in key_path.split("."):
        if dataclasses.is_dataclass(current) and not isinstance(current, type):
            names = field_specs(type(current))
            if part in names:
                current = getattr(current, part)
                done.append(part)
                continue
            candidates: typing.Iterable[str] = names
        elif isinstance(current, Mapping):
            if part in current:
                current = current[part]
                done.append(part)
                continue
            candidates = [str(key) for key in current]
        else:
            candidates = []
        where = ".".join([*done, part])
        raise ConfigError(
            f"no such setting: {key_path!r}{suggest(where, _prefixed(done, candidates))}"
        )
    return current


def _prefixed(done: list[str], names: typing.Iterable[str]) -> list[str]:
    return [".".join([*done, name]) for name in names]
