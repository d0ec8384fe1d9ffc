"""The read-only repository commands: search, view, depends, plugins, help, yaml2py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.cli import main

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


@pytest.fixture
def run(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> Callable[..., tuple[int, str, str]]:
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(repo))

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capfd.readouterr()
        return code, out, err

    return invoke


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (["search"], "bar\nbar_plugin\nbaz\nbroken\ncmake\nfoo\npython\ntool\n"),
        (["search", "foo"], "foo-1.0\nfoo-1.1\nfoo-2.0\n"),
        (["search", "-l", "foo"], "foo-2.0\n"),
        (["search", "-t", "variant", "foo-2"], "foo-2.0[0]\nfoo-2.0[1]\n"),
        (["search", "-f", "{q}: {requires}", "foo-1"], "foo-1.0: bar-1\nfoo-1.1: bar-1+ !eek\n"),
        (["search", "-f", "{q}\\n  {tools}", "bar"], "bar-1\n  barbie\n"),
        (["search", "--after", "2500", "foo"], "foo-2.0\n"),
        (["search", "--before", "1500", "foo"], "foo-1.0\n"),
    ],
)
def test_search(run: Callable[..., tuple[int, str, str]], args: list[str], out: str) -> None:
    code, stdout, _ = run(*args)
    assert (code, stdout) == (0, out)


def test_search_no_match(run: Callable[..., tuple[int, str, str]]) -> None:
    assert run("search", "nothing")[0] == 1
    assert run("search", "nothing")[2] == "No matching family found.\n"


def test_search_broken_definitions(run: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = run("search", "broken")
    assert (code, out) == (0, "broken-0.9\nbroken-1.0\n")
    assert "warning:" in err
    assert "broken/1.0/package.py:3" in err
    assert "requires" in err
    assert run("search", "--nw", "broken")[2] == ""
    code, out, _ = run("search", "--validate", "broken")
    assert code == 1
    assert out.splitlines()[:2] == ["broken-0.9", "broken-1.0"]
    assert "broken/1.0/package.py" in out
    code, out, _ = run("search", "-e", "broken")
    assert code == 0
    assert out.splitlines()[0] == "broken-1.0"
    assert run("search", "-e", "foo")[2] == "No matching erroneous package found.\n"


def test_search_bad_times(run: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = run("search", "--after", "soon", "foo")
    assert code == 2
    assert "unrecognised time format" in err
    code, _, err = run("search", "--after", "2000", "--before", "1000", "foo")
    assert code == 2
    assert "non-overlapping" in err


def test_view(run: Callable[..., tuple[int, str, str]], repo: Path) -> None:
    code, out, _ = run("view", "foo-1")
    assert code == 0
    assert out.startswith(f"URI:\n{repo}/foo/1.1/package.py\n\nCONTENTS:\nname: foo\n\n")
    assert "version: '1.1'" in out
    assert "timestamp" not in out
    assert "timestamp: 2000" in run("view", "-a", "foo-1")[1]
    brief = run("view", "-b", "bar")[1]
    assert brief.startswith("name: bar\n\nversion: '1'\n\ntools:\n- barbie\n")
    py = run("view", "-b", "-f", "py", "bar")[1]
    assert "name = 'bar'" in py
    assert run("view", "nosuch") == (1, "no matches found\n", "")
    assert run("view", "-c", "foo")[0] == 1


def test_depends(run: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    assert run("depends", "bar")[1] == "#0: bar\n#1: bar_plugin foo\n#2: baz\n"
    assert run("depends", "-q", "bar")[1] == "bar\nbar_plugin foo\nbaz\n"
    assert run("depends", "-d", "1", "bar")[1] == "#0: bar\n#1: bar_plugin foo\n"
    assert run("depends", "-d", "0", "bar")[1] == "#0: bar\n"
    assert run("depends", "cmake")[1] == "#0: cmake\n#1: tool\n"
    assert run("depends", "-b", "cmake")[1] == "#0: cmake\n#1: foo tool\n#2: baz\n"
    dot = run("depends", "--pg", "cmake")[1]
    assert dot.startswith("digraph graphname {\ncmake;\ntool [")
    assert "tool -> cmake;" in dot
    target = tmp_path / "graph.dot"
    assert run("depends", "--wg", str(target), "cmake")[0] == 0
    assert target.read_text().startswith("digraph graphname {")
    code, _, err = run("depends", "nosuch")
    assert code == 1
    assert err == "pkg: error: no such package family 'nosuch'\n"


def test_plugins(run: Callable[..., tuple[int, str, str]]) -> None:
    assert run("plugins", "bar") == (0, "bar_plugin\n", "")
    assert run("plugins", "foo") == (0, "", "package 'foo' has no plugins.\n")
    code, _, err = run("plugins", "nosuch")
    assert code == 1
    assert "no package found" in err


def test_help(
    run: Callable[..., tuple[int, str, str]],
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = run("help", "-e", "foo")
    assert code == 0
    root = f"{repo}/foo/2.0/python-3.9"
    assert out == (
        f"Help found for:\n{repo}/foo/2.0/package.py\n\nDescription:\nThe foo library.\n\n"
        f"Sections:\n  1:\tDocs ({root}/docs/index.html)\n  2:\tMan (man foo)\n"
    )
    monkeypatch.setenv("PKG_BROWSER", "echo")
    code, out, _ = run("help", "baz")
    assert code == 0
    assert out.endswith(
        "running command: echo https://example.invalid/baz\nhttps://example.invalid/baz\n"
    )
    assert run("help", "foo", "3")[0] == 2
    assert run("help", "cmake") == (1, "", "Could not find a package with help for 'cmake'.\n")
    assert run("help", "!foo")[0] == 2


def test_yaml2py(run: Callable[..., tuple[int, str, str]], tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "package.yaml").write_text("name: hello\nrequires:\n- foo-1\ntools: [hi]\n")
    code, out, _ = run("yaml2py", str(source))
    assert code == 0
    assert out.startswith("# -*- coding: utf-8 -*-\n\nname = 'hello'\n\nversion = ''\n")
    assert "requires = ['foo-1']" in out
    assert run("yaml2py", str(tmp_path))[0] == 1
