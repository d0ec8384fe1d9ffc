"""``pkg bind os``: the ``os`` package, versioned as the running operating system
(``Ubuntu-22.04``, ``osx-14.5`` ...); it requires this platform and architecture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.bind._base import BoundPackage
from pkg.bind._tools import check_version
from pkg.core import Version

if TYPE_CHECKING:
    from pkg.bind._base import BindContext

__all__ = ["bind"]


def bind(context: BindContext) -> BoundPackage:
    """The package ``os-<os>``, requiring ``platform-<platform>`` and ``arch-<arch>``.

    Raises:
        BindError: the operating system is not in the requested range.
    """
    system = context.system
    version = Version(system.os)
    check_version(version, context.version_range)
    requires = [f"platform-{system.platform}", f"arch-{system.arch}"]
    return BoundPackage("os", version, {"requires": requires})
