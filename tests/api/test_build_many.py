"""``pkg.api.build_many``: several source packages built and installed in dependency
order, as one task graph."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.api.build_many import (
    BuildCycleError,
    build_packages,
    find_source_packages,
    prepare_builds,
)
from pkg.errors import UsageError
from pkg.orchestrator.events import TaskStarted
from tests.conftest import write_tree
from tests.tasks.helpers import build_config, stub_repository

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.orchestrator.events import Event

#: liba (two variants) <- appb, which reads what liba installed; toolc is independent.
SOURCES = {
    "liba/package.py": """\
        name = 'liba'
        version = '1.0'
        variants = [['python-3.9'], ['python-3.11']]
        build_command = 'mkdir -p {install_path} && echo liba-$PYVER > {install_path}/liba.txt'
        def commands():
            env.LIBA = '{root}/liba.txt'
        """,
    "appb/package.py": """\
        name = 'appb'
        version = '2.0'
        variants = [['python-3.11']]
        private_build_requires = ['liba-1']
        build_command = 'mkdir -p {install_path} && cat $LIBA > {install_path}/seen'
        """,
    "toolc/package.py": """\
        name = 'toolc'
        version = '0.1'
        build_command = 'mkdir -p {install_path} && echo c > {install_path}/c'
        """,
}


def test_packages_build_in_dependency_order_against_the_prefix(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    root = write_tree(tmp_path / "src", SOURCES)
    prefix = tmp_path / "prefix"  # not in packages_path: found because it is installed into
    config = build_config(repo, tmp_path / "local")
    dirs = [str(root / name) for name in ("appb", "toolc", "liba")]
    setup = prepare_builds(dirs, config, install=True, prefix=str(prefix))
    assert [s.package.name for s in setup.setups] == ["liba", "appb", "toolc"]
    assert setup.depends == {"appb": ("liba",), "toolc": (), "liba": ()}
    started: list[str] = []

    def record(event: Event) -> None:
        if isinstance(event, TaskStarted):
            started.append(event.task)

    report = build_packages(setup, config, jobs=4, on_event=record)
    assert report.ok, [r.failures() for r in report.reports()]
    assert (prefix / "appb" / "2.0" / "python-3.11" / "seen").read_text() == "liba-3.11\n"
    assert (prefix / "toolc" / "0.1" / "c").is_file()
    # appb starts only once both variants of liba are installed.
    first_appb = started.index("evaluate:appb-2.0[0]")
    assert started.index("install:liba-1.0[1]") < first_appb
    assert [(r.package, r.built, r.variants, r.status) for r in report.rows()] == [
        ("liba-1.0", 2, 2, "installed"),
        ("appb-2.0", 1, 1, "installed"),
        ("toolc-0.1", 1, 1, "installed"),
    ]
    assert not (tmp_path / "local").exists()


def test_keep_going_skips_the_dependants_of_a_failed_package(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    sources = dict(SOURCES)
    sources["liba/package.py"] = sources["liba/package.py"].replace(
        "echo liba-$PYVER", "test $PYVER = 3.9 && echo liba-$PYVER"
    )
    root = write_tree(tmp_path / "src", sources)
    install = tmp_path / "install"
    config = build_config(repo, install)
    dirs = find_source_packages([str(root)], config, recursive=True)
    setup = prepare_builds(dirs, config, install=True, keep_going=True)
    report = build_packages(setup, config, keep_going=True)
    assert not report.ok
    rows = {row.package: row for row in report.rows()}
    assert rows["liba-1.0"].status == "failed"
    assert rows["liba-1.0"].built == 1
    assert "liba-1.0[1]: the build step failed" in rows["liba-1.0"].reason
    assert (rows["appb-2.0"].status, rows["appb-2.0"].reason) == (
        "skipped",
        "it depends on liba, which did not build",
    )
    assert rows["toolc-0.1"].status == "installed"
    assert not (install / "appb").exists()
    assert (install / "liba" / "1.0" / "python-3.9" / "liba.txt").is_file()


def test_a_cycle_is_an_error_naming_the_packages(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    root = write_tree(
        tmp_path / "src",
        {
            "a/package.py": "name = 'a'\nversion = '1'\nrequires = ['b']\nbuild_command = False\n",
            "b/package.py": "name = 'b'\nversion = '1'\nbuild_requires = ['c-1+']\n",
            "c/package.py": "name = 'c'\nversion = '1'\nvariants = [['a']]\n",
            "d/package.py": "name = 'd'\nrequires = ['!a', 'python']\nbuild_command = False\n",
        },
    )
    config = build_config(repo, tmp_path / "install")
    dirs = [str(root / n) for n in ("d", "a", "b", "c")]
    with pytest.raises(BuildCycleError) as caught:
        prepare_builds(dirs, config, install=True)
    assert str(caught.value) == (
        "the source packages depend on each other in a cycle: a -> b -> c -> a"
    )
    # A conflict request is not a dependency.
    assert prepare_builds(dirs[:2], config).depends == {"d": (), "a": ()}


def test_two_packages_of_one_name_are_refused(tmp_path: Path) -> None:
    repo = stub_repository(tmp_path / "repo")
    root = write_tree(
        tmp_path / "src",
        {
            "one/package.py": "name = 'same'\nversion = '1'\n",
            "two/package.py": "name = 'same'\nversion = '2'\n",
        },
    )
    config = build_config(repo, tmp_path / "install")
    with pytest.raises(UsageError, match="two source packages are named 'same'"):
        prepare_builds([str(root / "one"), str(root / "two")], config)


def test_recursive_search_skips_hidden_and_build_directories(tmp_path: Path) -> None:
    config = build_config(tmp_path / "repo", tmp_path / "install")
    package = "name = 'x'\n"
    root = write_tree(
        tmp_path / "src",
        {
            "a/package.py": package,
            "a/tests/fixture/package.py": package,  # inside a package: not searched
            "group/b/package.py": package,
            "group/c/package.yaml": "name: c\n",
            ".hidden/d/package.py": package,
            "build/e/package.py": package,
            "empty/readme": "",
        },
    )
    found = find_source_packages([str(root)], config, recursive=True)
    assert found == [str(root / "a"), str(root / "group" / "b"), str(root / "group" / "c")]
    with pytest.raises(UsageError, match="no package definition below"):
        find_source_packages([str(root / "empty")], config, recursive=True)
    with pytest.raises(UsageError, match="not a directory"):
        find_source_packages([str(root / "missing")], config)
