"""``pkg python``: the interpreter running pkg, started as a real process (the command
replaces the process, so it cannot run inside pytest's)."""

from __future__ import annotations

import doctest
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

import pkg
import pkg.api.python
from pkg.api.python import python_argv

if TYPE_CHECKING:
    from pathlib import Path

SCRIPT = """\
import sys
import pkg
print(repr(sys.argv))
print(pkg.__file__)
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 0)
"""


def _run(
    pkg_script: list[str], *args: str, stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*pkg_script, "python", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "script.py"
    path.write_text(SCRIPT)
    return path


def test_script_gets_its_arguments_and_pkg(pkg_script: list[str], script: Path) -> None:
    done = _run(pkg_script, str(script), "-v", "--x", "a b", "-c", "CODE", "--", "-h")
    assert (done.returncode, done.stderr) == (0, "")
    argv, location = done.stdout.splitlines()
    assert argv == repr([str(script), "-v", "--x", "a b", "-c", "CODE", "--", "-h"])
    assert location == pkg.__file__


def test_exit_status_is_propagated(pkg_script: list[str], script: Path) -> None:
    assert _run(pkg_script, str(script), "7").returncode == 7


def test_code_option(pkg_script: list[str]) -> None:
    done = _run(pkg_script, "-c", "import sys, pkg; print(sys.argv, pkg.__name__); sys.exit(4)")
    assert (done.returncode, done.stdout, done.stderr) == (4, "['-c'] pkg\n", "")


def test_module_option_and_double_dash(pkg_script: list[str], script: Path) -> None:
    done = _run(pkg_script, "-m", "pkg", "--help")
    assert done.returncode == 0
    assert "Usage:" in done.stdout
    done = _run(pkg_script, "--", str(script), "3")
    assert done.returncode == 3
    assert done.stdout.splitlines()[0] == repr([str(script), "3"])


def test_pythonpath_of_the_environment_is_ignored(
    pkg_script: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as rez-python: -E, so a context's PYTHONPATH cannot shadow pkg's own modules
    (tmp_path / "probe_module.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    code = (
        "import importlib.util as u, sys; "
        "print(u.find_spec('probe_module'), sys.flags.ignore_environment)"
    )
    done = _run(pkg_script, "-c", code)
    assert (done.returncode, done.stdout) == (0, "None 1\n")


def test_no_file_reads_standard_input(pkg_script: list[str]) -> None:
    done = _run(pkg_script, stdin="import pkg\nprint('from stdin', __name__)\n")
    assert (done.returncode, done.stdout, done.stderr) == (0, "from stdin __main__\n", "")


def test_help_only_when_first(pkg_script: list[str]) -> None:
    done = _run(pkg_script, "--help")
    assert done.returncode == 0
    assert "Usage: pkg python [OPTIONS] [FILE] [ARGS]..." in done.stdout
    # later, -h goes to Python (whose own help names its options)
    done = _run(pkg_script, "-c", "import sys; print(sys.argv)", "-h")
    assert (done.returncode, done.stdout) == (0, "['-c', '-h']\n")


def test_bad_python_option_is_pythons_error(pkg_script: list[str]) -> None:
    done = _run(pkg_script, "--no-such-option")
    assert done.returncode == 2
    assert "--no-such-option" in done.stderr
    assert "Traceback" not in done.stderr


def test_argv_uses_this_interpreter() -> None:
    assert python_argv(["x.py", "-v"]) == [sys.executable, "-E", "x.py", "-v"]


def test_module_examples() -> None:
    assert doctest.testmod(pkg.api.python).failed == 0
