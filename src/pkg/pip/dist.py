"""Distributions installed by ``pip install --target DIR``, read from their ``.dist-info``.

Only the files pip writes are read: ``METADATA`` (an e-mail style header block),
``WHEEL`` (``Root-Is-Purelib``), ``RECORD`` (a CSV of installed paths, relative to
``DIR``) and ``entry_points.txt``.  Nothing is imported or executed.
"""

from __future__ import annotations

import configparser
import csv
import email.parser
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pkg.errors import PkgError

if TYPE_CHECKING:
    from email.message import Message
    from pathlib import Path

__all__ = ["DistError", "InstalledDist", "find_distributions", "read_distribution"]

#: Entry-point groups whose entries pip turns into scripts in ``bin/``.
SCRIPT_GROUPS = ("console_scripts", "gui_scripts")


class DistError(PkgError):
    """A ``.dist-info`` directory that cannot be read."""


@dataclass(frozen=True, slots=True)
class InstalledDist:
    """One installed distribution.

    Attributes:
        name, version: as in ``METADATA`` (``Name``, ``Version``).
        info_dir: the ``.dist-info`` directory's name (relative to the target).
        requires_dist: the ``Requires-Dist`` lines.
        summary, author, author_email, home_page, download_url: metadata ('' if absent).
        project_urls: ``Project-URL`` entries (label, URL).
        pure: ``Root-Is-Purelib: true`` in ``WHEEL``.
        scripts: the console and gui script names from ``entry_points.txt``.
        record: the paths of ``RECORD``, as written (relative to the target).
    """

    name: str
    version: str
    info_dir: str
    requires_dist: tuple[str, ...]
    summary: str
    author: str
    author_email: str
    home_page: str
    download_url: str
    project_urls: tuple[tuple[str, str], ...]
    pure: bool
    scripts: tuple[str, ...]
    record: tuple[str, ...]

    @property
    def name_and_version(self) -> str:
        """``name (version)``, as Rez stores it in ``pip_name``."""
        return f"{self.name} ({self.version})"


def _field(message: Message, name: str) -> str:
    value = message.get(name)
    text = "" if value is None else str(value).strip()
    return "" if text == "UNKNOWN" else text


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise DistError(f"{path}: cannot be read ({error.strerror or error})") from None


def read_distribution(target: Path, info_dir: str) -> InstalledDist:
    """Read ``target/info_dir`` (a ``NAME-VERSION.dist-info`` directory).

    Raises:
        DistError: ``METADATA`` or ``RECORD`` is missing, or ``METADATA`` has no name
            or version.
    """
    directory = target / info_dir
    metadata = email.parser.Parser().parsestr(_read(directory / "METADATA"), headersonly=True)
    name, version = _field(metadata, "Name"), _field(metadata, "Version")
    if not name or not version:
        raise DistError(f"{directory / 'METADATA'}: no Name or Version")
    wheel_file = directory / "WHEEL"
    pure = False
    if wheel_file.is_file():
        wheel = email.parser.Parser().parsestr(_read(wheel_file), headersonly=True)
        pure = _field(wheel, "Root-Is-Purelib").lower() == "true"
    scripts: list[str] = []
    entry_points = directory / "entry_points.txt"
    if entry_points.is_file():
        parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        try:
            parser.read_string(_read(entry_points))
        except configparser.Error as error:
            raise DistError(f"{entry_points}: {error}") from None
        for group in SCRIPT_GROUPS:
            if parser.has_section(group):
                scripts.extend(parser.options(group))
    record = [
        row[0] for row in csv.reader(_read(directory / "RECORD").splitlines()) if row and row[0]
    ]
    urls = []
    for entry in metadata.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        urls.append((label.strip(), url.strip()))
    return InstalledDist(
        name=name,
        version=version,
        info_dir=info_dir,
        requires_dist=tuple(str(r) for r in metadata.get_all("Requires-Dist") or []),
        summary=_field(metadata, "Summary"),
        author=_field(metadata, "Author"),
        author_email=_field(metadata, "Author-email"),
        home_page=_field(metadata, "Home-page"),
        download_url=_field(metadata, "Download-URL"),
        project_urls=tuple(urls),
        pure=pure,
        scripts=tuple(scripts),
        record=tuple(record),
    )


def find_distributions(target: Path) -> list[InstalledDist]:
    """Every distribution installed in ``target``, sorted by name.

    Raises:
        DistError: a ``.dist-info`` directory cannot be read.
    """
    names = sorted(
        entry
        for entry in os.listdir(target)
        if entry.endswith(".dist-info") and (target / entry).is_dir()
    )
    return sorted((read_distribution(target, n) for n in names), key=lambda d: d.name.lower())
