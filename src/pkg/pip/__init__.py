"""Converting Python distributions into packages (``pkg pip``).

* :mod:`pkg.pip.versions`: PEP 440 versions and specifiers -> Rez versions and ranges.
* :mod:`pkg.pip.requirements`: ``Requires-Dist`` lines -> requires and variant requires,
  markers evaluated for the target Python.
* :mod:`pkg.pip.dist`: reading a distribution installed by ``pip install --target``.
* :mod:`pkg.pip.convert`: the package definition and the file layout of a distribution.
* :mod:`pkg.pip.scripts`: console-script wrappers that work inside a resolved context.

See ``docs/pip.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg._exports import lazy_exports

if TYPE_CHECKING:
    from pkg.pip.convert import ConvertError, PipPackage, convert_distribution
    from pkg.pip.dist import InstalledDist, find_distributions
    from pkg.pip.requirements import RezRequirements, rez_requirements
    from pkg.pip.versions import (
        PipVersionError,
        pip_to_rez_package_name,
        pip_to_rez_range,
        pip_to_rez_version,
    )

__all__ = [
    "ConvertError",
    "InstalledDist",
    "PipPackage",
    "PipVersionError",
    "RezRequirements",
    "convert_distribution",
    "find_distributions",
    "pip_to_rez_package_name",
    "pip_to_rez_range",
    "pip_to_rez_version",
    "rez_requirements",
]

_SOURCES: dict[str, str] = {
    "ConvertError": "convert",
    "PipPackage": "convert",
    "convert_distribution": "convert",
    "InstalledDist": "dist",
    "find_distributions": "dist",
    "RezRequirements": "requirements",
    "rez_requirements": "requirements",
    "PipVersionError": "versions",
    "pip_to_rez_package_name": "versions",
    "pip_to_rez_range": "versions",
    "pip_to_rez_version": "versions",
}

__getattr__, __dir__ = lazy_exports(globals(), _SOURCES)
