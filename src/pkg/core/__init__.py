"""The pure core: versions, version ranges and package requests.

Nothing here does I/O, reads configuration or prints; everything is an immutable value
(except :class:`RequirementList`, a read-only result object).
"""

from __future__ import annotations

from pkg.core.ranges import Bound, VersionIndex, VersionRange
from pkg.core.requirement import (
    Requirement,
    RequirementList,
    is_valid_package_name,
    parse_requirement,
)
from pkg.core.version import Version, VersionToken

__all__ = [
    "Bound",
    "Requirement",
    "RequirementList",
    "Version",
    "VersionIndex",
    "VersionRange",
    "VersionToken",
    "is_valid_package_name",
    "parse_requirement",
]
