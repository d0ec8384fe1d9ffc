"""Lazy re-exports for package ``__init__`` modules (PEP 562).

A package lists which submodule defines each public name; the submodule is imported
the first time one of its names is asked for, and the name is then kept in the package
namespace.  Static type checkers see the same names through ``if TYPE_CHECKING:``
imports in the package itself.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], sources: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the package ``package``, whose globals are
    ``namespace``: ``sources`` maps each lazily exported name to its submodule."""

    def getattr_(name: str) -> Any:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{source}"), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(namespace["__all__"])

    return getattr_, dir_
