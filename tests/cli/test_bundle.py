"""``pkg bundle``: the command, run as a real process; the bundle is then moved and used
by ``pkg env -i``."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path


def _repo(root: Path) -> Path:
    write_package(root, "py", "3", "")
    body = "variants = [['py-3']]\ndef commands():\n    env.APP_DATA = '{root}/data.txt'\n"
    write_package(root, "app", "1.0", body)
    (root / "app" / "1.0" / "py-3").mkdir()
    (root / "app" / "1.0" / "py-3" / "data.txt").write_text("bundled data\n")
    return root


def pkg(repo: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PKG_PACKAGES_PATH": str(repo),
        "PKG_IMPLICIT_PACKAGES_JSON": "[]",
    }
    return subprocess.run(
        [sys.executable, "-m", "pkg", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
    )


def test_bundle_a_saved_context_and_use_it_elsewhere(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    saved = pkg(repo, "env", "app", "-o", str(tmp_path / "ctx.rxt"))
    assert saved.returncode == 0, saved.stderr
    done = pkg(repo, "bundle", "ctx.rxt", "out", "-v", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == f"Bundling {tmp_path}/ctx.rxt into {tmp_path}/out..."
    assert any(line.startswith("Copied ") for line in lines)
    (tmp_path / "out").rename(tmp_path / "elsewhere")
    used = pkg(
        tmp_path / "nothing",
        "env",
        "-i",
        str(tmp_path / "elsewhere" / "context.rxt"),
        "--",
        "sh",
        "-c",
        'cat "$APP_DATA"',
    )
    assert used.returncode == 0, used.stderr
    assert used.stdout == "bundled data\n"


def test_bundle_a_request(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    done = pkg(repo, "bundle", "app", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "packages" / "app" / "1.0" / "py-3" / "data.txt").is_file()


def test_errors_are_one_line(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    (tmp_path / "out").mkdir()
    taken = pkg(repo, "bundle", "app", str(tmp_path / "out"))
    assert taken.returncode == 1
    assert taken.stderr.splitlines()[-1] == f"pkg: error: Dest dir must not exist: {tmp_path}/out"
    missing = pkg(repo, "bundle", str(tmp_path / "no.rxt"), str(tmp_path / "b"))
    assert missing.returncode == 1
    assert missing.stderr.splitlines()[-1].endswith(f"File does not exist: {tmp_path}/no.rxt")
    both = pkg(repo, "bundle", "-s", "-f", "app", str(tmp_path / "b"))
    assert both.returncode == 2
    assert "cannot be used together" in both.stderr
    assert not (tmp_path / "b").exists()
