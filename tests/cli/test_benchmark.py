"""``pkg benchmark``: resolving a benchmark set and reading the results back."""

from __future__ import annotations

import doctest
import json
import sys
import tarfile
from typing import TYPE_CHECKING, Any

import pytest
from tests.conftest import write_package

import pkg.api.benchmark
from pkg.cli import main

if TYPE_CHECKING:
    from pathlib import Path

PACKAGES = [
    ("lib", "1.0", ""),
    ("lib", "2.0", ""),
    ("app", "1.0", "requires = ['lib-1']\n"),
    ("py", "3.9", ""),
    ("py", "3.11", ""),
    ("plugin", "1.0", "variants = [['py-3.9'], ['py-3.11']]\n"),
]
#: One solve, one failure (a conflict), one error (no such family), one solve.
REQUESTS = [["app"], ["app", "lib-2"], ["nosuch"], ["plugin", "py-3.9"]]


def _repo(root: Path, packages: list[tuple[str, str, str]] = PACKAGES) -> Path:
    for family, version, body in packages:
        write_package(root, family, version, body)
    return root


@pytest.fixture
def data(tmp_path: Path) -> tuple[Path, Path]:
    requests = tmp_path / "requests.json"
    requests.write_text(json.dumps(REQUESTS))
    return _repo(tmp_path / "packages"), requests


def _run(capfd: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["benchmark", *map(str, args)])
    out, err = capfd.readouterr()
    return code, out, err


def _result(out: str) -> dict[str, Any]:
    stats: dict[str, Any] = json.loads(out.split("RESULT:\n", 1)[1])
    return stats


def test_run(data: tuple[Path, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    packages, requests = data
    out_dir = tmp_path / "out"
    code, out, err = _run(
        capfd, "--packages", packages, "--requests", requests, "--out", out_dir, "--iterations", "2"
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"Writing results to {out_dir}...\nWarming package cache...\n[1/4]")
    assert "Performing 4 resolves...\n\n[1/4]\nRequest: ['app']\nResolving." in out
    assert "\n[3/4]\nRequest: ['nosuch']\nResolving\n" in out
    stats = _result(out)
    assert stats == json.loads((out_dir / "summary.json").read_text())
    assert stats["num_success_resolves"] == 2
    assert stats["num_failed_resolves"] == 1
    assert stats["num_error_resolves"] == 1
    assert stats["min"] <= stats["median"] <= stats["max"]
    assert stats["min"] <= stats["mean"] <= stats["max"]
    assert {"total_run_time", "stddev", "pkg_version", "py_version", "platform"} <= set(stats)
    resolves = json.loads((out_dir / "resolves.json").read_text())
    assert [r["status"] for r in resolves] == ["success", "failed", "error", "success"]
    assert resolves[0]["request"] == ["app"]
    assert resolves[0]["resolved_packages"] == ["lib/1.0/package.py[]", "app/1.0/package.py[]"]
    assert resolves[3]["resolved_packages"] == ["py/3.9/package.py[]", "plugin/1.0/package.py[0]"]
    assert "resolved_packages" not in resolves[1]
    assert "nosuch" in resolves[2]["error"]
    assert "resolve_time" not in resolves[2]


def test_tarball(
    data: tuple[Path, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """A tarball holding ``packages/`` is extracted into the results directory (Rez's
    ``packages.tar.gz`` format)."""
    packages, requests = data
    archive = tmp_path / "packages.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(packages, arcname="packages")
    out_dir = tmp_path / "out"
    code, out, _ = _run(capfd, "--packages", archive, "--requests", requests, "--out", out_dir)
    assert code == 0
    assert (out_dir / "packages" / "app" / "1.0" / "package.py").is_file()
    assert _result(out)["num_success_resolves"] == 2


def test_default_set_is_rezs_data_files(
    data: tuple[Path, Path],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without --packages/--requests, the files of ``rez/data/benchmarking`` along
    sys.path are used (here a stand-in directory, not an installed Rez)."""
    packages, _requests = data
    site = tmp_path / "site"
    bench = site / "rez" / "data" / "benchmarking"
    bench.mkdir(parents=True)
    with tarfile.open(bench / "packages.tar.gz", "w:gz") as tar:
        tar.add(packages, arcname="packages")
    (bench / "requests.json").write_text(json.dumps(REQUESTS[:1]))
    monkeypatch.setattr(sys, "path", [str(site)])
    code, out, _ = _run(capfd, "--out", tmp_path / "out")
    assert code == 0
    assert _result(out)["num_success_resolves"] == 1


def test_no_default_set(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    code, out, err = _run(capfd, "--out", tmp_path / "out")
    assert (code, out) == (2, "")
    assert "no benchmark set: give --packages and --requests" in err
    assert not (tmp_path / "out").exists()


def test_out_must_not_exist(
    data: tuple[Path, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    packages, requests = data
    (tmp_path / "out").mkdir()
    code, _, err = _run(
        capfd, "--packages", packages, "--requests", requests, "--out", tmp_path / "out"
    )
    assert code == 1
    assert err == f"pkg: error: the results directory {tmp_path / 'out'} must not exist\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [("[['a'", "cannot read the requests file"), ('{"a": 1}', "expected a JSON list of lists")],
)
def test_bad_requests_file(
    data: tuple[Path, Path],
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    content: str,
    message: str,
) -> None:
    packages, _ = data
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = _run(capfd, "--packages", packages, "--requests", bad, "--out", tmp_path / "o")
    assert code == 2
    assert message in err
    assert str(bad) in err
    assert len(err.splitlines()) == 1


def test_histogram_and_compare(
    data: tuple[Path, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    packages, requests = data
    first, second = tmp_path / "first", tmp_path / "second"
    for out_dir in (first, second):
        assert _run(capfd, "--packages", packages, "--requests", requests, "--out", out_dir)[0] == 0

    code, out, _ = _run(capfd, "--out", first, "--histogram")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 40
    assert all(" |" in line for line in lines)
    assert sum(line.count("#") > 0 for line in lines) >= 1
    assert lines[0].lstrip().startswith("[")
    assert lines[-1].endswith("#")

    code, out, _ = _run(capfd, "--out", first, "--compare", second)
    assert code == 0
    deltas = json.loads(out)
    assert set(deltas) == {"max_delta", "min_delta", "mean_delta", "median_delta", "stddev_delta"}
    summary1 = json.loads((first / "summary.json").read_text())
    summary2 = json.loads((second / "summary.json").read_text())
    assert deltas["mean_delta"][0] == pytest.approx(summary2["mean"] - summary1["mean"])
    assert deltas["mean_delta"][1].endswith("%")


def test_compare_mismatch(
    data: tuple[Path, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    packages, requests = data
    other = _repo(tmp_path / "other", [*PACKAGES, ("lib", "1.5", "")])
    first, second = tmp_path / "first", tmp_path / "second"
    assert _run(capfd, "--packages", packages, "--requests", requests, "--out", first)[0] == 0
    assert _run(capfd, "--packages", other, "--requests", requests, "--out", second)[0] == 0
    code, out, err = _run(capfd, "--out", first, "--compare", second)
    assert (code, out) == (1, "")
    assert err.startswith("pkg: error: mismatching result (#0): request ['app']")
    assert "lib/1.5/package.py[]" in err


def test_histogram_without_results(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capfd, "--out", tmp_path / "missing", "--histogram")
    assert code == 2
    assert "cannot read benchmark results" in err
    assert "resolves.json" in err


def test_doctests() -> None:
    assert doctest.testmod(pkg.api.benchmark).failed == 0


def test_iterations_must_be_positive(
    data: tuple[Path, Path], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    packages, requests = data
    out_dir = tmp_path / "out"
    code, _, err = _run(
        capfd, "--packages", packages, "--requests", requests, "--out", out_dir, "--iterations", "0"
    )
    assert code == 2
    assert err == "pkg: error: --iterations must be at least 1, not 0\n"
    assert not out_dir.exists()
