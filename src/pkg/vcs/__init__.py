"""Release version control: the VCS plugins ``pkg release`` checks and tags with.

A VCS plugin is a :class:`~pkg.vcs.base.ReleaseVCS` subclass registered in the ``pkg.vcs``
entry-point group (the built-ins ``git`` and ``stub`` are declared there too, and are
always available even when the distribution's metadata is stale).
:func:`detect_vcs` finds the repository a package source directory belongs to.

>>> sorted(vcs_plugins())[:2]
['git', 'stub']
"""

from __future__ import annotations

import functools
from importlib import import_module, metadata
from typing import TYPE_CHECKING

from pkg.vcs.base import ReleaseVCS, VCSError

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import ReleaseVcsPlugins

__all__ = ["ENTRY_POINT_GROUP", "ReleaseVCS", "VCSError", "detect_vcs", "vcs_plugins"]

#: The entry-point group VCS plugins register in.
ENTRY_POINT_GROUP = "pkg.vcs"

#: The built-in plugins, as ``module:class`` (imported only when asked for).
_BUILTINS = {"git": "pkg.vcs.git:GitVCS", "stub": "pkg.vcs.stub:StubVCS"}


def _load(name: str, value: str) -> type[ReleaseVCS]:
    module, _, attribute = value.partition(":")
    try:
        cls = getattr(import_module(module), attribute)
    except Exception as error:
        raise VCSError(f"VCS plugin {name!r} ({value}) failed to load: {error}") from None
    if not (
        isinstance(cls, type)
        and issubclass(cls, ReleaseVCS)
        and isinstance(getattr(cls, "name", None), str)
    ):
        raise VCSError(f"VCS plugin {name!r} ({value}) is not a named ReleaseVCS subclass")
    return cls


@functools.cache
def _plugins() -> dict[str, type[ReleaseVCS]]:
    found = {name: _load(name, value) for name, value in _BUILTINS.items()}
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in found:
            found[entry.name] = _load(entry.name, entry.value)
    return dict(sorted(found.items()))


def vcs_plugins() -> dict[str, type[ReleaseVCS]]:
    """Every VCS plugin class by name, sorted: the built-ins, then entry points of
    :data:`ENTRY_POINT_GROUP` with other names.

    Raises:
        VCSError: if a plugin does not load to a named :class:`ReleaseVCS` subclass.
    """
    return dict(_plugins())


def detect_vcs(
    source_dir: Path, settings: ReleaseVcsPlugins, forced: str | None = None
) -> ReleaseVCS:
    """The VCS that ``source_dir`` is released from.

    ``forced`` (``--vcs NAME``) names the plugin; its repository root must be found at or
    above ``source_dir``.  Otherwise every plugin looks for its nearest root walking up
    from ``source_dir``, and the nearest one wins.

    Raises:
        VCSError: if ``forced`` is unknown or finds no root, if no plugin finds a root, or
            if two plugins find one at the same (nearest) depth.
    """
    source_dir = source_dir.absolute()
    plugins = vcs_plugins()
    if forced:
        cls = plugins.get(forced)
        if cls is None:
            raise VCSError(
                f"unknown version control system {forced!r} (one of {', '.join(plugins)})"
            )
        root = cls.find_root(source_dir)
        if root is None:
            raise VCSError(f"{source_dir}: is not in a {forced} repository", vcs=forced)
        return cls(root, settings)
    by_depth: dict[int, list[tuple[type[ReleaseVCS], Path]]] = {}
    for cls in plugins.values():
        root = cls.find_root(source_dir)
        if root is not None:
            depth = len(source_dir.parts) - len(root.parts)
            by_depth.setdefault(depth, []).append((cls, root))
    if not by_depth:
        raise VCSError(
            f"{source_dir}: no version control system (one of {', '.join(plugins)}) "
            "is associated with this directory"
        )
    nearest = by_depth[min(by_depth)]
    if len(nearest) > 1:
        names = ", ".join(cls.name for cls, _root in nearest)
        raise VCSError(
            f"{source_dir}: several version control systems are associated with this "
            f"directory ({names}); choose one with --vcs"
        )
    cls, root = nearest[0]
    return cls(root, settings)
