"""``pkg.api.build``: real projects built and installed, then resolved and run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from pkg.api.build import build_package, prepare_build, preprocessed_package
from pkg.buildsys import BuildSystemError
from pkg.errors import ConfigError, UsageError
from tests.conftest import needs, write_tree
from tests.tasks.helpers import (
    CMAKE_PROJECT,
    CUSTOM_PROJECT,
    MAKE_PROJECT,
    PYTHON_PROJECT,
    build_config,
    build_environ,
    stub_repository,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def repos(tmp_path: Path) -> tuple[Path, Path]:
    """(stub repository, empty install repository)."""
    return stub_repository(tmp_path / "repo"), tmp_path / "install"


def run_in_context(repo: Path, install: Path, *argv: str) -> str:
    """``pkg env REQUESTS -- COMMAND`` in a subprocess; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "pkg", "env", *argv],
        capture_output=True,
        text=True,
        env=build_environ(repo, install),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_custom_project_with_two_variants(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    report = build_package(str(source), build_config(repo, install), install=True)
    assert report.ok, report.failures()
    assert [plan.label for plan in report.succeeded()] == ["hello-1.0[0]", "hello-1.0[1]"]
    package_dir = install / "hello" / "1.0"
    for index, version in enumerate(("3.9", "3.11")):
        variant_dir = package_dir / f"python-{version}"
        assert json.loads((variant_dir / "variant.json").read_text()) == {
            "index": index,
            "data": [f"python-{version}"],
        }
        rxt = json.loads((variant_dir / "build.rxt").read_text())
        assert rxt["building"] is True
        out = run_in_context(repo, install, "hello", f"python-{version}", "--", "hello")
        assert out == f"hello from {version} built-local\n"
    text = (package_dir / "package.py").read_text()
    assert "['python-3.9']" in text
    assert "['python-3.11']" in text
    assert "build_command" not in text
    assert "pre_build_commands" not in text
    # Nothing of the build is left in the repository: no staging or trash directories.
    assert sorted(p.name for p in package_dir.iterdir()) == [
        "package.py",
        "python-3.11",
        "python-3.9",
    ]


@needs("cmake", "make", "cc")
def test_cmake_c_project_with_two_variants(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(tmp_path / "greet", CMAKE_PROJECT)
    report = build_package(str(source), build_config(repo, install), install=True, jobs=4)
    assert report.ok, report.failures()
    assert report.setup.system == "cmake"
    for version in ("3.9", "3.11"):
        out = run_in_context(repo, install, "greet", f"python-{version}", "--", "greet")
        assert out == f"greet for python {version}\n"
    # Each variant built in its own directory, with its own log.
    assert (source / "build" / "python-3.9" / "CMakeCache.txt").is_file()
    logs = sorted(p.name for p in (source / "build" / "logs").iterdir())
    assert any(name.endswith("build_greet-2.0_0.log") for name in logs)


@needs("make")
def test_make_project(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(tmp_path / "maker", MAKE_PROJECT)
    report = build_package(str(source), build_config(repo, install), install=True)
    assert report.ok, report.failures()
    assert report.setup.system == "make"
    assert run_in_context(repo, install, "maker", "--", "maker") == "maker 0.5\n"
    assert (install / "maker" / "0.5" / "build.rxt").is_file()
    assert not (install / "maker" / "0.5" / "variant.json").exists()


def test_python_project(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(tmp_path / "tooly", PYTHON_PROJECT)
    report = build_package(str(source), build_config(repo, install), install=True)
    assert report.ok, report.failures()
    assert report.setup.system == "python"
    assert run_in_context(repo, install, "tooly", "--", "tooly") == "tooly says hi\n"


def test_failed_variant_leaves_no_trace_and_a_rerun_succeeds(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    repo, install = repos
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    package_py = source / "package.py"
    good = package_py.read_text()
    # Variant 1 installs its files, then fails: nothing of either variant may appear.
    package_py.write_text(
        good.replace(
            "chmod +x {install_path}/bin/hello'",
            "chmod +x {install_path}/bin/hello && test $PYVER != 3.11'",
        )
    )
    config = build_config(repo, install)
    report = build_package(str(source), config, install=True, variants=[1])
    assert not report.ok
    [(plan, reason)] = report.failures()
    assert plan.index == 1
    assert "the build step failed (status 1)" in reason
    assert not install.exists()
    # --keep-going: variant 0 is installed, variant 1 is not.
    report = build_package(str(source), config, install=True, keep_going=True, jobs=1)
    assert [p.index for p in report.succeeded()] == [0]
    assert sorted(p.name for p in (install / "hello" / "1.0").iterdir()) == [
        "package.py",
        "python-3.9",
    ]
    package_py.write_text(good)
    report = build_package(str(source), config, install=True, variants=[-1])
    assert report.ok
    text = (install / "hello" / "1.0" / "package.py").read_text()
    assert "['python-3.9']" in text
    assert "['python-3.11']" in text


def test_failed_resolve_still_writes_build_rxt(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(
        tmp_path / "odd",
        {
            "package.py": (
                "name = 'odd'\nversion = '1'\nvariants = [['python-7']]\nbuild_command = False\n"
            )
        },
    )
    report = build_package(str(source), build_config(repo, install), install=True)
    [(_plan, reason)] = report.failures()
    assert reason == "the build environment did not resolve: Package could not be found: python-7"
    rxt = json.loads((source / "build" / "python-7" / "build.rxt").read_text())
    assert rxt["status"] == "failed"
    assert json.loads((source / "build" / "python-7" / "variant.json").read_text()) == {
        "index": 0,
        "data": ["python-7"],
    }
    assert report.context_failures()
    assert not install.exists() or not any(install.iterdir())


def test_build_environment_variables(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(
        tmp_path / "envy",
        {
            "package.py": """\
                name = 'envy'
                version = '3.1'
                description = ' Shows its build. '
                variants = [['python-3.11']]
                private_build_requires = ['python']
                build_command = 'env > {build_path}/env.txt'
                """
        },
    )
    config = build_config(repo, install)
    report = build_package(str(source), config, clean=True)
    assert report.ok, report.failures()
    build_path = source / "build" / "python-3.11"
    env = dict(
        line.split("=", 1)
        for line in (build_path / "env.txt").read_text().splitlines()
        if line.startswith(("REZ_", "PYVER="))
    )
    assert env["REZ_BUILD_ENV"] == "1"
    assert env["REZ_BUILD_PATH"] == str(build_path)
    assert env["REZ_BUILD_VARIANT_INDEX"] == "0"
    assert env["REZ_BUILD_VARIANT_REQUIRES"] == "python-3.11"
    assert env["REZ_BUILD_VARIANT_SUBPATH"] == "python-3.11"
    assert env["REZ_BUILD_PROJECT_NAME"] == "envy"
    assert env["REZ_BUILD_PROJECT_DESCRIPTION"] == "Shows its build."
    assert env["REZ_BUILD_REQUIRES"] == "python-3.11 python"
    assert env["REZ_BUILD_REQUIRES_UNVERSIONED"] == "python python"
    assert env["REZ_BUILD_INSTALL"] == "0"
    assert env["REZ_BUILD_INSTALL_PATH"] == str(install / "envy" / "3.1" / "python-3.11")
    assert env["REZ_BUILD_TYPE"] == "local"
    assert env["REZ_RXT_FILE"] == str(build_path / "build.rxt")
    assert env["PYVER"] == "3.11"
    assert not install.exists()


def test_prepare_errors(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    config = build_config(repo, install)
    source = write_tree(tmp_path / "hello", CUSTOM_PROJECT)
    with pytest.raises(UsageError, match=r"hello-1.0 has no variant 2 \(it has 2: 0 to 1\)"):
        prepare_build(str(source), config, variants=[2])
    with pytest.raises(UsageError, match="unrecognised arguments: --nope"):
        prepare_build(str(source), config, custom_args=["--nope"])
    mixed = write_tree(
        tmp_path / "mixed",
        {"package.py": "name = 'mixed'\n", "CMakeLists.txt": "", "pyproject.toml": ""},
    )
    with pytest.raises(BuildSystemError, match="any of cmake, python; choose one"):
        prepare_build(str(mixed), config)
    assert "build_command" in preprocessed_package(str(source), config)


def test_hashed_variants_get_shortlinks(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    files = dict(CUSTOM_PROJECT)
    files["package.py"] = files["package.py"].replace(
        "variants = [", "hashed_variants = True\n        variants = ["
    )
    source = write_tree(tmp_path / "hello", files)
    report = build_package(str(source), build_config(repo, install), install=True)
    assert report.ok, report.failures()
    package_dir = install / "hello" / "1.0"
    links = sorted(os.readlink(link) for link in (package_dir / "_v").iterdir())
    hashes = sorted(plan.subpath for plan in report.setup.plans)
    assert links == [os.path.join("..", digest) for digest in hashes]
    assert all(len(digest) == 40 for digest in hashes)
    out = run_in_context(repo, install, "hello", "python-3.11", "--", "hello")
    assert out == "hello from 3.11 built-local\n"


def test_early_bindings_see_the_build(tmp_path: Path, repos: tuple[Path, Path]) -> None:
    repo, install = repos
    source = write_tree(
        tmp_path / "early",
        {
            "package.py": """\
                name = 'early'
                version = '1'
                variants = [['python-3.9'], ['python-3.11']]
                build_command = 'echo $PYVER $TAG > {build_path}/seen'

                @early()
                def private_build_requires():
                    if not building:
                        return []
                    return ['python-' + build_variant_requires[0].split('-')[1]]

                @early()
                def description():
                    return 'variant %d' % build_variant_index if building else 'installed'
                """
        },
    )
    report = build_package(str(source), build_config(repo, install), install=True)
    assert report.ok, report.failures()
    assert (source / "build" / "python-3.11" / "seen").read_text() == "3.11\n"
    text = (install / "early" / "1" / "package.py").read_text()
    assert "description = 'installed'" in text
    # Installed in source order, although the variants built concurrently.
    assert text.index("['python-3.9']") < text.index("['python-3.11']")


#: A package whose ``pre_install`` tests run what the build staged.
PRE_INSTALL_PROJECT = {
    "package.py": """\
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
            'each': {'command': 'checked', 'run_on': 'pre_install', 'on_variants': True},
            'once': {'command': ['checked'], 'run_on': ['pre_install']},
            'default': 'false',
        }
        """,
}


def test_pre_install_tests_run_before_each_install(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    repo, install = repos
    source = write_tree(tmp_path / "checked", PRE_INSTALL_PROJECT)
    report = build_package(str(source), build_config(repo, install), install=True)
    assert report.ok, report.failures()
    tests = sorted(name for name in report.result.outcomes if name.startswith("pre_install:"))
    # A test without on_variants runs once (on the first variant), as in Rez.
    assert tests == [
        "pre_install:checked-1.0[0]:each",
        "pre_install:checked-1.0[0]:once",
        "pre_install:checked-1.0[1]:each",
    ]
    log = next(report.setup.log_dir.glob("*pre_install_checked-1.0_1_each.log")).read_text()
    assert "checked on 3.11" in log
    out = run_in_context(repo, install, "checked", "python-3.11", "--", "checked")
    assert out == "checked on 3.11\n"
    assert (install / "checked" / "1.0" / "package.py").is_file()


def test_a_failing_pre_install_test_leaves_the_repository_untouched(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    repo, install = repos
    files = {
        "package.py": PRE_INSTALL_PROJECT["package.py"]
        .replace("variants = [['python-3.9'], ['python-3.11']]", "requires = ['python-3.11']")
        .replace("'command': 'checked'", "'command': 'checked && test $PYVER = 3.9'")
    }
    source = write_tree(tmp_path / "checked", files)
    config = build_config(repo, install)
    report = build_package(str(source), config, install=True)
    assert not report.ok
    [(plan, reason)] = report.failures()
    assert plan.label == "checked-1.0[]"
    assert reason == "the pre_install test failed: 'each': Test failed with exit code 1"
    assert not install.exists()
    log = next(report.setup.log_dir.glob("*pre_install_checked-1.0_each.log")).read_text()
    assert "checked on 3.11" in log
    # Without -i no test runs; with tests=False none either.
    assert build_package(str(source), config).ok
    assert build_package(str(source), config, install=True, tests=False).ok
    assert (install / "checked" / "1.0" / "bin" / "checked").is_file()


def test_preprocess_changes_what_is_built_and_installed(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    repo, install = repos
    source = write_tree(
        tmp_path / "pre",
        {
            "package.py": """\
                name = 'pre'
                version = '3.0'
                build_command = 'mkdir -p {install_path} && echo $PYVER > {install_path}/seen'

                def preprocess(this, data):
                    data['private_build_requires'] = ['python-3.9']
                    data['description'] = 'made by ' + this.name
                """,
            "hooks/global_pre.py": """\
                def tweak(this, data):
                    data['authors'] = ['global']
                """,
        },
    )
    config = build_config(
        repo,
        install,
        package_preprocess_function="global_pre.tweak",
        package_preprocess_mode="before",
        package_definition_build_python_paths=[str(source / "hooks")],
    )
    assert "description = 'made by pre'" in preprocessed_package(str(source), config)
    report = build_package(str(source), config, install=True)
    assert report.ok, report.failures()
    assert (install / "pre" / "3.0" / "seen").read_text() == "3.9\n"
    text = (install / "pre" / "3.0" / "package.py").read_text()
    assert "description = 'made by pre'" in text
    assert "authors = ['global']" in text
    assert "preprocess" not in text


def test_the_package_config_section_overrides_settings(
    tmp_path: Path, repos: tuple[Path, Path]
) -> None:
    repo, install = repos
    fake = tmp_path / "fake-cmake"
    fake.write_text('#!/bin/sh\necho "$@" > "$PWD/cmake-args"\n')
    fake.chmod(0o755)
    source = write_tree(
        tmp_path / "configured",
        {
            "package.py": f"""\
                name = 'configured'
                version = '1.0'
                with scope('config') as c:
                    c.build_directory = 'cmake-build'
                    c.plugins.build_system.cmake.build_target = 'Debug'
                    c.plugins.build_system.cmake.cmake_binary = {str(fake)!r}
                    c.plugins.build_system.cmake.make_binary = 'true'
                """,
            "CMakeLists.txt": "project(configured)\n",
        },
    )
    config = build_config(repo, install)
    report = build_package(str(source), config, install=True)
    assert report.ok, report.failures()
    assert report.setup.config is not None
    assert report.setup.config.build_directory == "cmake-build"
    assert config.build_directory == "build"  # the configuration given is unchanged
    args = (source / "cmake-build" / "cmake-args").read_text().split()
    assert "-DCMAKE_BUILD_TYPE=Debug" in args
    assert not (source / "build").exists()
    assert (install / "configured" / "1.0" / "build.rxt").is_file()
    bad = write_tree(
        tmp_path / "bad",
        {"package.py": "name = 'bad'\nbuild_command = False\nconfig = {'no_such_setting': 1}\n"},
    )
    with pytest.raises(ConfigError, match="no_such_setting"):
        prepare_build(str(bad), config)
