"""The tasks of ``pkg pip`` (``pkg.tasks.pip``) on asyncio and trio: the pip task, and the
concurrent convert-and-install tasks over a real ``pip install --target``."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from pkg.config import load_config
from pkg.core import Version
from pkg.orchestrator import Graph, ProcessError, RunError, Runner, TaskStatus
from pkg.pip import find_distributions
from pkg.tasks.pip import (
    PIP_TASK,
    ConvertOptions,
    ConvertResult,
    PipRun,
    convert_tasks,
    describe_pip_failure,
    pip_install_task,
)
from tests.wheels import write_wheels

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheels = write_wheels(tmp_path_factory.mktemp("wheels"))
    directory = tmp_path_factory.mktemp("target")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--find-links",
            str(wheels),
            f"--target={directory}",
            "marked",
            "hello-cli",
        ],
        check=True,
    )
    return directory


def _config(root: Path) -> Config:
    return load_config(overrides={"packages_path": [str(root)], "local_packages_path": str(root)})


def _options(target: Path, root: Path, *, dry_run: bool = False) -> ConvertOptions:
    config = _config(root)
    return ConvertOptions(
        target=target,
        install_root=str(root),
        python_version=Version("3.11.7"),
        interpreter=sys.executable,
        platform="linux",
        arch="x86_64",
        remaps=config.pip_install_remaps,
        dry_run=dry_run,
    )


async def _convert(target: Path, root: Path, *, dry_run: bool = False) -> list[ConvertResult]:
    tasks = convert_tasks(
        find_distributions(target), _options(target, root, dry_run=dry_run), _config(root)
    )
    result = await Runner(jobs=4).run(Graph.from_tasks(tasks))
    assert result.ok
    values = [o.value for o in result.outcomes.values() if isinstance(o.value, ConvertResult)]
    assert len(values) == len(tasks)
    return sorted(values, key=lambda r: r.package.name)


async def test_convert_and_install_concurrently(target: Path, tmp_path: Path) -> None:
    root = tmp_path / "repo"
    dry = await _convert(target, root, dry_run=True)
    assert [(r.package.qualified_name, r.root, r.skipped) for r in dry] == [
        ("chain_c-3.1.4", None, False),
        ("hello_cli-2.0.1", None, False),
        ("marked-0.3.rc1", None, False),
        ("purelib-1.2.0", None, False),
    ]
    assert not root.exists()
    first = await _convert(target, root)
    assert [(r.package.name, r.skipped) for r in first] == [
        ("chain_c", False),
        ("hello_cli", False),
        ("marked", False),
        ("purelib", False),
    ]
    hello = first[1]
    assert hello.root is not None
    assert os.path.isfile(os.path.join(hello.root, "bin", "hello-cli"))
    assert os.path.isfile(os.path.join(hello.root, "python", "hello_cli", "cli.py"))
    second = await _convert(target, root)
    assert [r.skipped for r in second] == [True] * 4
    assert [os.path.realpath(r.root or "") for r in second] == [
        os.path.realpath(r.root or "") for r in first
    ]


async def test_pip_task_runs_pip_and_reports_failures(tmp_path: Path) -> None:
    ok = PipRun((sys.executable, "-c", "print('Successfully installed x')"))
    result = await Runner().run(Graph.from_tasks([pip_install_task(ok)]))
    assert result.outcomes[PIP_TASK].status is TaskStatus.SUCCEEDED
    script = "import sys; print('ERROR: No matching distribution found for foo'); sys.exit(1)"
    failing = PipRun((sys.executable, "-c", script))
    with pytest.raises(RunError) as caught:
        await Runner().run(Graph.from_tasks([pip_install_task(failing)]))
    outcome = caught.value.result.outcomes[PIP_TASK]
    assert outcome.status is TaskStatus.FAILED
    assert isinstance(outcome.error, ProcessError)
    error = describe_pip_failure(
        outcome.error, ["ERROR: No matching distribution found for foo"], "foo"
    )
    assert str(error).startswith("pip found no distribution matching 'foo'")
    assert error.tail == ("ERROR: No matching distribution found for foo",)
    other = describe_pip_failure(outcome.error, ["x", "ERROR: disk full"], "foo")
    assert str(other) == "pip install 'foo' failed: disk full"
