"""pkg: a package configuration, build and release system, a drop-in successor to Rez.

The names re-exported here are the pure core value types::

    >>> from pkg import Version, VersionRange
    >>> Version("1.2") in VersionRange("1+<2")
    True
"""

from __future__ import annotations

from pkg.core import Requirement, RequirementList, Version, VersionRange

__version__ = "0.1.0"

__all__ = ["Requirement", "RequirementList", "Version", "VersionRange", "__version__"]
