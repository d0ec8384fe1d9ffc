"""Versions benchmark: pkg against rez 3.4.0, side by side in one run.

Three measurements, each on the same generated data for both tools:

* parse 200,000 version strings;
* sort those 200,000 versions;
* test 200,000 versions for containment in ranges (one range per version, cycling
  through 500 generated ranges of every common form).

Run:  python benchmarks/bench_versions.py [--count N] [--repeat R]
It prints the best-of-R time for each tool and the ratio rez/pkg (target: >= 3x).
"""

from __future__ import annotations

import argparse
import random
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable


def generate_versions(count: int, seed: int = 7) -> list[str]:
    """Realistic version strings: mostly numeric, some alphanumeric and padded tokens."""
    rng = random.Random(seed)
    alpha = ["a", "b", "rc", "beta", "alpha", "dev", "post", "p"]
    out: list[str] = []
    for _ in range(count):
        tokens = []
        for _ in range(rng.choice([1, 2, 3, 3, 3, 4])):
            roll = rng.random()
            if roll < 0.75:
                tokens.append(str(rng.randint(0, 40)))
            elif roll < 0.9:
                tokens.append(f"{rng.choice(alpha)}{rng.randint(0, 12)}")
            else:
                tokens.append(f"{rng.randint(0, 9):02d}")
        out.append(rng.choice(".-").join(tokens) if rng.random() < 0.1 else ".".join(tokens))
    return out


def generate_ranges(versions: list[str], count: int = 500, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    forms = [
        "{a}",
        "{a}+",
        "{a}+<{b}",
        ">={a},<{b}",
        "<{b}",
        "=={a}",
        "{a}..{b}",
        "{a}|{b}+",
        ">{a}<={b}",
    ]
    out: list[str] = []
    while len(out) < count:
        a, b = sorted(
            rng.sample(versions, 2),
            key=lambda s: [int(x) if x.isdigit() else -1 for x in s.replace("-", ".").split(".")],
        )
        out.append(rng.choice(forms).format(a=a, b=b))
    return out


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run_tool(
    name: str,
    version_cls: Any,
    range_cls: Any,
    texts: list[str],
    range_texts: list[str],
    repeat: int,
) -> dict[str, float]:
    parsed: list[Any] = [version_cls(t) for t in texts]
    ranges: list[Any] = []
    for text in range_texts:
        try:
            ranges.append(range_cls(text))
        except Exception:  # an impossible generated range is replaced for both tools
            ranges.append(range_cls(""))
    pairs = [(v, ranges[i % len(ranges)]) for i, v in enumerate(parsed)]

    def parse() -> object:
        return [version_cls(t) for t in texts]

    def sort() -> object:
        return sorted(parsed)

    def contains() -> object:
        return sum(1 for v, r in pairs if v in r)

    results = {
        "parse": best_of(repeat, parse),
        "sort": best_of(repeat, sort),
        "contains": best_of(repeat, contains),
    }
    hits = contains()
    print(
        f"  {name:4s} "
        + "  ".join(f"{k} {v:7.3f}s" for k, v in results.items())
        + f"  ({hits} hits)"
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from pkg import Version, VersionRange

    texts = generate_versions(args.count)
    range_texts = generate_ranges(texts)
    distinct = len(set(texts))
    print(f"{args.count} versions ({distinct} distinct), {len(range_texts)} ranges", end="")
    print(f", best of {args.repeat}")
    ours = run_tool("pkg", Version, VersionRange, texts, range_texts, args.repeat)
    try:
        from rez.version import Version as RezVersion
        from rez.version import VersionRange as RezRange
    except ImportError:
        print("rez is not installed (pip install -e '.[parity]'): no comparison")
        return
    theirs = run_tool("rez", RezVersion, RezRange, texts, range_texts, args.repeat)
    print("ratio rez/pkg (target >= 3x):")
    for key in ours:
        print(f"  {key:9s} {theirs[key] / ours[key]:6.1f}x")


if __name__ == "__main__":
    main()
