"""``pkg env``: resolving into a ``.rxt`` context file, with rez-env's resolve flags."""

from __future__ import annotations

import doctest
import json
import os
import shlex
import shutil
import subprocess
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


def test_usage_errors(run: Run, tmp_path: Path) -> None:
    code, _, stderr = run("foo", "-c", "true", "--", "echo")
    assert (code, stderr) == (
        2,
        "pkg: error: -c/--command is not allowed with a command after '--'\n",
    )
    code, _, stderr = run("foo", "-i", str(tmp_path / "x.rxt"))
    assert (code, stderr) == (
        2,
        "pkg: error: -i/--input cannot be used with PKG arguments, unless patching (-p)\n",
    )
    code, _, stderr = run("-i", str(tmp_path / "missing.rxt"))
    assert code == 1
    assert stderr.startswith("pkg: error: cannot read context file ")


def test_failed_resolve_starts_no_shell(run: Run) -> None:
    code, stdout, stderr = run("baz", "!bar", "--", "echo", "STARTED")
    assert code == 1
    assert "STARTED" not in stdout
    assert "The resolve of 'baz !bar' failed." in stderr


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


# -- running commands and shells (real processes) ------------------------------------

#: A repository whose packages set variables from their commands, or fail.
SHELL_PACKAGES = [
    (
        "greet",
        "1.2",
        """
        def commands():
            env.FOO = "hello {root}"
            env.GREET_PATH.prepend("{root}/bin")
            env.ODD = literal("it's \\"$odd\\"")
            alias("hi", "echo hi from alias")
        """,
    ),
    (
        "sysinfo",
        "1",
        """
        def commands():
            env.SYS_ATTR = system.platform + "-" + system.arch
            env.SYS_FORMAT = "{system.platform}/{system.os}"
        """,
    ),
    ("raises", "1", "def commands():\n    env.X = '1'\n    raise ValueError('boom')\n"),
    ("stops", "1", "def commands():\n    stop('not today')\n"),
    ("undefined", "1", "def commands():\n    env.Y = env.NOT_SET_ANYWHERE.value()\n"),
]

Spawn = Callable[..., subprocess.CompletedProcess[str]]


def _shell_environ(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "shell-repo"
    for family, version, body in SHELL_PACKAGES:
        write_package(root, family, version, body)
    return {**os.environ, "PKG_PACKAGES_PATH": str(root), "PKG_IMPLICIT_PACKAGES_JSON": "[]"}


@pytest.fixture
def spawn(tmp_path: Path, pkg_script: list[str]) -> Spawn:
    base = _shell_environ(tmp_path)

    def invoke(
        *args: str, stdin: str | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*pkg_script, "env", *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            env={**base, **env},
            timeout=120,
        )

    return invoke


def _root(tmp_path: Path) -> str:
    return str(tmp_path / "shell-repo" / "greet" / "1.2")


def test_command_after_double_dash(spawn: Spawn, tmp_path: Path) -> None:
    done = spawn("greet", "--", "printenv", "FOO")
    assert (done.returncode, done.stdout) == (0, f"hello {_root(tmp_path)}\n"), done.stderr
    done = spawn("greet", "--shell", "bash", "--", "printenv", "ODD")
    assert done.stdout == 'it\'s "$odd"\n'


def test_system_object_in_commands(spawn: Spawn) -> None:
    import platform

    from pkg.config import SystemInfo

    info = SystemInfo(os.environ, Path.home())
    done = spawn("sysinfo", "--", "printenv", "SYS_ATTR", "SYS_FORMAT")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        f"{info.platform}-{platform.machine()}",
        f"{info.platform}/{info.os}",
    ]


def test_double_dash_words_expand_as_in_rez(spawn: Spawn, tmp_path: Path) -> None:
    # rez-env double-quotes the words after '--', so $VAR still expands
    done = spawn("greet", "--shell", "bash", "--", "echo", "$FOO", "a  b")
    assert done.stdout == f"hello {_root(tmp_path)} a  b\n"


def test_dash_c_and_the_context_variables(spawn: Spawn, tmp_path: Path) -> None:
    script = 'echo "$REZ_GREET_VERSION|$REZ_USED_RESOLVE|$REZ_SHELL_INTERACTIVE|$GREET_PATH"; hi'
    done = spawn("greet", "--shell", "bash", "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"1.2|greet-1.2|0|{_root(tmp_path)}/bin\nhi from alias\n"
    done = spawn("greet", "--shell", "bash", "-c", 'cat "$REZ_RXT_FILE"')
    assert json.loads(done.stdout)["package_requests"] == ["greet"]
    done = spawn("greet", "--shell", "bash", "-c", 'head -1 "$REZ_CONTEXT_FILE"')
    assert done.stdout.startswith("#!")


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["-c", "exit 3"], 3),
        (["--", "sh", "-c", "exit 4"], 4),
        (["--", "false"], 1),
        (["--", "no-such-program-here"], 127),
    ],
)
def test_exit_status_is_the_commands(spawn: Spawn, args: list[str], status: int) -> None:
    assert spawn("greet", "--shell", "bash", *args).returncode == status


def test_stdin(spawn: Spawn, tmp_path: Path) -> None:
    done = spawn("greet", "--shell", "bash", "-s", stdin='echo "got $FOO"\nexit 6\n')
    assert (done.returncode, done.stdout) == (6, f"got hello {_root(tmp_path)}\n")


@pytest.mark.parametrize("shell", ["bash", "sh", "zsh", "csh", "tcsh", "fish"])
def test_each_shell(spawn: Spawn, tmp_path: Path, shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    done = spawn("greet", "--shell", shell, "-c", "echo $FOO")
    assert (done.returncode, done.stdout) == (0, f"hello {_root(tmp_path)}\n"), done.stderr
    done = spawn("greet", "--shell", shell, "--norc", "-c", "exit 9")
    assert done.returncode == 9
    done = spawn("greet", "--shell", shell, "-s", stdin="echo $FOO\n")
    assert done.stdout == f"hello {_root(tmp_path)}\n"


def test_default_shell(spawn: Spawn) -> None:
    show = ("greet", "-c", "echo $REZ_CONTEXT_FILE")
    if shutil.which("tcsh"):
        assert spawn(*show, SHELL="/bin/tcsh").stdout.strip().endswith("context.csh")
    assert spawn(*show, SHELL="/bin/unknown-shell").stdout.strip().endswith("context.sh")
    if shutil.which("fish"):
        done = spawn(*show, SHELL="/bin/bash", PKG_DEFAULT_SHELL="fish")
        assert done.stdout.strip().endswith("context.fish"), done.stderr


def test_unknown_shell(spawn: Spawn) -> None:
    done = spawn("greet", "--shell", "nosh", "-c", "true")
    assert done.returncode == 1
    assert done.stderr.startswith("pkg: error: unknown shell 'nosh' (known: ")


def test_input_uses_a_saved_context(spawn: Spawn, tmp_path: Path) -> None:
    saved = tmp_path / "saved.rxt"
    assert spawn("greet", "-o", str(saved)).returncode == 0
    done = spawn("-i", str(saved), "--shell", "bash", "-c", 'echo "$FOO|$REZ_RXT_FILE"')
    assert (done.returncode, done.stdout) == (0, f"hello {_root(tmp_path)}|{saved}\n")


@pytest.mark.parametrize(
    ("package", "line", "reason"),
    [
        ("raises", 5, "ValueError: boom"),
        ("stops", 4, "not today"),
        ("undefined", 4, "Referenced undefined environment variable: NOT_SET_ANYWHERE"),
    ],
)
def test_failing_commands_start_no_shell(
    spawn: Spawn, tmp_path: Path, package: str, line: int, reason: str
) -> None:
    done = spawn(package, "--", "echo", "STARTED")
    path = tmp_path / "shell-repo" / package / "1" / "package.py"
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"pkg: error: Error in commands of package '{package}-1' ({path}, line {line}): {reason}\n"
    )


def test_user_rc_files_run_after_the_context(
    spawn: Spawn, isolated_environment: Path, tmp_path: Path
) -> None:
    # a command in bash only gets $BASH_ENV, as in rez, which unsets it afterwards
    rc = tmp_path / "env.sh"
    rc.write_text('export FROM_RC="rc saw [$FOO]"\n')
    done = spawn(
        "greet", "--shell", "bash", "-c", 'echo "$FROM_RC|${BASH_ENV-unset}"', BASH_ENV=str(rc)
    )
    assert done.stdout == f"rc saw [hello {_root(tmp_path)}]|unset\n"
    if shutil.which("zsh"):
        (isolated_environment / ".zshrc").write_text('export FROM_RC="zshrc saw [$FOO]"\n')
        done = spawn("greet", "--shell", "zsh", "-c", "echo $FROM_RC")
        assert done.stdout == f"zshrc saw [hello {_root(tmp_path)}]\n"
        done = spawn("greet", "--shell", "zsh", "--norc", "-c", 'echo "[$FROM_RC]"')
        assert done.stdout == "[]\n"


def _interactive(argv: list[str], env: dict[str, str], keys: str) -> tuple[int, str]:
    done = subprocess.run(
        ["script", "-qec", shlex.join(argv), "/dev/null"],
        input=keys,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=60,
    )
    return done.returncode, done.stdout.replace("\r", "")


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a terminal")
@pytest.mark.parametrize("shell", ["bash", "zsh", "sh", "tcsh", "fish"])
def test_interactive_shell(shell: str, tmp_path: Path, pkg_script: list[str]) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    env = _shell_environ(tmp_path)
    argv = [*pkg_script, "env", "greet", "--shell", shell]
    keys = 'echo "<$REZ_SHELL_INTERACTIVE>"\necho "<$FOO>"\nexit 5\n'
    code, out = _interactive(argv, env, keys)
    assert code == 5, out
    assert "You are now in a pkg-configured environment." in out
    assert "<1>" in out
    assert f"<hello {_root(tmp_path)}>" in out
    code, out = _interactive([*argv, "-q"], env, keys)
    assert code == 5
    assert "pkg-configured" not in out
    if shell != "sh":
        rcfile = tmp_path / "my.rc"
        rcfile.write_text("setenv FROM_RC yes\n" if shell == "tcsh" else "export FROM_RC=yes\n")
        code, out = _interactive([*argv, "--rcfile", str(rcfile)], env, 'echo "<$FROM_RC>"\nexit\n')
        assert "<yes>" in out


def test_patch_a_saved_context(run: Run, tmp_path: Path) -> None:
    source, out = tmp_path / "ctx.rxt", tmp_path / "patched.rxt"
    assert run("foo-1", "python-3.9", "-o", str(source))[0] == 0
    code, _, err = run("-i", str(source), "-p", "foo-2", "^python", "baz", "-o", str(out))
    assert code == 1, err
    data = _read(out)
    assert data["package_requests"] == ["foo-2", "baz"]
    assert data["status"] == "failed"  # baz needs foo-1
    code, _, err = run("-i", str(source), "-p", "--patch-rank", "2", "-o", str(out))
    assert code == 0, err
    assert _read(out)["package_requests"] == [
        "foo-1",
        "python-3.9",
        "~foo<1_",  # bar-1 has a single token: free
        "~python<3_",
    ]
    code, _, err = run("-i", str(source), "-p", "--strict", "-o", str(out))
    assert _read(out)["package_requests"] == ["bar-1", "foo-1.1", "python-3.9"]


def test_patch_the_current_context(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = tmp_path / "ctx.rxt", tmp_path / "patched.rxt"
    assert run("foo-1.0", "-o", str(source))[0] == 0
    monkeypatch.setenv("REZ_RXT_FILE", str(source))
    code, _, err = run("-p", "foo-1.1", "-o", str(out))
    assert code == 0, err
    assert _resolved(_read(out)) == ["bar-1[]", "foo-1.1[]"]


def test_patch_needs_a_context(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REZ_RXT_FILE", raising=False)
    code, _, err = run("-p", "foo", "-o", "-")
    assert code != 0
    assert (
        err.strip()
        .splitlines()[-1]
        .endswith("cannot patch: not in a context (give one with -i FILE)")
    )
    code, _, err = run("-i", "nowhere.rxt", "foo")
    assert code != 0
    assert "unless patching" in err


def test_include_modules_are_visible_to_commands(tmp_path: Path, pkg_script: list[str]) -> None:
    # An installed package keeps its @include modules under .rez/include (as rez-build
    # and pkg build install them); its commands see each module by name.
    root = tmp_path / "inc-repo"
    write_package(
        root,
        "uses",
        "1.0",
        """
        @include("helpers")
        def commands():
            env.FROM_INCLUDE = helpers.greeting("{root}")
        """,
    )
    include = root / "uses" / "1.0" / ".rez" / "include"
    include.mkdir(parents=True)
    (include / "helpers.py").write_text("def greeting(root):\n    return 'hi from ' + root\n")
    done = subprocess.run(
        [*pkg_script, "env", "uses", "--", "printenv", "FROM_INCLUDE"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PKG_PACKAGES_PATH": str(root), "PKG_IMPLICIT_PACKAGES_JSON": "[]"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"hi from {root / 'uses' / '1.0'}\n"


def test_the_resolve_caching_setting_applies(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rez-env: the cache is used unless --no-cache, and only if resolve_caching is on
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("PKG_RESOLVE_CACHE_PATH", raising=False)
    entries = tmp_path / "xdg" / "pkg" / "resolves"
    monkeypatch.setenv("PKG_RESOLVE_CACHING", "false")
    assert run("foo", "-o", "-")[0] == 0
    assert not entries.exists() or not any(entries.iterdir())
    monkeypatch.delenv("PKG_RESOLVE_CACHING")
    assert run("foo", "--no-cache", "-o", "-")[0] == 0
    assert not entries.exists() or not any(entries.iterdir())
    assert run("foo", "-o", "-")[0] == 0
    assert len(list(entries.iterdir())) == 1
