"""Helpers bind modules share: finding and running executables, reading versions.

Executables are looked up on, and run with, the ``PATH`` of the environment the bind
runs in (:attr:`BindContext.environ <pkg.bind._base.BindContext>`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from pkg.bind._base import BindError
from pkg.core import Version
from pkg.errors import VersionError
from pkg.packages import SourceCode

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.core import VersionRange

__all__ = [
    "check_version",
    "extract_version",
    "find_exe",
    "rex_function",
    "run_command",
    "run_python",
    "safe_version_string",
]

_SEPARATOR_RUN = re.compile(r"([.\-])[.\-]+")
_BAD_CHAR = re.compile(r"[^a-zA-Z0-9_.\-]")


def safe_version_string(text: str) -> str:
    """``text`` made into a valid version: other characters become ``_`` and runs of
    separators shrink to their first one, as Rez names ``arch`` and ``os`` versions.

    >>> safe_version_string("Red Hat-8.5..1")
    'Red_Hat-8.5.1'
    """
    text = text.strip(".").strip("-")
    text = _SEPARATOR_RUN.sub(r"\1", _BAD_CHAR.sub("_", text))
    return text.strip(".-")


def check_version(version: Version, version_range: VersionRange | None) -> None:
    """Raise :class:`BindError` if ``version`` is not in ``version_range`` (None: any)."""
    if version_range is not None and not version_range.contains_version(version):
        raise BindError(f"found version {version} is not within range {version_range}")


def find_exe(name: str, filepath: str | None, environ: Mapping[str, str]) -> str:
    """``filepath`` if given (it must be an existing file), else ``name`` found on ``PATH``.

    The path is returned as found, not resolved: binding a shim binds the shim.

    Raises:
        BindError: the file does not exist, is not a file, or ``name`` is not on ``PATH``.
    """
    if filepath:
        if not os.path.exists(filepath):
            raise BindError(f"no such file: {filepath}")
        if not os.path.isfile(filepath):
            raise BindError(f"not a file: {filepath}")
        return filepath
    found = shutil.which(name, path=environ.get("PATH", ""))
    if not found:
        raise BindError(f"could not find executable: {name}")
    return found


def run_command(args: Sequence[str], environ: Mapping[str, str]) -> tuple[int, str, str]:
    """Run ``args``; (exit status, standard output, standard error).

    Raises:
        BindError: the program could not be started.
    """
    try:
        process = subprocess.run(
            list(args), capture_output=True, text=True, env=dict(environ), check=False
        )
    except OSError as error:
        raise BindError(f"failed to execute {args[0]}: {error}") from error
    return process.returncode, process.stdout, process.stderr


def run_python(
    lines: Sequence[str], environ: Mapping[str, str], exe: str | None = None
) -> tuple[bool, str, str]:
    """Run the Python statements ``lines`` with ``exe`` (default: the running interpreter);
    (succeeded, stripped standard output, stripped standard error)."""
    status, out, err = run_command([exe or sys.executable, "-c", "; ".join(lines)], environ)
    return status == 0, out.strip(), err.strip()


def extract_version(
    exe: str,
    args: Sequence[str],
    environ: Mapping[str, str],
    *,
    word_index: int = -1,
    rank: int = 3,
) -> Version:
    """The version ``exe args`` prints: word ``word_index`` of its first output line, cut
    to its first ``rank`` parts (``3.25.1-rc2`` with rank 3 is ``3.25.1``).

    Raises:
        BindError: the program failed or printed no version.
    """
    status, out, err = run_command([exe, *args], environ)
    if status:
        raise BindError(f"failed to execute {exe}: {err.strip()} (exit status {status})")
    first = out.strip().split("\n")[0].strip()
    try:
        word = first.split()[word_index]
        parts = word.replace(".", " ").replace("-", " ").split()
        return Version(".".join(parts[:rank]))
    except (IndexError, VersionError) as error:
        raise BindError(f"failed to parse version from output {first!r}: {error}") from error


def rex_function(name: str, *body: str) -> SourceCode:
    """A package function ``name`` (``commands``...) whose body is the lines ``body``."""
    lines = "".join(f"    {line}\n" if line else "\n" for line in body)
    return SourceCode(f"def {name}():\n{lines}", name)
