"""``pkg release`` against ``rez-release`` with the ``stub`` VCS.

Each tool releases the same source package (two variants, then a second version) from its
own copy of the sources into its own release repository.  The released attributes must be
the same, besides the times (``timestamp``, the stub revisions and the seconds in the
changelog), and so must the released files.  (Skipped without rez.)
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pkg.packages import SourceCode
from pkg.packages.definition import load_definition
from tests.conftest import write_tree
from tests.tasks.helpers import stub_repository

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

SOURCE = {
    "package.py": """\
        name = 'hello'
        version = '1.0'
        description = 'Says hello.'
        variants = [['python-3.9'], ['python-3.11']]
        build_command = 'mkdir -p {install_path}/bin && echo "$PYVER" > {install_path}/bin/hello'
        def commands():
            env.PATH.append('{root}/bin')
        """,
    ".stub": "",
}

#: Attributes whose values are times, or (the stub revision) differ in shape on purpose.
TIMES = {"timestamp", "revision", "previous_revision"}


def _release(root: Path, tool: str, version: str, message: str) -> Path:
    """Release ``hello-<version>`` with ``tool``; return the release repository."""
    work = root / tool
    source = work / "hello"
    if not source.exists():
        write_tree(source, SOURCE)
    path = source / "package.py"
    path.write_text(re.sub(r"version = '[^']*'", f"version = '{version}'", path.read_text()))
    release = work / "release"
    release.mkdir(exist_ok=True)
    packages_path = os.pathsep.join([str(root / "deps"), str(release)])
    env = {"HOME": str(work), "PATH": os.environ["PATH"]}
    scripts = Path(sys.executable).parent
    if tool == "rez":
        command = [str(scripts / "rez-release"), "--vcs", "stub", "-m", message]
        env |= {
            "REZ_DISABLE_HOME_CONFIG": "1",
            "REZ_PACKAGES_PATH": packages_path,
            "REZ_LOCAL_PACKAGES_PATH": str(work / "local"),
            "REZ_RELEASE_PACKAGES_PATH": str(release),
            "REZ_IMPLICIT_PACKAGES_JSON": "[]",
        }
    else:
        command = [str(scripts / "pkg"), "release", "--vcs", "stub", "-m", message]
        env |= {
            "PKG_DISABLE_HOME_CONFIG": "1",
            "PKG_PACKAGES_PATH": packages_path,
            "PKG_LOCAL_PACKAGES_PATH": str(work / "local"),
            "PKG_RELEASE_PACKAGES_PATH": str(release),
            "PKG_IMPLICIT_PACKAGES_JSON": "[]",
        }
    done = subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, f"{tool} release failed:\n{done.stdout}{done.stderr}"
    return release


def _layout(release: Path) -> list[str]:
    """The released files (hidden lock and staging names left out)."""
    found = []
    for directory, dirs, files in os.walk(release):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                found.append(os.path.relpath(os.path.join(directory, name), release))
    return sorted(found)


def _attributes(release: Path, version: str) -> dict[str, object]:
    data = dict(load_definition(release / "hello" / version / "package.py").data)
    for key in TIMES:
        data.pop(key, None)
    commands = data["commands"]
    assert isinstance(commands, SourceCode)
    data["commands"] = commands.source.strip()  # where each file was read differs
    if isinstance(data.get("changelog"), str):
        data["changelog"] = re.sub(r"\d+ seconds", "N seconds", str(data["changelog"]))
    return data


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("release-parity")
    stub_repository(root / "deps")
    found = {}
    for tool in ("rez", "pkg"):
        _release(root, tool, "1.0", "first release")
        found[tool] = _release(root, tool, "1.1", "second release")
    return found


def test_same_layout(releases: dict[str, Path]) -> None:
    assert _layout(releases["pkg"]) == _layout(releases["rez"])
    assert "hello/1.1/python-3.11/bin/hello" in _layout(releases["pkg"])


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_same_release_attributes(releases: dict[str, Path], version: str) -> None:
    ours, theirs = _attributes(releases["pkg"], version), _attributes(releases["rez"], version)
    assert ours == theirs
    assert ours["vcs"] == "stub"
    assert ours["release_message"] in {"first release", "second release"}
    if version == "1.1":
        assert ours["previous_version"] == "1.0"
        assert ours["changelog"] == "This commit was N seconds after the last"


def test_revisions_are_both_times(releases: dict[str, Path]) -> None:
    """Rez's stub stores the revision as a bare number, pkg's as ``{"time": number}``
    (a documented difference); both are the time of the release."""
    theirs = load_definition(releases["rez"] / "hello" / "1.1" / "package.py").data
    ours = load_definition(releases["pkg"] / "hello" / "1.1" / "package.py").data
    assert isinstance(theirs["revision"], int)
    assert isinstance(ours["revision"], dict)
    assert isinstance(ours["revision"]["time"], int)
    assert isinstance(ours["previous_revision"], dict)


def test_same_tags(releases: dict[str, Path]) -> None:
    from pkg.packages._yaml import load_yaml

    tags = {}
    for tool, release in releases.items():
        data = load_yaml((release.parent / "hello" / ".stub").read_text())
        assert isinstance(data, dict)
        tags[tool] = data["tags"]
    assert (
        tags["pkg"]
        == tags["rez"]
        == {
            "hello-1.0": "first release",
            "hello-1.1": "second release",
        }
    )
