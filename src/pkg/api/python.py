"""``pkg python``: run a Python interpreter in which ``pkg`` is importable, like
``rez-python``.

The interpreter is the one running pkg (:data:`sys.executable`), started with ``-E`` so
that ``PYTHONPATH`` and the other ``PYTHON*`` variables of the current environment (a
resolved context's, say) cannot hide or replace pkg's own modules.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["python_argv", "run_python"]


def python_argv(args: Sequence[str]) -> list[str]:
    """The command line that runs pkg's interpreter with ``args`` (passed unchanged:
    a script and its arguments, ``-c CODE``, ``-m MODULE``, interpreter options ...).

    >>> python_argv(["-c", "print(1)"])[1:]
    ['-E', '-c', 'print(1)']
    """
    return [sys.executable, "-E", *args]


def run_python(args: Sequence[str]) -> int:
    """Run pkg's interpreter with ``args`` and return its exit status.

    On POSIX systems the current process *becomes* the interpreter (``exec``), so that
    an interactive session gets the terminal and its signals (Ctrl-C) directly; the call
    then never returns and the exit status is the interpreter's.  Elsewhere the
    interpreter runs as a child process and its exit status is returned.

    Raises:
        OSError: the interpreter cannot be started.
    """
    argv = python_argv(args)
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)
    return subprocess.call(argv)
