"""Script wrappers for ``bin/``: pip's scripts, made to run inside a resolved context.

pip writes console and gui scripts whose first line is ``#!<the interpreter that ran
pip>``: a package installed that way only works while that interpreter exists.
:func:`write_script` replaces that line with a small header that is both a shell script
and a Python string literal.  Run as a shell script, it starts the first interpreter
found of ``pythonX.Y`` (the package's Python, on the context's ``PATH``), the
interpreter that ran pip, ``python3`` and ``python``, on the file itself; Python then
reads the header as a string and runs pip's script unchanged below it.
"""

from __future__ import annotations

import os
import shlex
import stat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.core import Version

__all__ = ["script_header", "write_script"]


def script_header(python_version: Version, interpreter: str) -> str:
    """The wrapper header (ends with a newline).

    >>> from pkg.core import Version
    >>> print(script_header(Version("3.11"), "/usr/bin/python3"), end="")
    #!/bin/sh
    '''true'
    for py in python3.11 /usr/bin/python3 python3 python; do
      if command -v "$py" >/dev/null 2>&1; then exec "$py" "$0" "$@"; fi
    done
    echo "$0: no Python interpreter found" >&2; exit 127
    '''
    """
    candidates = [f"python{python_version.trim(2)}", interpreter, "python3", "python"]
    unique = " ".join(shlex.quote(c) for c in dict.fromkeys(candidates) if "'''" not in c)
    return (
        "#!/bin/sh\n"
        "'''true'\n"
        f"for py in {unique}; do\n"
        '  if command -v "$py" >/dev/null 2>&1; then exec "$py" "$0" "$@"; fi\n'
        "done\n"
        'echo "$0: no Python interpreter found" >&2; exit 127\n'
        "'''\n"
    )


def write_script(source: Path, dest: Path, *, python_version: Version, interpreter: str) -> bool:
    """Write ``source`` to ``dest`` as a wrapper if it is a Python script (its first line
    is a ``#!`` line naming Python); return False (writing nothing) otherwise."""
    try:
        data = source.read_bytes()
    except OSError:
        return False
    first, newline, rest = data.partition(b"\n")
    if not first.startswith(b"#!") or b"python" not in first.lower() or not newline:
        return False
    try:
        body = rest.decode("utf-8")
    except UnicodeDecodeError:
        return False
    dest.write_text(script_header(python_version, interpreter) + body, encoding="utf-8")
    mode = os.stat(source).st_mode
    os.chmod(dest, stat.S_IMODE(mode) | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return True
