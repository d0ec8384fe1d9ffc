"""``pkg interpret`` against ``rez-interpret`` (skipped without rez).

Both tools run as real processes on the same rex files, from the same environment.  The
``dict`` and ``table`` outputs must be identical; the ``bash`` scripts are run in real
bash, which must then print the same text and leave the same environment (the script
text itself may differ: the two tools quote differently).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

REX_FILES = {
    "actions": """
        setenv("GREETING", "hello")
        appendenv("LIST", "/a")
        appendenv("LIST", "/b")
        prependenv("LIST", "/first")
        prependenv("PARENT_LIST", "/front")
        unsetenv("DOOMED")
        alias("hi", "echo hi")
        info("some info")
        info("two\\nlines")
        comment("a comment")
        error("to stderr")
        """,
    "expansion": """
        name = "world"
        numbers = [1, 2]
        setenv("LOCALS", "{name} {numbers[1]}")
        setenv("FROM_ENV", "{env.LOCALS}!")
        env.ATTR = "attr-{name}"
        env.ATTR_LIST.append("x")
        env.ATTR_LIST.prepend("w")
        setenv("REFS", "$HOME and ${EXISTING} and $NOT_SET_ANYWHERE")
        setenv("LITERAL", literal("$HOME {name} it's"))
        setenv("MIXED", literal("$5 ").e("$HOME"))
        setenv("FORMATTED", format("{name}-$EXISTING"))
        setenv("PLATFORM", system.platform)
        """,
    "parents": """
        if defined("EXISTING"):
            setenv("SAW_EXISTING", getenv("EXISTING"))
        if undefined("NOT_SET_ANYWHERE"):
            setenv("SAW_UNSET", "yes")
        if "PARENT_LIST" in env:
            setenv("IN_ENV", "yes")
        appendenv("PARENT_LIST", "/back")
        setenv("EXPANDED", expandvars("$EXISTING/x"))
        unsetenv("EXISTING")
        setenv("AFTER_UNSET", "${EXISTING}-gone")
        """,
    "quoting": """
        setenv("SPACES", "a  b\\tc")
        setenv("QUOTES", 'say "hi" it\\'s')
        setenv("BACKSLASH", "C:\\\\path\\\\x")
        setenv("UNICODE", "caf\\u00e9")
        setenv("BACKTICK", literal("`date` $(date)"))
        alias("greet", "echo 'hello there'")
        """,
}

#: (rex file, arguments before FILE, arguments after FILE): every file as a dict, and
#: each flag on the files where it changes something.
CASES = [
    *((name, ["-f", "dict"], []) for name in sorted(REX_FILES)),
    ("quoting", ["-f", "table"], []),
    ("expansion", ["-f", "table"], []),
    ("expansion", ["-f", "dict", "--no-env"], []),
    ("parents", ["-f", "table", "--no-env"], []),
    ("actions", ["-f", "table"], ["--pv", "PARENT_LIST", "LIST"]),
    ("parents", ["--pv", "PARENT_LIST", "-f", "dict"], []),
]

#: Variables bash sets by itself.
SHELL_VARIABLES = frozenset({"_", "SHLVL", "PWD", "OLDPWD", "PS1"})


@pytest.fixture(scope="module")
def rex_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("interpret-parity")
    for name, code in REX_FILES.items():
        (root / f"{name}.py").write_text(textwrap.dedent(code))
    return root


def _environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_DISABLE_HOME_CONFIG="1",
        EXISTING="kept",
        PARENT_LIST="/p1:/p2",
        DOOMED="1",
    )
    return env


def _interpret(tool: str, before: list[str], path: Path, after: list[str]) -> str:
    scripts = Path(sys.executable).parent
    argv = (
        [str(scripts / "pkg"), "interpret"] if tool == "pkg" else [str(scripts / "rez-interpret")]
    )
    done = subprocess.run(
        [*argv, *before, str(path), *after],
        env=_environ(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, (tool, done.stderr)
    return done.stdout


def _rez_available() -> None:
    if not (Path(sys.executable).parent / "rez-interpret").exists():
        pytest.skip("rez-interpret is not installed")


@pytest.mark.parametrize(
    ("name", "before", "after"), CASES, ids=[" ".join([c[0], *c[1], *c[2]]) for c in CASES]
)
def test_same_variables(rex_dir: Path, name: str, before: list[str], after: list[str]) -> None:
    _rez_available()
    path = rex_dir / f"{name}.py"
    ours = _interpret("pkg", before, path, after)
    assert ours == _interpret("rez", before, path, after)
    assert ours.strip()


def _run_in_bash(script: str, tmp_path: Path, label: str) -> tuple[str, str, dict[str, str]]:
    path = tmp_path / f"{label}.sh"
    path.write_text(script)
    bash = shutil.which("bash")
    assert bash is not None
    done = subprocess.run(
        [bash, "--norc", "--noprofile", "-c", f'. "{path}"; printf "\\0"; env -0'],
        env=_environ(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    printed, _, listing = done.stdout.decode().partition("\0")
    pairs = (item.split("=", 1) for item in listing.split("\0") if "=" in item)
    environ = {key: value for key, value in pairs if key not in SHELL_VARIABLES}
    return printed, done.stderr.decode(), environ


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("name", sorted(REX_FILES))
def test_same_bash_result(rex_dir: Path, tmp_path: Path, name: str) -> None:
    _rez_available()
    path = rex_dir / f"{name}.py"
    ours = _run_in_bash(_interpret("pkg", ["-f", "bash"], path, []), tmp_path, "pkg")
    theirs = _run_in_bash(_interpret("rez", ["-f", "bash"], path, []), tmp_path, "rez")
    assert ours == theirs
    assert ours[2]["EXISTING" if name != "parents" else "SAW_EXISTING"] == "kept"
