"""``pkg build``: the command, run as a real process in a source directory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import needs, write_tree
from tests.tasks.helpers import CUSTOM_PROJECT, build_environ, stub_repository


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return stub_repository(tmp_path / "repo")


@pytest.fixture
def install(tmp_path: Path) -> Path:
    return tmp_path / "install"


def pkg(
    cwd: Path, repo: Path, install: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pkg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=build_environ(repo, install),
        input=stdin,
        check=False,
    )


def test_build_install_and_run(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    done = pkg(
        source, repo, install, "build", "-i", "--events", "plain", "-j", "4", "--backend", "trio"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Building hello-1.0 with custom...\n")
    assert done.stdout.rstrip().endswith("All 2 build(s) were successful.")
    ran = pkg(source, repo, install, "env", "hello", "python-3.9", "--", "hello")
    assert ran.stdout == "hello from 3.9 built-local\n", ran.stderr


def test_events_json_and_negative_variant(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    done = pkg(source, repo, install, "build", "--events", "json", "--variants", "-1")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[0]["kind"] == "run-started"
    assert events[-1]["kind"] == "run-finished"
    tasks = {event["task"] for event in events if "task" in event}
    assert tasks == {"evaluate:hello-1.0[1]", "resolve:hello-1.0[1]", "build:hello-1.0[1]"}
    assert "All 1 build(s) were successful." in done.stderr
    # Without -i nothing is installed (the command wrote its files, but no definition).
    assert not (install / "hello" / "1.0" / "package.py").exists()


def test_bad_input_is_one_line(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    done = pkg(source, repo, install, "build", "--variants", "5")
    assert done.returncode == 2
    assert "hello-1.0 has no variant 5" in done.stderr
    assert "Traceback" not in done.stderr
    done = pkg(tmp_path, repo, install, "build")
    assert done.returncode == 1
    assert done.stderr.strip().endswith("no package definition (package.py) in this directory")
    done = pkg(source, repo, install, "build", "--ba", "x", "--", "y")
    assert done.returncode == 2
    assert "--ba is not allowed with arguments after '--'" in done.stderr
    done = pkg(source, repo, install, "build", "--view-pre")
    assert done.returncode == 0
    assert "name = 'hello'" in done.stdout


def test_failing_variant_exits_1_and_names_it(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(
        tmp_path / "bad",
        {
            "package.py": """\
                name = 'bad'
                version = '1'
                variants = [['python-3.9'], ['python-3.11']]
                build_command = 'mkdir -p {install_path} && test $PYVER = 3.9'
                """
        },
    )
    done = pkg(source, repo, install, "build", "-i", "--keep-going", "--events", "plain")
    assert done.returncode == 1
    assert "1 of 2 build(s) were successful; failed:" in done.stdout
    assert "  bad-1[1]: the build step failed (status 1): mkdir -p" in done.stdout
    assert sorted(p.name for p in (install / "bad" / "1").iterdir()) == [
        "package.py",
        "python-3.9",
    ]


def test_build_env_script_opens_a_bash_shell(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    done = pkg(source, repo, install, "build", "-s", "--events", "plain")
    assert done.returncode == 0, done.stderr
    script = source / "build" / "python-3.11" / "build-env"
    assert "The following executable script(s) have been created:" in done.stdout
    assert str(script) in done.stdout
    shell = subprocess.run(
        [str(script)],
        input='echo "in $PYVER $REZ_BUILD_VARIANT_INDEX $GREETING $PWD"\nexit 3\n',
        capture_output=True,
        text=True,
        env=build_environ(repo, install),
        check=False,
    )
    assert shell.returncode == 3
    assert shell.stdout == f"in 3.11 1 built-local {script.parent}\n"
    assert "BUILD> " in shell.stderr


def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_sigint_leaves_no_trace_and_a_rerun_succeeds(
    tmp_path: Path, repo: Path, install: Path
) -> None:
    source = write_tree(
        tmp_path / "slow",
        {
            "package.py": """\
                name = 'slow'
                version = '1'
                variants = [['python-3.9'], ['python-3.11']]
                build_command = (
                    'mkdir -p {install_path} && touch {install_path}/payload && '
                    'touch {build_path}/started && (test -z "$SLEEP" || sleep "$SLEEP")'
                )
                """
        },
    )
    env = {**build_environ(repo, install), "SLEEP": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "pkg", "build", "-i", "-j", "4", "--events", "plain"],
        cwd=source,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(source / "build" / "python-3.9" / "started", process)
    _wait_for(source / "build" / "python-3.11" / "started", process)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "The build was interrupted." in err
    assert not install.exists() or not any(install.iterdir())
    done = pkg(source, repo, install, "build", "-i", "--events", "plain")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (install / "slow" / "1").iterdir()) == [
        "package.py",
        "python-3.11",
        "python-3.9",
    ]


def test_concurrent_installs_of_different_variants(
    tmp_path: Path, repo: Path, install: Path
) -> None:
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    # Separate build directories so that the two processes share only the repository.
    copies = []
    for index in (0, 1):
        copy = tmp_path / f"copy{index}" / "hello"
        write_tree(copy, CUSTOM_PROJECT)
        copies.append(copy)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pkg",
                "build",
                "-i",
                "--variants",
                str(index),
                "--events",
                "plain",
            ],
            cwd=copy,
            env=build_environ(repo, install),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for index, copy in enumerate(copies)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    text = (install / "hello" / "1.0" / "package.py").read_text()
    assert "['python-3.9']" in text
    assert "['python-3.11']" in text
    for version in ("3.9", "3.11"):
        ran = pkg(source, repo, install, "env", "hello", f"python-{version}", "--", "hello")
        assert ran.stdout == f"hello from {version} built-local\n", ran.stderr
    assert os.listdir(install / "hello" / "1.0") != []


def test_custom_flags_and_build_args(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(
        tmp_path / "flags",
        {
            "package.py": "name = 'flags'\nversion = '1'\n"
            "build_command = 'echo shout=$__PARSE_ARG_SHOUT args:'\n",
            "parse_build_args.py": "parser.add_argument('--shout', action='store_true')\n",
        },
    )
    done = pkg(
        source, repo, install, "build", "--shout", "-v", "--events", "plain", "--", "a", "b c"
    )
    assert done.returncode == 0, done.stderr
    assert "build:flags-1[] | shout=1 args: a b c\n" in done.stdout


@needs("cmake", "make")
def test_cmake_build_target_option(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(
        tmp_path / "bt",
        {
            "package.py": "name = 'bt'\nversion = '1'\n",
            "CMakeLists.txt": "cmake_minimum_required(VERSION 3.10)\nproject(bt NONE)\n"
            'message(STATUS "TYPE=${CMAKE_BUILD_TYPE}")\n',
        },
    )
    done = pkg(source, repo, install, "build", "--bt", "Debug", "-v", "--events", "plain")
    assert done.returncode == 0, done.stderr
    assert "-- TYPE=Debug" in done.stdout


def test_fail_graph_writes_the_graph(tmp_path: Path, repo: Path, install: Path) -> None:
    source = write_tree(
        tmp_path / "clash",
        {
            "package.py": "name = 'clash'\nversion = '1'\n"
            "requires = ['python-3.9', 'python-3.11']\nbuild_command = False\n"
        },
    )
    done = pkg(source, repo, install, "build", "--fail-graph", "--events", "plain")
    assert done.returncode == 1
    assert "clash-1[]: the build environment did not resolve: " in done.stdout
    assert "(python-3.9 <--!--> python-3.11)" in done.stdout
    written = done.stderr.split("Resolve graph written to ", 1)[1].strip()
    dot = Path(written).with_suffix(".dot")
    assert "python-3.9" in dot.read_text()


def test_matrix_lists_each_variant_with_its_command(
    tmp_path: Path, repo: Path, install: Path
) -> None:
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    done = pkg(source, repo, install, "build", "--matrix", "-i", "-p", str(install), "--", "x y")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["index"], r["requires"], r["subpath"]) for r in rows] == [
        (0, ["python-3.9"], "python-3.9"),
        (1, ["python-3.11"], "python-3.11"),
    ]
    assert rows[1]["command"] == f"pkg build -i -p {install} --variants 1 -- 'x y'"
    assert not install.exists()  # nothing was built
    # each command builds only its variant
    argv = rows[0]["command"].split()[2:-2]
    built = pkg(source, repo, install, "build", *argv)
    assert built.returncode == 0, built.stderr
    assert "All 1 build(s) were successful." in built.stdout
    assert (install / "hello" / "1.0" / "python-3.9").is_dir()
    assert not (install / "hello" / "1.0" / "python-3.11").exists()
    only = json.loads(pkg(source, repo, install, "build", "--matrix", "--variants", "-1").stdout)
    assert [r["index"] for r in only] == [1]


#: lib <- app (app's build reads what lib installed); solo depends on nothing.
MANY = {
    "lib/package.py": """\
        name = 'lib'
        version = '1.0'
        build_command = 'mkdir -p {install_path} && echo > {install_path}/args'
        def commands():
            env.LIB_ARGS = '{root}/args'
        """,
    "app/package.py": """\
        name = 'app'
        version = '2.0'
        requires = ['lib']
        build_command = 'mkdir -p {install_path} && cat $LIB_ARGS > {install_path}/seen && echo'
        """,
    "solo/package.py": """\
        name = 'solo'
        version = '0.1'
        build_command = 'mkdir -p {install_path} && test -n "$SOLO_OK"'
        """,
}


def test_several_directories_build_in_dependency_order(
    tmp_path: Path, repo: Path, install: Path
) -> None:
    root = write_tree(tmp_path / "src", MANY)
    done = pkg(root, repo, install, "build", "-i", "--events", "plain", "app", "lib", "--", "x")
    assert done.returncode == 0, done.stderr
    assert "Building 2 package(s) in dependency order: lib-1.0, app-2.0..." in done.stdout
    assert done.stdout.rstrip().endswith(
        "Build summary:\n  lib-1.0    1/1 variant(s)  installed\n"
        "  app-2.0    1/1 variant(s)  installed"
    )
    # The arguments after '--' reached each build.
    assert (install / "app" / "2.0" / "seen").read_text() == "x\n"
    # One directory builds as if run inside it.
    one = pkg(tmp_path, repo, install, "build", "src/lib", "--events", "plain")
    assert one.returncode == 0, one.stderr
    assert one.stdout.startswith("Building lib-1.0 with custom...\n")


def test_recursive_keep_going_reports_each_package(
    tmp_path: Path, repo: Path, install: Path
) -> None:
    files = dict(MANY)
    files["lib/package.py"] = files["lib/package.py"].replace("&& echo", "&& false && echo")
    root = write_tree(tmp_path / "src", files)
    done = pkg(
        root, repo, install, "build", "-i", "--recursive", "--keep-going", "--events", "plain"
    )
    assert done.returncode == 1
    summary = done.stdout[done.stdout.index("Build summary:") :].splitlines()
    assert summary[1].startswith("  lib-1.0     0/1 variant(s)  failed: lib-1.0[]: the build step")
    assert summary[2] == (
        "  app-2.0     0/1 variant(s)  skipped: it depends on lib, which did not build"
    )
    assert summary[3].startswith(
        "  solo-0.1    0/1 variant(s)  failed: solo-0.1[]: the build step failed (status 1)"
    )
    assert not install.exists()
    bad = pkg(root, repo, install, "build", "--recursive", "--variants", "0")
    assert bad.returncode == 2
    assert "--variants works on one package" in bad.stderr
    assert "Traceback" not in bad.stderr
