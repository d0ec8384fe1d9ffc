"""``pkg.tasks.build``: the per-variant pipeline, run by the orchestrator on both backends."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import anyio
import pytest

from pkg.api.build import context_resolver
from pkg.orchestrator import Graph, RunError, Runner, TaskStatus
from pkg.orchestrator.events import Event, TaskOutput
from pkg.tasks import BuildOptions, build_tasks, load_developer_package, plan_variants
from pkg.tasks.build import VariantResult
from tests.conftest import write_tree
from tests.tasks.helpers import CUSTOM_PROJECT, build_config, stub_repository

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.anyio


def _graph(source: Path, repo: Path, target: Path, **options: object) -> Graph:
    config = build_config(repo, target)
    package = load_developer_package(str(source), config)
    plans = plan_variants(package, source_dir=str(source), install_root=str(target))
    build_options = BuildOptions(build_system="custom", install_root=str(target), **options)  # type: ignore[arg-type]
    return Graph.from_tasks(build_tasks(plans, build_options, config, context_resolver(config)))


async def test_pipeline_tasks_and_install(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    install = tmp_path / "install"
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    graph = _graph(source, repo, install, install=True)
    assert graph.order[:4] == (
        "evaluate:hello-1.0[0]",
        "resolve:hello-1.0[0]",
        "build:hello-1.0[0]",
        "install:hello-1.0[0]",
    )
    assert dict(graph["install:hello-1.0[1]"].resources) == {"install-lock:hello": 1}
    # Variants are installed in their order: variant 1 waits for variant 0's build.
    assert graph["install:hello-1.0[1]"].deps == ("build:hello-1.0[1]", "build:hello-1.0[0]")
    result = await Runner(jobs=4).run(graph)
    installed = result.outcomes["install:hello-1.0[1]"].value
    assert isinstance(installed, VariantResult)
    assert installed.installed == str(install / "hello" / "1.0" / "python-3.11")
    assert (install / "hello" / "1.0" / "python-3.11" / "bin" / "hello").is_file()
    # The staging directory the build installed into is gone.
    assert not (source / "build" / "python-3.11" / ".pkg-install").exists()


async def test_scripts_mode_builds_nothing_and_writes_scripts(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    install = tmp_path / "install"
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    graph = _graph(source, repo, install, install=True, scripts=True)
    assert not any(name.startswith("install:") for name in graph.order)
    result = await Runner(jobs=2).run(graph)
    value = result.outcomes["build:hello-1.0[0]"].value
    assert isinstance(value, VariantResult)
    names = sorted(os.path.basename(path) for path in value.scripts)
    assert names == ["build-env", "build-env.bat", "build-env.csh", "build-env.ps1", "build-env.sh"]
    sh = (source / "build" / "python-3.9" / "build-env.sh").read_text()
    assert "REZ_BUILD_VARIANT_INDEX" in sh
    assert "PS1='BUILD> '" in sh
    assert "set prompt" in (source / "build" / "python-3.9" / "build-env.csh").read_text()
    assert not install.exists(), sorted(str(p) for p in install.rglob("*"))


async def test_cancelling_a_build_stops_its_process_and_installs_nothing(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    install = tmp_path / "install"
    source = write_tree(
        tmp_path / "slow",
        {
            "package.py": """\
                name = 'slow'
                version = '1'
                variants = [['python-3.9'], ['python-3.11']]
                build_command = (
                    'mkdir -p {install_path} && touch {install_path}/f && echo $$ && sleep 60'
                )
                """
        },
    )
    graph = _graph(source, repo, install, install=True)
    pids: list[int] = []
    started = anyio.Event()

    def on_event(event: Event) -> None:
        if isinstance(event, TaskOutput) and event.line.isdigit():
            pids.append(int(event.line))
            if len(pids) == 2:
                started.set()

    runner = Runner(jobs=4, grace_period=1)
    errors: list[RunError] = []

    async def run() -> None:
        try:
            await runner.run(graph, on_event=on_event)
        except RunError as error:
            errors.append(error)

    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        await started.wait()
        # Fail one build from outside: the other is cancelled (fail-fast).
        os.kill(pids[0], 9)
    [error] = errors
    result = error.result
    statuses = {result.outcomes[f"build:slow-1[{i}]"].status for i in (0, 1)}
    assert statuses == {TaskStatus.FAILED, TaskStatus.CANCELLED}
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert not install.exists(), sorted(str(p) for p in install.rglob("*"))


async def test_install_copies_include_modules(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    install = tmp_path / "install"
    modules = write_tree(tmp_path / "modules", {"helpers.py": "NAME = 'x'\n"})
    source = write_tree(
        tmp_path / "inc",
        {
            "package.py": """\
                name = 'inc'
                version = '1'
                build_command = 'true'

                @include('helpers')
                def commands():
                    env.INC = helpers.NAME
                """
        },
    )
    config = build_config(repo, install, package_definition_python_path=str(modules))
    package = load_developer_package(str(source), config)
    plans = plan_variants(package, source_dir=str(source), install_root=str(install))
    options = BuildOptions(build_system="custom", install_root=str(install), install=True)
    graph = Graph.from_tasks(build_tasks(plans, options, config, context_resolver(config)))
    await Runner(jobs=2).run(graph)
    include = install / "inc" / "1" / ".rez" / "include"
    assert (include / "helpers.py").read_text() == "NAME = 'x'\n"
    # The SHA-1 of the stripped content, as Rez records it.
    assert (include / "helpers.sha1").read_text() == "793b69638279ae3ac938af87ed9ceb436f6c0055"
