"""Random version, range and request strings for the differential tests against Rez.

The generator favours the corners where a re-implementation is most likely to differ:
zero padding, ``_`` and mixed-case tokens, ``.``/``-`` separators, every range form
including the reversed and comma forms, empty versions inside ranges, impossible bounds,
overlapping and touching unions, and plain character soup for the syntax checker.
"""

from __future__ import annotations

import random

_TOKENS = [
    "0",
    "1",
    "2",
    "3",
    "10",
    "01",
    "007",
    "a",
    "b",
    "Z",
    "_",
    "a_",
    "alpha",
    "beta",
    "rc1",
    "rc10",
    "1a",
    "a1",
    "1_",
    "33gamma",
    "gamma33",
    "A",
]
_SOUP = "0123ab._-+<>=,|"
_NAMES = ["foo", "bar", "foo.bar", "3d", "a_b", "_x", "py"]
_BAD_NAMES = ["foo..bar", "", "__pycache__", "fo$o", "foo.", ".foo"]


class Generator:
    """Deterministic (per seed) source of test strings."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def token(self) -> str:
        rng = self.rng
        if rng.random() < 0.75:
            return rng.choice(_TOKENS)
        chars = "abzAZ_0123456789"
        return "".join(rng.choice(chars) for _ in range(rng.randint(1, 5)))

    def version(self, *, allow_empty: bool = True) -> str:
        rng = self.rng
        count = rng.randint(0 if allow_empty else 1, 4)
        text = ""
        for i in range(count):
            if i:
                text += "." if rng.random() < 0.8 else "-"
            text += self.token()
        return text

    def odd_version(self) -> str:
        """A version string that may use unusual separators or be malformed."""
        rng = self.rng
        if rng.random() < 0.5:
            return self.version().replace(".", rng.choice(["+", " ", "..", ".", ":"]), 1)
        return "".join(rng.choice(_SOUP) for _ in range(rng.randint(1, 6)))

    def range_part(self) -> str:
        rng = self.rng
        a = self.version(allow_empty=False)
        b = self.version()
        forms = [
            a,
            f"=={b}",
            f"{b}..{a}",
            f"{a}..{b}",
            f"{a}+",
            f">{b}",
            f">={b}",
            f"<{a}",
            f"<={b}",
            f"{b}+<{a}",
            f"{b}<{a}",
            f"{b},<{a}",
            f">{b}<{a}",
            f">{b}<={a}",
            f">={b},<{a}",
            f"<={a},>{b}",
            f"<{a},>={b}",
            f"<={a},<{b}",
            f"{a},>{b}",
            f"{a}+,>{b}",
            f"+<{a}",
            f"><{a}",
            "",
            ">",
            "==",
            "..",
            "+",
        ]
        return rng.choice(forms)

    def range(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return "".join(rng.choice(_SOUP) for _ in range(rng.randint(1, 8)))
        if roll < 0.1:
            return self.range_part() + "\n"
        parts = [self.range_part() for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4]))]
        return "|".join(parts)

    def request(self, name: str | None = None) -> str:
        rng = self.rng
        if name is None:
            name = rng.choice(_NAMES) if rng.random() < 0.93 else rng.choice(_BAD_NAMES)
        prefix = rng.choice(["", "", "", "!", "~", "."])
        if rng.random() < 0.25:
            return prefix + name
        rng_text = self.range()
        sep = rng.choice(["-", "-", "@", "#", ""])
        return f"{prefix}{name}{sep}{rng_text}"
