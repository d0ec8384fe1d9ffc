"""``pkg bundle`` against ``rez-bundle`` (skipped without rez).

Both tools bundle the same saved context (a package with two variants, of which the
context uses the second, and a package without variants).  The bundles must hold the same
files, the same package definitions (but for the copy time), the same ``bundle.yaml``
logs and the same ``context.rxt`` (but for the bundle's own path); and each tool must use
the other's bundle after it has been moved.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pkg.packages._yaml import load_yaml
from tests.conftest import write_package

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

SCRIPTS = Path(sys.executable).parent


def _environ(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        REZ_DISABLE_HOME_CONFIG="1",
        PKG_DISABLE_HOME_CONFIG="1",
        REZ_PACKAGES_PATH=str(repo),
        PKG_PACKAGES_PATH=str(repo),
    )
    return env


def _run(argv: list[str], repo: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        argv, env=_environ(repo), capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, (argv, done.stdout, done.stderr)
    return done


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    if not (SCRIPTS / "rez-bundle").exists():
        pytest.skip("rez-bundle is not installed")
    root = tmp_path_factory.mktemp("bundle-parity")
    repo = root / "repo"
    write_package(repo, "py", "2", "")
    write_package(repo, "py", "3", "")
    app = "variants = [['py-2'], ['py-3']]\ndef commands():\n    env.APP_DATA = '{root}/data.txt'\n"
    write_package(repo, "app", "1.0", app)
    for sub in ("py-2", "py-3"):
        (repo / "app" / "1.0" / sub).mkdir()
        (repo / "app" / "1.0" / sub / "data.txt").write_text(f"data of {sub}\n")
    rxt = root / "ctx.rxt"
    _run([str(SCRIPTS / "rez-env"), "app", "py-3", "-o", str(rxt)], repo)
    _run([str(SCRIPTS / "pkg"), "bundle", str(rxt), str(root / "ours")], repo)
    _run([str(SCRIPTS / "rez-bundle"), str(rxt), str(root / "theirs")], repo)
    return root, root / "ours", root / "theirs"


def _files(bundle: Path) -> list[str]:
    return sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())


def _definition(path: Path) -> str:
    """The file's text without its ``timestamp`` line (the time of the copy)."""
    lines = path.read_text().splitlines()
    return "\n".join(line for line in lines if not line.startswith("timestamp = "))


def test_same_layout_and_definitions(bundles: tuple[Path, Path, Path]) -> None:
    _root, ours, theirs = bundles
    assert _files(ours) == _files(theirs)
    for name in _files(ours):
        if name.endswith("package.py"):
            assert _definition(ours / name) == _definition(theirs / name), name
    assert (ours / "packages/settings.yaml").read_text() == (
        theirs / "packages/settings.yaml"
    ).read_text()


def test_same_logs_and_context(bundles: tuple[Path, Path, Path]) -> None:
    _root, ours, theirs = bundles
    our_logs = load_yaml((ours / "bundle.yaml").read_text())
    their_logs = load_yaml((theirs / "bundle.yaml").read_text())
    assert isinstance(our_logs, dict)
    assert isinstance(their_logs, dict)
    assert [line.replace(str(ours), "DEST") for line in our_logs["logs"]] == [
        line.replace(str(theirs), "DEST") for line in their_logs["logs"]
    ]
    mine = json.loads((ours / "context.rxt").read_text())
    other = json.loads((theirs / "context.rxt").read_text())
    assert mine.pop("package_paths") == [str(ours / "packages")]
    assert other.pop("package_paths") == [str(theirs / "packages")]
    assert mine == other


def test_each_tool_uses_the_others_moved_bundle(
    bundles: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    _root, ours, theirs = bundles
    shutil.copytree(ours, tmp_path / "ours-moved", symlinks=True)
    shutil.copytree(theirs, tmp_path / "theirs-moved", symlinks=True)
    nowhere = tmp_path / "empty"
    nowhere.mkdir()
    read = 'cat "$APP_DATA"'
    for tool, bundle in (("rez-env", "ours-moved"), ("pkg", "theirs-moved")):
        argv = [str(SCRIPTS / tool)] + (["env"] if tool == "pkg" else [])
        argv += ["-i", str(tmp_path / bundle / "context.rxt"), "--", "sh", "-c", read]
        done = _run(argv, nowhere)
        assert done.stdout == "data of py-3\n", tool
