"""``pkg bind pip [--exe PYTHON]``: the ``pip`` module of a Python interpreter, with the
``pip`` tool found on ``PATH`` (see :mod:`pkg.bind._pymodule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.bind._pymodule import bind_module, setup_parser

if TYPE_CHECKING:
    from pkg.bind._base import BindContext, BoundPackage

__all__ = ["bind", "setup_parser"]


def bind(context: BindContext) -> BoundPackage:
    """The package ``pip-<version>`` (one variant, requiring ``python-<major.minor>``)."""
    return bind_module(context, "pip", tools=["pip"])
