"""Lazy exports for modules and package ``__init__`` modules (PEP 562).

A module lists which module defines each lazily exported name; that module is imported
the first time one of its names is asked for, and the name is then kept in the
namespace of the module exporting it.  Static type checkers see the same names through
``if TYPE_CHECKING:`` imports in that module.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(
    namespace: dict[str, Any], sources: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the module whose globals are ``namespace``:
    ``sources`` maps each lazily exported name to the module defining it, relative to
    the module's package (a submodule of a package, or a sibling of a module)."""
    module = namespace["__name__"]
    anchor = namespace["__package__"]

    def getattr_(name: str) -> Any:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(import_module(f".{source}", anchor), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(namespace["__all__"])

    return getattr_, dir_
