"""The ``stub`` release VCS: a ``.stub`` YAML file in the source directory, for tests.

As in Rez, the working copy is always releasable, the revision is the time the VCS was
opened, and tags are kept in the file's ``tags`` mapping (tag name -> message).  The file
is read and written in a YAML subset that Rez reads, and Rez's ``.stub`` files are read
here, so both tools share tags.  Only the directory itself is searched (not its parents).
"""

from __future__ import annotations

import json
import re
import time
from typing import TYPE_CHECKING, ClassVar

from pkg.vcs.base import ReleaseVCS, VCSError

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import ReleaseVcsPlugins

__all__ = ["STUB_FILE", "StubVCS", "dump_stub"]

#: The file that marks a stub repository root.
STUB_FILE = ".stub"

#: Text written unquoted: words of safe characters, single spaces between them.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.,/+\-]*(?: [A-Za-z0-9_.,/+\-]+)*")


class StubVCS(ReleaseVCS):
    """A directory holding a :data:`STUB_FILE`."""

    name: ClassVar[str] = "stub"
    search_parents: ClassVar[bool] = False

    def __init__(self, root: Path, settings: ReleaseVcsPlugins) -> None:
        super().__init__(root, settings)
        #: Seconds since the epoch when this VCS was opened: the current "revision".
        self.time = int(time.time())

    @classmethod
    def is_valid_root(cls, path: Path) -> bool:
        """Whether ``path`` holds a ``.stub`` file."""
        return (path / STUB_FILE).exists()

    @property
    def path(self) -> Path:
        """The ``.stub`` file."""
        return self.root / STUB_FILE

    def validate_repostate(self, *, fetch: bool = True) -> None:
        """Always releasable."""

    def current_revision(self) -> dict[str, object]:
        """``{"time": seconds since the epoch when this VCS was opened}``."""
        return {"time": self.time}

    def changelog(self, previous_revision: object | None, max_revisions: int) -> str:
        """One line saying how long ago the previous revision was (Rez's texts); a
        previous revision is either this plugin's or Rez's (a bare number)."""
        if not previous_revision:
            return "This is the first commit"
        previous = (
            previous_revision.get("time")
            if isinstance(previous_revision, dict)
            else previous_revision
        )
        if isinstance(previous, int) and not isinstance(previous, bool):
            return f"This commit was {self.time - previous} seconds after the last"
        return "There is a previous commit from a different vcs"

    def tags(self) -> dict[str, object]:
        """The tags in the ``.stub`` file (name -> message)."""
        tags = self._read().get("tags")
        return {str(key): value for key, value in tags.items()} if isinstance(tags, dict) else {}

    def tag_exists(self, tag: str) -> bool:
        return tag in self.tags()

    def create_tag(self, tag: str, message: str) -> None:
        """Add ``tag`` with ``message`` to the ``.stub`` file.

        Raises:
            VCSError: if the tag exists already or the file cannot be read or written.
        """
        data = self._read()
        tags = data.get("tags")
        tags = dict(tags) if isinstance(tags, dict) else {}
        if tag in tags:
            raise VCSError(f"{self.path}: tag {tag!r} exists already", vcs=self.name)
        tags[tag] = message
        data["tags"] = tags
        self._write(data)

    def push_tag(self, tag: str) -> None:
        """Nothing to push to."""

    def delete_tag(self, tag: str) -> None:
        """Remove ``tag`` from the ``.stub`` file, if it is there."""
        data = self._read()
        tags = data.get("tags")
        if isinstance(tags, dict) and tag in tags:
            data["tags"] = {key: value for key, value in tags.items() if key != tag}
            self._write(data)

    def _read(self) -> dict[str, object]:
        from pkg.packages._yaml import YamlError, load_yaml

        try:
            data = load_yaml(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YamlError) as error:
            raise VCSError(
                f"{self.path}: cannot read the stub file: {error}", vcs=self.name
            ) from None
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise VCSError(
                f"{self.path}: the stub file must hold a mapping (or nothing)", vcs=self.name
            )
        return data

    def _write(self, data: dict[str, object]) -> None:
        try:
            self.path.write_text(dump_stub(data), encoding="utf-8")
        except OSError as error:
            raise VCSError(
                f"{self.path}: cannot write the stub file: {error}", vcs=self.name
            ) from None


def dump_stub(data: dict[str, object]) -> str:
    """``data`` as YAML in the block style Rez writes ``.stub`` files with: nested
    mappings as indented blocks, simple names as plain scalars, other values as
    JSON (which YAML reads as flow style and double-quoted strings).

    >>> print(dump_stub({"tags": {"foo-1.0": "first release", "foo-1.1": None}}), end="")
    tags:
      foo-1.0: first release
      foo-1.1: null
    """
    return "".join(_dump_mapping(data, 0)) if data else "{}\n"


def _dump_mapping(data: dict[str, object], indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for key, value in data.items():
        if isinstance(value, dict) and value:
            lines.append(f"{pad}{_scalar(str(key))}:\n")
            lines.extend(_dump_mapping(value, indent + 2))
        else:
            lines.append(f"{pad}{_scalar(str(key))}: {_scalar(value)}\n")
    return lines


def _scalar(value: object) -> str:
    """``value`` as a YAML scalar (or JSON flow collection) that reads back the same."""
    if isinstance(value, str) and _is_plain(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _is_plain(text: str) -> bool:
    """Whether ``text`` can be written unquoted: simple words YAML reads as a string."""
    if not _PLAIN.fullmatch(text):
        return False
    from pkg.packages._yaml import resolve_plain

    return resolve_plain(text) == text
