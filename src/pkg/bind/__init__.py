"""Binding software found on this system as packages: ``pkg bind``, like ``rez-bind``.

* :func:`bind_package` binds one package (``python``, ``cmake`` ...) and the packages it
  requires into a repository; :func:`quickstart` binds the standard set;
* :mod:`pkg.bind.registry` lists the bind modules (one module of this package per
  target) and finds close matches of a name;
* each bind module describes a :class:`BoundPackage` (its definition and payload);
  writing it goes through the repository's staged, atomic, locked install.

See ``docs/bind.md``.
"""

from __future__ import annotations

from pkg.bind._base import (
    BindContext,
    BindError,
    BindHelpRequested,
    BoundPackage,
    SystemFacts,
)
from pkg.bind._bind import (
    BindReporter,
    BoundVariant,
    bind_package,
    install_path,
    parse_target,
    quickstart,
    system_facts,
)
from pkg.bind.registry import QUICKSTART, bind_module_dir, close_matches, get_bind_modules

__all__ = [
    "QUICKSTART",
    "BindContext",
    "BindError",
    "BindHelpRequested",
    "BindReporter",
    "BoundPackage",
    "BoundVariant",
    "SystemFacts",
    "bind_module_dir",
    "bind_package",
    "close_matches",
    "get_bind_modules",
    "install_path",
    "parse_target",
    "quickstart",
    "system_facts",
]
