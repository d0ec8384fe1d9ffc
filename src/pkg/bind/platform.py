"""``pkg bind platform``: the ``platform`` package, versioned as the running platform
(``linux``, ``osx``, ``windows``), with no payload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.bind._base import BoundPackage
from pkg.bind._tools import check_version
from pkg.core import Version

if TYPE_CHECKING:
    from pkg.bind._base import BindContext

__all__ = ["bind"]


def bind(context: BindContext) -> BoundPackage:
    """The package ``platform-<platform>``.

    Raises:
        BindError: the platform is not in the requested range.
    """
    version = Version(context.system.platform)
    check_version(version, context.version_range)
    return BoundPackage("platform", version, {})
