"""Release hooks: plugins that run before the build, before and after ``pkg release``.

A hook is a :class:`~pkg.hooks.base.ReleaseHook` subclass registered in the
``pkg.release_hook`` entry-point group (the built-ins ``command`` and ``emailer`` are
declared there too, and are always available even when the distribution's metadata is
stale).  The ``release_hooks`` setting lists the hooks a release runs.

>>> sorted(release_hook_plugins())
['command', 'emailer']
"""

from __future__ import annotations

import functools
from importlib import import_module, metadata
from typing import TYPE_CHECKING

from pkg.hooks.base import ReleaseHook, ReleaseHookCancelled, ReleaseHookError, ReleaseInfo

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from pkg.config import Config

__all__ = [
    "ENTRY_POINT_GROUP",
    "ReleaseHook",
    "ReleaseHookCancelled",
    "ReleaseHookError",
    "ReleaseInfo",
    "load_release_hooks",
    "release_hook_plugins",
]

#: The entry-point group release hook plugins register in.
ENTRY_POINT_GROUP = "pkg.release_hook"

#: The built-in hooks, as ``module:class`` (imported only when asked for).
_BUILTINS = {"command": "pkg.hooks.command:CommandHook", "emailer": "pkg.hooks.emailer:EmailerHook"}


def _load(name: str, value: str) -> type[ReleaseHook]:
    module, _, attribute = value.partition(":")
    try:
        cls = getattr(import_module(module), attribute)
    except Exception as error:
        raise ReleaseHookError(
            f"release hook plugin {name!r} ({value}) failed to load: {error}"
        ) from None
    if not (
        isinstance(cls, type)
        and issubclass(cls, ReleaseHook)
        and isinstance(getattr(cls, "name", None), str)
    ):
        raise ReleaseHookError(
            f"release hook plugin {name!r} ({value}) is not a named ReleaseHook subclass"
        )
    return cls


@functools.cache
def _plugins() -> dict[str, type[ReleaseHook]]:
    found = {name: _load(name, value) for name, value in _BUILTINS.items()}
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in found:
            found[entry.name] = _load(entry.name, entry.value)
    return dict(sorted(found.items()))


def release_hook_plugins() -> dict[str, type[ReleaseHook]]:
    """Every release hook class by name, sorted: the built-ins, then entry points of
    :data:`ENTRY_POINT_GROUP` with other names.

    Raises:
        ReleaseHookError: if a plugin does not load to a named :class:`ReleaseHook`
            subclass.
    """
    return dict(_plugins())


def load_release_hooks(
    names: Sequence[str],
    source_path: Path,
    config: Config,
    *,
    log: Callable[[str], None] | None = None,
) -> list[ReleaseHook]:
    """One instance of each hook in ``names``, in that order (duplicates run once).

    Raises:
        ReleaseHookError: naming the hook and the known ones, if a name is unknown.
    """
    plugins = release_hook_plugins()
    hooks: list[ReleaseHook] = []
    for name in dict.fromkeys(names):
        cls = plugins.get(name)
        if cls is None:
            raise ReleaseHookError(
                f"unknown release hook {name!r} (one of {', '.join(plugins)}); "
                "check the release_hooks setting"
            )
        hooks.append(cls(source_path, config, log=log))
    return hooks
