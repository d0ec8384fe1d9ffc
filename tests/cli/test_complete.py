"""``pkg complete``: candidates for a command line, and the bash, zsh and fish scripts
run in the real shells."""

from __future__ import annotations

import doctest
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import write_package

import pkg.api.complete
from pkg.api.complete import install_path, split_line
from pkg.cli import main
from pkg.cli.complete import completion_script

#: The repository the completions come from.
PACKAGES = [
    ("maya", "2023.1"),
    ("maya", "2024.0"),
    ("maya_utils", "1.0"),
    ("python", "3.9"),
    ("python", "3.11"),
    ("nuke", "14.0"),
    ("tool", ""),
]


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "packages"
    for family, version in PACKAGES:
        write_package(root, family, version, "")
    monkeypatch.setenv("PKG_PACKAGES_PATH", str(root))
    return root


def _complete(line: str, capfd: pytest.CaptureFixture[str], point: int | None = None) -> list[str]:
    os.environ["COMP_LINE"] = line
    os.environ["COMP_POINT"] = str(len(line) if point is None else point)
    try:
        code = main(["complete"])
    finally:
        del os.environ["COMP_LINE"], os.environ["COMP_POINT"]
    out, err = capfd.readouterr()
    assert (code, err) == (0, "")
    return out.splitlines()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pkg en", ["env"]),
        ("pkg co", ["complete", "config", "context"]),
        ("pkg -", ["--help", "--info", "--verbose", "--version", "-V", "-h", "-i", "-v"]),
        ("pkg -v en", ["env"]),
        ("pkg env ma", ["maya", "maya_utils"]),
        ("pkg env maya_", ["maya_utils", "maya_utils-1.0"]),
        ("pkg env maya-2", ["maya-2023.1", "maya-2024.0"]),
        ("pkg env maya@2024", []),  # candidates are name-version, as in Rez
        ("pkg env pyt", ["python", "python-3.11", "python-3.9"]),
        ("pkg env !py", ["!python", "!python-3.11", "!python-3.9"]),
        ("pkg env ~nu", ["~nuke", "~nuke-14.0"]),
        ("pkg env to", ["tool"]),
        ("pkg env maya-2023.1 nu", ["nuke", "nuke-14.0"]),
        ("pkg env --shell bash nu", ["nuke", "nuke-14.0"]),
        ("pkg env --no-l", ["--no-local"]),
        ("pkg env -- ma", []),
        (
            "pkg env --shell ",
            ["bash", "cmd", "csh", "fish", "powershell", "pwsh", "sh", "tcsh", "zsh"],
        ),
        ("pkg env --shell z", ["zsh"]),
        ("pkg selftest -s t", ["tcsh"]),
        ("pkg env --rcfile ", []),
        ("pkg search -t ", ["auto", "family", "package", "variant"]),
        ("pkg search --type f", ["family"]),
        ("pkg view --format=y", ["--format=yaml"]),
        ("pkg depends ma", ["maya", "maya_utils"]),
        ("pkg depends maya-", []),
        ("pkg diff maya-2023.1 maya-2", ["maya-2023.1", "maya-2024.0"]),
        ("pkg rm -p nu", ["nuke", "nuke-14.0"]),
        ("pkg context --pp nu", ["nuke", "nuke-14.0"]),
        ("pkg yaml2py ma", []),
        ("pkg bind py", []),
        ("pkg no-such-command ma", []),
        ("pkg comp", ["complete"]),
        ("pkg selftest --she", ["--shells"]),
        ("pkg benchmark --it", ["--iterations"]),
    ],
)
def test_candidates(
    packages: Path, capfd: pytest.CaptureFixture[str], line: str, expected: list[str]
) -> None:
    assert _complete(line, capfd) == expected


def test_cursor_inside_the_line(packages: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # COMP_POINT after "pkg env nu": what follows the cursor is ignored.
    assert _complete("pkg env nu maya-2023.1", capfd, point=10) == ["nuke", "nuke-14.0"]


def test_later_repository_adds_versions(
    packages: Path,
    tmp_path: Path,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = tmp_path / "other"
    write_package(other, "nuke", "15.0", "")
    write_package(other, "nuke", "14.0", "")
    monkeypatch.setenv("PKG_PACKAGES_PATH", f"{packages}{os.pathsep}{other}")
    assert _complete("pkg env nuke-", capfd) == ["nuke-14.0", "nuke-15.0"]


def test_no_definition_is_read(packages: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Versions come from the directory listing: a broken definition still completes."""
    (packages / "nuke" / "14.0" / "package.py").write_text("this is not python(")
    assert _complete("pkg env nuke-", capfd) == ["nuke-14.0"]


def test_split_line_doctests() -> None:
    assert doctest.testmod(pkg.api.complete).failed == 0


def test_split_line_unclosed_quote() -> None:
    assert split_line('pkg env "maya-20') == (["pkg", "env"], "maya-20")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_script_option_prints_the_shipped_script(
    shell: str, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["complete", "--script", shell]) == 0
    out, _ = capfd.readouterr()
    assert out == completion_script(shell)
    assert "pkg complete" in out


@pytest.mark.parametrize(
    ("shell", "relative"),
    [
        ("bash", ".local/share/bash-completion/completions/pkg"),
        ("zsh", ".local/share/zsh/site-functions/_pkg"),
        ("fish", ".config/fish/completions/pkg.fish"),
    ],
)
def test_install(
    shell: str, relative: str, isolated_environment: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["complete", "--install", shell]) == 0
    out, _ = capfd.readouterr()
    path = isolated_environment / relative
    assert path == install_path(shell)
    assert f"Installed the {shell} completion script: {path}" in out
    assert path.read_text() == completion_script(shell)


def test_install_unknown_shell(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["complete", "--install", "tcsh"]) == 2
    _, err = capfd.readouterr()
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in err


# -- the real shells -------------------------------------------------------------------


@pytest.fixture
def shell_env(packages: Path, pkg_script: list[str]) -> dict[str, str]:
    """The environment a shell completes in: ``pkg`` on PATH, the test repository."""
    if len(pkg_script) != 1:
        pytest.skip("no installed pkg script")
    bin_dir = str(Path(pkg_script[0]).parent)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _shell(argv: list[str], env: dict[str, str]) -> list[str]:
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} is not installed")
    result = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


_BASH = """
source {script}
complete -p pkg
COMP_LINE={line}
COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_pkg_complete pkg "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("pkg en", ["env"]),
        ("pkg env maya-2", ["maya-2023.1", "maya-2024.0"]),
        ("pkg env --no-lo", ["--no-local"]),
        # '!' is escaped from history expansion, as Rez's bash completion does
        ("pkg env !py", ["\\!python", "\\!python-3.11", "\\!python-3.9"]),
        ("pkg env \\!py", ["\\!python", "\\!python-3.11", "\\!python-3.9"]),
    ],
)
def test_bash(shell_env: dict[str, str], tmp_path: Path, line: str, expected: list[str]) -> None:
    script = tmp_path / "pkg.bash"
    script.write_text(completion_script("bash"))
    code = _BASH.format(script=script, line=shlex.quote(line))
    out = _shell(["bash", "--norc", "--noprofile", "-c", code], shell_env)
    assert out == ["complete -o default -F _pkg_complete pkg", *expected]


def test_bash_installed_script(
    shell_env: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["complete", "--install", "bash"]) == 0
    capfd.readouterr()
    code = _BASH.format(script=install_path("bash"), line=shlex.quote("pkg env nu"))
    out = _shell(["bash", "--norc", "--noprofile", "-c", code], shell_env)
    assert out[1:] == ["nuke", "nuke-14.0"]


def test_fish(shell_env: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "pkg.fish"
    script.write_text(completion_script("fish"))
    (tmp_path / "workdir").mkdir()
    (tmp_path / "workdir" / "notes.txt").write_text("")
    code = (
        f"source {script}; cd {tmp_path / 'workdir'}; "
        "complete -C 'pkg en'; echo ==; complete -C 'pkg env maya_'; echo ==; "
        "complete -C 'pkg search --type v'; echo ==; complete -C 'pkg yaml2py no'"
    )
    out = _shell(["fish", "--no-config", "-c", code], shell_env)
    assert out == ["env", "==", "maya_utils", "maya_utils-1.0", "==", "variant", "==", "notes.txt"]


_ZSH = """
compadd() {{ shift $(( ${{@[(i)--]}} )); print -rl -- "$@"; }}
_files() {{ print -r -- "<files>"; }}
compdef() {{ print -r -- "compdef $*"; }}
source {script}
words=(pkg env py); CURRENT=3; PREFIX=py
_pkg
print -r -- '=='
words=(pkg search -t ''); CURRENT=4; PREFIX=''
_pkg
print -r -- '=='
words=(pkg yaml2py x); CURRENT=3; PREFIX=x
_pkg
"""


def test_zsh(shell_env: dict[str, str], tmp_path: Path) -> None:
    """The script registers ``_pkg`` with compdef, and ``_pkg`` hands the candidates to
    compadd (or falls back to _files): stubs of both record the calls."""
    script = tmp_path / "_pkg"
    script.write_text(completion_script("zsh"))
    out = _shell(["zsh", "-f", "-c", _ZSH.format(script=script)], shell_env)
    assert out == [
        "compdef _pkg pkg",
        "python",
        "python-3.11",
        "python-3.9",
        "==",
        "auto",
        "family",
        "package",
        "variant",
        "==",
        "<files>",
    ]


def test_zsh_script_loads_with_compinit(shell_env: dict[str, str], tmp_path: Path) -> None:
    """Sourced after the real compinit, the script registers itself for ``pkg``."""
    script = tmp_path / "_pkg"
    script.write_text(completion_script("zsh"))
    code = (
        f"autoload -Uz compinit && compinit -u -d {tmp_path / 'zcompdump'}; "
        f"source {script}; print -r -- $_comps[pkg]"
    )
    assert _shell(["zsh", "-f", "-c", code], shell_env) == ["_pkg"]


def test_fish_loads_the_installed_script(
    shell_env: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    """fish finds ``pkg.fish`` in its user completions directory by itself."""
    assert main(["complete", "--install", "fish"]) == 0
    capfd.readouterr()
    out = _shell(["fish", "-c", "complete -C 'pkg env maya-'"], shell_env)
    assert out == ["maya-2023.1", "maya-2024.0"]


def test_zsh_autoloads_the_installed_script(
    shell_env: dict[str, str], capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """With the install directory in fpath, compinit registers ``_pkg`` for ``pkg``; the
    first call autoloads the file and completes, later calls reuse the function."""
    assert main(["complete", "--install", "zsh"]) == 0
    capfd.readouterr()
    code = f"""
fpath=({install_path("zsh").parent} $fpath)
autoload -Uz compinit && compinit -u -d {tmp_path / "zcompdump"}
print -r -- $_comps[pkg]
compadd() {{ shift $(( ${{@[(i)--]}} )); print -rl -- "$@"; }}
words=(pkg se); CURRENT=2; PREFIX=se
_pkg
words=(pkg env nu); CURRENT=3; PREFIX=nu
_pkg
"""
    out = _shell(["zsh", "-f", "-c", code], shell_env)
    assert out == ["_pkg", "search", "selftest", "nuke", "nuke-14.0"]
