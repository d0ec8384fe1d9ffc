"""``pkg env`` flags about the solve's output and how the shell starts: ``-v``,
``--no-passive``, ``--stats``, ``--pre-command``, ``--new-session`` and ``--detached``.

The shell flags run ``pkg env`` as a real process starting a real bash, whose command
writes what it sees (its variables, process ids, session) to a file.
"""

from __future__ import annotations

import ast
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import write_package

#: a-2 needs b, whose every version clashes with a-2: one failed phase, then a-1.
#: x and y require each other (a cycle).
PACKAGES = [
    ("a", "1", "def commands():\n    env.A_ROOT = '{root}'\n"),
    ("a", "2", "requires = ['b']\n"),
    ("b", "1", "requires = ['c-1']\n"),
    ("b", "2", "requires = ['c-2']\n"),
    ("c", "1", "requires = ['!a']\n"),
    ("c", "2", "requires = ['!a-2']\n"),
    ("x", "1", "requires = ['y']\n"),
    ("y", "1", "requires = ['x']\n"),
]

BACKTRACK_STEPS = [
    "SOLVE #1 (0 fails so far)...",
    "SOLVE #2 (0 fails so far)...",
    "SOLVE #3 (1 fails so far)...",
    "SUCCESS",
]

#: Writes "pid ppid sid pgid" of the process running it (a child of the shell, or the
#: shell itself when the shell execs it).
IDS = (
    f"{shlex.quote(sys.executable)} -c "
    "'import os; print(os.getpid(), os.getppid(), os.getsid(0), os.getpgid(0))'"
)


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    repo = tmp_path / "repo"
    for family, version, body in PACKAGES:
        write_package(repo, family, version, body)
    (tmp_path / "tmp").mkdir()
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PKG_", "REZ_"))}
    return {
        **keep,
        "PKG_DISABLE_HOME_CONFIG": "1",
        "PKG_PACKAGES_PATH": str(repo),
        "PKG_IMPLICIT_PACKAGES_JSON": "[]",
        "TMPDIR": str(tmp_path / "tmp"),
    }


def _env(
    pkg_script: list[str], environ: dict[str, str], *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*pkg_script, "env", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**environ, **extra},
        timeout=120,
    )


def _wait_for(path: Path) -> str:
    """The text of ``path`` once it has a full line (a detached shell may still run)."""
    for _ in range(600):
        if path.is_file():
            text = path.read_text()
            if text.endswith("\n"):
                return text
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


# -- -v, --no-passive, --stats --------------------------------------------------------


def test_verbose_prints_each_solve_step(pkg_script: list[str], environ: dict[str, str]) -> None:
    done = _env(pkg_script, environ, "-v", "--no-cache", "a", "-c", "true")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == BACKTRACK_STEPS
    quiet = _env(pkg_script, environ, "--no-cache", "a", "-c", "true")
    assert (quiet.returncode, quiet.stdout) == (0, "")


@pytest.mark.parametrize(
    ("args", "steps"),
    [
        (["a-2"], ["SOLVE #1 (0 fails so far)...", "FAIL: there is no solution"]),
        (["x"], ["SOLVE #1 (0 fails so far)...", "FAIL: a cycle was detected"]),
        # stopped by the fail limit: no FAIL line, as in rez
        (["a", "--max-fails", "1"], BACKTRACK_STEPS[:2]),
    ],
)
def test_verbose_failed_solves(
    pkg_script: list[str], environ: dict[str, str], args: list[str], steps: list[str]
) -> None:
    done = _env(pkg_script, environ, "-v", "--no-cache", *args, "-c", "true")
    assert done.returncode == 1
    assert done.stdout.splitlines() == steps
    assert "failed" in done.stderr


def test_no_passive_changes_nothing_at_this_verbosity(
    pkg_script: list[str], environ: dict[str, str]
) -> None:
    done = _env(pkg_script, environ, "-v", "--no-passive", "--no-cache", "a", "-c", "true")
    assert (done.returncode, done.stdout.splitlines()) == (0, BACKTRACK_STEPS), done.stderr


def _stats(text: str) -> Any:
    return ast.literal_eval(text)


def test_stats(pkg_script: list[str], environ: dict[str, str]) -> None:
    done = _env(pkg_script, environ, "--stats", "--no-cache", "a", "--", "printenv", "A_ROOT")
    assert done.returncode == 0, done.stderr
    *stats, root = done.stdout.splitlines()
    assert root.endswith(os.path.join("a", "1"))
    data = _stats("\n".join(stats))
    glob = data["solve_stats"]["global"]
    assert list(data) == ["solve_stats"]
    assert list(data["solve_stats"]) == ["global"]
    assert (glob["num_solves"], glob["num_fails"]) == (3, 1)
    assert glob["num_loaded_packages"] == 6  # a-1, a-2, b-1, b-2, c-1, c-2
    assert isinstance(glob["solve_time"], float)
    assert glob["solve_time"] >= 0


def test_stats_of_a_failed_solve_and_at_vvv(pkg_script: list[str], environ: dict[str, str]) -> None:
    failed = _env(pkg_script, environ, "--stats", "--no-cache", "a-2", "-c", "true")
    assert failed.returncode == 1
    assert _stats(failed.stdout)["solve_stats"]["global"]["num_fails"] == 1
    # -vvv prints the statistics without --stats, under a header
    done = _env(pkg_script, environ, "-vvv", "--no-cache", "a", "-c", "true")
    assert done.returncode == 0, done.stderr
    steps, _, stats = done.stdout.partition("\nSOLVE STATS:\n")
    assert steps.splitlines() == BACKTRACK_STEPS
    assert _stats(stats)["global"]["num_solves"] == 3


def test_no_stats_without_a_solve(
    pkg_script: list[str], environ: dict[str, str], tmp_path: Path
) -> None:
    saved = tmp_path / "ctx.rxt"
    assert _env(pkg_script, environ, "a", "-o", str(saved)).returncode == 0
    # a saved context and a cached resolve run no solver: nothing to report
    loaded = _env(pkg_script, environ, "--stats", "-v", "-i", str(saved), "-c", "true")
    cached = _env(pkg_script, environ, "--stats", "-v", "a", "-c", "true")
    assert (loaded.returncode, loaded.stdout) == (0, ""), loaded.stderr
    assert (cached.returncode, cached.stdout) == (0, ""), cached.stderr


# -- --pre-command --------------------------------------------------------------------


def test_pre_command_prefixes_the_shell(pkg_script: list[str], environ: dict[str, str]) -> None:
    done = _env(
        pkg_script,
        environ,
        "a-1",
        "--pre-command",
        "env PRE_MARK=yes",
        "--",
        "sh",
        "-c",
        'echo "$PRE_MARK $A_ROOT"',
    )
    assert done.returncode == 0, done.stderr
    mark, root = done.stdout.split()
    assert mark == "yes"
    assert root.endswith(os.path.join("a", "1"))


def test_pre_command_that_cannot_run(pkg_script: list[str], environ: dict[str, str]) -> None:
    done = _env(pkg_script, environ, "a", "--pre-command", "/no/such/program", "-c", "true")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "pkg: error: cannot run /no/such/program: No such file or directory"
    ]


# -- --new-session --------------------------------------------------------------------


def _ids(path: Path) -> tuple[int, int, int, int]:
    pid, ppid, sid, pgid = map(int, _wait_for(path).split())
    return pid, ppid, sid, pgid


def test_new_session(pkg_script: list[str], environ: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "ids"
    done = _env(pkg_script, environ, "a", "--new-session", "-c", f"{IDS} > {out}")
    assert done.returncode == 0, done.stderr
    pid, ppid, sid, _ = _ids(out)
    assert sid != os.getsid(0)
    assert sid in (pid, ppid)  # the shell leads the new session
    out.unlink()
    same = _env(pkg_script, environ, "a", "-c", f"{IDS} > {out}")
    assert same.returncode == 0, same.stderr
    assert _ids(out)[2] == os.getsid(0)


def test_new_session_popen_args_setting(
    pkg_script: list[str], environ: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "ids"
    group = {"PKG_NEW_SESSION_POPEN_ARGS_JSON": '{"process_group": 0}'}
    done = _env(pkg_script, environ, "a", "--new-session", "-c", f"{IDS} > {out}", **group)
    assert done.returncode == 0, done.stderr
    pid, ppid, sid, pgid = _ids(out)
    assert sid == os.getsid(0)  # rez's way: a new process group in the same session
    assert pgid in (pid, ppid)
    assert pgid != os.getpgid(0)
    bad = {"PKG_NEW_SESSION_POPEN_ARGS_JSON": '{"bogus": 1}'}
    failed = _env(pkg_script, environ, "a", "--new-session", "-c", "true", **bad)
    assert failed.returncode != 0
    assert len(failed.stderr.strip().splitlines()) == 1
    assert "new_session_popen_args" in failed.stderr
    assert "'bogus'" in failed.stderr


# -- --detached -----------------------------------------------------------------------


@pytest.fixture
def terminal(tmp_path: Path) -> Path:
    """A stand-in terminal emulator: writes its arguments, then runs them after ``-e``."""
    script = tmp_path / "fake-term"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {tmp_path}/term-args\n'
        'while [ "$#" -gt 0 ] && [ "$1" != -e ]; do shift; done\n'
        "shift\n"
        'exec "$@"\n'
    )
    script.chmod(0o755)
    return script


def test_detached_runs_through_the_terminal_emulator(
    pkg_script: list[str], environ: dict[str, str], tmp_path: Path, terminal: Path
) -> None:
    out = tmp_path / "detached"
    done = _env(
        pkg_script,
        environ,
        "a-1",
        "--detached",
        "--pre-command",
        "env PRE_MARK=yes",  # replaced by the terminal's command, as in rez
        "-c",
        f'echo "${{PRE_MARK:-none}} $REZ_CONTEXT_FILE" > {out}',
        PKG_TERMINAL_EMULATOR_COMMAND=f"{terminal} --hold -e",
    )
    assert done.returncode == 0, done.stderr
    mark, context_file = _wait_for(out).split()
    assert mark == "none"
    hold, e, shell, launcher = (tmp_path / "term-args").read_text().split()
    assert (hold, e, os.path.basename(shell)) == ("--hold", "-e", "bash")
    assert Path(launcher).parent == Path(context_file).parent
    # the scripts stay: a real terminal may return before its shell has read them
    assert Path(context_file).is_file()
    assert Path(context_file).parent.parent == tmp_path / "tmp"


def test_detached_without_a_terminal_runs_here(
    pkg_script: list[str], environ: dict[str, str], tmp_path: Path
) -> None:
    done = _env(
        pkg_script,
        environ,
        "a-1",
        "--detached",
        "--",
        "printenv",
        "A_ROOT",
        PKG_TERMINAL_EMULATOR_COMMAND="",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(os.path.join("a", "1"))
