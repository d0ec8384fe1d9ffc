"""``pkg cp/mv/rm/pkg-ignore`` against ``rez-cp/mv/rm/pkg-ignore`` 3.4.0.

Each scenario is a list of commands run in order on two identical temporary directories,
one by rez (``rez-<command>`` in a subprocess, ``REZ_DISABLE_HOME_CONFIG=1``) and one by
pkg (in-process).  After every command the exit status and standard output must match
(with each directory's path replaced by ``<BASE>``), and at the end so must the directory
trees: file lists, file contents, symlink targets, and ``package.py`` attribute values
loaded with :mod:`pkg.packages`, ignoring ``timestamp``, rez's ``format_version`` and the
``.lock.*`` files of pkg's repository layer, and what rez leaves behind: ``.building*``
markers after a copy and an empty new family directory after a failed one.

Standard error is not compared: rez logs through ``logging`` with timestamps and prints
its errors in its own format, pkg prints ``pkg: error: ...``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repo_ops_data import make_repos, run_pkg, tree

pytestmark = pytest.mark.parity

rez = pytest.importorskip("rez")
SOLVER = Path(rez.__file__).parent / "data" / "tests" / "solver" / "packages"
BIN = Path(sys.executable).parent

#: name -> commands; {src}, {dst}, {solver}, {empty} are directories under the base.
SCENARIOS: dict[str, list[str]] = {
    "cp-variants": [
        "cp foo-1.0.0 --dest-path {dst} --variants 1",
        "cp foo-1.0.0 --dest-path {dst} --variants 0 1 --dry-run",
        "cp foo-1.0.0 --dest-path {dst}",
        "cp foo-1.0.0 --dest-path {dst} -o --variants -2",
        "cp foo-1.0.0 --dest-path {dst} --variants 3",
    ],
    "cp-plain": [
        "cp bar --dest-path {dst} -k",
        "cp bar --dest-path {dst}",
        "cp bar --dest-path {dst} --rename baz -s",
        "cp bar --rename qux --reversion 4.5 -k",
        "cp bar-2 --reversion 2.0",
    ],
    "cp-errors": [
        "cp",
        "cp bar",
        "cp foo --dest-path {dst}",
        "cp nope --dest-path {dst}",
        "cp bar --dest-path {empty}",
        "cp bar --dest-path {empty} --allow-empty",
        "cp foo-2 --dest-path {dst}",
        "cp foo-2 --dest-path {dst} -f",
        "cp foo-1 --variant-uri {src}/foo/1.0.0/package.py[0] --dest-path {dst}",
    ],
    "cp-search-path": [
        "cp bar --nl --dest-path {solver}",
        "cp other --nl --dest-path {solver}",
        "cp pymum-3 --paths {solver} --dest-path {dst}",
        "cp pyvariants --paths {solver} --dest-path {dst}",
        "cp --variant-uri {src}/foo/1.0.0/package.py[1] --dest-path {dst}",
    ],
    "mv": [
        "mv bar-2.0 -d {dst}",
        "mv bar-2.0 {src} -d {dst} -k",
        "mv bar-2.0 {src} -d {dst}",
        "mv foo-2.0 {src} -d {dst}",
        "mv foo-2.0 {src} -d {dst} -f",
        "mv other-1.0 {dst} -d {dst}",
        "mv foo-2.0 -d {dst}",
        "mv nope-1 -d {dst}",
    ],
    "rm": [
        "rm",
        "rm -p bar-2.0",
        "rm -p bar-2.0 --dry-run {src}",
        "rm -p bar-2.0 {src}",
        "rm -p bar-2.0 {src}",
        "rm -f empty_family {src}",
        "rm -f empty_family {src}",
        "rm -f foo {src}",
        "rm -f foo-1 {src}",
        "rm -f foo --dry-run {src}",
        "rm -p foo-2.0 -f foo {src}",
        "rm -f pymum {solver}",
        "rm -i x {src}",
    ],
    "rm-ignored": [
        "pkg-ignore foo-2.0 {src}",
        "pkg-ignore pyfoo-3.1.0 {solver}",
        "rm -i 1 {src}",
        "rm -i 0 --dry-run {src}",
        "rm -i 0 {src}",
        "rm -i 0 {src}",
        "rm -i 0",
    ],
    "pkg-ignore": [
        "pkg-ignore",
        "pkg-ignore bar-2.0",
        "pkg-ignore bar-2.0 -a",
        "pkg-ignore bar-2.0 {src}",
        "pkg-ignore bar-2.0 {src}",
        "pkg-ignore bar-2.0",
        "pkg-ignore bar-2.0 {src} -u",
        "pkg-ignore bar-2.0 {src} --unignore",
        "pkg-ignore bar-9 {src}",
        "pkg-ignore bar-9 {src} -u",
        "pkg-ignore bar-9 {src} -a",
        "pkg-ignore bar-9 {src} -a",
        "pkg-ignore bar-9 {src} -u",
        "pkg-ignore newfam {src} -a",
        "pkg-ignore pyodd-2 {solver}",
    ],
}


def _prepare(base: Path) -> dict[str, str]:
    repos = make_repos(base)
    shutil.copytree(SOLVER, base / "solver", symlinks=True)
    (base / "empty").mkdir()
    return {"src": str(repos.src), "dst": str(repos.dst), "solver": str(base / "solver"),
            "empty": str(base / "empty")}  # fmt: skip


def _argv(command: str, dirs: dict[str, str]) -> list[str]:
    return [word.format(**dirs) for word in command.split()]


def _normalise(text: str, base: Path) -> str:
    return text.replace(str(base), "<BASE>")


def _tree(base: Path, before: dict[str, str]) -> dict[str, str]:
    found = {}
    for path, summary in tree(base).items():
        if os.path.basename(path).startswith(".building"):
            continue  # rez leaves its "being installed" markers behind; pkg stages instead
        found[path] = _normalise(summary, base).replace("('format_version', '2'), ", "")
    for path in [p for p, summary in found.items() if summary == "dir" and p not in before]:
        if not any(other.startswith(path + os.sep) for other in found):
            del found[path]  # rez leaves an empty family directory after a failed copy
    return found


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_same_results_as_rez(
    scenario: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rez_base, pkg_base = tmp_path / "rez", tmp_path / "pkg"
    rez_dirs, pkg_dirs = _prepare(rez_base), _prepare(pkg_base)
    before = tree(pkg_base)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REZ_", "PKG_"))}
    env.update(
        HOME=str(home),
        REZ_DISABLE_HOME_CONFIG="1",
        REZ_PACKAGES_PATH=os.pathsep.join([rez_dirs["src"], rez_dirs["dst"]]),
        REZ_LOCAL_PACKAGES_PATH=rez_dirs["src"],
    )
    monkeypatch.setenv("PKG_PACKAGES_PATH", os.pathsep.join([pkg_dirs["src"], pkg_dirs["dst"]]))
    monkeypatch.setenv("PKG_LOCAL_PACKAGES_PATH", pkg_dirs["src"])
    for command in SCENARIOS[scenario]:
        args = _argv(command, rez_dirs)
        theirs = subprocess.run(
            [str(BIN / f"rez-{args[0]}"), *args[1:]],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        ours = run_pkg(capsys, *_argv(command, pkg_dirs))
        assert (ours.code, _normalise(ours.out, pkg_base)) == (
            theirs.returncode,
            _normalise(theirs.stdout, rez_base),
        ), f"{command}\nrez stderr: {theirs.stderr}\npkg stderr: {ours.err}"
    assert _tree(pkg_base, before) == _tree(rez_base, before)
