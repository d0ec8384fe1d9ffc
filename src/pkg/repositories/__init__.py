"""Package repositories: where packages are stored, listed, searched, copied and removed.

* :class:`Repository` is the protocol every repository type follows;
  :class:`FilesystemRepository` reads and writes Rez's on-disk layout through a
  self-validating metadata index, :class:`MemoryRepository` holds packages in a dict.
* :class:`PackageSearchPath` searches repositories in order, with Rez's rule that a
  version in an earlier repository hides the same version in later ones;
  :func:`get_repositories` builds the repositories of a ``packages_path``.
* :func:`copy_package` / :func:`move_package` implement ``pkg cp`` / ``pkg mv``.

See ``docs/repositories.md``.
"""

from __future__ import annotations

from pkg.repositories._locks import LockTimeoutError
from pkg.repositories.base import REMOVE, InstallResult, PayloadWriter, Repository
from pkg.repositories.copy import CopyError, CopyResult, copy_package, move_package
from pkg.repositories.filesystem import FilesystemRepository, default_index_dir
from pkg.repositories.memory import UNVERSIONED, MemoryRepository
from pkg.repositories.search import (
    PackageSearchPath,
    RepositoryPool,
    get_latest_package,
    get_package,
    get_repositories,
    iter_packages,
)

__all__ = [
    "REMOVE",
    "UNVERSIONED",
    "CopyError",
    "CopyResult",
    "FilesystemRepository",
    "InstallResult",
    "LockTimeoutError",
    "MemoryRepository",
    "PackageSearchPath",
    "PayloadWriter",
    "Repository",
    "RepositoryPool",
    "copy_package",
    "default_index_dir",
    "get_latest_package",
    "get_package",
    "get_repositories",
    "iter_packages",
    "move_package",
]


def __dir__() -> list[str]:
    return sorted(__all__)
