"""Test isolation shared by the whole suite.

Every test runs with a throw-away ``HOME``, no ``PKG_*`` (or ``REZ_*``) variables from the
developer's shell, no home configuration, no colours and an 80-column terminal, so results
never depend on the machine the tests run on.  Subprocesses started by a test inherit the
same environment.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from typing import TYPE_CHECKING

import pytest

from tests.memcached_server import MemcachedServer, find_binary, start

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(autouse=True)
def isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Pin the environment of each test; return the temporary home directory."""
    home = tmp_path_factory.mktemp("home")
    for name in list(os.environ):
        if name.startswith(("PKG_", "REZ_")) or name in {"XDG_CONFIG_HOME", "XDG_CACHE_HOME"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("PKG_DISABLE_HOME_CONFIG", "1")
    monkeypatch.setenv("REZ_DISABLE_HOME_CONFIG", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


#: (family, version or "" for unversioned, package.py body without name/version)
PACKAGES = [
    ("foo", "1.0", "requires = ['bar-1']\ntimestamp = 1000\n"),
    ("foo", "1.1", "requires = ['bar-1+', '!eek']\ntimestamp = 2000\n"),
    (
        "foo",
        "2.0",
        "requires = ['bar']\nvariants = [['python-3.9'], ['python-3.11']]\n"
        "build_requires = ['cmake']\ntimestamp = 3000\n"
        "help = [['Docs', '{root}/docs/index.html'], ['Man', 'man foo']]\n"
        "description = 'The foo library.'\n",
    ),
    ("bar", "1", "has_plugins = True\ntools = ['barbie']\n"),
    ("bar_plugin", "0.1", "plugin_for = ['bar']\nrequires = ['bar']\n"),
    ("baz", "3", "requires = ['foo-1']\nhelp = 'https://example.invalid/baz'\n"),
    ("python", "3.9", ""),
    ("python", "3.11", ""),
    ("cmake", "3.25", ""),
    ("tool", "", "requires = ['cmake']\n"),
]


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> dedented text) under ``root``; return ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def needs(*tools: str) -> pytest.MarkDecorator:
    """Skip unless every tool is on PATH."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(bool(missing), reason=f"{', '.join(missing)} not installed")


def write_package(root: Path, family: str, version: str, body: str) -> None:
    directory = root / family / version if version else root / family
    directory.mkdir(parents=True, exist_ok=True)
    head = f"name = {family!r}\n" + (f"version = {version!r}\n" if version else "")
    (directory / "package.py").write_text(head + textwrap.dedent(body))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The repository of :data:`PACKAGES`, plus ``broken-1.0`` whose definition is invalid."""
    root = tmp_path / "repo"
    for family, version, body in PACKAGES:
        write_package(root, family, version, body)
    broken = root / "broken" / "1.0"
    broken.mkdir(parents=True)
    (broken / "package.py").write_text("name = 'broken'\nversion = '1.0'\nrequires = 'bar'\n")
    (root / "broken" / "0.9").mkdir()
    (root / "broken" / "0.9" / "package.py").write_text("name = 'broken'\nversion = '0.9'\n")
    return root


# -- memcached --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def memcached_server() -> Iterator[MemcachedServer]:
    """A real memcached on a free loopback port, for the whole session."""
    binary = find_binary()
    if binary is None:
        pytest.skip("memcached is not installed (apt-get install memcached)")
    server = start(binary)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def memcached(memcached_server: MemcachedServer) -> MemcachedServer:
    """The session's memcached, emptied and with fresh statistics."""
    memcached_server.reset()
    return memcached_server
