"""The PEP 440 mapping of ``pkg.pip.versions`` against rez's own functions
(``rez.utils.pip.pip_to_rez_version`` and ``pip_specifier_to_rez_requirement``), over the
tables of ``tests/pip/test_versions.py`` (skipped without rez).

Where pkg deliberately differs (a local label in ``==``), the case is a strict xfail and
the difference is listed in ``docs/migrating-from-rez.md``.
"""

from __future__ import annotations

import importlib.util
import logging

import pytest

from pkg.pip.versions import pip_to_rez_range, pip_to_rez_version
from tests.pip.test_versions import SPECIFIERS, VERSIONS

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

#: Specifiers pkg maps differently on purpose: pip matches ``==V+local`` exactly; rez-pip
#: makes an upper bound below the lower one (``2.1.0-cpu+<2.1.0``, an error) or a range.
FIXED = {"==2.1.0+cpu", "==1.0+local.1"}


def _rez_version(text: str) -> str:
    from rez.utils.pip import pip_to_rez_version as rez_pip_to_rez_version

    logging.getLogger("rez").setLevel(logging.ERROR)  # legacy versions warn
    return str(rez_pip_to_rez_version(text))


def _rez_range(text: str) -> str | None:
    from rez.exceptions import PackageRequestError
    from rez.utils.pip import pip_specifier_to_rez_requirement
    from rez.vendor.packaging.specifiers import SpecifierSet
    from rez.version import VersionError

    try:
        return str(pip_specifier_to_rez_requirement(SpecifierSet(text)))  # type: ignore[no-untyped-call]
    except (PackageRequestError, VersionError):
        return None


@pytest.mark.parametrize(("pip", "rez"), VERSIONS, ids=[v for v, _ in VERSIONS])
def test_versions_match_rez(pip: str, rez: str) -> None:
    assert pip_to_rez_version(pip) == _rez_version(pip) == rez


@pytest.mark.parametrize(
    "pip",
    [
        pytest.param(s, marks=pytest.mark.xfail(strict=True, reason="rez-pip bug, fixed"))
        if s in FIXED
        else s
        for s, _ in SPECIFIERS
    ],
)
def test_specifiers_match_rez(pip: str) -> None:
    assert pip_to_rez_range(pip) == _rez_range(pip)
