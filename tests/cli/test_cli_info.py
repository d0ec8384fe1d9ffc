"""``pkg -i/--info``: the system summary, with the configuration loaded lazily."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from pkg import __version__
from pkg.cli import main

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize("flag", ["-i", "--info"])
def test_info_summarises_the_system(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"pkg {__version__} from ")
    assert f"python:   {sys.version.split()[0]} ({sys.executable})" in out
    assert f"arch:     {platform.machine()}" in out
    for heading in ("platform:", "os:", "config search list", "packages_path:"):
        assert heading in out


def test_info_shows_the_configured_packages_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("PKG_PACKAGES_PATH", os.pathsep.join([str(first), str(second)]))
    assert main(["-i"]) == 0
    out = capsys.readouterr().out
    assert f"packages_path:\n  {first}\n  {second}\n" in out


def test_info_marks_loaded_config_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file = tmp_path / "site.toml"
    config_file.write_text(f'packages_path = ["{tmp_path / "repo"}"]\n')
    monkeypatch.setenv("PKG_CONFIG_FILE", str(config_file))
    assert main(["--info"]) == 0
    out = capsys.readouterr().out
    assert f"  {config_file}  (loaded)" in out
    assert f"packages_path:\n  {tmp_path / 'repo'}\n" in out


def test_a_broken_config_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file = tmp_path / "bad.toml"
    config_file.write_text("packages_path = 3\n")
    monkeypatch.setenv("PKG_CONFIG_FILE", str(config_file))
    assert main(["-i"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("pkg: error: ")
    assert str(config_file) in captured.err
    assert captured.err.count("\n") == 1


def test_info_in_a_real_process(pkg_script: list[str]) -> None:
    result = subprocess.run(
        [*pkg_script, "-i"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"pkg {__version__} from ")
    assert "packages_path:" in result.stdout
