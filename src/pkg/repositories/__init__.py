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

from typing import TYPE_CHECKING

from pkg._exports import lazy_exports

if TYPE_CHECKING:
    from pkg.repositories._atomic import delete_path
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
    "delete_path",
    "get_latest_package",
    "get_package",
    "get_repositories",
    "iter_packages",
    "move_package",
]

#: Where each exported name lives.  The submodules are imported on first use, so that
#: reading packages (``pkg env``) does not pay for copying and installing them.
_SOURCES: dict[str, str] = {
    "delete_path": "_atomic",
    "LockTimeoutError": "_locks",
    "REMOVE": "base",
    "InstallResult": "base",
    "PayloadWriter": "base",
    "Repository": "base",
    "CopyError": "copy",
    "CopyResult": "copy",
    "copy_package": "copy",
    "move_package": "copy",
    "FilesystemRepository": "filesystem",
    "default_index_dir": "filesystem",
    "UNVERSIONED": "memory",
    "MemoryRepository": "memory",
    "PackageSearchPath": "search",
    "RepositoryPool": "search",
    "get_latest_package": "search",
    "get_package": "search",
    "get_repositories": "search",
    "iter_packages": "search",
}


__getattr__, __dir__ = lazy_exports(globals(), _SOURCES)
