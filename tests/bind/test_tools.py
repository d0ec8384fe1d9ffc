"""The helpers of :mod:`pkg.bind._tools`, with real files and processes."""

from __future__ import annotations

import os
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from pkg.bind import BindError
from pkg.bind._tools import (
    check_version,
    extract_version,
    find_exe,
    rex_function,
    run_python,
    safe_version_string,
)
from pkg.core import Version, VersionRange

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x86_64", "x86_64"),
        ("Ubuntu-22.04", "Ubuntu-22.04"),
        ("Red Hat-8.5", "Red_Hat-8.5"),
        ("a..b--c", "a.b-c"),
        ("-.1.2.-", "1.2"),
        ("windows-10.0.19041.SP0", "windows-10.0.19041.SP0"),
    ],
)
def test_safe_version_string(text: str, expected: str) -> None:
    assert safe_version_string(text) == expected
    Version(safe_version_string(text))  # always a valid version


def test_check_version() -> None:
    check_version(Version("3.11.7"), None)
    check_version(Version("3.11.7"), VersionRange("3.11"))
    with pytest.raises(BindError, match=r"found version 3\.11\.7 is not within range 3\.12"):
        check_version(Version("3.11.7"), VersionRange("3.12"))


def _script(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{textwrap.dedent(body)}")
    os.chmod(path, 0o755)
    return path


def test_find_exe(tmp_path: Path) -> None:
    tool = _script(tmp_path / "mytool", "exit 0\n")
    environ = {"PATH": str(tmp_path)}
    assert find_exe("mytool", None, environ) == str(tool)
    assert find_exe("ignored", str(tool), environ) == str(tool)
    with pytest.raises(BindError, match="could not find executable: other"):
        find_exe("other", None, environ)
    with pytest.raises(BindError, match="no such file"):
        find_exe("mytool", str(tmp_path / "missing"), environ)
    with pytest.raises(BindError, match="not a file"):
        find_exe("mytool", str(tmp_path), environ)


@pytest.mark.parametrize(
    ("output", "word", "expected"),
    [
        ("cmake version 3.25.1\n\nCMake suite\n", -1, "3.25.1"),
        ("tool 1.2.3.4-beta\n", -1, "1.2.3"),
        ("cmake.exe version 3.20.0-rc1 extra\n", 2, "3.20.0"),
    ],
)
def test_extract_version(tmp_path: Path, output: str, word: int, expected: str) -> None:
    tool = _script(tmp_path / "tool", f"printf '{output}'\n")
    assert extract_version(str(tool), [], {}, word_index=word) == Version(expected)


def test_extract_version_errors(tmp_path: Path) -> None:
    failing = _script(tmp_path / "failing", "echo broken >&2; exit 3\n")
    with pytest.raises(BindError, match=r"failed to execute .*broken.*exit status 3"):
        extract_version(str(failing), [], {})
    silent = _script(tmp_path / "silent", "exit 0\n")
    with pytest.raises(BindError, match="failed to parse version"):
        extract_version(str(silent), [], {})
    with pytest.raises(BindError, match="failed to execute"):
        extract_version(str(tmp_path / "absent"), [], {})


def test_run_python() -> None:
    ok, out, _err = run_python(["import sys", "print(sys.version_info[0])"], dict(os.environ))
    assert (ok, out) == (True, str(sys.version_info[0]))
    ok, _out, err = run_python(["import no_such_module_here"], dict(os.environ))
    assert not ok
    assert "ModuleNotFoundError" in err


def test_rex_function() -> None:
    code = rex_function("commands", "env.A = 'x'", "", "env.PATH.append('{root}')")
    assert code.name == "commands"
    assert code.body().rstrip() == "env.A = 'x'\n\nenv.PATH.append('{root}')"
