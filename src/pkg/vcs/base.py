"""The interface of release version control plugins: :class:`ReleaseVCS` and its error.

A release VCS is what ``pkg release`` asks before and after releasing a package: is the
working copy fit to release (:meth:`ReleaseVCS.validate_repostate`), which revision is it
(:meth:`ReleaseVCS.current_revision`), what changed since the last release
(:meth:`ReleaseVCS.changelog`), and tag the release (:meth:`ReleaseVCS.create_tag`,
:meth:`ReleaseVCS.push_tag`, :meth:`ReleaseVCS.delete_tag`).

Every method blocks (the release pipeline calls them in worker threads) and none prints:
results are returned, refusals are raised as :class:`VCSError`.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, ClassVar

from pkg.errors import VcsError

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import ReleaseVcsPlugins

__all__ = ["ReleaseVCS", "VCSError"]


class VCSError(VcsError):
    """A VCS refused a release or failed; the message says what is wrong and what to do.

    Attributes:
        vcs: the name of the VCS plugin at fault (``"git"``), or ``""``.
    """

    def __init__(self, message: str, *, vcs: str = "") -> None:
        self.vcs = vcs
        super().__init__(f"{vcs}: {message}" if vcs else message)


class ReleaseVCS(abc.ABC):
    """A version control system a package can be released from.

    Subclasses set :attr:`name` and implement the abstract methods.  An instance is bound
    to one repository root (:attr:`root`) and the ``plugins.release_vcs`` settings.
    """

    #: The plugin name, as given to ``--vcs`` ("git", "stub", "hg").
    name: ClassVar[str]

    def __init__(self, root: Path, settings: ReleaseVcsPlugins) -> None:
        """Bind to the repository whose root is ``root`` (a directory for which
        :meth:`is_valid_root` is true)."""
        self.root = root
        self.settings = settings

    # -- discovery -----------------------------------------------------------------------

    #: Whether :meth:`find_root` looks in parent directories too (git does, stub does not).
    search_parents: ClassVar[bool] = True

    @classmethod
    @abc.abstractmethod
    def is_valid_root(cls, path: Path) -> bool:
        """Whether ``path`` is itself the root of a repository of this kind."""

    @classmethod
    def find_root(cls, path: Path) -> Path | None:
        """The nearest repository root at or above ``path`` (only ``path`` itself when
        :attr:`search_parents` is false), or None."""
        for depth, candidate in enumerate((path, *path.parents)):
            if depth and not cls.search_parents:
                break
            if cls.is_valid_root(candidate):
                return candidate
        return None

    # -- release checks and data ---------------------------------------------------------

    @abc.abstractmethod
    def validate_repostate(self, *, fetch: bool = True) -> None:
        """Refuse (raise :class:`VCSError`) unless the working copy can be released.

        ``fetch`` allows contacting the remote to compare with it (git fetches first).
        """

    @abc.abstractmethod
    def current_revision(self) -> dict[str, object]:
        """A JSON-able description of the current revision, stored with the release."""

    @abc.abstractmethod
    def changelog(self, previous_revision: object | None, max_revisions: int) -> str:
        """The log of changes since ``previous_revision`` (a value that
        :meth:`current_revision` returned for the previous release; None: since the
        start), at most ``max_revisions`` entries (0: no limit)."""

    # -- tags ----------------------------------------------------------------------------

    @abc.abstractmethod
    def tag_exists(self, tag: str) -> bool:
        """Whether the local repository has the tag ``tag``."""

    @abc.abstractmethod
    def create_tag(self, tag: str, message: str) -> None:
        """Create the tag ``tag`` locally; nothing is sent to a remote.

        Raises:
            VCSError: if the tag exists already or cannot be created.
        """

    @abc.abstractmethod
    def push_tag(self, tag: str) -> None:
        """Send the local tag ``tag`` to the upstream remote (a no-op without one)."""

    @abc.abstractmethod
    def delete_tag(self, tag: str) -> None:
        """Remove the local tag ``tag`` (rollback of :meth:`create_tag`); a missing tag is
        not an error."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r})"
