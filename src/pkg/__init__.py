"""pkg: a package configuration, build and release system, a drop-in successor to Rez.

The names re-exported here are the pure core value types::

    >>> from pkg import Version, VersionRange
    >>> Version("1.2") in VersionRange("1+<2")
    True

They are imported on first use, so that importing a leaf module (as the command line
does) does not pay for the whole core.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Requirement", "RequirementList", "Version", "VersionRange", "__version__"]

if TYPE_CHECKING:
    from pkg.core import Requirement, RequirementList, Version, VersionRange

_CORE_NAMES = frozenset({"Requirement", "RequirementList", "Version", "VersionRange"})


def __getattr__(name: str) -> Any:
    if name in _CORE_NAMES:
        from pkg import core

        return getattr(core, name)
    raise AttributeError(f"module 'pkg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
