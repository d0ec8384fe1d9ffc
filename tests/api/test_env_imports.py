"""What ``pkg env`` imports: only what its common path uses (resolving with caching off,
building the context, starting the shell), checked in a fresh interpreter."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import write_package

if TYPE_CHECKING:
    from pathlib import Path

#: Modules the common path of ``pkg env`` must not import.
UNUSED = (
    "pkg.api.repository_ops",  # pkg cp/mv/rm (nonlocal_packages_path is in pkg.api._paths)
    "pkg.api._resolve_cache",  # only with resolve caching on
    "pkg.api._graph",  # only to write a graph
    "pkg.repositories.copy",
    "pkg.repositories._fsinstall",
    "pkg.repositories.memory",
    "pkg.packages.serialise",
    "pkg.packages._yaml",  # only for package.yaml
    "pkg.resolver._rules",  # only when a filter has rules
    "pkg.resolver._orderer_types",  # only when package_orderers is set
    "tomllib",  # only when there is a config file
    "socket",  # {system.fqdn} of the release hooks is expanded when they run
)

SCRIPT = """
import sys
from pkg.api.env import create_context
from pkg.config import load_config

config = load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"})
env = create_context(["hello"], config, paths=[sys.argv[1]], caching=False)
assert env.success, env.context.failure_description
print(" ".join(sorted(sys.modules)))
"""


def test_pkg_env_resolve_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    write_package(tmp_path, "python", "3.9", "")
    write_package(
        tmp_path,
        "hello",
        "1.0",
        """
        requires = ["python"]

        def commands():
            env.PATH.append("{root}/bin")
        """,
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split())
    assert "pkg.resolver.solver" in imported  # it did resolve
    assert sorted(imported.intersection(UNUSED)) == []


@pytest.mark.parametrize(
    "module",
    [
        "pkg.packages",
        "pkg.repositories",
        "pkg.resolver",
        "pkg.resolver.filters",
        "pkg.resolver.orderers",
    ],
)
def test_lazy_modules_export_every_name(module: str) -> None:
    loaded = importlib.import_module(module)
    for name in loaded.__all__:
        assert getattr(loaded, name) is not None, name
    with pytest.raises(AttributeError):
        _ = loaded.no_such_name
