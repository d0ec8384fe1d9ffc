"""Parity with rez 3.4.0: the script Rez's shell plugin writes for some rex code and the one
pkg writes give the same environment and output when run in the real shell.

The code avoids what pkg deliberately does differently (backticks and ``$(...)`` in
values, ``!`` and backslashes, which Rez's ``echo`` or csh quoting mangle; see
``docs/shells.md``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from pkg.config import load_config
from pkg.rex import RexExecutor
from tests.shells._run import RUNNERS, run

if TYPE_CHECKING:
    from pathlib import Path

pytest.importorskip("rez")
pytestmark = pytest.mark.parity

CODE = """
env.PATH.prepend("{root}/bin")
env.PATH.append("/usr/bin")
env.PATH.append("/bin")
env.FOO = literal("it's \\"q\\" $x %y & z").e(" ${HOME} and {root}")
env.BAR = "{root}/with space/$FOO"
env.BAZ = "~/x"
env.CMAKE_MODULE_PATH.append("{root}/a")
env.CMAKE_MODULE_PATH.append("b c")
env.KEPT.append("more")
unsetenv("GONE")
alias("hello", "printf hi")
comment("root is {root}")
info("root is {root}")
error("failed in {root}")
command("hello")
"""
ROOT = "/pkgs/it's (1.0)"

_REZ_SCRIPT = """
import json, sys
from rez.rex import RexExecutor
from rez.shells import create_shell
args = json.load(sys.stdin)
ex = RexExecutor(
    interpreter=create_shell(args["shell"]),
    parent_environ=args["parent"],
    parent_variables=["KEPT"],
    add_default_namespaces=False,
)
ex.bind("root", args["root"])
ex.execute_code(args["code"])
sys.stdout.write(ex.get_output())
"""


def _rez_script(shell: str, parent: dict[str, str]) -> str:
    env = {**os.environ, "REZ_DISABLE_HOME_CONFIG": "1", "HOME": parent["HOME"]}
    env.pop("REZ_CONFIG_FILE", None)
    payload = {"shell": shell, "parent": parent, "root": ROOT, "code": CODE}
    done = subprocess.run(
        [sys.executable, "-c", _REZ_SCRIPT],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return done.stdout


@pytest.mark.parametrize("name", sorted(set(RUNNERS) - {"fish"}))
def test_same_environment_as_rez(name: str, tmp_path: Path) -> None:
    parent = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GONE": "1", "KEPT": "k"}
    config = load_config(environ={}, home=tmp_path, overrides={"parent_variables": ["KEPT"]})
    executor = RexExecutor(config, parent, pathsep=":")
    executor.bind("root", ROOT)
    executor.execute(CODE)
    ours = run(
        name, executor.actions, tmp_path, environ=parent, separators=config.env_var_separators
    )

    rez_dir = tmp_path / "rez"
    rez_dir.mkdir()
    # run() appends the environment dump to the script it renders: give it no actions
    # and put Rez's script in front through ``prefix``
    theirs = run(name, [], rez_dir, environ=parent, prefix=_rez_script(name, parent))

    assert set(executor.environ) <= set(theirs.environ)
    assert {k: ours.environ.get(k) for k in executor.environ} == {
        k: theirs.environ.get(k) for k in executor.environ
    }
    assert "GONE" not in theirs.environ
    assert ours.stdout == theirs.stdout
    if name in {"csh", "tcsh"}:
        # Rez writes ``echo TEXT 1>&2``, which csh reads as ``echo TEXT 1`` with both
        # streams sent to a file called "2"; pkg writes to standard error
        assert theirs.stderr == ""
        assert (rez_dir / "2").read_text(encoding="utf-8") == ours.stderr.replace("\n", " 1\n")
    else:
        assert ours.stderr == theirs.stderr
