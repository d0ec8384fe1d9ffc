"""The bind modules pkg has, and finding one by name (``pkg bind -l`` / ``-s``).

A bind module is a module of :mod:`pkg.bind` with a ``bind(context) -> BoundPackage``
function and optionally ``setup_parser(parser)`` adding its own arguments.
"""

from __future__ import annotations

import difflib
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable

    from pkg.bind._base import BindContext, BoundPackage

__all__ = [
    "BIND_MODULES",
    "QUICKSTART",
    "BindModule",
    "bind_module_dir",
    "close_matches",
    "get_bind_modules",
    "load_bind_module",
    "setup_parser_of",
]

#: Package name -> module binding it.
BIND_MODULES: dict[str, str] = {
    name: f"pkg.bind.{name}"
    for name in (
        "arch",
        "cmake",
        "hello_world",
        "os",
        "pip",
        "platform",
        "python",
        "setuptools",
    )
}

#: What ``pkg bind --quickstart`` binds, in this order (each one's requirements first).
QUICKSTART = ("platform", "arch", "os", "python", "setuptools", "pip")


class BindModule(Protocol):
    """What a bind module provides (``setup_parser`` is optional)."""

    def bind(self, context: BindContext) -> BoundPackage:
        """Describe the package to write; raise ``BindError`` if there is nothing to bind."""
        ...


def bind_module_dir() -> Path:
    """The directory the bind modules are in."""
    return Path(__file__).resolve().parent


def get_bind_modules() -> dict[str, str]:
    """{package name: file of its bind module}, by name."""
    directory = bind_module_dir()
    return {name: str(directory / f"{name}.py") for name in sorted(BIND_MODULES)}


def load_bind_module(name: str) -> BindModule | None:
    """The bind module of package ``name``, or None if there is none."""
    module = BIND_MODULES.get(name)
    if module is None:
        return None
    loaded: BindModule = importlib.import_module(module)
    return loaded


def setup_parser_of(module: BindModule) -> Callable[[argparse.ArgumentParser], None] | None:
    """The module's ``setup_parser`` function, if it has one."""
    found = getattr(module, "setup_parser", None)
    return found if callable(found) else None


def _score(term: str, name: str) -> float:
    """How well ``name`` matches ``term``, 0 to 1; prefixes and substrings score higher."""
    term, lowered = term.lower(), name.lower()
    if term == lowered:
        return 1.0
    ratio = difflib.SequenceMatcher(None, term, lowered).ratio()
    if lowered.startswith(term):
        ratio **= 0.3
    elif term in lowered:
        ratio **= 0.5
    return min(ratio, 0.99)


def close_matches(name: str, *, threshold: float = 0.6) -> list[str]:
    """Bind module names close to ``name`` (a misspelling, a prefix), best first.

    >>> close_matches("pyth")
    ['python']
    """
    family = name.split("-", maxsplit=1)[0]
    scored = []
    for candidate in BIND_MODULES:
        scores = [_score(term, candidate) for term in (name, family)]
        total = sum(score for score in scores if score >= threshold) / 2
        if total:
            scored.append((-total, candidate))
    return [candidate for _score_, candidate in sorted(scored)]
