"""``pkg bind arch``: the ``arch`` package, versioned as the running machine's
architecture (``x86_64``, ``arm64`` ...), with no payload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.bind._base import BoundPackage
from pkg.bind._tools import check_version
from pkg.core import Version

if TYPE_CHECKING:
    from pkg.bind._base import BindContext

__all__ = ["bind"]


def bind(context: BindContext) -> BoundPackage:
    """The package ``arch-<arch>``.

    Raises:
        BindError: the architecture is not in the requested range.
    """
    version = Version(context.system.arch)
    check_version(version, context.version_range)
    return BoundPackage("arch", version, {})
