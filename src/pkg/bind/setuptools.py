"""``pkg bind setuptools [--exe PYTHON]``: the ``setuptools`` module (and
``pkg_resources``) of a Python interpreter, without tools (see :mod:`pkg.bind._pymodule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.bind._pymodule import bind_module, setup_parser

if TYPE_CHECKING:
    from pkg.bind._base import BindContext, BoundPackage

__all__ = ["bind", "setup_parser"]


def bind(context: BindContext) -> BoundPackage:
    """The package ``setuptools-<version>`` (one variant, requiring ``python-<major.minor>``)."""
    return bind_module(context, "setuptools", extra_modules=["pkg_resources"])
