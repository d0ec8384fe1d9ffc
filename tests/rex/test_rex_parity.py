"""Parity with rez 3.4.0: the same rex code gives the same actions and environment.

Every case runs through Rez's ``RexExecutor`` (in a subprocess, with an interpreter that
does nothing, so only the recorded actions and Rez's in-memory environment count) and
through :class:`pkg.rex.RexExecutor`; the action lists are compared as
``(kind, key or name, value)`` (values with their literal and expandable parts) and so
are the resulting environments.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING, Any

import pytest

from pkg.core import Requirement, Version
from pkg.rex import (
    EphemeralsBinding,
    EscapedString,
    RequirementsBinding,
    RexError,
    RexExecutor,
    RexStopError,
    RexUndefinedVariableError,
    VersionBinding,
    intersects,
)

if TYPE_CHECKING:
    from pkg.config import Config
    from pkg.rex import Action

pytest.importorskip("rez")
pytestmark = pytest.mark.parity

PARENT = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/home/u",
    "LANG": "C",
    "PYTHONPATH": "/py",
    "EMPTY": "",
}
ROOT = "/pkgs/foo/1.2.3"
BASE = "/pkgs/foo/1.2.3"
REQUESTS = ["foo-1.2+", "!bar", "~baz-2"]
EPHEMERALS = [".foo.cli-1"]

#: name -> (parent_variables, code)
CASES: dict[str, tuple[list[str], str]] = {
    "paths": (
        [],
        """
        env.PATH.prepend("{root}/bin")
        env.PATH.append("{root}/sbin")
        env.PYTHONPATH.append("{root}/python")
        prependenv("LD_LIBRARY_PATH", "{root}/lib")
        appendenv("LD_LIBRARY_PATH", "{root}/lib64")
        """,
    ),
    "parent_variables": (
        ["PATH", "MISSING"],
        """
        env.PATH.prepend("{root}/bin")
        env.MISSING.append("/m")
        env.OTHER.append("/o")
        env.OTHER.append("/o2")
        """,
    ),
    "expansion": (
        [],
        """
        x = "{root}/x"
        env.A = "{root}/bin:$PATH:${HOME}/$LANG1"
        env.B = "{x}"
        env.C = "{nope} stays"
        env.D = "~/d"
        env.E = literal("{root} $PATH")
        env.F = literal("{root}").e("{root}").l("$X")
        env.G = "{{braces}}"
        env.H = format("{root}/h $HOME")
        env.I = "{version}-{version.major}-{version.minor}-{version.patch}"
        env.J = "{base}|{env.LANG}|{env.A}"
        env.K = expandvars("$LANG-${HOME}-$NOPE-{root}")
        env.L = expandvars("$LANG-{root}", format=False)
        env.M = 3
        env.N = 1.5
        """,
    ),
    "getenv": (
        [],
        """
        env.A = "a"
        env.B = getenv("A") + env.A.get() + str(env.A) + env.LANG.value()
        env.C = str(defined("A")) + str(undefined("A")) + str(defined("NOPE"))
        env.D = str(bool(env.NOPE)) + str(bool(env.EMPTY)) + str(env.A == "a")
        env.NEW.setdefault("1")
        env.NEW.setdefault("2")
        env.E = str("LANG" in env) + str("NOPE2" in env)
        """,
    ),
    "unset_reset": (
        [],
        """
        env.A = "1"
        unsetenv("A")
        env.A.append("2")
        env.LANG.unset()
        env.F = str(defined("LANG"))
        resetenv("R", "{root}/r")
        env.R.append("s")
        env.Q.reset("q")
        """,
    ),
    "misc_actions": (
        [],
        """
        alias("go", "{root}/bin/go --x $HOME")
        command("echo {root} $HOME")
        command(["ls", "-l"])
        source("{root}/init.sh")
        comment("root is {root}")
        info()
        info("hello {root}")
        error("bad {version}")
        shebang()
        """,
    ),
    "separators": (
        [],
        """
        env.CMAKE_MODULE_PATH = "a"
        env.CMAKE_MODULE_PATH.append("b")
        env.DOXYGEN_TAGFILES.append("t1")
        env.DOXYGEN_TAGFILES.append("t2")
        env.PLAIN = "p"
        env.PLAIN.prepend("q")
        """,
    ),
    "requests": (
        [],
        """
        env.R1 = request.foo
        env.R2 = str(request.get_range("foo"))
        env.R3 = str("bar" in request) + str(request.get("nope"))
        env.R4 = str(intersects(request.foo, "1.5")) + str(intersects(request.bar, "1"))
        env.R5 = str(intersects(version, "1.2")) + str(intersects(request.get_range("baz"), "2"))
        env.R6 = ephemerals["foo.cli"] + str(ephemerals.get_range("foo.cli"))
        env.R7 = str(request.get_range("nope", "3"))
        """,
    ),
    "keys": (
        [],
        """
        name = "foo"
        setenv("{name}_HOME", "{root}")
        env["X_" + name.upper()] = "1"
        if building:
            env.BUILDING = "1"
        """,
    ),
    "control_flow": (
        [],
        """
        for sub in ("bin", "lib"):
            env.PATH.append("{root}/" + sub)
        if "LANG" in env and env.LANG == "C":
            env.IS_C = "yes"
        def helper(path):
            env.HELPED.append(path)
        helper("{root}/h1")
        helper("{root}/h2")
        """,
    ),
    "stop": ([], 'env.A = "1"\nstop("no %s here", "way")\n'),
    "undefined": ([], 'env.A = getenv("NOT_THERE")\n'),
    "raises": ([], "env.A = '1'\n{}['k']\n"),
}

_REZ_SCRIPT = """
import json, sys
from rez.rex import ActionInterpreter, EscapedString, RexExecutor
from rez.rex_bindings import (
    EphemeralsBinding, RequirementsBinding, VersionBinding, intersects,
)
from rez.exceptions import RexError, RexStopError, RexUndefinedVariableError
from rez.version import Requirement, Version


class Null(ActionInterpreter):
    pathsep = ":"

    def _noop(self, *args, **kwargs):
        pass

    setenv = unsetenv = resetenv = prependenv = appendenv = _noop
    alias = info = error = command = comment = source = shebang = _saferefenv = _noop

    def get_key_token(self, key):
        return "${%s}" % key


def plain(arg):
    if isinstance(arg, EscapedString):
        return [str(arg), [[lit, text] for lit, text in arg.strings]]
    if isinstance(arg, (list, tuple)):
        return [str(x) for x in arg]
    return None if arg is None else str(arg)


ESCAPED = {"setenv", "prependenv", "appendenv", "resetenv", "info", "error"}
data = json.load(sys.stdin)
out = {}
for name, (parents, code) in data["cases"].items():
    ex = RexExecutor(interpreter=Null(), parent_environ=data["parent"], parent_variables=parents)
    ex.bind("root", data["root"])
    ex.bind("base", data["base"])
    ex.bind("version", VersionBinding(Version(data["version"])))
    ex.bind("building", False)
    ex.bind("request", RequirementsBinding([Requirement(r) for r in data["requests"]]))
    ex.bind("ephemerals", EphemeralsBinding([Requirement(r) for r in data["ephemerals"]]))
    ex.bind("intersects", intersects)
    error = None
    try:
        ex.execute_code(code)
    except RexStopError:
        error = "stop"
    except RexUndefinedVariableError:
        error = "undefined"
    except RexError:
        error = "error"
    actions = []
    for a in ex.actions:
        args = list(a.args[:2])
        # Rez keeps a plain str when formatting failed; a str is one expandable part
        if a.name in ESCAPED and isinstance(args[-1], str):
            args[-1] = EscapedString(args[-1])
        actions.append([a.name] + [plain(x) for x in args])
    out[name] = {"actions": actions, "environ": ex.manager.environ, "error": error}
json.dump(out, sys.stdout)
"""


def _rez_results() -> dict[str, Any]:
    payload = {
        "cases": {
            name: [parents, textwrap.dedent(code)] for name, (parents, code) in CASES.items()
        },
        "parent": PARENT,
        "root": ROOT,
        "base": BASE,
        "version": "1.2.3",
        "requests": REQUESTS,
        "ephemerals": EPHEMERALS,
    }
    env = {**os.environ, "REZ_DISABLE_HOME_CONFIG": "1", "HOME": PARENT["HOME"]}
    env.pop("REZ_CONFIG_FILE", None)
    done = subprocess.run(
        [sys.executable, "-c", _REZ_SCRIPT],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture(scope="module")
def rez_results() -> dict[str, Any]:
    return _rez_results()


def _plain(value: object) -> object:
    if isinstance(value, EscapedString):
        return [str(value), [list(part) for part in value.parts]]
    if isinstance(value, list | tuple):
        return [str(x) for x in value]
    return None if value is None else str(value)


def _row(action: Action) -> list[object]:
    fields = [f for f in ("key", "name") if hasattr(action, f)]
    if hasattr(action, "value"):
        fields.append("value")
    return [action.kind, *(_plain(getattr(action, f)) for f in fields)]


def _run_pkg(config: Config, parents: list[str], code: str) -> dict[str, Any]:
    cfg = config.with_overrides({"parent_variables": parents}) if parents else config
    executor = RexExecutor(cfg, PARENT, pathsep=":")
    executor.bind("root", ROOT)
    executor.bind("base", BASE)
    executor.bind("version", VersionBinding(Version("1.2.3")))
    executor.bind("building", False)
    executor.bind("request", RequirementsBinding([Requirement(r) for r in REQUESTS]))
    executor.bind("ephemerals", EphemeralsBinding([Requirement(r) for r in EPHEMERALS]))
    executor.bind("intersects", intersects)
    error = None
    try:
        executor.execute(textwrap.dedent(code))
    except RexStopError:
        error = "stop"
    except RexUndefinedVariableError:
        error = "undefined"
    except RexError:
        error = "error"
    return {
        "actions": [_row(a) for a in executor.actions],
        "environ": executor.environ,
        "error": error,
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_actions_as_rez(name: str, config: Config, rez_results: dict[str, Any]) -> None:
    parents, code = CASES[name]
    ours = _run_pkg(config, parents, code)
    theirs = rez_results[name]
    assert ours["error"] == theirs["error"]
    assert ours["actions"] == theirs["actions"]
    assert ours["environ"] == theirs["environ"]
