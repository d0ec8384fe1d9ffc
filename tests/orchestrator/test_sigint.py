"""Ctrl-C on a real ``pkg`` process running a DAG of sleeping subprocesses.

``dag_command.py`` is a stand-in command (see its docstring) run with this interpreter.
The test waits until every task's process has started, sends ``SIGINT`` and checks that
pkg exits with status 130 within 5 s, prints its summary, and leaves no process behind.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.orchestrator import dag_command
from tests.orchestrator.helpers import wait_until_gone

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

DRIVER = Path(dag_command.__file__)
TASKS = 4


def _start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], Path]:
    pid_file = tmp_path / "pids"
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "--tasks", str(TASKS), "--pid-file", str(pid_file), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, pid_file


def _wait_for_pids(process: subprocess.Popen[str], pid_file: Path) -> list[int]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if pid_file.exists():
            pids = [int(line) for line in pid_file.read_text().split()]
            if len(pids) == TASKS:
                return pids
        if process.poll() is not None:
            break
        time.sleep(0.02)
    process.kill()
    out, err = process.communicate()
    pytest.fail(f"the tasks did not start:\n{out}\n{err}")


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
@pytest.mark.parametrize("stubborn", [False, True], ids=["polite", "stubborn"])
def test_ctrl_c_stops_everything_quickly(tmp_path: Path, backend: str, stubborn: bool) -> None:
    # Stubborn processes ignore SIGTERM: the second Ctrl-C cuts the 30 s grace period short.
    extra = ["--stubborn", "--grace", "30"] if stubborn else []
    process, pid_file = _start(tmp_path, "--backend", backend, *extra)
    try:
        pgids = _wait_for_pids(process, pid_file)
        start = time.monotonic()
        process.send_signal(signal.SIGINT)
        if stubborn:
            time.sleep(0.3)
            assert process.poll() is None, "exited without waiting for the grace period"
            process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=5)
        elapsed = time.monotonic() - start
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert elapsed < 5
    assert wait_until_gone(pgids, timeout=0.5) == []
    assert "Summary" in out
    for i in range(TASKS):
        assert f"cancelled sleep{i}" in out
    assert "skipped   after: interrupted" in out
    assert "interrupted after" in out
    assert err.strip() == f"pkg: error: interrupted: {TASKS} cancelled, 1 skipped"


def test_dry_run_prints_the_plan() -> None:
    runner = CliRunner()
    result = runner.invoke(dag_command.dag_command, ["--tasks", "2", "--dry-run", "text"])
    assert result.exit_code == 0, result.output
    assert result.output == "3 tasks\nsleep1\nafter\n└── sleep0\n"
    result = runner.invoke(dag_command.dag_command, ["--tasks", "1", "--dry-run", "dot"])
    assert '"sleep0" -> "after";' in result.output
