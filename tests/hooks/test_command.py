"""The command release hook runs real commands in the package's source directory."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import pytest

from pkg.hooks import ReleaseHookCancelled, ReleaseHookError, load_release_hooks
from pkg.hooks.command import CommandHook
from tests.hooks._support import config, release_info

PREFIX = "plugins.release_hook.command"


def hook(tmp_path: Path, lines: list[str], /, **settings: object) -> CommandHook:
    overrides = {f"{PREFIX}.{key}": value for key, value in settings.items()}
    hooks = load_release_hooks(["command"], tmp_path / "src", config(overrides), log=lines.append)
    assert isinstance(hooks[0], CommandHook)
    return hooks[0]


def write(path: str, text: str, **table: object) -> dict[str, object]:
    """A command writing ``text`` (after expansion) to ``path`` in the source directory."""
    script = f"import sys; open({path!r}, 'w').write(' '.join(sys.argv[1:]))"
    return {"command": sys.executable, "args": ["-c", script, text], **table}


def fail(status: int = 3) -> dict[str, object]:
    script = f"print('it broke'); raise SystemExit({status})"
    return {"command": sys.executable, "args": ["-c", script]}


def test_arguments_are_expanded_with_the_release(tmp_path: Path) -> None:
    lines: list[str] = []
    info = release_info(tmp_path)
    text = (
        "{package.qualified_name} {package.description} {release.path} {num_variants} "
        "{variants} {system.user} {package.nope} {authors}"
    )
    hook(tmp_path, lines, pre_build_commands=[write("out.txt", text)]).pre_build(info)
    written = (tmp_path / "src" / "out.txt").read_text()
    assert written == (
        f"foo-1.2 The foo library. {info.install_path} 2 0 1 {getpass.getuser()} "
        "{package.nope} {authors}"
    )
    assert lines[0].startswith(f"running command: {sys.executable} -c")


def test_pretty_args_false_keeps_python_forms(tmp_path: Path) -> None:
    info = release_info(tmp_path)
    table = write("out.txt", "{variants} {package.authors}", pretty_args=False)
    hook(tmp_path, [], pre_release_commands=[table]).pre_release(info)
    assert (tmp_path / "src" / "out.txt").read_text() == "[0, 1] ['ann']"


def test_args_may_be_a_string_split_on_whitespace(tmp_path: Path) -> None:
    table = {"command": "touch", "args": "a.txt  b.txt"}
    hook(tmp_path, [], pre_build_commands=[table]).pre_build(release_info(tmp_path))
    assert (tmp_path / "src" / "a.txt").exists()
    assert (tmp_path / "src" / "b.txt").exists()


def test_env_is_set_and_expanded_in_arguments(tmp_path: Path) -> None:
    lines: list[str] = []
    script = "import os, sys; open('env.txt', 'w').write(os.environ['GREETING'] + sys.argv[1])"
    table = {
        "command": sys.executable,
        "args": ["-c", script, " $GREETING ${GREETING}! $UNSET_VARIABLE"],
        "env": {"GREETING": "hello"},
    }
    hook(tmp_path, lines, pre_build_commands=[table]).pre_build(release_info(tmp_path))
    assert (tmp_path / "src" / "env.txt").read_text() == "hello hello hello! $UNSET_VARIABLE"
    assert "    with: GREETING=hello" in lines


def test_output_is_logged_not_printed(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    lines: list[str] = []
    table = {"command": "echo", "args": ["one", "two"]}
    hook(tmp_path, lines, post_release_commands=[table]).post_release(release_info(tmp_path))
    assert lines == ["running command: echo one two", "one two"]
    assert capfd.readouterr() == ("", "")
    quiet: list[str] = []
    hook(
        tmp_path, quiet, post_release_commands=[table], print_commands=False, print_output=False
    ).post_release(release_info(tmp_path))
    assert quiet == []


def test_a_failure_cancels_and_stops(tmp_path: Path) -> None:
    lines: list[str] = []
    commands = [fail(), write("after.txt", "x")]
    with pytest.raises(
        ReleaseHookCancelled,
        match=r"^command hook: 1 pre-release command\(s\) failed: .* exited with status 3: it br",
    ):
        hook(tmp_path, lines, pre_release_commands=commands).pre_release(release_info(tmp_path))
    assert not (tmp_path / "src" / "after.txt").exists()
    assert any("exited with status 3: it broke" in line for line in lines)


def test_without_stop_on_error_the_next_commands_run(tmp_path: Path) -> None:
    commands = [fail(), write("after.txt", "x"), fail(4)]
    with pytest.raises(ReleaseHookCancelled, match=r"2 pre-build command\(s\) failed: .*status 4"):
        hook(tmp_path, [], pre_build_commands=commands, stop_on_error=False).pre_build(
            release_info(tmp_path)
        )
    assert (tmp_path / "src" / "after.txt").exists()


def test_without_cancel_on_error_a_failure_is_only_logged(tmp_path: Path) -> None:
    lines: list[str] = []
    commands = [fail(), write("after.txt", "x")]
    hook(tmp_path, lines, pre_build_commands=commands, cancel_on_error=False).pre_build(
        release_info(tmp_path)
    )
    assert lines[-1].startswith("pre-build command(s) failed: ")
    assert not (tmp_path / "src" / "after.txt").exists()  # stop_on_error still applies


def test_post_release_never_raises(tmp_path: Path) -> None:
    lines: list[str] = []
    hook(tmp_path, lines, post_release_commands=[fail()]).post_release(release_info(tmp_path))
    assert "post-release command(s) failed" in lines[-1]


def test_an_unknown_program_is_a_failure(tmp_path: Path) -> None:
    with pytest.raises(ReleaseHookCancelled, match="no-such-program-xyz: command not found"):
        hook(tmp_path, [], pre_build_commands=[{"command": "no-such-program-xyz"}]).pre_build(
            release_info(tmp_path)
        )


def test_a_command_for_another_user_is_skipped(tmp_path: Path) -> None:
    lines: list[str] = []
    commands = [write("other.txt", "x", user="somebody-else"), write("mine.txt", "x")]
    commands[1]["user"] = getpass.getuser()
    hook(tmp_path, lines, pre_build_commands=commands).pre_build(release_info(tmp_path))
    assert not (tmp_path / "src" / "other.txt").exists()
    assert (tmp_path / "src" / "mine.txt").exists()
    assert any("runs as user 'somebody-else'" in line for line in lines)


def test_post_release_describes_the_installed_variants(tmp_path: Path) -> None:
    info = release_info(tmp_path, installed=True, variants=(1,))
    text = "{package.root} {num_variants} {variants[0][variant_requires]} {variants[0][root]}"
    table = write("out.txt", text, pretty_args=True)
    hook(tmp_path, [], post_release_commands=[table]).post_release(info)
    root = Path(info.install_path, "foo", "1.2")
    assert (tmp_path / "src" / "out.txt").read_text() == (
        f"{root} 1 python-3.11 {root / 'python-3.11'}"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"args": ["x"]}, r"pre_build_commands\[0\]: 'command' must be a non-empty string"),
        ({"command": "echo", "args": [1]}, "'args' must be a string or a list of strings"),
        ({"command": "echo", "shell": True}, r"unknown key\(s\) shell"),
        ({"command": "echo", "env": ["A=1"]}, "'env' must be a table"),
    ],
)
def test_bad_command_tables(tmp_path: Path, table: dict[str, object], message: str) -> None:
    with pytest.raises(ReleaseHookError, match=message):
        hook(tmp_path, [], pre_build_commands=[table]).pre_build(release_info(tmp_path))


def test_unknown_hook_names_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(
        ReleaseHookError, match=r"unknown release hook 'amqp' \(one of command, emailer\)"
    ):
        load_release_hooks(["command", "amqp"], tmp_path, config())
    hooks = load_release_hooks(["emailer", "command", "emailer"], tmp_path, config())
    assert [h.name for h in hooks] == ["emailer", "command"]
