"""pkg's solver against rez 3.4.0 on rez's own resolve benchmark (skipped without rez).

Rez's benchmark repository (1,266 families, 18,226 versions) is extracted once per
session; pkg reads it with its filesystem repository, rez resolves in one subprocess
(which loads packages once) while pkg resolves in this one.  Compared per request:
status, resolved variants in order (name, version, variant index), and the numbers of
phases solved and failed.

By default a fixed sample of 30 of the 188 requests runs; ``PKG_PARITY_FULL=1`` runs
all of them::

    PKG_PARITY_FULL=1 python -m pytest tests/parity/test_benchmark_parity.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from tests.parity.rez_benchmark import (
    DATA_DIR,
    REZ_RUNNER,
    extract_packages,
    load_provider,
    load_requests,
    run_pkg,
    sample_indices,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(DATA_DIR is None, reason="rez is not installed"),
]

#: Read at collection (the test isolation fixture removes PKG_* variables later).
FULL = os.environ.get("PKG_PARITY_FULL", "") not in ("", "0")

REQUESTS = load_requests() if DATA_DIR is not None else []
INDICES = list(range(len(REQUESTS))) if FULL else sample_indices(len(REQUESTS))

Results = dict[int, dict[str, Any]]


@pytest.fixture(scope="session")
def benchmark_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return extract_packages(tmp_path_factory.mktemp("rez-benchmark"))


@pytest.fixture(scope="module")
def results(
    benchmark_packages: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Results, Results]:
    """(pkg, rez) results of every selected request; rez runs while pkg does."""
    env = dict(os.environ, REZ_DISABLE_HOME_CONFIG="1")
    env.pop("REZ_CONFIG_FILE", None)
    work = tmp_path_factory.mktemp("rez-runner")
    (work / "requests.json").write_text(json.dumps([REQUESTS[i] for i in INDICES]))
    with (work / "requests.json").open() as stdin:
        rez = subprocess.Popen(
            [sys.executable, "-c", REZ_RUNNER, str(benchmark_packages)],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    try:
        provider = load_provider(benchmark_packages, tmp_path_factory.mktemp("index"))
        mine = {i: run_pkg(REQUESTS[i], provider) for i in INDICES}
        out, err = rez.communicate()
    finally:
        if rez.poll() is None:
            rez.kill()
            rez.wait()
    assert rez.returncode == 0, err
    theirs: Results = {}
    for i, result in zip(INDICES, json.loads(out), strict=True):
        del result["seconds"]
        theirs[i] = result
    return mine, theirs


def test_sample_is_fixed() -> None:
    assert len(REQUESTS) == 188
    assert sample_indices(188)[:4] == [0, 6, 12, 18]
    assert len(set(INDICES)) == (188 if FULL else 30)


@pytest.mark.parametrize("index", INDICES)
def test_benchmark_request_matches_rez(index: int, results: tuple[Results, Results]) -> None:
    mine, theirs = results
    assert mine[index] == theirs[index]
