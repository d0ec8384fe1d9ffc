"""Every async orchestrator test runs on asyncio and on trio.

The tests are marked ``@pytest.mark.anyio`` (``pytestmark`` per module), which hands them
to anyio's pytest plugin; pytest-trio only takes tests marked ``trio``, so the two plugins
never both claim a test.
"""

from __future__ import annotations

import pytest

from tests.orchestrator.helpers import Recorder


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Both backends, for every test that asks for anyio."""
    return str(request.param)


@pytest.fixture
def recorder() -> Recorder:
    """A fresh event recorder."""
    return Recorder()
