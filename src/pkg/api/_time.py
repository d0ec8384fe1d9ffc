"""Times given on the command line: epoch seconds or relative to now (``-1d``, ``-5.4m``)."""

from __future__ import annotations

import time

from pkg.errors import UsageError

__all__ = ["parse_epoch_time"]

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_epoch_time(text: str, *, now: float | None = None) -> int:
    """Epoch seconds from ``text``: an integer, or ``-N`` + unit (d/h/m/s) before ``now``.

    ``-12s`` is twelve seconds ago, ``-5.4m`` five minutes and 24 seconds ago; the result
    is never below 0.

    Raises:
        UsageError: for any other form.
    """
    try:
        return int(text)
    except ValueError:
        pass
    unit = _UNITS.get(text[-1:]) if text.startswith("-") else None
    if unit is not None:
        try:
            amount = float(text[1:-1])
        except ValueError:
            amount = None
        if amount is not None:
            current = int(time.time() if now is None else now)
            return max(current - int(amount * unit), 0)
    raise UsageError(f"{text!r} is an unrecognised time format (use epoch seconds or e.g. -1d)")
