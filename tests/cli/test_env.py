"""``pkg env``: resolving into a ``.rxt`` context file, with rez-env's resolve flags."""

from __future__ import annotations

import doctest
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import write_package

import pkg.api.env
import pkg.cli.env
from pkg.cli import main
from pkg.cli.env import expand_rule_lists

Run = Callable[..., tuple[int, str, str]]

#: a-2 needs b, whose every version ends up clashing with a-2: one failure, then a-1.
BACKTRACK = [
    ("a", "1", ""),
    ("a", "2", "requires = ['b']\n"),
    ("b", "1", "requires = ['c-1']\n"),
    ("b", "2", "requires = ['c-2']\n"),
    ("c", "1", "requires = ['!a']\n"),
    ("c", "2", "requires = ['!a-2']\n"),
]


@pytest.fixture
def run(repo: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> Run:
    for family, version, body in BACKTRACK:
        write_package(repo, family, version, body)
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(repo))
    monkeypatch.setenv("PKG_IMPLICIT_PACKAGES_JSON", "[]")

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(["env", *args])
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _resolved(data: dict[str, Any]) -> list[str]:
    names = []
    for handle in data["resolved_packages"]:
        v = handle["variables"]
        index = "" if v["index"] is None else v["index"]
        names.append(f"{v['name']}-{v['version']}[{index}]")
    return names


def test_output_file(run: Run, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "ctx.rxt"
    code, stdout, stderr = run("foo", "-o", str(out))
    assert (code, stdout, stderr) == (0, "", "")
    data = _read(out)
    assert len(data) == 35
    assert data["serialize_version"] == "4.9"
    assert data["status"] == "solved"
    assert data["package_requests"] == ["foo"]
    assert data["package_paths"] == [str(repo)]
    assert _resolved(data) == ["bar-1[]", "python-3.11[]", "foo-2.0[1]"]
    assert data["resolved_packages"][0] == {
        "key": "filesystem.variant",
        "variables": {
            "index": None,
            "location": str(repo),
            "name": "bar",
            "repository_type": "filesystem",
            "version": "1",
        },
    }
    assert data["caching"] is True
    assert data["requested_timestamp"] is None
    assert data["timestamp"] == data["created"]
    assert data["graph"].startswith("{'nodes': ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ctx.rxt", "repo"]  # no temporary


def test_failure_still_writes_the_context(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "ctx.rxt"
    code, stdout, stderr = run("baz", "!bar", "-o", str(out))
    assert (code, stdout) == (1, "")
    data = _read(out)
    assert data["status"] == "failed"
    assert data["resolved_packages"] == []
    assert data["failure_description"] == (
        "The following package conflicts occurred: (bar-1+ <--!--> !bar)"
    )
    # Both ends of the clash, each with the chain that brought it in.
    assert "The resolve of 'baz !bar' failed." in stderr
    assert "the requirements for bar clash: 'bar-1+' and '!bar'" in stderr
    assert "'bar-1+' comes from: request 'baz' -> baz==3 requires 'foo-1'" in stderr
    assert "'!bar' comes from: request '!bar'" in stderr


def test_max_fails_says_so(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "ctx.rxt"
    assert run("a", "-o", str(out))[0] == 0
    assert _resolved(_read(out)) == ["a-1[]"]
    code, _, stderr = run("a", "--max-fails", "1", "-o", str(out))
    assert code == 1
    assert "fail limit reached: aborted after 1 failures" in stderr
    assert "c-2[] requires '!a-2', which clashes with 'a==2' (request 'a')" in stderr
    data = _read(out)
    assert data["status"] == "failed"
    assert data["failure_description"].startswith(
        "fail limit reached: aborted after 1 failures:\nA package was completely reduced: "
    )


def test_time_limit_says_so(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "ctx.rxt"
    code, _, stderr = run("a", "--time-limit", "0", "-o", str(out))
    assert code == 1
    assert "Resolve aborted: time limit exceeded" in stderr
    data = _read(out)
    assert (data["status"], data["failure_description"]) == ("aborted", "time limit exceeded")


def test_output_to_stdout(run: Run, tmp_path: Path) -> None:
    code, stdout, stderr = run("bar", "-o", "-")
    assert (code, stderr) == (0, "")
    data = json.loads(stdout)
    assert _resolved(data) == ["bar-1[]"]
    code, stdout, _ = run("baz", "!bar", "-o", "-")
    assert code == 1
    assert json.loads(stdout)["status"] == "failed"


def test_without_output_a_shell_cannot_start_yet(run: Run) -> None:
    code, stdout, stderr = run("foo")
    assert (code, stdout) == (2, "")
    assert stderr == (
        "pkg: error: pkg env cannot start a shell yet: use -o/--output FILE to save the "
        "context (-o - prints it)\n"
    )


def test_errors_are_one_line(run: Run, tmp_path: Path) -> None:
    code, _, stderr = run("nothing", "-o", str(tmp_path / "x.rxt"))
    assert (code, stderr) == (1, "pkg: error: package family not found: nothing\n")
    assert not (tmp_path / "x.rxt").exists()
    code, _, stderr = run("foo", "--exclude", "bogus(x)", "-o", "-")
    assert code == 1
    assert stderr.startswith("pkg: error: 'bogus' is not a valid package filter type")
    code, _, stderr = run("foo", "-t", "soon", "-o", "-")
    assert code == 2
    assert "unrecognised time format" in stderr
    code, _, stderr = run("foo", "-o", str(tmp_path / "missing" / "x.rxt"))
    assert code == 1
    assert stderr.startswith("pkg: error: cannot write ")


def test_fail_graph(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    code, _, stderr = run("baz", "!bar", "--fail-graph", "-o", "-")
    assert code == 1
    line = next(x for x in stderr.splitlines() if x.startswith("Resolve graph written to "))
    dot_file, _, image = line.removeprefix("Resolve graph written to ").partition(" and ")
    assert dot_file.startswith(str(tmp_path))
    assert "CONFLICT" in Path(dot_file).read_text()
    if shutil.which("dot"):
        assert Path(image).read_bytes()[:4] == b"\x89PNG"
    code, _, stderr = run("bar", "--fail-graph", "-o", "-")
    assert (code, stderr) == (0, "")


@pytest.mark.parametrize("name", ["graph.dot", "graph.png"])
def test_graph(run: Run, tmp_path: Path, name: str) -> None:
    code, _, stderr = run("foo", "--graph", str(tmp_path / name), "-o", "-")
    assert code == 0
    dot_text = (tmp_path / "graph.dot").read_text()
    assert dot_text.startswith("digraph g {\n")
    assert '[label="foo-2.0[1]", fillcolor="#AAFFAA"' in dot_text
    if shutil.which("dot"):
        assert (tmp_path / "graph.png").read_bytes()[:4] == b"\x89PNG"
        assert (
            stderr
            == f"Resolve graph written to {tmp_path / 'graph.dot'} and {tmp_path / 'graph.png'}\n"
        )
    assert run("foo", "-q", "--graph", str(tmp_path / name), "-o", "-")[2] == ""


def test_graph_without_graphviz(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, _, stderr = run("foo", "--graph", str(tmp_path / "g.png"), "-o", "-")
    assert code == 0
    assert "no image: graphviz's 'dot' is not on PATH" in stderr
    assert (tmp_path / "g.dot").is_file()
    assert not (tmp_path / "g.png").exists()


def test_implicit_packages(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PKG_IMPLICIT_PACKAGES_JSON", '["~python-3.9"]')
    data = json.loads(run("foo", "-o", "-")[1])
    assert data["implicit_packages"] == ["~python-3.9"]
    assert _resolved(data)[-1] == "foo-2.0[0]"
    data = json.loads(run("--ni", "foo", "-o", "-")[1])
    assert data["implicit_packages"] == []
    assert _resolved(data)[-1] == "foo-2.0[1]"


def test_paths_and_no_local(
    run: Run, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    write_package(other, "bar", "2", "")
    data = json.loads(run("--paths", f"{other}{os.pathsep}{repo}", "bar", "-o", "-")[1])
    assert data["package_paths"] == [str(other), str(repo)]
    assert _resolved(data) == ["bar-2[]"]
    assert data["resolved_packages"][0]["variables"]["location"] == str(other)
    monkeypatch.setenv("PKG_PACKAGES_PATH", f"{other}{os.pathsep}{repo}")
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", str(other))
    assert _resolved(json.loads(run("bar", "-o", "-")[1])) == ["bar-2[]"]
    data = json.loads(run("--nl", "bar", "-o", "-")[1])
    assert (data["package_paths"], _resolved(data)) == ([str(repo)], ["bar-1[]"])


def test_time(run: Run) -> None:
    data = json.loads(run("foo", "-t", "1500", "-o", "-")[1])
    assert _resolved(data) == ["bar-1[]", "foo-1.0[]"]
    assert data["timestamp"] == data["requested_timestamp"] == 1500
    data = json.loads(run("foo", "--time=-1d", "-o", "-")[1])
    assert _resolved(data)[-1] == "foo-2.0[1]"
    assert data["requested_timestamp"] == data["timestamp"] > 1500


def test_filters(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(run("foo", "--exclude", "foo-2*", "-o", "-")[1])
    assert _resolved(data)[-1] == "foo-1.1[]"
    assert data["package_filter"] == [{"excludes": ["glob(foo-2*)"]}]
    # rez-env's --exclude takes several rules.
    data = json.loads(run("foo", "--exclude", "foo-2*", "foo-1.1", "-o", "-")[1])
    assert _resolved(data)[-1] == "foo-1.0[]"
    monkeypatch.setenv("PKG_PACKAGE_FILTER_JSON", '[{"excludes": ["foo-2+"]}]')
    assert _resolved(json.loads(run("foo", "-o", "-")[1]))[-1] == "foo-1.1[]"
    data = json.loads(run("foo", "--include", "foo-2.0", "-o", "-")[1])
    assert _resolved(data)[-1] == "foo-2.0[1]"
    assert data["package_filter"] == [
        {"excludes": ["range(foo-2+)"], "includes": ["range(foo-2.0)"]}
    ]
    data = json.loads(run("foo", "--no-filters", "-o", "-")[1])
    assert (_resolved(data)[-1], data["package_filter"]) == ("foo-2.0[1]", [])


def test_build_and_no_cache(run: Run) -> None:
    data = json.loads(run("foo", "-b", "--no-cache", "-o", "-")[1])
    assert data["building"] is True
    assert data["caching"] is False
    assert "cmake-3.25[]" in _resolved(data)


def test_arguments_after_a_double_dash_are_not_requests(run: Run) -> None:
    data = json.loads(run("bar", "-o", "-", "--", "echo", "--exclude", "x")[1])
    assert data["package_requests"] == ["bar"]


def test_expand_rule_lists() -> None:
    assert expand_rule_lists(["--exclude", "a", "b", "--include", "c", "-o", "x", "d"]) == [
        "--exclude",
        "a",
        "--exclude",
        "b",
        "--include",
        "c",
        "-o",
        "x",
        "d",
    ]
    assert expand_rule_lists(["--exclude=a", "b"]) == ["--exclude=a", "b"]


@pytest.mark.parametrize("module", [pkg.api.env, pkg.cli.env])
def test_module_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
