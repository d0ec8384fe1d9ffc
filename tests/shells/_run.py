"""Running rendered scripts in the real shells installed on this machine."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from pkg.rex import Command
from pkg.shells import get_shell

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from pkg.rex import Action

#: shell name -> (programs to try, in order, and the flags that skip startup files)
RUNNERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bash": (("bash",), ("--norc", "--noprofile")),
    "sh": (("dash", "sh"), ()),
    "zsh": (("zsh",), ("-f",)),
    "csh": (("csh",), ("-f",)),
    "tcsh": (("tcsh",), ("-f",)),
    "fish": (("fish",), ("--no-config",)),
}

#: Python code writing the environment as JSON to the file named by its argument.
_DUMP = "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w'))"


def program(name: str) -> str:
    """The path of the program that runs shell ``name``; skips the test if none is installed."""
    candidates, _ = RUNNERS[name]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    pytest.skip(f"{name}: none of {', '.join(candidates)} is installed")


@dataclass(frozen=True)
class Result:
    """What running a script gave."""

    environ: dict[str, str]
    stdout: str
    stderr: str
    script: str


def run(
    name: str,
    actions: Sequence[Action],
    tmp_path: Path,
    *,
    environ: Mapping[str, str] | None = None,
    tail: str = "",
    separators: Mapping[str, str] | None = None,
    prefix: str = "",
) -> Result:
    """Render ``actions`` for shell ``name`` and run ``prefix`` (shell code), the script,
    then ``tail`` with a clean environment (plus ``environ``); return the environment at
    the end."""
    exe = program(name)
    shell = get_shell(name)(separators=separators)
    out = tmp_path / f"env-{name}.json"
    dump = Command((sys.executable, "-c", _DUMP, str(out)))
    script = prefix + shell.render([*actions, dump]) + tail
    path = tmp_path / f"script.{shell.file_extension}"
    path.write_text(script, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", **(environ or {})}
    flags = RUNNERS[name][1]
    done = subprocess.run(
        [exe, *flags, str(path)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        check=False,
        timeout=60,
    )
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, f"{name} failed ({done.returncode}):\n{stderr}\n--\n{script}"
    assert out.exists(), f"{name} stopped early:\n{stderr}\n--\n{script}"
    environ_after: dict[str, str] = json.loads(out.read_text(encoding="utf-8"))
    return Result(environ_after, stdout, stderr, script)
