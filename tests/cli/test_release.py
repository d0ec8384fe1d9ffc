"""``pkg release``: the command, run as a real process in a source directory released
with the ``stub`` VCS into a release repository in a temp dir."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest
from tests.conftest import write_tree
from tests.tasks.helpers import build_environ, stub_repository
from tests.tasks.test_release import snapshot, stub_tags

from pkg.packages import load_definition

if TYPE_CHECKING:
    from pathlib import Path

#: Two variants; variant 1 sleeps ``$SLEEP_1`` seconds, variant 0 waits for ``$GATE`` to
#: exist when set.  Each marks its build directory ``started`` first.
PROJECT = {
    "package.py": """\
        name = 'hello'
        version = '1.0'
        variants = [['python-3.9'], ['python-3.11']]
        build_command = (
            'touch {build_path}/started && '
            'if [ "{variant_index}" = 1 ] && [ -n "$SLEEP_1" ]; then sleep "$SLEEP_1"; fi && '
            'if [ -n "$GATE" ]; then while [ ! -e "$GATE" ]; do sleep 0.05; done; fi && '
            'mkdir -p {install_path}/bin && echo "$PYVER" > {install_path}/bin/hello'
        )
        """,
    ".stub": "",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return stub_repository(tmp_path / "repo")


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "release"
    path.mkdir()
    return path


def environ(repo: Path, target: Path, **extra: str) -> dict[str, str]:
    return {
        **build_environ(repo, target.parent / "local"),
        "PKG_PACKAGES_PATH": os.pathsep.join([str(repo), str(target)]),
        "PKG_RELEASE_PACKAGES_PATH": str(target),
        **extra,
    }


def pkg(
    cwd: Path, repo: Path, target: Path, *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pkg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environ(repo, target, **extra),
        check=False,
        timeout=120,
    )


def start(cwd: Path, repo: Path, target: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pkg", "release", "--events", "plain", *args],
        cwd=cwd,
        env=environ(repo, target, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(found: object, process: subprocess.Popen[str], what: str) -> None:
    """Wait until ``found()`` is true while ``process`` runs."""
    deadline = time.monotonic() + 60
    while not found():  # type: ignore[operator]
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(0.05)


def tags(source: Path) -> dict[str, object]:
    return stub_tags(source)


def test_dry_run_then_release(tmp_path: Path, repo: Path, target: Path) -> None:
    source = write_tree(tmp_path / "hello", PROJECT)
    done = pkg(source, repo, target, "release", "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Release of hello-1.0 (dry run: nothing is changed)"
    assert f"  target:   {target}" in lines
    assert "  tag:      hello-1.0" in lines
    assert f"  variant:  hello-1.0[1] -> {target}/hello/1.0/python-3.11" in lines
    assert "  previous: none" in lines
    assert "  latest version: passed (first release)" in lines
    assert not any(target.iterdir())
    assert not (source / "build").exists()
    assert tags(source) == {}

    (tmp_path / "message.txt").write_text("From a file.\n")
    done = pkg(source, repo, target, "release", "-F", str(tmp_path / "message.txt"), "-j", "3")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Releasing hello-1.0 with custom...\n")
    assert "2 of 2 releases were successful" in done.stdout
    assert "Tagged 'hello-1.0'." in done.stdout
    data = load_definition(target / "hello" / "1.0" / "package.py").data
    assert data["release_message"] == "From a file."
    assert tags(source) == {"hello-1.0": "From a file."}

    # Released again: every variant is skipped, nothing changes.
    done = pkg(source, repo, target, "release", "--no-message")
    assert done.returncode == 0, done.stderr
    assert "Skipping hello-1.0[0]: released already" in done.stdout
    assert "Nothing to release" in done.stdout


def test_refusals_are_one_line(tmp_path: Path, repo: Path, target: Path) -> None:
    source = write_tree(tmp_path / "hello", PROJECT)
    done = pkg(source, repo, target, "release", "--keep-going")
    assert done.returncode == 2
    assert "--keep-going is not allowed for a release" in done.stderr
    done = pkg(source, repo, target, "release", "-m", "a", "-F", str(source / "package.py"))
    assert done.returncode == 2
    assert "not both" in done.stderr
    done = pkg(source, repo, target, "release", "--variants", "7")
    assert done.returncode == 2
    assert "hello-1.0 has no variant 7" in done.stderr
    (source / ".stub").unlink()
    done = pkg(source, repo, target, "release")
    assert done.returncode == 1
    assert "no version control system" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = pkg(source, repo, target, "release", "--vcs", "nope")
    assert done.returncode == 1
    assert "unknown version control system 'nope'" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_refused_check(tmp_path: Path, repo: Path, target: Path) -> None:
    source = write_tree(tmp_path / "hello", PROJECT)
    write_tree(target, {"hello/2.0/package.py": "name = 'hello'\nversion = '2.0'\n"})
    before = snapshot(target)
    done = pkg(source, repo, target, "release", "--dry-run")
    assert done.returncode == 1
    assert "  latest version: failed (cannot release hello-1.0: a newer version" in done.stdout
    assert "The release would be refused" in done.stderr
    done = pkg(source, repo, target, "release", "-m", "x")
    assert done.returncode == 1
    assert "failed (release:checks): cannot release hello-1.0: a newer version is" in done.stderr
    assert "--no-latest" in done.stderr
    assert "Nothing was released and nothing was tagged." in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(target) == before
    assert tags(source) == {}
    done = pkg(source, repo, target, "release", "-m", "x", "--no-latest")
    assert done.returncode == 0, done.stderr


def test_prompt_release_message_needs_a_terminal(tmp_path: Path, repo: Path, target: Path) -> None:
    source = write_tree(tmp_path / "hello", PROJECT)
    prompt = {"PKG_PROMPT_RELEASE_MESSAGE": "1"}
    done = pkg(source, repo, target, "release", **prompt)
    assert done.returncode == 2
    assert "no terminal to ask on" in done.stderr
    assert not any(target.iterdir())
    done = pkg(source, repo, target, "release", "--no-message", **prompt)
    assert done.returncode == 0, done.stderr
    assert "release_message" not in load_definition(target / "hello" / "1.0" / "package.py").data


def test_sigint_during_the_release_publishes_nothing(
    tmp_path: Path, repo: Path, target: Path
) -> None:
    source = write_tree(tmp_path / "hello", PROJECT)
    write_tree(target, {"hello/0.1/package.py": "name = 'hello'\nversion = '0.1'\n"})
    before = snapshot(target)
    process = start(source, repo, target, "-m", "x", "-j", "4", SLEEP_1="60")
    # Variant 0 is built and staged in the release repository; variant 1 is building.
    wait_for(
        lambda: any(p.name.startswith(".pkg-tmp-") for p in target.iterdir()), process, "stage"
    )
    wait_for((source / "build" / "python-3.11" / "started").exists, process, "build 1")
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted; nothing was released" in err
    assert snapshot(target) == before
    assert tags(source) == {}


def test_two_concurrent_releases_yield_one(tmp_path: Path, repo: Path, target: Path) -> None:
    """Two clones release the same version at once: both pass the checks and build,
    then exactly one publishes; the other is refused and tags nothing."""
    gate = tmp_path / "gate"
    copies = [write_tree(tmp_path / f"clone{i}" / "hello", PROJECT) for i in (0, 1)]
    processes = [
        start(copy, repo, target, "-m", f"from clone {i}", GATE=str(gate))
        for i, copy in enumerate(copies)
    ]
    for copy, process in zip(copies, processes, strict=True):
        wait_for((copy / "build" / "python-3.9" / "started").exists, process, "a build")
    gate.write_text("")
    results = [process.communicate(timeout=120) for process in processes]
    codes = sorted(process.returncode for process in processes)
    assert codes == [0, 1], results
    winner = 0 if processes[0].returncode == 0 else 1
    loser_err = results[1 - winner][1]
    assert "hello-1.0 was released to" in loser_err
    assert "while this release ran" in loser_err
    assert "Nothing was released and nothing was tagged." in loser_err
    data = load_definition(target / "hello" / "1.0" / "package.py").data
    assert data["release_message"] == f"from clone {winner}"
    assert data["variants"] == [["python-3.9"], ["python-3.11"]]
    assert tags(copies[winner]) == {"hello-1.0": f"from clone {winner}"}
    assert tags(copies[1 - winner]) == {}
    assert sorted(p.name for p in target.iterdir()) == [".lock.hello", "hello"]
