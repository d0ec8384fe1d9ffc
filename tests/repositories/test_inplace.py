"""In-place installs: a claimed variant directory is published or rolled back."""

from __future__ import annotations

import multiprocessing
import os
from typing import TYPE_CHECKING

import pytest

from pkg.errors import RepositoryError
from pkg.packages import Package, PackageDefinition, Variant
from pkg.repositories._inplace import CLAIMS_DIRNAME, InstallClaim, claim_variant

from .conftest import make_config, versions

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config
    from pkg.repositories import FilesystemRepository

    from .conftest import RepoMaker, Writer

VARIANTS = [["python-3.9"], ["python-3.11"]]


def _variant(index: int | None, *, version: str = "1.0", hashed: bool = False) -> Variant:
    data: dict[str, object] = {"name": "foo", "version": version, "requires": ["bar"]}
    if index is not None:
        data["variants"] = VARIANTS
    if hashed:
        data["hashed_variants"] = True
    return Variant(Package(PackageDefinition(data)), index)


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its content (None for directories)."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if name.startswith(".lock."):
            continue
        if path.is_symlink():
            found[name] = os.readlink(path).encode()
        else:
            found[name] = None if path.is_dir() else path.read_bytes()
    return found


def _fill(claim: InstallClaim, text: str = "payload") -> None:
    (claim.variant_dir / "bin").mkdir()
    (claim.variant_dir / "bin" / "tool").write_text(text)


def test_a_claimed_new_version_is_hidden_then_published(
    make_repo: RepoMaker, repo_dir: Path
) -> None:
    repo = make_repo()
    claim = claim_variant(repo, _variant(0))
    assert claim is not None
    assert claim.variant_dir == repo_dir / "foo" / "1.0" / "python-3.9"
    assert claim.variant_dir.is_dir()
    assert (repo_dir / "foo" / ".building1.0").is_file()
    _fill(claim)
    assert versions(make_repo(), "foo") == []  # no definition yet: not listed
    result = claim.publish(_variant(0))
    assert result.variant is not None
    assert result.variant.root == str(claim.variant_dir)
    assert versions(make_repo(), "foo") == ["1.0"]
    assert sorted(os.listdir(repo_dir / "foo")) == ["1.0"]  # no marker, no claims left
    assert (claim.variant_dir / "bin" / "tool").read_text() == "payload"


def test_an_abandoned_claim_leaves_no_trace(
    write: Writer, make_repo: RepoMaker, repo_dir: Path
) -> None:
    write("other", "1.0")
    before = _tree(repo_dir)
    repo = make_repo()
    for index in (0, None):
        claim = claim_variant(repo, _variant(index))
        assert claim is not None
        _fill(claim)
        claim.abandon()
        claim.abandon()  # idempotent
        assert _tree(repo_dir) == before


def _claim_both(repo: FilesystemRepository) -> tuple[InstallClaim, InstallClaim]:
    """Claim both variants of foo-1.0."""
    first = claim_variant(repo, _variant(0))
    second = claim_variant(repo, _variant(1))
    assert first is not None
    assert second is not None
    return first, second


def test_variants_claimed_side_by_side_all_end_up_in_the_package(
    make_repo: RepoMaker, repo_dir: Path
) -> None:
    first, second = _claim_both(make_repo())
    _fill(first)
    _fill(second)
    first.publish(_variant(0))
    assert (repo_dir / "foo" / ".building1.0").exists()  # the second is still building
    second.publish(_variant(1))
    package = make_repo().get_package("foo", "1.0")
    assert package is not None
    assert [[str(r) for r in v] for v in package.variants] == VARIANTS
    assert sorted(os.listdir(repo_dir / "foo")) == ["1.0"]


def test_one_failed_variant_of_two_leaves_the_other(make_repo: RepoMaker, repo_dir: Path) -> None:
    first, second = _claim_both(make_repo())
    _fill(first)
    first.abandon()
    assert not first.variant_dir.exists()
    _fill(second)
    second.publish(_variant(1))
    package = make_repo().get_package("foo", "1.0")
    assert package is not None
    assert [[str(r) for r in v] for v in package.variants] == [VARIANTS[1]]
    assert sorted(os.listdir(repo_dir / "foo" / "1.0")) == ["package.py", "python-3.11"]


def test_a_reinstall_moves_the_old_payload_aside(make_repo: RepoMaker, repo_dir: Path) -> None:
    repo = make_repo()
    claim = claim_variant(repo, _variant(0, hashed=True))
    assert claim is not None
    _fill(claim, "old")
    claim.publish(_variant(0, hashed=True))
    before = _tree(repo_dir)
    again = claim_variant(repo, _variant(0, hashed=True))
    assert again is not None
    assert again.variant_dir == claim.variant_dir
    assert os.listdir(again.variant_dir) == []  # the build starts from an empty directory
    _fill(again, "failed")
    again.abandon()
    assert _tree(repo_dir) == before  # the old payload is back
    third = claim_variant(repo, _variant(0, hashed=True))
    assert third is not None
    _fill(third, "new")
    third.publish(_variant(0, hashed=True))
    assert (claim.variant_dir / "bin" / "tool").read_text() == "new"
    assert not [p for p in (repo_dir / "foo" / "1.0").iterdir() if p.name.startswith(".pkg")]
    assert os.readlink(repo_dir / "foo" / "1.0" / "_v" / "a") == os.path.join(
        os.pardir, claim.variant_dir.name
    )


def test_one_variant_cannot_be_claimed_twice(make_repo: RepoMaker) -> None:
    repo = make_repo()
    claim = claim_variant(repo, _variant(0))
    assert claim is not None
    with pytest.raises(RepositoryError, match=f"being installed by process {os.getpid()}"):
        claim_variant(repo, _variant(0))
    claim.abandon()
    again = claim_variant(repo, _variant(0))
    assert again is not None
    again.abandon()


def test_an_unversioned_package_without_variants_is_not_claimed(make_repo: RepoMaker) -> None:
    assert claim_variant(make_repo(), _variant(None, version="")) is None


def _claim_and_die(root: str, home: str, index: int) -> None:
    from pathlib import Path

    from pkg.repositories import FilesystemRepository

    repo = FilesystemRepository(root, make_config(Path(home)))
    claim = claim_variant(repo, _variant(index))
    assert claim is not None
    _fill(claim, "half")
    os._exit(0)  # as if killed: nothing is rolled back


def test_the_claims_of_a_dead_process_are_rolled_back(
    write: Writer, make_repo: RepoMaker, repo_dir: Path, home: Path, config: Config
) -> None:
    write("other", "1.0")
    before = _tree(repo_dir)
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_claim_and_die, args=(str(repo_dir), str(home), 0))
    process.start()
    process.join()
    assert (repo_dir / "foo" / "1.0" / "python-3.9" / "bin" / "tool").exists()
    assert (repo_dir / "foo" / CLAIMS_DIRNAME).is_dir()
    assert versions(make_repo(), "foo") == []  # hidden by the marker meanwhile
    repo: FilesystemRepository = make_repo()
    claim = claim_variant(repo, _variant(1))  # reaps the dead claim first
    assert claim is not None
    assert not (repo_dir / "foo" / "1.0" / "python-3.9").exists()
    claim.abandon()
    assert _tree(repo_dir) == before
