"""Every example in docs/ and README.md runs, and the CLI reference is up to date.

* ``>>>`` examples run as doctests and must print what the page says.
* Fenced ``sh``/``console`` blocks run in bash (``set -e``) in a sandbox: a temporary
  copy of ``demo/packages`` (in the working directory, as in a checkout) as the only
  repository, a throw-away home with no home
  configuration, local and release repositories in the sandbox, package indexes and
  proxies pointing nowhere.  They must exit 0.  Lines starting with ``$ `` are separate
  commands, and the lines after one are what it prints (``...`` stands for any text).
* Fenced ``toml`` blocks load as a pkg config file.  ``python`` blocks that define a
  package (a top-level ``name = ...``) load with pkg's package loader; the others run
  (this interpreter, in the sandbox of the shell blocks) and must exit 0.
* A block that cannot run here (it needs a render farm, real DCC packages, a mail
  server...) has ``<!-- not-run: REASON -->`` on the line before its opening fence; the
  reason is required.
"""

from __future__ import annotations

import ast
import doctest
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ALL_PAGES = sorted([ROOT / "README.md", *ROOT.glob("docs/*.md")])
PAGES = [p for p in ALL_PAGES if ">>>" in p.read_text(encoding="utf-8")]
REFERENCE = ROOT / "docs" / "cli-reference.md"
REGENERATE = "python -m pkg.cli._reference > docs/cli-reference.md"

SHELL_LANGUAGES = frozenset({"sh", "console", "bash", "shell"})
CHECKED_LANGUAGES = SHELL_LANGUAGES | {"toml", "python"}
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+)(?P<lang>[\w-]*)[^`]*$")
_NOT_RUN = re.compile(r"^\s*<!--\s*not-run:(?P<reason>.*?)-->\s*$")
#: Seconds one block may take (a hung example fails instead of hanging the suite).
BLOCK_TIMEOUT = 120


@dataclass(frozen=True)
class Block:
    """A fenced code block of a page."""

    page: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str  # dedented to the fence's indentation
    not_run: str | None  # the marker's reason ("" if the marker gives none), or None

    @property
    def id(self) -> str:
        return f"{self.page.name}:{self.line}"


def blocks_of(page: Path) -> list[Block]:
    """The fenced code blocks of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        indent, fence = match["indent"], match["fence"]
        end = index + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        body = "\n".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in lines[index + 1 : end]
        )
        previous = next((line for line in reversed(lines[:index]) if line.strip()), "")
        marker = _NOT_RUN.match(previous)
        found.append(
            Block(
                page,
                index + 1,
                match["lang"],
                body + "\n",
                None if marker is None else marker["reason"].strip(),
            )
        )
        index = end + 1
    return found


CHECKED = [b for page in ALL_PAGES for b in blocks_of(page) if b.lang in CHECKED_LANGUAGES]


def checked(lang: set[str] | frozenset[str]) -> list[Block]:
    return [block for block in CHECKED if block.lang in lang]


def skip_unless_run(block: Block) -> None:
    assert block.not_run != "", f"{block.id}: the not-run marker gives no reason"
    if block.not_run is not None:
        pytest.skip(f"not run: {block.not_run}")


# -- doctests ---------------------------------------------------------------------------


def test_some_pages_have_examples() -> None:
    assert PAGES, "no page in docs/ has a >>> example"
    assert {b.lang for b in CHECKED} >= {"sh", "toml", "python"}, "the block parser found nothing"


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


# -- shell blocks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sandbox:
    """Where shell examples run: ``cwd`` and the environment ``env``."""

    cwd: Path
    env: dict[str, str]


@pytest.fixture
def sandbox(tmp_path: Path, isolated_environment: Path) -> Sandbox:
    """A fresh sandbox: a work directory holding a copy of ``demo/`` (the demo repository
    at ``demo/packages``, the only one in ``packages_path``, and source packages in
    ``demo/src``, as in a checkout of pkg);
    pkg from this interpreter first on ``PATH``."""
    work = tmp_path / "work"
    shutil.copytree(ROOT / "demo", work / "demo")
    packages = work / "demo" / "packages"
    env = dict(os.environ)
    env.update(
        {
            "PATH": os.pathsep.join(
                [str(Path(sys.executable).parent), env.get("PATH", os.defpath)]
            ),
            "PKG_PACKAGES_PATH": str(packages),
            "PKG_LOCAL_PACKAGES_PATH": str(tmp_path / "local_packages"),
            "PKG_RELEASE_PACKAGES_PATH": str(tmp_path / "release_packages"),
            "PKG_DISABLE_HOME_CONFIG": "1",
            "PIP_NO_INDEX": "1",
            "PIP_CONFIG_FILE": os.devnull,
            "http_proxy": "http://127.0.0.1:9",
            "https_proxy": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "SHELL": "/bin/bash",
        }
    )
    return Sandbox(work, env)


def commands_and_output(text: str) -> list[tuple[str, str | None]]:
    """``(command, shown output or None)`` pairs of a block.

    Without ``$ `` prompts the whole block is one script and nothing is compared.
    """
    lines = text.splitlines()
    if not any(line.startswith("$ ") for line in lines):
        return [(text, None)]
    pairs: list[tuple[str, list[str]]] = []
    continued = False
    for line in lines:
        if line.startswith("$ ") or (continued and pairs):
            command = line[2:] if line.startswith("$ ") else line
            if continued:
                pairs[-1] = (pairs[-1][0] + "\n" + command, pairs[-1][1])
            else:
                pairs.append((command, []))
            continued = line.endswith("\\")
        elif pairs:
            pairs[-1][1].append(line)
    return [(command, "\n".join(out) + "\n" if out else None) for command, out in pairs]


def run_shell(command: str, box: Sandbox) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", command],
        cwd=box.cwd,
        env=box.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=BLOCK_TIMEOUT,
        check=False,
    )


def output_matches(want: str, got: str) -> bool:
    """``got`` is ``want``, where ``...`` in ``want`` stands for any text, ignoring
    trailing whitespace on each line."""
    checker = doctest.OutputChecker()
    clean = "\n".join(line.rstrip() for line in got.splitlines()) + "\n"
    return checker.check_output(want, clean, doctest.ELLIPSIS)


_MARKER = "--- pkg docs example {} ---"


def run_block(block: Block, box: Sandbox) -> list[tuple[str, str | None, str]]:
    """Run the commands of a shell block in one bash process (so ``cd`` and ``export``
    carry over); return ``(command, shown output, printed output)`` for each.

    Raises:
        AssertionError: the block exits with a non-zero status.
    """
    pairs = commands_and_output(block.text)
    script = "\n".join(
        f"printf '%s\\n' '{_MARKER.format(index)}'\n{command}"
        for index, (command, _want) in enumerate(pairs)
    )
    result = run_shell(script, box)
    assert result.returncode == 0, (
        f"{block.id}: exit status {result.returncode} from\n{block.text}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    outputs = re.split(r"^--- pkg docs example \d+ ---\n", result.stdout, flags=re.M)[1:]
    assert len(outputs) == len(pairs), f"{block.id}: the output markers are missing"
    return [(command, want, got) for (command, want), got in zip(pairs, outputs, strict=True)]


@pytest.mark.parametrize("block", checked(SHELL_LANGUAGES), ids=lambda b: b.id)
def test_shell_block(block: Block, sandbox: Sandbox) -> None:
    skip_unless_run(block)
    for command, want, got in run_block(block, sandbox):
        if want is not None:
            assert output_matches(want, got), (
                f"{block.id}: {command!r} printed\n{got}\nbut the page shows\n{want}"
            )


def test_output_matching() -> None:
    assert output_matches("a\n...\nz\n", "a\nb\nc\nz\n")
    assert not output_matches("a\nz\n", "a\nb\n")
    assert commands_and_output("$ echo a \\\n  b\na b\n$ true\n") == [
        ("echo a \\\n  b", "a b\n"),
        ("true", None),
    ]


def test_a_failing_block_fails(sandbox: Sandbox) -> None:
    # The sandbox really runs pkg, against the demo repository only.
    assert run_shell("pkg search hello", sandbox).stdout.split() == ["hello-1.0.0", "hello-1.1.0"]
    assert run_shell("pkg env no_such_package -- true", sandbox).returncode != 0


def test_not_run_needs_a_reason(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- not-run: needs a farm -->\n```sh\nx\n```\n\n<!-- not-run: -->\n```toml\n```\n"
    )
    assert [(b.lang, b.not_run) for b in blocks_of(page)] == [("sh", "needs a farm"), ("toml", "")]


# -- toml and python blocks -------------------------------------------------------------


@pytest.mark.parametrize("block", checked({"toml"}), ids=lambda b: b.id)
def test_toml_block(block: Block, tmp_path: Path) -> None:
    from pkg.config import load_config

    skip_unless_run(block)
    path = tmp_path / "pkgconfig.toml"
    path.write_text(block.text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    load_config(environ={"PKG_CONFIG_FILE": str(path), "PKG_DISABLE_HOME_CONFIG": "1"}, home=home)


def defines_package(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "name" for t in node.targets)
        for node in tree.body
    )


@pytest.mark.parametrize("block", checked({"python"}), ids=lambda b: b.id)
def test_python_block(block: Block, tmp_path: Path, sandbox: Sandbox) -> None:
    from pkg.packages import load_definition

    skip_unless_run(block)
    if ">>>" in block.text:
        pytest.skip("a doctest: run by test_examples")
    source = textwrap.dedent(block.text)
    tree = ast.parse(source, filename=block.id)
    compile(tree, block.id, "exec")
    if defines_package(tree):
        path = tmp_path / "package.py"
        path.write_text(source, encoding="utf-8")
        definition = load_definition(path)
        assert definition is not None
        return
    result = subprocess.run(
        [sys.executable, "-c", source],
        cwd=sandbox.cwd,
        env=sandbox.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=BLOCK_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"{block.id}: exit status {result.returncode} from\n{source}\n"
        f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )


# -- the CLI reference ------------------------------------------------------------------


def test_cli_reference_is_current() -> None:
    from pkg.cli._reference import reference

    assert REFERENCE.read_text(encoding="utf-8") == reference(), (
        f"{REFERENCE.relative_to(ROOT)} is out of date: run `{REGENERATE}`"
    )


def test_index_links_every_page() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in ROOT.glob("docs/*.md") if p.name != "index.md")
    missing = [name for name in pages if f"]({name})" not in index]
    assert not missing, f"docs/index.md does not link to {missing}"


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", text)
    broken = sorted({t for t in targets if not (page.parent / t).is_file()})
    assert not broken, f"{page.name} links to missing pages: {broken}"
