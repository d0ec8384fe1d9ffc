"""The interface of release hooks: :class:`ReleaseHook`, :class:`ReleaseInfo` and errors.

A release hook runs at three points of ``pkg release``: before the build
(:meth:`ReleaseHook.pre_build`), before the release is installed
(:meth:`ReleaseHook.pre_release`, which may cancel it by raising
:class:`ReleaseHookCancelled`) and after it (:meth:`ReleaseHook.post_release`, which can
no longer cancel anything).  Every method blocks and none prints.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from pkg.errors import PkgError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from pkg.config import Config

__all__ = ["ReleaseHook", "ReleaseHookCancelled", "ReleaseHookError", "ReleaseInfo"]


class ReleaseHookCancelled(PkgError):
    """A hook cancelled the release (from ``pre_build`` or ``pre_release``)."""


class ReleaseHookError(PkgError):
    """A hook could not be loaded or failed without cancelling the release."""


@dataclass(frozen=True)
class ReleaseInfo:
    """What a hook knows about the release it runs for.

    Attributes:
        user: the user releasing.
        install_path: the repository the package is released to.
        package_name: the package's name.
        version: the version being released.
        variants: indices of the variants released (None: a package without variants).
        release_message: the message given with ``-m``, if any.
        changelog: the VCS changelog since the previous release, if known.
        previous_version: the latest version released before, if any.
        previous_revision: the VCS revision of that release, if any.
        revision: the VCS revision being released.
        source_path: the package's source directory.
    """

    user: str
    install_path: str
    package_name: str
    version: str
    variants: tuple[int | None, ...]
    release_message: str | None
    changelog: str | None
    previous_version: str | None
    previous_revision: object | None
    revision: object | None
    source_path: str


class ReleaseHook(abc.ABC):
    """A release hook; subclasses set :attr:`name` and override some of the three steps.

    ``log`` receives the lines a hook would show the user (commands run, their output);
    it discards them by default.
    """

    #: The name listed in the ``release_hooks`` setting ("command", "emailer").
    name: ClassVar[str]

    def __init__(
        self, source_path: Path, config: Config, *, log: Callable[[str], None] | None = None
    ) -> None:
        self.source_path = source_path
        self.config = config
        self.log: Callable[[str], None] = log or _discard

    def pre_build(self, info: ReleaseInfo) -> None:  # noqa: B027 - optional step
        """Run before the package is built; may raise :class:`ReleaseHookCancelled`."""

    def pre_release(self, info: ReleaseInfo) -> None:  # noqa: B027 - optional step
        """Run before the release is installed; may raise :class:`ReleaseHookCancelled`."""

    def post_release(self, info: ReleaseInfo) -> None:  # noqa: B027 - optional step
        """Run after the release; may raise :class:`ReleaseHookError`, never cancels."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.source_path)!r})"


def _discard(line: str) -> None:
    """A ``log`` that drops ``line``."""
