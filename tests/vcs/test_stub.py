"""The stub release VCS: a ``.stub`` file holding tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from pkg.packages._yaml import load_yaml
from pkg.vcs import VCSError
from pkg.vcs.stub import StubVCS, dump_stub
from tests.vcs._support import vcs_settings

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def stub(tmp_path: Path) -> StubVCS:
    (tmp_path / ".stub").write_text("")
    return StubVCS(tmp_path, vcs_settings())


def test_root_is_only_the_directory_itself(tmp_path: Path) -> None:
    (tmp_path / ".stub").write_text("")
    (tmp_path / "sub").mkdir()
    assert StubVCS.find_root(tmp_path) == tmp_path
    assert StubVCS.find_root(tmp_path / "sub") is None


def test_always_releasable_and_revision_is_the_time(stub: StubVCS) -> None:
    stub.validate_repostate()
    assert stub.current_revision() == {"time": stub.time}


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (None, "This is the first commit"),
        ({"time": -10}, "This commit was {} seconds after the last"),
        (-10, "This commit was {} seconds after the last"),  # Rez's revision: a number
        ({"commit": "abc"}, "There is a previous commit from a different vcs"),
    ],
)
def test_changelog_texts(stub: StubVCS, previous: object, expected: str) -> None:
    assert stub.changelog(previous, 0) == expected.format(stub.time + 10)


def test_tags_are_written_to_the_stub_file(stub: StubVCS) -> None:
    assert not stub.tag_exists("foo-1.0")
    stub.create_tag("foo-1.0", "first release")
    stub.create_tag("foo-1.1", "message: with 'quotes' and # hash")
    assert stub.tag_exists("foo-1.0")
    assert load_yaml((stub.root / ".stub").read_text()) == {
        "tags": {"foo-1.0": "first release", "foo-1.1": "message: with 'quotes' and # hash"}
    }
    with pytest.raises(VCSError, match=r"^stub: .*\.stub: tag 'foo-1.0' exists already$"):
        stub.create_tag("foo-1.0", "again")
    stub.push_tag("foo-1.0")  # nowhere to push: no-op
    stub.delete_tag("foo-1.0")
    stub.delete_tag("foo-1.0")
    assert stub.tags() == {"foo-1.1": "message: with 'quotes' and # hash"}


def test_other_keys_of_the_stub_file_are_kept(stub: StubVCS) -> None:
    (stub.root / ".stub").write_text("owner: ann\ntags:\n  old-1: null\n")
    stub.create_tag("new-2", "")
    assert load_yaml((stub.root / ".stub").read_text()) == {
        "owner": "ann",
        "tags": {"old-1": None, "new-2": ""},
    }


def test_a_broken_stub_file_is_one_clear_error(stub: StubVCS) -> None:
    (stub.root / ".stub").write_text("- a list\n")
    with pytest.raises(VCSError, match=r"\.stub: the stub file must hold a mapping"):
        stub.tag_exists("x")


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "two words",
        "true",
        "yes no",
        "1.0",
        "1 2",
        "null",
        "",
        " lead",
        "a: b",
        "x\ny",
        "é",
        None,
        3,
        ["a", 1],
    ],
)
def test_dump_stub_round_trips(value: object) -> None:
    data: dict[str, object] = {"tags": {"t": value, str(value): "v"}}
    assert load_yaml(dump_stub(data)) == data
