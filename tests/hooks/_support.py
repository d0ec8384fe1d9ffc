"""A package source directory, its release info and configs for the hook tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pkg.config import load_config
from pkg.hooks import ReleaseInfo
from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

    from pkg.config import Config

PACKAGE_BODY = """\
description = 'The foo library.'
authors = ['ann']
variants = [['python-3.9'], ['python-3.11']]
"""


def config(overrides: dict[str, object] | None = None) -> Config:
    """The default configuration with ``overrides`` (dotted keys allowed)."""
    return load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, overrides=overrides)


def release_info(tmp_path: Path, *, installed: bool = False, **changes: object) -> ReleaseInfo:
    """``foo-1.2`` with two variants, its source in ``tmp_path/src``, released to
    ``tmp_path/release`` (the installed definition is written when ``installed``)."""
    source = tmp_path / "src"
    write_package(source.parent, "src", "", "version = '1.2'\n" + PACKAGE_BODY)
    (source / "package.py").write_text(
        (source / "package.py").read_text().replace("name = 'src'", "name = 'foo'")
    )
    install = tmp_path / "release"
    install.mkdir(exist_ok=True)
    if installed:
        write_package(install, "foo", "1.2", PACKAGE_BODY)
    fields: dict[str, object] = {
        "user": "ann",
        "install_path": str(install),
        "package_name": "foo",
        "version": "1.2",
        "variants": (0, 1),
        "release_message": "first release",
        "changelog": "commit abc\n    add foo",
        "previous_version": "1.1",
        "previous_revision": None,
        "revision": {"commit": "abc"},
        "source_path": str(source),
    }
    fields.update(changes)
    return ReleaseInfo(**fields)  # type: ignore[arg-type]
