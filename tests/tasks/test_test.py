"""``pkg.tasks.test``: which tests run on which variants, and the test tasks, run by the
orchestrator on both backends with real shell commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.api.test import make_test_resolver
from pkg.config import Config, load_config
from pkg.errors import PackageDefinitionError
from pkg.orchestrator import Graph, RunError, Runner, TaskStatus
from pkg.repositories import PackageSearchPath
from pkg.tasks.test import (
    TestJob,
    TestOptions,
    TestResult,
    TestsFailed,
    find_requested_tests,
    get_test_spec,
    on_variant_requires,
    package_test_names,
    package_test_tasks,
    plan_tests,
)
from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.packages import Package

#: ``tester`` has two variants; its tests cover every ``tests`` entry form.
TESTER = """\
variants = [['py-2'], ['py-3']]
tests = {
    'once': 'echo once {root}',
    'each': {'command': 'test "$PYV" = "{variant_requires}"', 'on_variants': True},
    'only3': {'command': ['echo', 'only'], 'on_variants': {'type': 'requires', 'value': ['py-3']}},
    'not3': {'command': 'true', 'on_variants': {'type': 'requires', 'value': ['!py-3']}},
    'manual': {'command': 'true', 'run_on': 'explicit'},
    'release': {'command': 'true', 'run_on': ['pre_release', 'pre_install']},
    'needs': {'command': 'test "$TOOL" = yes && test "$NAME" = needs', 'requires': ['tool']},
}
def pre_test_commands():
    env.NAME = test.name
"""


def _repo(root: Path) -> Path:
    for version in ("2", "3"):
        write_package(root, "py", version, f"def commands():\n    env.PYV = 'py-{version}'\n")
    write_package(root, "tool", "1", "def commands():\n    env.TOOL = 'yes'\n")
    write_package(root, "tester", "1.0", TESTER)
    for sub in ("py-2", "py-3"):
        (root / "tester" / "1.0" / sub).mkdir()
    return root


def _config(repo: Path) -> Config:
    return load_config(overrides={"packages_path": [str(repo)], "implicit_packages": []})


def _package(config: Config, name: str = "tester") -> Package:
    found = list(PackageSearchPath.from_paths(None, config).iter_packages(name))
    assert len(found) == 1
    return found[0]


def test_names_and_selection(tmp_path: Path) -> None:
    config = _config(_repo(tmp_path / "repo"))
    package = _package(config)
    assert package_test_names(package) == [
        "each",
        "manual",
        "needs",
        "not3",
        "once",
        "only3",
        "release",
    ]
    assert package_test_names(package, run_on=["pre_install"]) == ["release"]
    # by default only 'default' tests; a pattern picks any test
    assert "manual" not in find_requested_tests(package, [])
    assert find_requested_tests(package, ["man*", "o*"]) == ["manual", "once", "only3"]


def test_on_variants_requires_filter(tmp_path: Path) -> None:
    config = _config(_repo(tmp_path / "repo"))
    first, second = _package(config).iter_variants()
    assert not on_variant_requires(first, ["py-3"])
    assert on_variant_requires(second, ["py-3"])
    assert on_variant_requires(first, ["!py-3"])
    assert not on_variant_requires(second, ["!py-3"])


def test_plan_runs_once_on_the_preferred_variant(tmp_path: Path) -> None:
    config = _config(_repo(tmp_path / "repo"))
    package = _package(config)
    resolve = make_test_resolver(config)
    jobs = plan_tests(package, ["each", "once", "only3"], TestOptions(), resolve)
    assert [job.label for job in jobs] == ["each[0]", "each[1]", "once[1]", "only3[0]", "only3[1]"]
    assert not any(job.until_pass for job in jobs)


def test_plan_falls_back_to_every_variant(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    config = _config(repo)
    package = _package(config)
    # an extra request that no variant can satisfy: no preferred variant is found
    options = TestOptions(extra_requests=("nothing_here",))
    (job,) = plan_tests(package, ["once"], options, make_test_resolver(config))
    assert job.until_pass
    assert [v.index for v in job.variants] == [0, 1]


def test_malformed_entry_names_the_file(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    # a late-bound tests attribute is only checked when it is used
    late = "@late()\ndef tests():\n    return {'t': {'requires': ['x']}}\n"
    write_package(repo, "bad", "1", late)
    config = _config(repo)
    variant = next(_package(config, "bad").iter_variants())
    with pytest.raises(
        PackageDefinitionError, match=r"bad/1/package.py:4: .*test 't': missing 'command'"
    ):
        get_test_spec(variant, "t")


def _graph(config: Config, jobs: list[TestJob], **options: object) -> Graph:
    test_options = TestOptions(**options)  # type: ignore[arg-type]
    return Graph.from_tasks(
        package_test_tasks(jobs, test_options, config, make_test_resolver(config))
    )


@pytest.mark.anyio
async def test_tasks_run_real_commands(tmp_path: Path) -> None:
    config = _config(_repo(tmp_path / "repo"))
    package = _package(config)
    resolve = make_test_resolver(config)
    names = ["each", "needs", "not3", "once"]
    jobs = plan_tests(package, names, TestOptions(), resolve)
    graph = _graph(config, jobs)
    result = await Runner(jobs=4, keep_going=True).run(graph)
    rows = []
    for name in graph.order:
        value = result.outcomes[name].value
        assert isinstance(value, list)
        rows += [(r.test, r.variant.index if r.variant else None, r.status) for r in value]
    assert rows == [
        ("each", 0, "success"),
        ("each", 1, "success"),
        ("needs", 1, "success"),
        ("not3", 0, "success"),
        ("not3", 1, "skipped"),
        ("once", 1, "success"),
    ]


@pytest.mark.anyio
async def test_failing_test_raises_with_its_results(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_package(repo, "f", "1", "tests = {'bad': 'echo before; exit 7'}\n")
    config = _config(repo)
    jobs = plan_tests(_package(config, "f"), ["bad"], TestOptions(), make_test_resolver(config))
    lines: list[str] = []

    def collect(event: object) -> None:
        line = getattr(event, "line", None)
        if isinstance(line, str):
            lines.append(line)

    with pytest.raises(RunError) as caught:
        await Runner(jobs=1).run(_graph(config, jobs), on_event=collect)
    outcome = caught.value.result.outcomes["test:bad"]
    assert outcome.status is TaskStatus.FAILED
    assert isinstance(outcome.error, TestsFailed)
    (failed,) = outcome.error.results
    assert (failed.status, failed.exit_code) == ("failed", 7)
    assert failed.description == "Test failed with exit code 7"
    assert "before" in lines
    assert "Test command exited with code 7" in lines


@pytest.mark.anyio
async def test_dry_run_and_unresolvable_environment(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_package(
        repo,
        "g",
        "1",
        "tests = {'a': 'exit 1', 'b': {'command': 'true', 'requires': ['missing']}}\n",
    )
    config = _config(repo)
    resolve = make_test_resolver(config)
    package = _package(config, "g")
    jobs = plan_tests(package, ["a"], TestOptions(), resolve)
    result = await Runner(jobs=1).run(_graph(config, jobs, dry_run=True))
    value = result.outcomes["test:a"].value
    assert isinstance(value, list)
    (dry,) = value
    assert isinstance(dry, TestResult)
    assert (dry.status, dry.description) == ("skipped", "Dry run mode")
    jobs = plan_tests(package, ["b"], TestOptions(), resolve)
    with pytest.raises(RunError) as caught:
        await Runner(jobs=1).run(_graph(config, jobs))
    error = caught.value.result.outcomes["test:b"].error
    assert isinstance(error, TestsFailed)
    assert error.results[0].exit_code == -1
    assert error.results[0].description.startswith("The test environment failed to resolve")


@pytest.mark.anyio
async def test_variants_are_tested_concurrently(tmp_path: Path) -> None:
    """Each variant's test waits (up to 10 s) for the other's marker file: it passes only
    when both run at the same time."""
    marks = tmp_path / "marks"
    marks.mkdir()
    wait = (
        f"touch {marks}/{{index}}; "
        f"for i in $(seq 200); do [ $(ls {marks} | wc -l) -ge 2 ] && exit 0; sleep 0.05; done; "
        "exit 1"
    )
    repo = tmp_path / "repo"
    write_package(repo, "py", "2", "")
    write_package(repo, "py", "3", "")
    tests = {"meet": {"command": wait, "on_variants": True}}
    body = f"variants = [['py-2'], ['py-3']]\ntests = {tests!r}\n"
    write_package(repo, "pair", "1", body)
    config = _config(repo)
    jobs = plan_tests(_package(config, "pair"), ["meet"], TestOptions(), make_test_resolver(config))
    result = await Runner(jobs=2).run(_graph(config, jobs))
    assert result.ok
    assert sorted(p.name for p in marks.iterdir()) == ["0", "1"]
