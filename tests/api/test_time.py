"""Command-line times: epoch seconds or relative."""

from __future__ import annotations

import pytest

from pkg.api._time import parse_epoch_time
from pkg.errors import UsageError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("1418350671", 1418350671),
        ("-12s", 100_000 - 12),
        ("-5.4m", 100_000 - 324),
        ("-2h", 100_000 - 7200),
        ("-1d", 100_000 - 86400),
        ("-3d", 0),  # never below zero
    ],
)
def test_parse(text: str, expected: int) -> None:
    assert parse_epoch_time(text, now=100_000) == expected


@pytest.mark.parametrize("text", ["", "yesterday", "-d", "-1x", "1d", "-1.2.3h"])
def test_unrecognised(text: str) -> None:
    with pytest.raises(UsageError, match="unrecognised time format"):
        parse_epoch_time(text, now=100_000)
