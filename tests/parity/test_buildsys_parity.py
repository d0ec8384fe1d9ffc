"""``pkg.buildsys`` against ``rez-build`` (skipped without rez).

``rez-build -i`` runs for real over a small repository whose ``faketools`` package puts
stand-in ``cmake``, ``make`` and ``fake`` executables first on the build context's
``PATH``.  Each records its arguments, working directory and the ``REZ_BUILD_*``,
``__PARSE_ARG_*`` and ``CMAKE_MODULE_PATH`` variables it sees.  pkg's build system, given
the same request, must produce the same commands and the same variables, except where
each tool names its own files (Rez's cmake modules and Doxyfile, pkg's).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pkg.buildsys import BuildPackage, BuildRequest, build_system_names, detect, parse_build_args
from pkg.buildsys.cmake import CMAKE_FILES, DOXYFILE

pytestmark = [
    pytest.mark.parity,
    pytest.mark.skipif(importlib.util.find_spec("rez") is None, reason="rez is not installed"),
]

_RECORDER = """\
import json, os, sys
keys = [k for k in os.environ
        if k.startswith(("REZ_BUILD_", "__PARSE_ARG_")) or k == "CMAKE_MODULE_PATH"]
with open(os.environ["FAKE_LOG"], "a") as stream:
    stream.write(json.dumps({
        "tool": os.path.basename(sys.argv[0]),
        "argv": sys.argv[1:],
        "cwd": os.getcwd(),
        "env": {k: os.environ[k] for k in keys},
    }) + "\\n")
"""


def _repo(root: Path) -> Path:
    repo = root / "repo"
    (repo / "python" / "3.9").mkdir(parents=True)
    (repo / "python" / "3.9" / "package.py").write_text("name = 'python'\nversion = '3.9'\n")
    tools = repo / "faketools" / "1"
    (tools / "bin").mkdir(parents=True)
    (tools / "package.py").write_text(
        "name = 'faketools'\nversion = '1'\n\n"
        "def commands():\n"
        "    env.PATH.prepend('{root}/bin')\n"
        "    env.CMAKE_MODULE_PATH.append('{root}/cmake')\n"
    )
    fake = tools / "bin" / "fake"
    fake.write_text(f"#!{sys.executable}\n{_RECORDER}")
    fake.chmod(0o755)
    for name in ("cmake", "make", "ninja"):
        (tools / "bin" / name).symlink_to("fake")
    return repo


def _rez_build(root: Path, source: Path, *args: str) -> list[dict[str, Any]]:
    rez_build = Path(sys.executable).parent / "rez-build"
    if not rez_build.exists():
        found = shutil.which("rez-build")
        if found is None:
            pytest.skip("rez-build is not installed")
        rez_build = Path(found)
    log = root / "log.jsonl"
    env = {
        "HOME": str(root),
        "PATH": os.environ["PATH"],
        "FAKE_LOG": str(log),
        "REZ_DISABLE_HOME_CONFIG": "1",
        "REZ_PACKAGES_PATH": str(root / "repo"),
        "REZ_LOCAL_PACKAGES_PATH": str(root / "local"),
        "REZ_BUILD_THREAD_COUNT": "3",
        "REZ_IMPLICIT_PACKAGES_JSON": '["~platform-linux"]',
    }
    done = subprocess.run(
        [str(rez_build), *args],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [json.loads(line) for line in log.read_text().splitlines()]


def _pkg_records(request: BuildRequest) -> list[dict[str, Any]]:
    system = detect(request.source_path, request.package)
    records = []
    for step in detect(request.source_path, request.package).steps(request):
        assert isinstance(step.command, tuple)
        keys = [
            key
            for key in step.env
            if key.startswith(("REZ_BUILD_", "__PARSE_ARG_")) or key == "CMAKE_MODULE_PATH"
        ]
        records.append(
            {
                "tool": os.path.basename(step.command[0]),
                "argv": list(step.command[1:]),
                "cwd": step.cwd,
                "env": {key: step.env[key] for key in keys},
            }
        )
    assert system.name in build_system_names()
    return records


def _rez_to_pkg_paths(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rez's records with its own cmake module directory and Doxyfile swapped for pkg's."""
    import rezplugins.build_system as rez_build_systems  # only the oracle side imports rez

    plugin_dir = os.path.dirname(rez_build_systems.__file__)
    rez_cmake = os.path.join(plugin_dir, "cmake_files")
    rez_doxyfile = os.path.join(plugin_dir, "template_files", "Doxyfile")
    text = json.dumps(records).replace(rez_doxyfile, DOXYFILE).replace(rez_cmake, CMAKE_FILES)
    result: list[dict[str, Any]] = json.loads(text)
    return result


def _assert_same(ours: list[dict[str, Any]], rez: list[dict[str, Any]]) -> None:
    assert [(record["tool"], record["argv"], record["cwd"]) for record in ours] == [
        (record["tool"], record["argv"], record["cwd"]) for record in rez
    ]
    for mine, theirs in zip(ours, rez, strict=True):
        assert sorted(mine["env"].items()) == sorted(theirs["env"].items())


@pytest.mark.parametrize(
    ("args", "fields", "tools"),
    [
        (["-i"], {"install": True}, ["cmake", "make", "make"]),
        (["-s"], {"scripts": True}, ["cmake"]),
        (
            ["--bt", "Debug", "--bs", "ninja", "--ba=-DX=1", "--cba=-j7 -k0"],
            {
                "options": {"build_target": "Debug", "cmake_build_system": "ninja"},
                "build_args": ("-DX=1",),
                "child_build_args": ("-j7", "-k0"),
            },
            ["cmake", "ninja"],
        ),
    ],
    ids=["install", "scripts", "options"],
)
def test_cmake_variant(
    tmp_path: Path, args: list[str], fields: dict[str, Any], tools: list[str]
) -> None:
    repo = _repo(tmp_path)
    source = tmp_path / "src"
    source.mkdir()
    (source / "CMakeLists.txt").write_text("")
    (source / "package.py").write_text(
        textwrap.dedent(
            '''\
            name = 'greet'
            version = '2.5.1'
            description = """
                A greeter.
            """
            variants = [['python-3.9']]
            build_requires = ['faketools']
            private_build_requires = ['!eek']
            '''
        )
    )
    rez = _rez_to_pkg_paths(_rez_build(tmp_path, source, *args))
    request = BuildRequest(
        package=BuildPackage(
            "greet", "2.5.1", str(source / "package.py"), description="\n    A greeter.\n"
        ),
        source_path=str(source),
        build_path=str(source / "build" / "python-3.9"),
        install_path=str(tmp_path / "local" / "greet" / "2.5.1" / "python-3.9"),
        variant_index=0,
        variant_requires=("python-3.9",),
        variant_subpath="python-3.9",
        build_requires=("python-3.9", "faketools", "!eek", "~platform-linux"),
        thread_count=3,
        context_environ={"CMAKE_MODULE_PATH": str(repo / "faketools" / "1" / "cmake")},
        **fields,
    )
    _assert_same(_pkg_records(request), rez)
    assert [record["tool"] for record in rez] == tools


def test_custom_build_with_parse_build_args(tmp_path: Path) -> None:
    _repo(tmp_path)
    source = tmp_path / "src"
    source.mkdir()
    (source / "parse_build_args.py").write_text(
        "parser.add_argument('--shout', action='store_true')\n"
        "parser.add_argument('--word', default='plain')\n"
        "parser.add_argument('--tag', action='append')\n"
    )
    (source / "package.py").write_text(
        "name = 'tooly'\nversion = '0.3'\nbuild_requires = ['faketools']\n"
        "build_command = ['fake', '{root}', '{install}', '[{variant_index}]', '{name}-{version}']\n"
    )
    args = ["--shout", "--word", "two words", "--tag", "a", "--tag", "b c"]
    rez = _rez_to_pkg_paths(_rez_build(tmp_path, source, *args, "--ba", "extra arg"))
    for record in rez:  # set by the faketools package, not by the build system
        del record["env"]["CMAKE_MODULE_PATH"]
    values, rest = parse_build_args(str(source), args)
    assert rest == []
    request = BuildRequest(
        package=BuildPackage(
            "tooly",
            "0.3",
            str(source / "package.py"),
            build_command=("fake", "{root}", "{install}", "[{variant_index}]", "{name}-{version}"),
        ),
        source_path=str(source),
        build_path=str(source / "build"),
        install_path=str(tmp_path / "local" / "tooly" / "0.3"),
        build_requires=("faketools", "~platform-linux"),
        build_args=("extra", "arg"),
        thread_count=3,
        options={"parse_build_args": values},
    )
    _assert_same(_pkg_records(request), rez)
