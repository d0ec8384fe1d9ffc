"""``pkg selftest``: the installation checks, run for real (shells included)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pkg.cli import main

CHECKS = ["imports", "config", "repository", "solver", "context", "completion"]


def _run(capfd: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["selftest", *args])
    out, err = capfd.readouterr()
    return code, out, err


def _statuses(out: str) -> dict[str, str]:
    return dict(re.findall(r"^(\w+) \.\.\. (ok|FAIL|skipped)", out, re.MULTILINE))


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_all_checks_with_one_shell(capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capfd, "--only-shell", "bash")
    assert (code, err) == (0, "")
    assert _statuses(out) == dict.fromkeys([*CHECKS, "shell_bash"], "ok")
    assert list(_statuses(out)) == [*CHECKS, "shell_bash"]
    assert "\nRan 7 checks in " in out
    assert out.endswith("\n\nOK\n")


def test_named_checks(capfd: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capfd, "completion", "solver")
    assert code == 0
    assert list(_statuses(out)) == ["solver", "completion"]  # running order, not given order
    assert "Ran 2 checks" in out


def test_rez_module_flags(capfd: pytest.CaptureFixture[str]) -> None:
    if shutil.which("sh") is None:
        pytest.skip("sh is not installed")
    code, out, _ = _run(capfd, "--solver", "--packages", "--shells", "-s", "sh")
    assert code == 0
    assert list(_statuses(out)) == ["repository", "solver", "shell_sh"]


def test_shell_not_on_path_is_skipped(capfd: pytest.CaptureFixture[str]) -> None:
    if shutil.which("cmd"):
        pytest.skip("cmd is on PATH")
    code, out, _ = _run(capfd, "-s", "cmd")
    assert code == 0
    assert "shell_cmd ... skipped: cmd is not on PATH" in out
    assert out.endswith("OK (skipped=1)\n")


def test_broken_shell_fails(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``zsh`` on PATH that does not work fails its check; the run goes on."""
    fake = tmp_path / "bin" / "zsh"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'zsh: broken' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{Path('/usr/bin')}:{Path('/bin')}")
    code, out, _ = _run(capfd, "-s", "zsh", "shell_zsh", "completion")
    assert code == 1
    assert _statuses(out) == {"completion": "ok", "shell_zsh": "FAIL"}
    assert "FAIL: shell_zsh\n" in out
    assert "exit status 3" in out
    assert "zsh: broken" in out
    assert out.endswith("FAILED (failures=1)\n")


def test_broken_config_fails(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("packages_path = [\n")
    monkeypatch.setenv("PKG_CONFIG_FILE", str(bad))
    code, out, _ = _run(capfd, "config", "solver")
    assert code == 1
    assert _statuses(out) == {"config": "FAIL", "solver": "FAIL"}
    assert str(bad) in out
    assert "FAILED (failures=2)" in out


def test_keep_tmpdirs(capfd: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capfd, "--keep-tmpdirs", "context")
    assert code == 0
    kept = Path(out.rsplit("Temporary directory kept: ", 1)[1].strip())
    try:
        assert (kept / "selftest.rxt").is_file()
        assert (kept / "packages" / "selftest_app" / "1.0" / "package.py").is_file()
    finally:
        shutil.rmtree(kept)


def test_without_keep_tmpdirs_nothing_is_left(
    capfd: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    assert _run(capfd, "context")[0] == 0
    assert list(tmp_path.iterdir()) == []


def test_unknown_check(capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capfd, "nosuch")
    assert (code, out) == (2, "")
    assert err.startswith("pkg: error: no check named 'nosuch' (known: imports, config, ")


def test_unknown_shell(capfd: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capfd, "-s", "nosuch")
    assert (code, out) == (1, "")
    assert "unknown shell 'nosuch'" in err


def test_shells_flag_with_a_shell_not_on_path(capfd: pytest.CaptureFixture[str]) -> None:
    """``--shells -s cmd`` runs the cmd check alone (skipped here), nothing else."""
    if shutil.which("cmd"):
        pytest.skip("cmd is on PATH")
    code, out, _ = _run(capfd, "--shells", "-s", "cmd")
    assert code == 0
    assert _statuses(out) == {"shell_cmd": "skipped"}
