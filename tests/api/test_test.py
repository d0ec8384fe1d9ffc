"""``pkg.api.test``: running a package's tests from Python, as a build or release would."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.api.test import PackageNotFoundError, find_test_package, run_package_tests
from pkg.config import Config, load_config
from pkg.errors import UsageError
from pkg.orchestrator import BACKENDS, Backend
from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.api.test import TestJob

BODY = """\
variants = [['py-2'], ['py-3']]
tests = {
    'install': {'command': 'echo installing {variant_requires}', 'run_on': 'pre_install',
                'on_variants': True},
    'release': {'command': 'exit 3', 'run_on': ['pre_release']},
    'unit': 'true',
}
"""


@pytest.fixture
def config(tmp_path: Path) -> Config:
    repo = tmp_path / "repo"
    write_package(repo, "py", "2", "")
    write_package(repo, "py", "3", "")
    write_package(repo, "lib", "1.0", BODY)
    for sub in ("py-2", "py-3"):
        (repo / "lib" / "1.0" / sub).mkdir()
    return load_config(overrides={"packages_path": [str(repo)], "implicit_packages": []})


@pytest.mark.parametrize("backend", BACKENDS)
def test_pre_install_tests_of_a_package(config: Config, backend: Backend) -> None:
    package = find_test_package("lib", config)
    seen: list[tuple[str, list[str]]] = []

    def on_output(job: TestJob, lines: list[str]) -> None:
        seen.append((job.label, [line for line in lines if line.startswith("installing")]))

    report = run_package_tests(
        package,
        config,
        run_on=["pre_install"],
        jobs=2,
        backend=backend,
        on_output=on_output,
    )
    assert report.exit_code == 0
    assert report.counts() == {"success": 2, "failed": 0, "skipped": 0}
    assert seen == [("install[0]", ["installing py-2"]), ("install[1]", ["installing py-3"])]
    assert report.setup.tasks == ("test:install[0]", "test:install[1]")


def test_pre_release_failure_and_exit_code(config: Config) -> None:
    report = run_package_tests("lib", config, run_on=["pre_release"])
    assert report.exit_code == 3
    ((test, status),) = [(r.test, r.status) for r in report.results()]
    assert (test, status) == ("release", "failed")


def test_errors_before_anything_runs(config: Config) -> None:
    with pytest.raises(PackageNotFoundError, match="Could not find package to test: lib-2"):
        run_package_tests("lib-2", config)
    with pytest.raises(UsageError, match="single, specified test"):
        run_package_tests("lib", config, extra_args=["x"])
