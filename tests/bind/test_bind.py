"""Binding with requirements, skipping what exists, and the bind modules' arguments."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from pkg.bind import (
    BindError,
    BindHelpRequested,
    BindReporter,
    bind_package,
    install_path,
    parse_target,
    quickstart,
    system_facts,
)
from pkg.errors import RequestError, UsageError

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config

PYTHON_VERSION = ".".join(str(part) for part in sys.version_info[:3])


class Recorder(BindReporter):
    """Keeps every report as a tuple."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def searching(self, path: str) -> None:
        self.events.append(("searching", path))

    def creating(self, name: str, path: str) -> None:
        self.events.append(("creating", name, path))

    def skipped(self, uri: str) -> None:
        self.events.append(("skipped", uri))

    def warning(self, message: str) -> None:
        self.events.append(("warning", message))

    def dependency_failed(self, name: str, error: BindError) -> None:
        self.events.append(("failed", name, str(error)))


def _names(events: list[tuple[str, ...]], kind: str) -> list[str]:
    return [event[1] for event in events if event[0] == kind]


def test_requirements_are_bound(config: Config, repo: Path, environ: dict[str, str]) -> None:
    """pip's variant requires platform, arch, os and python: all get bound, once each."""
    recorder = Recorder()
    installed = bind_package(config, "pip", path=str(repo), reporter=recorder, environ=environ)
    assert [v.name for v in installed] == ["pip", "arch", "os", "platform", "python"]
    assert _names(recorder.events, "creating") == ["pip", "arch", "os", "platform", "python"]
    assert _names(recorder.events, "skipped") == []
    python = next(v for v in installed if v.name == "python")
    assert python.version == PYTHON_VERSION


def test_no_deps(config: Config, repo: Path, environ: dict[str, str]) -> None:
    installed = bind_package(config, "os", path=str(repo), no_deps=True, environ=environ)
    assert [v.name for v in installed] == ["os"]
    assert sorted(p.name for p in repo.iterdir() if not p.name.startswith(".")) == ["os"]


def test_existing_variant_is_skipped(config: Config, repo: Path, environ: dict[str, str]) -> None:
    bind_package(config, "os", path=str(repo), environ=environ)
    definition = next((repo / "os").iterdir()) / "package.py"
    before = definition.read_text()
    recorder = Recorder()
    assert bind_package(config, "os", path=str(repo), reporter=recorder, environ=environ) == []
    system = system_facts(config)
    assert recorder.events[-1] == ("skipped", f"{repo}/os/{system.os}/package.py[]")
    assert definition.read_text() == before


def test_failed_requirement_is_reported(
    config: Config, repo: Path, environ: dict[str, str]
) -> None:
    """Without python on PATH, pip is bound, python is not, and the rest still is."""
    recorder = Recorder()
    installed = bind_package(
        config,
        "pip",
        path=str(repo),
        reporter=recorder,
        environ={**environ, "PATH": "/nonexistent"},
    )
    assert sorted(v.name for v in installed) == ["arch", "os", "pip", "platform"]
    failed = [event for event in recorder.events if event[0] == "failed"]
    assert failed == [("failed", "python", "could not find executable: python")]
    assert ("warning", "could not find executable: pip") in recorder.events
    assert not (repo / "python").exists()


def test_unknown_module(config: Config, repo: Path) -> None:
    with pytest.raises(BindError, match="Bind module not found for 'nosuch'"):
        bind_package(config, "nosuch", path=str(repo))
    assert not repo.exists()


def test_module_arguments(config: Config, repo: Path) -> None:
    with pytest.raises(UsageError, match="pkg bind python: unrecognized arguments: --bogus"):
        bind_package(config, "python", path=str(repo), bind_args=["--bogus"])
    with pytest.raises(UsageError, match="pkg bind platform: unrecognized arguments: --exe"):
        bind_package(config, "platform", path=str(repo), bind_args=["--exe", "x"])
    with pytest.raises(BindHelpRequested) as caught:
        bind_package(config, "python", path=str(repo), bind_args=["-h"])
    assert caught.value.text.startswith("usage: pkg bind python [-h] [--exe PATH]")
    assert caught.value.exit_code == 0
    assert not repo.exists()


def test_quickstart(config: Config, repo: Path, environ: dict[str, str]) -> None:
    started: list[str] = []
    recorder = Recorder()
    installed = quickstart(
        config,
        path=str(repo),
        reporter=recorder,
        environ=environ,
        on_start=lambda name, path: started.append(f"{name} {path}"),
    )
    order = ["platform", "arch", "os", "python", "setuptools", "pip"]
    assert started == [f"{name} {repo}" for name in order]
    assert [v.name for v in installed] == order
    assert _names(recorder.events, "creating") == []  # quiet


@pytest.mark.parametrize(
    ("text", "name", "range_"),
    [
        ("python", "python", None),
        ("python-3.11+", "python", "3.11+"),
        ("os==Foo-1", "os", "==Foo-1"),
    ],
)
def test_parse_target(text: str, name: str, range_: str | None) -> None:
    found_name, found_range = parse_target(text)
    assert found_name == name
    assert (None if found_range is None else str(found_range)) == range_


def test_parse_target_error() -> None:
    with pytest.raises(RequestError):
        parse_target("python-<<1")


def test_install_path(config: Config) -> None:
    assert install_path(config) == config.local_packages_path
    assert install_path(config, "/x") == "/x"
    assert install_path(config, "/x", release=True) == config.release_packages_path
