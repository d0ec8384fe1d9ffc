"""The memory repository."""

from __future__ import annotations

import pytest

from pkg.errors import PackageDefinitionError, RepositoryError
from pkg.repositories import UNVERSIONED, MemoryRepository, Repository


def make() -> MemoryRepository:
    return MemoryRepository(
        {
            "foo": {
                "2.0": {"requires": ["bar-1+"]},
                "1.0": {"name": "foo", "version": "1.0"},
                "10.0": {},
            },
            "bar": {UNVERSIONED: {"description": "unversioned"}},
        },
        location="test",
    )


def test_is_a_repository() -> None:
    assert isinstance(make(), Repository)


def test_listing() -> None:
    repo = make()
    assert list(repo.iter_family_names()) == ["bar", "foo"]
    assert [str(p.version) for p in repo.iter_packages("foo")] == ["1.0", "2.0", "10.0"]
    assert [str(v) for v in repo.iter_versions("bar")] == [""]
    bar = next(repo.iter_packages("bar"))
    assert (bar.description, bar.base, bar.uri) == ("unversioned", None, "test:bar")
    foo = repo.get_package("foo", "2.0")
    assert foo is not None
    assert [str(r) for r in foo.requires] == ["bar-1+"]
    assert foo.uri == "test:foo-2.0"
    assert repo.get_package("foo", "3") is None
    assert list(repo.iter_packages("nope")) == []


def test_invalid_version_is_an_error_not_a_stop() -> None:
    repo = MemoryRepository({"foo": {"1.0": {}, "bad@": {}}})
    errors: list[PackageDefinitionError] = []
    assert [str(p.version) for p in repo.iter_packages("foo", errors=errors)] == ["1.0"]
    assert len(errors) == 1
    assert repo.load_errors == tuple(errors)


def test_ignore_remove() -> None:
    repo = make()
    assert repo.ignore_package("foo", "2.0") == 1
    assert repo.ignore_package("foo", "2.0") == 0
    assert repo.ignore_package("foo", "3.0") == -1
    assert [str(v) for v in repo.iter_versions("foo")] == ["1.0", "10.0"]
    assert repo.unignore_package("foo", "2.0") == 1
    assert repo.remove_package("foo", "2.0")
    assert not repo.remove_package("foo", "2.0")
    with pytest.raises(RepositoryError):
        repo.remove_family("foo")
    assert repo.remove_family("foo", force=True)
    assert not repo.has_family("foo")


def test_uid_and_location() -> None:
    a, b = MemoryRepository(), MemoryRepository()
    assert a.location != b.location
    assert a.uid != b.uid
    assert a.payload_path("foo", "1") is None
