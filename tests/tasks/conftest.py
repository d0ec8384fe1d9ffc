"""Every async task test runs on asyncio and on trio (see ``tests/orchestrator/conftest.py``)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Both backends, for every test that asks for anyio."""
    return str(request.param)
