"""Package definitions and the package model.

* :func:`load_definition` reads a ``package.py`` or ``package.yaml`` with Rez's semantics
  (``@early``/``@late``/``@include``, ``scope``, rex functions kept as code) into a
  frozen :class:`PackageDefinition` of plain data; :func:`find_definition_file` finds it.
* :class:`Package` and :class:`Variant` are typed, read-only views of a definition in a
  repository (:class:`RepositoryRef`).
* :func:`dump_package_py` / :func:`write_package_py` write definitions back out.

See ``docs/packages.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg._exports import lazy_exports

if TYPE_CHECKING:
    from pkg.packages._code import ModifyList, SourceCode
    from pkg.packages._pyexec import REX_KEYS, InvalidPackageError
    from pkg.packages._schema import KEY_ORDER, RELEASE_KEYS
    from pkg.packages.definition import PackageDefinition, find_definition_file, load_definition
    from pkg.packages.model import (
        INCLUDE_SUBPATH,
        Package,
        RepositoryRef,
        Variant,
        is_relocatable,
        variant_hash,
    )
    from pkg.packages.serialise import dump_package_py, write_package_py, yaml_to_py

__all__ = [
    "INCLUDE_SUBPATH",
    "KEY_ORDER",
    "RELEASE_KEYS",
    "REX_KEYS",
    "InvalidPackageError",
    "ModifyList",
    "Package",
    "PackageDefinition",
    "RepositoryRef",
    "SourceCode",
    "Variant",
    "dump_package_py",
    "find_definition_file",
    "is_relocatable",
    "load_definition",
    "variant_hash",
    "write_package_py",
    "yaml_to_py",
]

#: Where each exported name lives.  The submodules are imported on first use, so that
#: reading definitions does not pay for writing them (and the other way round).
_SOURCES: dict[str, str] = {
    "ModifyList": "_code",
    "SourceCode": "_code",
    "REX_KEYS": "_pyexec",
    "InvalidPackageError": "_pyexec",
    "KEY_ORDER": "_schema",
    "RELEASE_KEYS": "_schema",
    "PackageDefinition": "definition",
    "find_definition_file": "definition",
    "load_definition": "definition",
    "INCLUDE_SUBPATH": "model",
    "Package": "model",
    "RepositoryRef": "model",
    "Variant": "model",
    "is_relocatable": "model",
    "variant_hash": "model",
    "dump_package_py": "serialise",
    "write_package_py": "serialise",
    "yaml_to_py": "serialise",
}


__getattr__, __dir__ = lazy_exports(globals(), _SOURCES)
