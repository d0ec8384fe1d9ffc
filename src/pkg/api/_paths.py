"""Search-path helpers shared by several commands, kept apart so that importing them
costs nothing (``pkg env --nl`` needs them without the repository-writing machinery of
:mod:`pkg.api.repository_ops`)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.config import Config

__all__ = ["nonlocal_packages_path", "same_path"]


def same_path(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are both non-empty and name the same path once ``~`` is
    expanded and both are made absolute and case-normalised (symlinks are not resolved)."""

    def norm(path: str) -> str:
        return os.path.normcase(os.path.abspath(os.path.expanduser(path)))

    return bool(a) and bool(b) and norm(a) == norm(b)


def nonlocal_packages_path(config: Config) -> list[str]:
    """``packages_path`` without ``local_packages_path`` (Rez's ``nonlocal_packages_path``)."""
    return [p for p in config.packages_path if not same_path(p, config.local_packages_path)]
