"""Each task's output: kept whole in a log file, and its tail in memory for failure reports."""

from __future__ import annotations

import re
from collections import deque
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["TaskLog", "log_file_name"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]+")


def log_file_name(task: str, index: int) -> str:
    """A file name for ``task``'s log: its name made safe, prefixed by its graph index.

    The index keeps names unique even when two task names only differ in unsafe
    characters (``"a/b"`` and ``"a:b"``).

    >>> log_file_name("build:foo-1.2/py-3.11", 7)
    '0007-build_foo-1.2_py-3.11.log'
    """
    safe = _UNSAFE.sub("_", task).strip("._") or "task"
    return f"{index:04d}-{safe[:100]}.log"


class TaskLog:
    """The output lines of one task (all attempts).

    The file is created on the first line, so tasks that print nothing leave no file.
    Lines are written whole through Python's buffered file object: a thread hop per line
    would cost far more than a buffered write to the local build directory.
    """

    __slots__ = ("_file", "_tail", "path")

    def __init__(self, path: Path | None, *, tail_lines: int) -> None:
        self.path = path
        self._tail: deque[str] = deque(maxlen=tail_lines)
        self._file: IO[str] | None = None

    def write(self, line: str) -> None:
        """Append one line (without its line ending)."""
        self._tail.append(line)
        if self.path is None:
            return
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = self.path.open("w", encoding="utf-8", errors="replace")
        self._file.write(line + "\n")

    @property
    def written(self) -> bool:
        """Whether the log file exists (some line was written to it)."""
        return self._file is not None

    def tail(self) -> tuple[str, ...]:
        """The last lines written (up to ``tail_lines``)."""
        return tuple(self._tail)

    def close(self) -> None:
        """Flush and close the file; idempotent."""
        if self._file is not None:
            self._file.close()
