"""Installing a variant in place: the build writes straight into its final directory.

A build installs where the package will live (``REZ_BUILD_INSTALL_PATH`` is the variant's
directory in the repository, as with Rez), because many builds write that path into what
they install (``rpath``, generated config files, script shebangs).  That directory is
*claimed* first, and the claim is either published or rolled back:

* :func:`claim_variant`, under the family's lock: the version is marked as being built
  (Rez's ``.building<version>`` file in the family directory: neither Rez nor pkg lists a
  version directory without a definition while that file exists); a payload already at
  the variant's directory (a re-install) is moved aside; the directory is created empty;
  and a *claim file* in ``<family>/.pkg-claims/`` records all of this.
* :meth:`InstallClaim.publish`, under the lock: the definition is merged into
  ``package.py`` (written atomically: readers see the variant from that instant), the
  moved-aside payload is deleted, the claim file is removed, and so is the marker once no
  claim on that version is left.
* :meth:`InstallClaim.abandon` (a failed or cancelled build), under the lock: the new
  directory is deleted, the old payload moved back, the directories the claim created
  removed, and the marker too if no claim is left: the repository is as it was.

A process killed outright (``SIGKILL``, a power cut) cannot roll back; its claim file
names its host and process, and the next claim on the family, from any process on that
host, rolls back every claim whose process is gone before it starts.  Until then the
marker keeps a half-built new version hidden.

Claims of one variant exclude each other: a second build of the same variant fails at
once, naming the process that holds it.  Claims of different variants of one package,
from one or several processes, go on side by side and all end up in its ``package.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkg.errors import RepositoryError
from pkg.packages import Variant, write_package_py
from pkg.repositories._atomic import TEMP_PREFIX, atomic_write_bytes, remove_tree, temp_sibling
from pkg.repositories._fsinstall import existing_package, plain_subpath, shortlink
from pkg.repositories._install import plan_install, target_of
from pkg.repositories._layout import BUILDING_PREFIX
from pkg.repositories.base import InstallResult

if TYPE_CHECKING:
    from pkg.repositories.base import PayloadWriter
    from pkg.repositories.filesystem import FilesystemRepository

__all__ = ["CLAIMS_DIRNAME", "InstallClaim", "claim_variant", "remove_if_unused"]

#: The directory of claim files in a family directory (hidden: listings skip it).
CLAIMS_DIRNAME = ".pkg-claims"


@dataclass
class InstallClaim:
    """A variant directory claimed for an in-place install (see the module docstring).

    Attributes:
        repo: the repository.
        name: the package name.
        version: the version text.
        variant_dir: the directory the build installs into.
        path: the claim file.
        state: what the claim changed, as recorded in its file.
        finished: True once published or abandoned.
    """

    repo: FilesystemRepository
    name: str
    version: str
    variant_dir: Path
    path: Path
    state: dict[str, Any] = field(repr=False)
    finished: bool = False

    @property
    def package_dir(self) -> Path:
        return self.repo.root / self.name / self.version

    def publish(self, variant: Variant, payload: PayloadWriter | None = None) -> InstallResult:
        """List ``variant`` in the package's definition (the payload is in place already);
        ``payload`` may add files first (called with the package and variant directories,
        under the family's lock)."""
        if self.finished:
            raise RepositoryError(f"{self.variant_dir}: this install was finished already")
        repo = self.repo
        with repo.lock_family(self.name):
            existing = existing_package(repo, self.name, target_of(variant, {})[1])
            allow = repo.settings.allow_unversioned
            plan = plan_install(variant, existing, {}, allow_unversioned=allow)
            if payload is not None:
                payload(self.package_dir, self.variant_dir)
            hashed = bool(plan.data.get("hashed_variants"))
            subpath = plain_subpath(variant, hashed)
            if hashed and subpath:
                shortlink(repo, self.package_dir, subpath)
            filename = repo.settings.filenames[0]
            write_package_py(self.package_dir / filename, plan.data)
            for other in repo.settings.filenames:
                if other != filename:
                    with contextlib.suppress(OSError):
                        (self.package_dir / other).unlink()
            aside = self.state.get("aside")
            if aside:
                with contextlib.suppress(OSError):
                    remove_tree(Path(aside))
            self._release()
            repo.changed(self.name)
        package = existing_package(repo, self.name, target_of(variant, {})[1])
        assert package is not None
        return InstallResult(Variant(package, plan.index), existed=plan.existing_index is not None)

    def abandon(self) -> None:
        """Undo the claim: the repository is left as it was before it (idempotent)."""
        if self.finished:
            return
        repo = self.repo
        with repo.lock_family(self.name):
            _roll_back(self.state)
            self._release()
            repo.changed(self.name)

    @property
    def created_repository(self) -> bool:
        """Whether the repository's directory was made for this claim."""
        return bool(self.state.get("created_root"))

    def _release(self) -> None:
        self.finished = True
        with contextlib.suppress(OSError):
            self.path.unlink()
        _after_release(self.repo.root / self.name, self.version)


def claim_variant(repo: FilesystemRepository, variant: Variant) -> InstallClaim | None:
    """Claim ``variant``'s directory in ``repo`` for an in-place install.

    Returns None for an unversioned package without variants (its directory is the
    family's own; it is installed through a staging directory instead).

    Raises:
        RepositoryError: another live process is installing the same variant.
    """
    name, version = target_of(variant, {})
    text = str(version)
    hashed = bool(variant.package.get("hashed_variants"))
    subpath = plain_subpath(variant, hashed)
    if not text and not subpath:
        return None
    family_dir = repo.root / name
    package_dir = family_dir / text if text else family_dir
    variant_dir = package_dir / subpath if subpath else package_dir
    created_root = not repo.root.is_dir()
    with repo.lock_family(name):
        _reap(family_dir)
        created_family = not family_dir.is_dir()
        family_dir.mkdir(parents=True, exist_ok=True)
        claims = family_dir / CLAIMS_DIRNAME
        for other in _claims(claims):
            if other.get("variant_dir") == str(variant_dir):
                raise RepositoryError(
                    f"{variant.package.qualified_name}: {variant_dir} is being installed by "
                    f"process {other.get('pid')} on {other.get('host')}; try again once it ends"
                )
        state: dict[str, Any] = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "version": text,
            "variant_dir": str(variant_dir),
            "created_root": created_root,
            "created_family": created_family,
            "created": [],
            "aside": None,
        }
        path = claims / f"{os.getpid()}-{os.urandom(6).hex()}.json"
        claims.mkdir(exist_ok=True)
        if created_family:
            _record_made(claims, [str(family_dir)])
        atomic_write_bytes(path, json.dumps(state).encode())  # first: a crash is reapable
        try:
            if text:
                (family_dir / f"{BUILDING_PREFIX}{text}").touch()
            if os.path.lexists(variant_dir):
                holder = package_dir if subpath else family_dir
                aside = temp_sibling(holder / "x", f"aside-{text}")
                state["aside"] = str(aside)
                atomic_write_bytes(path, json.dumps(state).encode())
                os.rename(variant_dir, aside)
            created = _missing_parents(variant_dir, stop=family_dir)
            state["created"] = [str(p) for p in created]
            _record_made(claims, [str(p) for p in created[1:]])  # parents others may use
            atomic_write_bytes(path, json.dumps(state).encode())
            variant_dir.mkdir(parents=True, exist_ok=True)
        except BaseException:
            _roll_back(state)
            with contextlib.suppress(OSError):
                path.unlink()
            _after_release(family_dir, text)
            raise
        repo.changed(name)
    return InstallClaim(repo, name, text, variant_dir, path, state)


def _missing_parents(directory: Path, *, stop: Path) -> list[Path]:
    """``directory`` and those of its parents below ``stop`` that do not exist, deepest
    first."""
    missing = []
    current = directory
    while current != stop and not os.path.lexists(current):
        missing.append(current)
        current = current.parent
    return missing


def _claims(claims_dir: Path) -> list[dict[str, Any]]:
    found = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(claims_dir):
            if entry.name.startswith(TEMP_PREFIX) or not entry.name.endswith(".json"):
                continue
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(Path(entry.path).read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    data["_path"] = entry.path
                    found.append(data)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap(family_dir: Path) -> None:
    """Roll back the claims of processes of this host that are gone (under the lock)."""
    host = socket.gethostname()
    for claim in _claims(family_dir / CLAIMS_DIRNAME):
        pid = claim.get("pid")
        if claim.get("host") != host or not isinstance(pid, int) or _alive(pid):
            continue
        _roll_back(claim)
        with contextlib.suppress(OSError):
            os.unlink(claim["_path"])
        _after_release(family_dir, str(claim.get("version", "")))


def _roll_back(state: dict[str, Any]) -> None:
    """Delete what a claim created and move back what it moved aside.

    The claim file is written before each step, so ``state`` may name a step that never
    happened: the variant directory is deleted only if the claim recorded creating it
    (which it does only after moving the old one aside), and moved back only if the
    moved-aside copy exists."""
    variant_dir = Path(state["variant_dir"])
    created = [Path(p) for p in state.get("created", ())]
    if created and created[0] == variant_dir:
        with contextlib.suppress(FileNotFoundError):
            remove_tree(variant_dir)
    aside = state.get("aside")
    if aside and os.path.lexists(aside) and not os.path.lexists(variant_dir):
        variant_dir.parent.mkdir(parents=True, exist_ok=True)
        os.rename(aside, variant_dir)
    for directory in created[1:]:  # the parents the claim made, deepest first
        with contextlib.suppress(OSError):
            directory.rmdir()  # only if empty: another claim may be using it


def _after_release(family_dir: Path, version: str) -> None:
    """After a claim is released: once no claim on ``version`` is left, remove its
    marker; once no claim on the family is left, remove the directories claims made that
    are still empty (a package directory of a version that was never published, the
    family's own directory) and the claims directory."""
    claims_dir = family_dir / CLAIMS_DIRNAME
    left = _claims(claims_dir)
    if version and not any(c.get("version") == version for c in left):
        with contextlib.suppress(OSError):
            (family_dir / f"{BUILDING_PREFIX}{version}").unlink()
    if left:
        return
    made = _made(claims_dir)
    with contextlib.suppress(OSError):
        (claims_dir / _MADE).unlink()
    with contextlib.suppress(OSError):
        claims_dir.rmdir()
    for directory in sorted(made, key=len, reverse=True):  # deepest first
        with contextlib.suppress(OSError):
            os.rmdir(directory)  # only if empty


#: The file of a claims directory listing the directories claims made.
_MADE = "made.list"


def _made(claims_dir: Path) -> list[str]:
    try:
        return (claims_dir / _MADE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _record_made(claims_dir: Path, directories: list[str]) -> None:
    """Add ``directories`` to those claims made (under the family's lock)."""
    known = _made(claims_dir)
    new = [d for d in directories if d not in known]
    if new:
        atomic_write_bytes(claims_dir / _MADE, "\n".join([*known, *new]).encode() + b"\n")


def remove_if_unused(repo: FilesystemRepository) -> bool:
    """Remove the directory of ``repo`` if it holds nothing but family lock files (the
    end of a run whose claims made it and were all rolled back); True if removed."""
    root = repo.root
    try:
        names = os.listdir(root)
    except OSError:
        return False
    if not all(name.startswith(".lock.") and (root / name).is_file() for name in names):
        return False
    with contextlib.suppress(OSError):
        for name in names:
            (root / name).unlink()
        root.rmdir()
        return True
    return False
