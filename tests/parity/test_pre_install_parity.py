"""``pkg build -i -j 1`` against ``rez-build -i`` for a package with ``pre_install`` tests
(skipped without rez).

Variant 0 passes its tests and variant 1 fails one: both tools install variant 0 only
and exit with status 1.  (``-j 1`` makes pkg finish variant 0 before variant 1 fails,
as Rez's one-by-one build does; with more jobs the failure may stop variant 0 first.)
The test without ``on_variants`` runs on the first variant only, in both.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pkg.packages.definition import load_definition
from tests.tasks.helpers import stub_repository

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

PACKAGE = """\
    name = 'checked'
    version = '1.0'
    variants = [['python-3.9'], ['python-3.11']]
    build_command = (
        'mkdir -p {install_path}/bin && '
        'printf "#!/bin/sh\\\\necho checked on $PYVER\\\\n" > {install_path}/bin/checked && '
        'chmod +x {install_path}/bin/checked'
    )
    def commands():
        env.PATH.append('{root}/bin')
    tests = {
        'each': {
            'command': 'checked && test $PYVER = 3.9',
            'run_on': ['pre_install'],
            'on_variants': True,
        },
        'once': {'command': 'checked > "$ONCE_LOG"', 'run_on': 'pre_install'},
        'default': 'false',
    }
"""


def _build(tool: str, tmp: Path, repo: Path) -> tuple[int, list[str], object, str]:
    source = tmp / tool / "src"
    source.mkdir(parents=True)
    (source / "package.py").write_text(textwrap.dedent(PACKAGE))
    install = tmp / tool / "install"
    once = tmp / tool / "once.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    paths = os.pathsep.join([str(repo), str(install)])
    env.update(REZ_DISABLE_HOME_CONFIG="1", PKG_DISABLE_HOME_CONFIG="1", ONCE_LOG=str(once))
    scripts = Path(sys.executable).parent
    if tool == "rez":
        env.update(
            REZ_PACKAGES_PATH=paths, REZ_LOCAL_PACKAGES_PATH=str(install), REZ_IMPLICIT_PACKAGES=""
        )
        argv = [str(scripts / "rez-build"), "-i"]
    else:
        env.update(
            PKG_PACKAGES_PATH=paths,
            PKG_LOCAL_PACKAGES_PATH=str(install),
            PKG_IMPLICIT_PACKAGES_JSON="[]",
        )
        argv = [str(scripts / "pkg"), "build", "-i", "-j", "1", "--events", "plain"]
    done = subprocess.run(
        argv, cwd=source, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    files = sorted(
        str(path.relative_to(install))
        for path in install.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(install).parts)
    )
    variants = load_definition(install / "checked" / "1.0" / "package.py").data.get("variants")
    return done.returncode, files, variants, once.read_text() if once.exists() else ""


def test_a_failing_pre_install_test_stops_that_variant(tmp_path: Path) -> None:
    if not (Path(sys.executable).parent / "rez-build").exists():
        pytest.skip("rez-build is not installed")
    repo = stub_repository(tmp_path / "repo")
    ours = _build("pkg", tmp_path, repo)
    theirs = _build("rez", tmp_path, repo)
    assert theirs[0] == 1
    assert theirs[2] == [["python-3.9"]]
    assert theirs[3] == "checked on 3.9\n"
    assert ours == theirs
