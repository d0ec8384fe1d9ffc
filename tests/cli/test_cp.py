"""``pkg cp`` end to end (in-process through ``pkg.cli.main``): messages and exit codes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from tests.repo_ops_data import Repos, cli_repos, run_pkg, tree, write_package

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["cli_repos"]

Capsys = pytest.CaptureFixture[str]


def test_copy_varianted_package(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    result = run_pkg(capsys, "cp", "foo-1.0.0", "--dest-path", str(dst))
    assert result.code == 0
    assert result.out == (
        "2 variants were copied:\n"
        f"  {src}/foo/1.0.0/package.py[0] -> {dst}/foo/1.0.0/package.py[0]\n"
        f"  {src}/foo/1.0.0/package.py[1] -> {dst}/foo/1.0.0/package.py[1]\n"
    )
    again = run_pkg(capsys, "cp", "foo-1.0.0", "--dest-path", str(dst))
    assert again.code == 0
    assert again.out == (
        "2 variants were skipped (target exists):\n"
        f"  {src}/foo/1.0.0/package.py[0] !-> {dst}/foo/1.0.0/package.py[0]\n"
        f"  {src}/foo/1.0.0/package.py[1] !-> {dst}/foo/1.0.0/package.py[1]\n"
    )


def test_variants_dry_run_and_overwrite(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    one = run_pkg(capsys, "cp", "foo-1.0.0", "--dest-path", str(dst), "--variants", "-1")
    assert one.out == (
        "1 variants were copied:\n"
        f"  {src}/foo/1.0.0/package.py[1] -> {dst}/foo/1.0.0/package.py[0]\n"
    )
    before = tree(dst)
    dry = run_pkg(
        capsys, "cp", "--dest-path", str(dst), "--variants", "0", "1", "--dry-run", "foo-1.0.0"
    )
    assert dry.code == 0
    assert dry.out == (
        "1 variants would be copied:\n"
        f"  {src}/foo/1.0.0/package.py[0] -> {dst}/foo/1.0.0/?\n"
        "1 variants would be skipped (target exists):\n"
        f"  {src}/foo/1.0.0/package.py[1] !-> {dst}/foo/1.0.0/package.py[0]\n"
    )
    assert tree(dst) == before
    over = run_pkg(capsys, "cp", "foo-1.0.0", "--dest-path", str(dst), "-o", "--variants", "1", "0")
    assert over.out.startswith("2 variants were copied:\n")


def test_last_variants_option_wins(cli_repos: Repos, capsys: Capsys) -> None:
    dst = cli_repos.dst
    result = run_pkg(
        capsys, "cp", "foo-1.0.0", "--dest-path", str(dst), "--variants", "0", "--variants=1"
    )
    assert result.out.startswith("1 variants were copied:\n")
    assert (dst / "foo/1.0.0/python-3").is_dir()
    assert not (dst / "foo/1.0.0/python-2").exists()


def test_bad_variant_index(cli_repos: Repos, capsys: Capsys) -> None:
    result = run_pkg(
        capsys, "cp", "foo-1.0.0", "--dest-path", str(cli_repos.dst), "--variants", "5"
    )
    assert result.code == 1
    assert result.err.startswith("pkg: error: ")
    assert "5" in result.err
    bad = run_pkg(capsys, "cp", "foo-1.0.0", "--dest-path", str(cli_repos.dst), "--variants", "x")
    assert bad.code == 2


def test_copy_unvarianted_package(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    dry = run_pkg(capsys, "cp", "bar", "--dest-path", str(dst), "--dry-run")
    assert dry.out == f"Would copy {src}/bar/2.0/package.py to {dst}/bar/2.0/?\n"
    result = run_pkg(capsys, "cp", "bar", "--dest-path", str(dst), "-k")
    assert result.out == f"Copied {src}/bar/2.0/package.py to {dst}/bar/2.0/package.py\n"
    assert "timestamp = 1000" in (dst / "bar/2.0/package.py").read_text()
    again = run_pkg(capsys, "cp", "bar", "--dest-path", str(dst))
    assert again.code == 0
    assert again.out == (
        f"Target package already exists: {dst}/bar/2.0/package.py. Use 'overwrite' to replace it.\n"
    )


def test_rename_reversion_shallow_follow_symlinks(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    assert run_pkg(capsys, "cp", "bar", "--rename", "baz").code == 0
    assert (src / "baz/2.0/data.txt").is_file()
    assert run_pkg(capsys, "cp", "bar-2", "--reversion", "2.1", "--shallow").code == 0
    assert os.path.islink(src / "bar/2.1/data.txt")
    assert run_pkg(capsys, "cp", "bar-2.0", "--dest-path", str(dst), "--follow-symlinks").code == 0
    assert not os.path.islink(dst / "bar/2.0/link.txt")


def test_force_copies_a_non_relocatable_package(cli_repos: Repos, capsys: Capsys) -> None:
    result = run_pkg(capsys, "cp", "foo-2", "--dest-path", str(cli_repos.dst))
    assert result.code == 1
    assert "non-relocatable" in result.err
    assert run_pkg(capsys, "cp", "foo-2", "--dest-path", str(cli_repos.dst), "-f").code == 0


def test_copy_over_itself(cli_repos: Repos, capsys: Capsys) -> None:
    result = run_pkg(capsys, "cp", "bar", "--reversion", "2.0")
    assert result.code == 1
    assert "over itself" in result.err


def test_empty_destination(cli_repos: Repos, tmp_path: Path, capsys: Capsys) -> None:
    empty = tmp_path / "empty"
    result = run_pkg(capsys, "cp", "bar", "--dest-path", str(empty))
    assert result.code == 1
    assert result.out == ""
    assert result.err == (
        "pkg: error: Attempting to copy a package into an EMPTY repository. Are you sure that "
        "--dest-path is the correct path? This should not include package name and/or "
        "version.\n\nIf this is a valid new package repository, use the --allow-empty flag "
        "to continue.\n"
    )
    assert run_pkg(capsys, "cp", "bar", "--dest-path", str(empty), "--allow-empty").code == 0


def test_not_found_and_ambiguous(cli_repos: Repos, capsys: Capsys) -> None:
    dst = str(cli_repos.dst)
    missing = run_pkg(capsys, "cp", "nope", "--dest-path", dst)
    assert (missing.code, missing.out, missing.err) == (
        1,
        "",
        "pkg: error: No matching packages found.\n",
    )
    several = run_pkg(capsys, "cp", "foo", "--dest-path", dst)
    assert several.code == 1
    assert several.err == (
        "pkg: error: More than one package matches, please choose:\nfoo-1.0.0\nfoo-2.0\n"
    )


def test_paths_and_no_local(cli_repos: Repos, capsys: Capsys, tmp_path: Path) -> None:
    write_package(cli_repos.dst, "bar", "9")
    nl = run_pkg(capsys, "cp", "bar", "--nl", "--rename", "bar9")
    assert nl.code == 0
    assert (cli_repos.dst / "bar9/9").is_dir()
    other = tmp_path / "other"
    write_package(other, "solo", "1")
    paths = os.pathsep.join([str(other), ""])
    result = run_pkg(
        capsys, "cp", "solo", "--paths", paths, "--nl", "--dest-path", str(cli_repos.dst)
    )
    assert result.code == 0
    assert (cli_repos.dst / "solo/1/package.py").is_file()


def test_variant_uri(cli_repos: Repos, capsys: Capsys) -> None:
    src, dst = cli_repos.src, cli_repos.dst
    uri = f"{src}/foo/1.0.0/package.py[1]"
    result = run_pkg(capsys, "cp", "--variant-uri", uri, "--dest-path", str(dst))
    assert result.out == (f"1 variants were copied:\n  {uri} -> {dst}/foo/1.0.0/package.py[0]\n")
    unknown = run_pkg(capsys, "cp", "--variant-uri", uri[:-3] + "[9]", "--dest-path", str(dst))
    assert (unknown.code, unknown.err) == (1, f"pkg: error: Unknown variant: {uri[:-3]}[9]\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Expected PKG."),
        (["foo", "--variant-uri", "x[0]", "--dest-path", "d"], "Supply PKG or --variant-uri"),
        (["foo"], "--dest-path must be specified unless --rename or --reversion are used."),
    ],
)
def test_usage_errors(cli_repos: Repos, capsys: Capsys, args: list[str], message: str) -> None:
    result = run_pkg(capsys, "cp", *args)
    assert result.code == 2
    assert "Usage: pkg cp" in result.err
    assert message in result.err


def test_verbose_explains_each_variant(cli_repos: Repos, capsys: Capsys) -> None:
    dst = cli_repos.dst
    run_pkg(capsys, "cp", "foo-1.0.0", "--dest-path", str(dst), "--variants", "0")
    result = run_pkg(capsys, "cp", "-v", "foo-1.0.0", "--dest-path", str(dst))
    assert "Skipping source variant" in result.err
    assert "Copied source variant" in result.err
    dry = run_pkg(capsys, "cp", "bar", "--dest-path", str(dst), "--dry-run", "-v")
    assert "Would copy source variant" in dry.err


def test_help_lists_every_flag(capsys: Capsys) -> None:
    result = run_pkg(capsys, "cp", "--help")
    assert result.code == 0
    for flag in (
        "--dest-path", "--paths", "--nl", "--no-local", "--reversion", "--rename", "--overwrite",
        "--shallow", "--follow-symlinks", "--keep-timestamp", "--force", "--allow-empty",
        "--dry-run", "--variants", "--variant-uri", "-o", "-s", "-k", "-f",
    ):  # fmt: skip
        assert flag in result.out, flag
