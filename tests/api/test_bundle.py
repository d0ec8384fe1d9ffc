"""``pkg.api.bundle``: real bundles of real repositories, moved around and used again."""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from pkg.api.bundle import BundleError, bundle_context, read_rpaths
from pkg.api.env import create_context
from pkg.config import Config, load_config
from pkg.context import load_context, save_context
from pkg.context.execute import load_variants
from pkg.errors import RepositoryError
from tests.conftest import needs, write_package

if TYPE_CHECKING:
    from pathlib import Path


def _repo(root: Path) -> Path:
    write_package(root, "py", "2", "")
    write_package(root, "py", "3", "")
    app = "variants = [['py-2'], ['py-3']]\ndef commands():\n    env.APP_DATA = '{root}/data.txt'\n"
    write_package(root, "app", "1.0", app)
    for sub in ("py-2", "py-3"):
        (root / "app" / "1.0" / sub).mkdir()
        (root / "app" / "1.0" / sub / "data.txt").write_text(f"data of {sub}\n")
    return root


def _config(*paths: Path) -> Config:
    return load_config(
        overrides={"packages_path": [str(p) for p in paths], "implicit_packages": []}
    )


def test_bundle_of_a_request_can_be_moved(tmp_path: Path) -> None:
    config = _config(_repo(tmp_path / "repo"))
    report = bundle_context("app py-3", str(tmp_path / "b"), config)
    files = sorted(
        str(p.relative_to(tmp_path / "b")) for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert files == [
        "bundle.yaml",
        "context.rxt",
        "packages/app/1.0/package.py",
        "packages/app/1.0/py-3/data.txt",
        "packages/py/3/package.py",
        "packages/settings.yaml",
    ]
    assert (
        tmp_path / "b" / "packages" / "settings.yaml"
    ).read_text() == "disable_memcached: true\n"
    logs = (tmp_path / "b" / "bundle.yaml").read_text()
    assert logs.startswith("logs:\n- 'INFO: Copied ")
    assert f"to {tmp_path}/b/packages/app/1.0/package.py[0]'" in logs
    assert report.copied[1][0].endswith("app/1.0/package.py[1]")
    # the only variant copied is variant 0 of the bundled package
    (tmp_path / "b").rename(tmp_path / "moved")
    shutil.rmtree(tmp_path / "repo")
    context = load_context(tmp_path / "moved" / "context.rxt")
    assert [(h.name, h.index) for h in context.resolved_packages] == [("py", None), ("app", 0)]
    variants = load_variants(context, _config())
    assert variants[1].root == str(tmp_path / "moved" / "packages" / "app" / "1.0" / "py-3")


def test_existing_destination_and_failed_context(tmp_path: Path) -> None:
    config = _config(_repo(tmp_path / "repo"))
    env = create_context(["app", "py-2"], config)
    rxt = save_context(env.context, tmp_path / "ctx.rxt")
    (tmp_path / "taken").mkdir()
    with pytest.raises(BundleError, match="Dest dir must not exist"):
        bundle_context(str(rxt), str(tmp_path / "taken"), config)
    with pytest.raises(BundleError, match="File does not exist"):
        bundle_context(str(tmp_path / "missing.rxt"), str(tmp_path / "b"), config)
    with pytest.raises(BundleError, match="cannot bundle 'app-9': Package could not be found"):
        bundle_context("app-9", str(tmp_path / "b"), config)
    with pytest.raises(BundleError, match="cannot bundle 'app-1 !app': the resolve failed"):
        bundle_context("app-1 !app", str(tmp_path / "b"), config)
    report = bundle_context(str(rxt), str(tmp_path / "b"), config)
    assert report.copied[1][1] == f"{tmp_path}/b/packages/app/1.0/package.py[0]"
    assert sorted(os.listdir(tmp_path)) == ["b", "ctx.rxt", "repo", "taken"]


def test_non_relocatable_packages(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    write_package(repo, "fixed", "1", "relocatable = False\n")
    config = _config(repo)
    with pytest.raises(BundleError, match=r"non-relocatable package\(s\): fixed-1"):
        bundle_context("fixed app py-3", str(tmp_path / "b"), config)
    assert sorted(os.listdir(tmp_path)) == ["repo"]  # nothing half-written
    report = bundle_context(
        "fixed app py-3", str(tmp_path / "b"), config, skip_non_relocatable=True
    )
    assert report.skipped == ["fixed-1"]
    assert report.warnings == ["Skipped bundling of non-relocatable package fixed-1"]
    assert not (tmp_path / "b" / "packages" / "fixed").exists()
    handles = load_context(tmp_path / "b" / "context.rxt").resolved_packages
    assert {h.name: h.location for h in handles}["fixed"] == str(repo)
    bundle_context("fixed app py-3", str(tmp_path / "c"), config, force=True)
    assert (tmp_path / "c" / "packages" / "fixed" / "1" / "package.py").is_file()


def test_a_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    config = _config(repo)
    env = create_context(["app", "py-2"], config)
    save_context(env.context, tmp_path / "ctx.rxt")
    shutil.rmtree(repo / "app" / "1.0" / "py-2")  # its payload is gone: it cannot be copied
    with pytest.raises(RepositoryError, match="not on disk"):
        bundle_context(str(tmp_path / "ctx.rxt"), str(tmp_path / "b"), config)
    assert sorted(os.listdir(tmp_path)) == ["ctx.rxt", "repo"]


LIB_C = "int answer(void) { return 42; }\n"
MAIN_C = """\
#include <stdio.h>
int answer(void);
int main(void) { printf("%d\\n", answer()); return 0; }
"""


@needs("gcc")
def test_rpaths_into_bundled_packages_are_made_relative(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_package(repo, "liba", "1", "")
    write_package(repo, "tool", "1", "requires = ['liba']\n")
    lib_dir = repo / "liba" / "1" / "lib"
    bin_dir = repo / "tool" / "1" / "bin"
    lib_dir.mkdir()
    bin_dir.mkdir()
    (tmp_path / "a.c").write_text(LIB_C)
    (tmp_path / "main.c").write_text(MAIN_C)
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(lib_dir / "liba.so"), str(tmp_path / "a.c")],
        check=True,
    )
    subprocess.run(
        [
            "gcc",
            "-o",
            str(bin_dir / "answer"),
            str(tmp_path / "main.c"),
            f"-L{lib_dir}",
            "-la",
            f"-Wl,-rpath,{lib_dir}",
        ],
        check=True,
    )
    assert read_rpaths(str(bin_dir / "answer")) == [str(lib_dir)]
    config = _config(repo)
    unpatched = bundle_context("tool", str(tmp_path / "n"), config, patch_libs=False)
    assert read_rpaths(str(tmp_path / "n" / "packages" / "tool" / "1" / "bin" / "answer")) == [
        str(lib_dir)
    ]
    assert unpatched.logs == [f"INFO: Copied {c} to {b}" for c, b in unpatched.copied]
    report = bundle_context("tool", str(tmp_path / "b"), config)
    bundled = tmp_path / "b" / "packages" / "tool" / "1" / "bin" / "answer"
    assert read_rpaths(str(bundled)) == ["$ORIGIN/../../../liba/1/lib"]
    assert any("Patched rpaths in" in line for line in report.logs)
    (tmp_path / "b").rename(tmp_path / "moved")
    shutil.rmtree(repo)
    done = subprocess.run(
        [str(tmp_path / "moved" / "packages" / "tool" / "1" / "bin" / "answer")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == "42\n", done.stderr
    with pytest.raises(ValueError, match="not an ELF"):
        read_rpaths(str(tmp_path / "main.c"))
