"""Every ``>>>`` example in docs/ and README.md runs and prints what the page says."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    p
    for p in [ROOT / "README.md", *ROOT.glob("docs/*.md")]
    if ">>>" in p.read_text(encoding="utf-8")
)


def test_some_pages_have_examples() -> None:
    assert PAGES, "no page in docs/ has a >>> example"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_examples(page: Path) -> None:
    parser = doctest.DocTestParser()
    text = page.read_text(encoding="utf-8")
    test = parser.get_doctest(text, {}, page.name, str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) failed in {page.name}"
