"""Malformed package definitions in a repository: each is reported with its file, line and
attribute, the rest of the repository still lists, and only --validate makes it fail."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.cli import main

if TYPE_CHECKING:
    from pathlib import Path

# family -> (package.py content, the line at fault or None, the attribute at fault or "",
#            a piece of the message)
MALFORMED: dict[str, tuple[bytes, int | None, str, str]] = {
    "syntax": (b"name = 'syntax'\nversion = '1'\nrequires = [\n", 3, "", "syntax"),
    "noname": (b"version = '1'\ndescription = 'no name'\n", None, "name", "no 'name'"),
    "badversion": (b"name = 'badversion'\nversion = '1..2'\n", 2, "version", "version"),
    "badrequest": (
        b"name = 'badrequest'\nversion = '1'\nrequires = ['foo-1+<<2']\n",
        3,
        "requires",
        "foo-1+<<2",
    ),
    "laterex": (
        b"name = 'laterex'\nversion = '1'\n\n@late()\ndef commands():\n    env.A = 1\n",
        5,
        "commands",
        "late",
    ),
    "notalist": (
        b"name = 'notalist'\nversion = '1'\nrequires = 'foo'\n",
        3,
        "requires",
        "list",
    ),
    "unreadable": (b"name = 'unreadable'\n\xff\xfe not utf-8\n", None, "", "cannot read"),
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for family, (content, _line, _attr, _text) in MALFORMED.items():
        directory = root / family / "1"
        directory.mkdir(parents=True)
        (directory / "package.py").write_bytes(content)
    good = root / "good" / "1"
    good.mkdir(parents=True)
    (good / "package.py").write_text("name = 'good'\nversion = '1'\n")
    return root


@pytest.mark.parametrize("family", sorted(MALFORMED))
def test_each_error_names_file_line_and_attribute(
    repo: Path, family: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _content, line, attribute, text = MALFORMED[family]
    code = main(["search", "--paths", str(repo), family])
    out, err = capsys.readouterr()
    assert code == 0
    assert out == f"{family}-1\n"  # still listed by name, as rez-search lists it
    (warning,) = err.splitlines()
    where = f"{repo}/{family}/1/package.py" + (f":{line}" if line else "")
    assert warning.startswith(f"warning: {where}: ")
    assert text in warning
    if attribute:
        assert f"(attribute {attribute!r})" in warning


def test_the_rest_lists_and_only_validate_fails(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "--paths", str(repo), "-t", "package", "*"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == sorted(f"{f}-1" for f in [*MALFORMED, "good"])
    assert len(err.splitlines()) == len(MALFORMED)
    assert main(["search", "--paths", str(repo), "--validate", "-t", "package", "*"]) == 1
    out, _ = capsys.readouterr()
    assert "good-1" in out.splitlines()
    assert main(["search", "--paths", str(repo), "--errors", "-t", "package", "*"]) == 0
    out, _ = capsys.readouterr()
    assert "good-1" not in out.splitlines()
    for family in MALFORMED:
        assert f"{family}-1" in out.splitlines()
