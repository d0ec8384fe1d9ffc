"""``ast.parse`` and ``compile`` of a syntax tree, one thread at a time.

CPython up to 3.11.7 keeps the recursion depth of its AST conversions (source to
``ast`` objects, and ``ast`` objects back to code) in state that two threads can
interleave, and then raises ``SystemError: AST constructor recursion depth mismatch``
(python/cpython#106905).  ``pkg build`` and ``pkg release`` read package definitions and
rex code in worker threads, concurrently, so every conversion goes through one lock.
Compiling source text (not a tree) does not convert ``ast`` objects and needs no lock.
"""

from __future__ import annotations

import ast
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import CodeType

__all__ = ["compile_tree", "parse"]

_LOCK = threading.Lock()


def parse(source: str, filename: str) -> ast.Module:
    """``ast.parse(source, filename, "exec")`` (its errors too), under the lock."""
    with _LOCK:
        return ast.parse(source, filename, "exec")


def compile_tree(tree: ast.Module, filename: str, *, dont_inherit: bool = False) -> CodeType:
    """``compile(tree, filename, "exec")`` (its errors too), under the lock."""
    with _LOCK:
        return compile(tree, filename, "exec", dont_inherit=dont_inherit)
