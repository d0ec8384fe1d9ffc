"""Package and Variant views: typed attributes, late binding, variants and their paths."""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

import pytest

from pkg.core import Requirement, Version
from pkg.errors import PackageDefinitionError
from pkg.packages import Package, PackageDefinition, RepositoryRef, load_definition

if TYPE_CHECKING:
    from pathlib import Path

    from tests.packages.conftest import WriteFile

REPO = RepositoryRef("filesystem", "/repo")


def _package(data: dict[str, object], repo: RepositoryRef | None = REPO) -> Package:
    return Package(PackageDefinition(data, "/repo/foo/1.2/package.py"), repo)


def test_identity_and_paths() -> None:
    package = _package({"name": "foo", "version": "1.2", "requires": ["a-1"]})
    assert package.version == Version("1.2")
    assert package.qualified_name == "foo-1.2"
    assert package.base == package.root == os.path.join("/repo", "foo", "1.2")
    assert package.uri == os.path.join("/repo", "foo", "1.2", "package.py")
    assert package.requires == [Requirement("a-1")]
    assert package.get("missing", 5) == 5
    assert not package.is_local


def test_unversioned_and_memory() -> None:
    package = _package({"name": "foo"}, RepositoryRef("memory", "mem", local=True))
    assert package.qualified_name == "foo"
    assert package.uri == "mem:foo"
    assert package.base is None
    assert package.is_local


@pytest.mark.parametrize(
    ("variants", "hashed", "subpaths"),
    [
        ([], False, [None]),
        ([["python-2.7"], ["python-3", "!foo"]], False, ["python-2.7", "python-3/!foo"]),
        ([["python-2.7"]], True,
         [hashlib.sha1(b"['python-2.7']").hexdigest()]),
        ([["a", "b-1"]], True, [hashlib.sha1(b"['a', 'b-1']").hexdigest()]),
    ],
)  # fmt: skip
def test_variant_subpaths(
    variants: list[list[str]], hashed: bool, subpaths: list[str | None]
) -> None:
    package = _package(
        {"name": "foo", "version": "1.2", "requires": ["r"], "variants": variants,
         "hashed_variants": hashed}
    )  # fmt: skip
    found = list(package.iter_variants())
    assert [v.subpath for v in found] == [
        None if s is None else s.replace("/", os.sep) for s in subpaths
    ]
    assert package.num_variants == len(variants)
    for variant in found:
        index = "" if variant.index is None else str(variant.index)
        assert variant.uri == f"{package.uri}[{index}]"
        assert variant.qualified_name == f"foo-1.2[{index}]"
        assert variant.qualified_package_name == "foo-1.2"
        assert variant.requires[0] == Requirement("r")
        assert variant.description is None  # delegated attribute
        expected_root = (
            package.base
            if variant.subpath is None
            else os.path.join("/repo", "foo", "1.2", variant.subpath)
        )
        assert variant.root == expected_root


def test_late_binding(write: WriteFile) -> None:
    path = write(
        """
        name = 'foo'
        variants = [['a']]
        @late()
        def tools():
            return ['in' if in_context() else 'out', 'variant' if this.is_variant else 'pkg']
        @late()
        def requires():
            return ['b-1']
        @late()
        def bad():
            raise RuntimeError('boom')
        """
    )
    package = Package(load_definition(path))
    assert package.tools == ["out", "pkg"]
    assert package.requires == [Requirement("b-1")]
    variant = next(package.iter_variants())
    assert variant.tools == ["out", "variant"]
    assert [str(r) for r in variant.requires] == ["b-1", "a"]
    assert package.with_late_bindings({"context": object()}).tools == ["in", "pkg"]
    with pytest.raises(PackageDefinitionError, match="boom") as info:
        package.get("bad")
    assert (info.value.line, info.value.attribute) == (10, "bad")


def test_late_result_is_validated(write: WriteFile) -> None:
    path = write("name = 'foo'\n@late()\ndef requires():\n    return ['a-+<']\n")
    with pytest.raises(PackageDefinitionError, match="invalid value"):
        _ = Package(load_definition(path)).requires


def test_late_include_from_installed_package(tmp_path: Path) -> None:
    base = tmp_path / "foo" / "1.0"
    (base / ".rez" / "include").mkdir(parents=True)
    (base / ".rez" / "include" / "helpers.py").write_text("def tools():\n    return ['t']\n")
    (base / "package.py").write_text(
        "name = 'foo'\nversion = '1.0'\n@include('helpers')\n@late()\n"
        "def tools():\n    return helpers.tools()\n"
    )
    package = Package(
        load_definition(base / "package.py"), RepositoryRef("filesystem", str(tmp_path))
    )
    assert package.tools == ["t"]


def test_variant_index_out_of_range() -> None:
    from pkg.packages import Variant

    with pytest.raises(IndexError):
        Variant(_package({"name": "foo"}), 0)


@pytest.mark.parametrize(
    ("attribute", "settings", "expected"),
    [
        (True, {"default_relocatable": False}, True),
        (None, {"default_relocatable": True}, True),
        (None, {"default_relocatable_per_package": {"foo": True}}, True),
        # Rez asks the repository's table before the package's
        (
            None,
            {
                "default_relocatable_per_repository": {"/repo": True},
                "default_relocatable_per_package": {"foo": False},
            },
            True,
        ),
        (
            None,
            {"default_relocatable": False, "default_relocatable_per_repository": {"/other": True}},
            False,
        ),
    ],
)
def test_is_relocatable(
    attribute: bool | None, settings: dict[str, object], expected: bool
) -> None:
    from pkg.config import load_config
    from pkg.packages import is_relocatable

    data: dict[str, object] = {"name": "foo", "version": "1.2"}
    if attribute is not None:
        data["relocatable"] = attribute
    config = load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, overrides=settings)
    assert is_relocatable(_package(data), config) is expected
