"""A distribution's ``Requires-Dist`` lines as package requirements, as ``rez-pip`` makes them.

Each requirement's environment marker is evaluated for the *target* Python (its
``python_version``/``python_full_version``/``implementation_version``; the other marker
variables are this machine's).  A requirement whose marker is false is dropped.  One whose
marker names a system variable (``sys_platform``, ``platform_machine``,
``python_version``...) is true only on some systems, so it goes into the variant, together
with the system packages the marker depends on (``platform``, ``arch``, ``python``).

Extras: a requirement conditional on an extra (``; extra == "fancy"``) is kept only when
that extra was requested for the distribution (``pkg pip 'foo[fancy]'``); ``rez-pip``
drops all of them.  The variant always starts with ``platform-X``, ``arch-Y`` (for a
distribution that is not pure Python or that has scripts), ``python-X.Y``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.markers import Marker, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement

from pkg.pip.versions import PipVersionError, pip_to_rez_package_name, pip_to_rez_range

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Mapping

    from pkg.core import Version

__all__ = [
    "MARKER_SYSTEM_REQUIREMENTS",
    "RezRequirements",
    "marker_system_requirements",
    "rez_requirements",
]

#: Marker variable -> the system package a requirement using it depends on.
MARKER_SYSTEM_REQUIREMENTS: dict[str, str] = {
    "implementation_name": "python",
    "implementation_version": "python",
    "platform_python_implementation": "python",
    "platform.python_implementation": "python",
    "python_implementation": "python",
    "python_version": "python",
    "python_full_version": "python",
    "sys.platform": "platform",
    "sys_platform": "platform",
    "os.name": "platform",
    "os_name": "platform",
    "platform.version": "platform",
    "platform_version": "platform",
    "platform_system": "platform",
    "platform_release": "platform",
    "platform.machine": "arch",
    "platform_machine": "arch",
}


@dataclass(frozen=True, slots=True)
class RezRequirements:
    """The requirements of one distribution.

    Attributes:
        requires: the package's ``requires``.
        variant_requires: its single variant (system packages first).
        skipped: requirements left out, each with the reason (for logging).
    """

    requires: tuple[str, ...]
    variant_requires: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())


def marker_system_requirements(marker: str) -> set[str]:
    """The system packages (``python``, ``platform``, ``arch``) a marker depends on.

    >>> sorted(marker_system_requirements('python_version < "3.8" and platform_machine > "x"'))
    ['arch', 'python']
    """
    words = set(marker.replace("(", " ").replace(")", " ").split())
    return {system for name, system in MARKER_SYSTEM_REQUIREMENTS.items() if name in words}


def _marker_environment(python_version: Version) -> dict[str, str]:
    full = str(python_version.trim(3))
    return {
        "python_full_version": full,
        "python_version": str(python_version.trim(2)),
        "implementation_version": full,
    }


def _applies(marker: Marker, environment: Mapping[str, str], extras: Collection[str]) -> bool:
    """Whether ``marker`` holds for the target, with none or any one of ``extras``."""
    for extra in ("", *extras):
        try:
            if marker.evaluate({**environment, "extra": extra}):
                return True
        except UndefinedEnvironmentName:
            return False
    return False


def _uses_extra(marker: Marker) -> bool:
    return "extra" in str(marker).replace("(", " ").replace(")", " ").split()


def rez_requirements(
    requires_dist: Iterable[str],
    *,
    python_version: Version,
    platform: str,
    arch: str,
    system_specific: bool,
    extras: Collection[str] = (),
    names: Mapping[str, str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> RezRequirements:
    """Map ``Requires-Dist`` lines to ``requires`` and the variant.

    Args:
        requires_dist: the distribution's requirement lines (PEP 508).
        python_version: the target Python (at least ``major.minor``).
        platform, arch: the values of ``platform-*`` and ``arch-*`` in the variant.
        system_specific: the distribution is not pure Python or installs scripts: its
            variant gets ``platform`` and ``arch``.
        extras: the extras requested for this distribution.
        names: lowercase distribution name -> the name as installed, so that a
            requirement on ``Foo`` written ``foo`` names the installed ``Foo``.
        warn: receives one-line warnings (requested extras of a requirement, which
            packages cannot express, and non-PEP 440 versions).

    Raises:
        PipVersionError: a requirement does not parse, or its specifier cannot be mapped.
    """
    environment = _marker_environment(python_version)
    wanted_extras = {e.lower() for e in extras}
    systems: set[str] = {"python"}
    if system_specific:
        systems |= {"platform", "arch"}
    requires: list[str] = []
    variant: list[str] = []
    skipped: list[str] = []
    for line in requires_dist:
        try:
            req = Requirement(line)
        except InvalidRequirement as error:
            raise PipVersionError(f"invalid requirement {line!r}: {error}") from None
        to_variant = False
        if req.marker is not None:
            if not _applies(req.marker, environment, wanted_extras):
                reason = "extra not requested" if _uses_extra(req.marker) else "marker is false"
                skipped.append(f"{line} ({reason})")
                continue
            found = marker_system_requirements(str(req.marker))
            if found:
                systems |= found
                to_variant = True
        if req.extras and warn is not None:
            warn(f"{line}: the extras {sorted(req.extras)} of {req.name} are not converted")
        name = (names or {}).get(req.name.lower(), req.name)
        text = pip_to_rez_package_name(name)
        if req.specifier:
            text += "-" + pip_to_rez_range(req.specifier)
        (variant if to_variant else requires).append(text)
    head = []
    if "platform" in systems:
        head.append(f"platform-{platform}")
    if "arch" in systems:
        head.append(f"arch-{arch}")
    head.append(f"python-{python_version.trim(2)}")
    return RezRequirements(tuple(requires), (*head, *variant), tuple(skipped))
