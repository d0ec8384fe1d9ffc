"""One installed distribution -> one package definition and the files of its variant.

:func:`convert_distribution` is pure apart from checking which ``RECORD`` paths exist:
it returns a :class:`PipPackage` (the definition as data, and source -> destination
paths); :func:`write_payload` copies the files into a variant directory, turning the
scripts of ``bin/`` into wrappers that work in a resolved context
(:mod:`pkg.pip.scripts`).

File layout (as ``rez-pip``): ``*.dist-info`` and every path inside the target go to
``python/``; a ``RECORD`` path leading outside the target (``../../bin/foo``) must match
one of the ``pip_install_remaps`` rules (``record_path`` regex, then ``pip_install`` =
where pip put it relative to the target, ``rez_install`` = where it goes in the package).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pkg.errors import PkgError
from pkg.packages import SourceCode
from pkg.pip.requirements import rez_requirements
from pkg.pip.scripts import write_script
from pkg.pip.versions import pip_to_rez_package_name, pip_to_rez_version

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence
    from pathlib import Path

    from pkg.core import Version
    from pkg.pip.dist import InstalledDist

__all__ = ["ConvertError", "PipPackage", "convert_distribution", "map_files", "write_payload"]


class ConvertError(PkgError):
    """A distribution cannot be converted (a file outside the target no remap covers)."""


@dataclass(frozen=True, slots=True)
class PipPackage:
    """A converted distribution.

    Attributes:
        dist: the distribution.
        name, version: the package.
        data: the definition (``name``, ``version``, ``requires``, ``variants``...).
        files: path relative to the pip target -> path relative to the variant root.
        skipped: requirements left out, with the reason.
        missing: ``RECORD`` paths that do not exist (skipped, as ``rez-pip`` does).
    """

    dist: InstalledDist
    name: str
    version: str
    data: dict[str, object]
    files: dict[str, str]
    skipped: tuple[str, ...] = field(default=())
    missing: tuple[str, ...] = field(default=())

    @property
    def qualified_name(self) -> str:
        return f"{self.name}-{self.version}"

    @property
    def variant_requires(self) -> list[str]:
        variants = self.data["variants"]
        assert isinstance(variants, list)
        return list(variants[0])


def _remap(dist: InstalledDist, rel: str, remaps: Sequence[Mapping[str, str]]) -> tuple[str, str]:
    for remap in remaps:
        pattern = remap["record_path"]
        if re.search(pattern, rel):
            return re.sub(pattern, remap["pip_install"], rel), re.sub(
                pattern, remap["rez_install"], rel
            )
    record = f"{dist.info_dir}/RECORD"
    token = rel.replace(os.pardir, "{p}").replace(os.sep, "{s}")
    raise ConvertError(
        f"{dist.name} {dist.version}: {rel!r} (in {record}) is outside the pip target and "
        f"no pip_install_remaps rule covers it; add one with record_path {token!r}, "
        "pip_install (where pip put it, relative to the target) and rez_install (where it "
        "goes in the package)"
    )


def map_files(
    dist: InstalledDist, target: Path, remaps: Sequence[Mapping[str, str]]
) -> tuple[dict[str, str], list[str]]:
    """(source -> destination of each existing ``RECORD`` path, missing paths).

    Raises:
        ConvertError: a path outside ``target`` matches no rule of ``remaps``.
    """
    files: dict[str, str] = {}
    missing: list[str] = []
    for recorded in dist.record:
        rel = os.path.normpath(recorded)
        top = rel.split(os.sep, 1)[0]
        if top == os.pardir:
            source, dest = _remap(dist, rel, remaps)
        else:
            source, dest = rel, os.path.join("python", rel)
        if not os.path.lexists(target / source):
            missing.append(rel)
            continue
        files[source] = dest
    return files, missing


def _commands(tools: Sequence[str]) -> SourceCode:
    lines = ["def commands():", "    env.PYTHONPATH.append('{root}/python')"]
    if tools:
        lines.append("    env.PATH.append('{root}/bin')")
    # No trailing newline: the source then compares equal to the one read back from the
    # installed package.py, so a second run finds the variant already installed.
    return SourceCode("\n".join(lines), "commands")


def _help(dist: InstalledDist) -> list[list[str]]:
    entries = []
    home, source = dist.home_page, dist.download_url
    urls = {
        label.lower().replace(" ", "").replace("-", ""): url for label, url in dist.project_urls
    }
    home = home or urls.get("homepage", "")
    source = source or urls.get("source", "") or urls.get("sourcecode", "")
    if home:
        entries.append(["Home Page", home])
    if source:
        entries.append(["Source Code", source])
    return entries


def convert_distribution(
    dist: InstalledDist,
    target: Path,
    *,
    python_version: Version,
    platform: str,
    arch: str,
    remaps: Sequence[Mapping[str, str]],
    extras: Collection[str] = (),
    names: Mapping[str, str] | None = None,
    warn: Callable[[str], None] | None = None,
) -> PipPackage:
    """The package of ``dist``, installed by pip in ``target``.

    Args:
        dist: the distribution.
        target: the pip target directory.
        python_version: the Python the distribution was installed for.
        platform, arch: this machine's (``platform-*``/``arch-*`` of the variant).
        remaps: the ``pip_install_remaps`` setting.
        extras: the extras requested for ``dist``.
        names: lowercase name -> installed name of every distribution of the install.
        warn: receives one-line warnings.

    Raises:
        PipVersionError: the version or a requirement cannot be mapped.
        ConvertError: a file outside the target matches no remap rule.
    """
    name = pip_to_rez_package_name(dist.name)
    version = pip_to_rez_version(dist.version, warn=warn)
    files, missing = map_files(dist, target, remaps)
    tools = sorted(os.path.basename(d) for d in files.values() if os.path.dirname(d) == "bin")
    reqs = rez_requirements(
        dist.requires_dist,
        python_version=python_version,
        platform=platform,
        arch=arch,
        system_specific=not dist.pure or bool(dist.scripts),
        extras=extras,
        names=names,
        warn=warn,
    )
    data: dict[str, object] = {"name": name, "version": version}
    if dist.summary:
        data["description"] = dist.summary
    if reqs.requires:
        data["requires"] = list(reqs.requires)
    data["variants"] = [list(reqs.variant_requires)]
    data["commands"] = _commands(tools)
    if tools:
        data["tools"] = tools
    data["hashed_variants"] = True
    data["pip_name"] = dist.name_and_version
    data["from_pip"] = True
    data["is_pure_python"] = dist.pure
    help_ = _help(dist)
    if help_:
        data["help"] = help_
    author = dist.author or dist.author_email
    if dist.author and dist.author_email:
        author += " " + dist.author_email
    if author:
        data["authors"] = [author]
    return PipPackage(dist, name, version, data, files, reqs.skipped, tuple(missing))


def write_payload(
    package: PipPackage,
    target: Path,
    root: Path,
    *,
    python_version: Version,
    interpreter: str,
    move: bool = False,
) -> None:
    """Copy ``package``'s files from ``target`` into the variant directory ``root``.

    Scripts in ``bin/`` whose first line runs Python are written as wrappers
    (:func:`pkg.pip.scripts.write_script`); other files are copied with their mode, or,
    with ``move``, moved (``target`` is then left incomplete: for a staging directory
    about to be deleted; a file on another file system is still copied).
    """
    made: set[Path] = set()
    for source, dest in package.files.items():
        src = target / source
        dst = root / dest
        if dst.parent not in made:
            dst.parent.mkdir(parents=True, exist_ok=True)
            made.add(dst.parent)
        if os.path.dirname(dest) == "bin" and write_script(
            src, dst, python_version=python_version, interpreter=interpreter
        ):
            continue
        if move:
            try:
                os.replace(src, dst)
                continue
            except OSError:
                pass
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)
