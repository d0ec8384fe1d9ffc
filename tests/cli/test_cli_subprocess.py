"""The installed ``pkg`` script, run as a real process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from pkg import __version__

#: Modules that ``pkg --help`` and ``pkg --version`` must not import.
HEAVY = ("pkg.core", "pkg.config", "anyio", "trio", "git", "distlib", "packaging", "rez")


def _run(argv: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        argv, capture_output=True, text=True, check=False, env={**os.environ, **env}, timeout=60
    )


def test_help(pkg_script: list[str]) -> None:
    result = _run([*pkg_script, "--help"])
    assert result.returncode == 0, result.stderr
    assert "Usage: pkg [OPTIONS] COMMAND [ARGS]..." in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(pkg_script: list[str], flag: str) -> None:
    result = _run([*pkg_script, flag])
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"pkg {__version__} from ")


def test_unknown_command(pkg_script: list[str]) -> None:
    result = _run([*pkg_script, "no-such-command"])
    assert result.returncode == 2
    assert result.stdout == ""
    assert "No such command 'no-such-command'." in result.stderr


def _imported_by(argv: list[str]) -> set[str]:
    code = textwrap.dedent(
        f"""
        import sys
        from pkg.cli import main
        code = main({argv!r})
        sys.stdout.flush()
        print("\\0MODULES", *sorted(sys.modules))
        sys.exit(code)
        """
    )
    result = _run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    marker = result.stdout.rindex("\0MODULES")
    return set(result.stdout[marker:].split()[1:])


def _heavy(modules: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == r or m.startswith(r + ".") for r in roots))


def test_help_imports_nothing_heavy() -> None:
    assert _heavy(_imported_by(["--help"]), HEAVY) == []


def test_version_imports_neither_heavy_modules_nor_rich() -> None:
    modules = _imported_by(["--version"])
    assert _heavy(modules, (*HEAVY, "rich")) == []


def test_importtime_of_help_mentions_no_heavy_module(pkg_script: list[str]) -> None:
    code = "import sys; from pkg.cli import main; sys.exit(main(['--help']))"
    result = _run([sys.executable, "-X", "importtime", "-c", code])
    assert result.returncode == 0
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert _heavy(imported, HEAVY) == []


ERROR_SCRIPT = textwrap.dedent(
    """
    import sys

    import rich_click as click

    from pkg.cli import cli, main
    from pkg.errors import PkgError


    @cli.command("t-fail")
    @click.argument("kind")
    def fail(kind):
        if kind == "pkg":
            raise PkgError("it failed\\n  here")
        if kind == "bug":
            raise RuntimeError("oops")
        if kind == "interrupt":
            raise KeyboardInterrupt


    sys.exit(main())
    """
)


@pytest.mark.parametrize(
    ("argv", "env", "code", "stderr_end", "traceback"),
    [
        (["t-fail", "pkg"], {}, 1, "pkg: error: it failed\n  here\n", False),
        (["t-fail", "pkg", "--debug"], {}, 1, "pkg: error: it failed\n  here\n", True),
        (["t-fail", "pkg"], {"PKG_DEBUG": "1"}, 1, "pkg: error: it failed\n  here\n", True),
        (["t-fail", "bug"], {}, 1, "pkg: internal error: RuntimeError: oops\n", True),
        (["t-fail", "interrupt"], {}, 130, "", False),
        (["t-fail"], {}, 2, "", False),
    ],
)
def test_error_policy_in_a_real_process(
    argv: list[str], env: dict[str, str], code: int, stderr_end: str, traceback: bool
) -> None:
    result = _run([sys.executable, "-c", ERROR_SCRIPT, *argv], **env)
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.endswith(stderr_end)
    assert ("Traceback (most recent call last)" in result.stderr) is traceback
