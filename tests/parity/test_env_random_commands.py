"""``pkg env`` against ``rez-env`` on repositories of random rex code (skipped without rez).

Each seed gives one repository from :class:`tests.parity.random_commands.CommandsGenerator`
(``pre_commands``/``commands``/``post_commands`` of random ``setenv``, ``appendenv``,
``prependenv``, ``unsetenv``, ``alias``, ``info``, ``comment``, conditionals, ``literal``
and ``expandable`` values with hostile text, ``{root}``-style fields and ``$VAR``
references), written to disk, and :data:`REQUESTS_PER_SHELL` random requests per shell:
bash always, zsh and tcsh for every seed too but fewer requests.  Both tools run
``REQUEST --shell SHELL --norc -- env -0`` as real processes from the same environment
(see :mod:`tests.parity.test_env_parity`); compared are the exit status, the ``info``
lines printed before the environment, and the environment but for the variables that
name the tool or the run (:data:`tests.parity.test_env_parity.IGNORED`).

``PKG_PARITY_SEEDS=N`` runs N seeds instead of :data:`DEFAULT_SEEDS` (and
``PKG_PARITY_FIRST_SEED=K`` starts at seed K), e.g. to hunt for differences::

    PKG_PARITY_SEEDS=200 python -m pytest tests/parity/test_env_random_commands.py

Each difference from Rez that pkg keeps on purpose has a minimal repro below, as a strict
``xfail`` test: the generator leaves those forms out of the random repositories.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import write_package
from tests.parity.random_commands import CommandsGenerator, write_command_repository
from tests.parity.test_env_parity import IGNORED, _base_environ, _tool, pytestmark

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Outcome", "run_env"]

pytestmark = [*pytestmark]

DEFAULT_SEEDS = 4
_FIRST_SEED = int(os.environ.get("PKG_PARITY_FIRST_SEED", "0"))
SEEDS = range(_FIRST_SEED, _FIRST_SEED + int(os.environ.get("PKG_PARITY_SEEDS", DEFAULT_SEEDS)))
#: Requests per repository for each shell.
REQUESTS_PER_SHELL = {"bash": 6, "zsh": 2, "tcsh": 2}

#: ``(exit status, info lines, environment)`` of one run.
Outcome = tuple[int, list[str], dict[str, str]]


def run_env(tool: str, request: Sequence[str], shell: str, repo: Path) -> Outcome:
    """Run ``TOOL env REQUEST --shell SHELL --norc -- env -0`` on ``repo``.

    ``info`` lines (which all start with ``INFO``) come out on standard output before
    ``env -0`` runs; they are split off the first entry.
    """
    argv = [*_tool(tool), *request, "--shell", shell, "--norc", "--", "env", "-0"]
    done = subprocess.run(
        argv, env=_base_environ(repo), capture_output=True, check=False, timeout=120
    )
    text = done.stdout.decode("utf-8", "surrogateescape")
    infos: list[str] = []
    while text.startswith("INFO"):
        line, _, text = text.partition("\n")
        infos.append(line)
    pairs = (item.split("=", 1) for item in text.split("\0") if item)
    environ = {key: value for key, value in pairs if key not in IGNORED}
    if done.returncode != 0:
        # a failed run has no environment to compare (both tools must fail)
        return done.returncode, infos, {}
    return done.returncode, infos, environ


def _available(shell: str) -> bool:
    return shutil.which(shell) is not None and (Path(sys.executable).parent / "rez-env").exists()


def _cases(root: Path) -> list[tuple[int, str, Path, list[str]]]:
    cases = []
    for seed in SEEDS:
        for shell, count in REQUESTS_PER_SHELL.items():
            if not _available(shell):
                continue
            generator = CommandsGenerator(seed, shell=shell)
            repo = generator.repository()
            path = root / f"{shell}-{seed}"
            write_command_repository(path, repo)
            cases += [(seed, shell, path, r) for r in generator.requests(repo, count)]
    return cases


def _compare(case: tuple[int, str, Path, list[str]]) -> tuple[str | None, int]:
    """None when both tools agree on ``case``, else a description of the difference; and
    pkg's exit status."""
    _seed, shell, path, request = case
    ours = run_env("pkg", ["--ni", *request], shell, path)
    theirs = run_env("rez", ["--ni", *request], shell, path)
    return _difference(case, ours, theirs), ours[0]


def _difference(
    case: tuple[int, str, Path, list[str]], ours: Outcome, theirs: Outcome
) -> str | None:
    seed, shell, path, request = case
    if ours == theirs:
        return None
    lines = [f"seed {seed}, {shell}, {' '.join(request)} (repository {path}):"]
    if ours[0] != theirs[0]:
        lines.append(f"  exit status: pkg {ours[0]}, rez {theirs[0]}")
    if ours[1] != theirs[1]:
        lines.append(f"  info: pkg {ours[1]!r}, rez {theirs[1]!r}")
    for key in sorted(set(ours[2]) | set(theirs[2])):
        if ours[2].get(key) != theirs[2].get(key):
            lines.append(f"  {key}: pkg {ours[2].get(key)!r}, rez {theirs[2].get(key)!r}")
    return "\n".join(lines)


def test_random_commands_give_rez_environment(tmp_path: Path) -> None:
    if not _available("bash"):
        pytest.skip("bash or rez-env is not installed")
    cases = _cases(tmp_path)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_compare, cases))
    differences = [text for text, _status in results if text is not None]
    assert not differences, f"{len(differences)} of {len(cases)} differ:\n" + "\n".join(
        differences[:5]
    )
    # most requests solve and run, so that environments were compared
    assert sum(status == 0 for _text, status in results) > len(cases) * 0.8


def test_generated_code_is_varied() -> None:
    """The random repositories hold every statement form the module promises."""
    text = ""
    for seed in range(5):
        for shell in ("bash", "tcsh"):
            repo = CommandsGenerator(seed, shell=shell).repository()
            text += "".join(body for family in repo.values() for body in family.values())
    for form in [
        "env.",
        ".append(",
        ".prepend(",
        "setenv(",
        "appendenv(",
        "prependenv(",
        "unsetenv(",
        ".unset()",
        "alias(",
        "info(",
        "comment(",
        "if building:",
        "defined(",
        "getenv(",
        "literal(",
        "expandable(",
        "expandvars(",
        "{root}",
        "{this.name}",
        "{version",
        "$",
        "pre_commands",
        "post_commands",
        "PYTHONPATH",
    ]:
        assert form in text, form


def test_same_seed_same_repository() -> None:
    first = CommandsGenerator(3, shell="bash")
    second = CommandsGenerator(3, shell="bash")
    repo = first.repository()
    assert repo == second.repository()
    assert first.requests(repo, 4) == second.requests(repo, 4)


# -- known differences, each a minimal repro ---------------------------------------------

#: ``(id, shell, commands body, why)``: Rez bugs that pkg does not copy; the random
#: repositories leave these forms out.  Each is described in docs/migrating-from-rez.md.
KNOWN: list[tuple[str, str, str, str]] = [
    (
        "resetenv",
        "bash",
        'resetenv("RESET", "value")',
        "Rez's shell plugins cannot render resetenv (rez-env fails with a TypeError)",
    ),
    (
        "tilde-in-appended-value",
        "bash",
        'env.LIST.append("a")\nenv.LIST.append("~/b")',
        "Rez expands ~ only at the start of the whole joined value: it writes ~/b as text",
    ),
    (
        "command-substitution",
        "bash",
        'env.SUBST = "$(echo hi) `echo ho`"',
        "Rez's POSIX shells run $(...) and backticks inside expandable values",
    ),
    (
        "positional-parameter",
        "bash",
        'env.DOLLAR = "cost: $1"',
        "Rez's POSIX shells expand $1 (and $$, $?) inside expandable values",
    ),
    (
        "not-a-reference",
        "bash",
        'env.BAD = "${NOT{x}}"',
        "Rez leaves ${...} that is no variable name to the shell, which fails on it",
    ),
    (
        "sh-alias-name",
        "sh",
        'alias("go-fast", "echo hi")',
        "Rez writes a function go-fast() that dash refuses, which ends the script",
    ),
    (
        "zsh-percent",
        "zsh",
        'env.PERCENT = "100%"',
        "Rez's zsh plugin doubles % in values",
    ),
    (
        "csh-newline",
        "tcsh",
        'env.LINES = literal("one\\ntwo")',
        "Rez's csh plugin leaves a newline in quotes, which csh rejects",
    ),
]


@pytest.mark.parametrize(
    ("shell", "body"),
    [
        pytest.param(shell, body, id=name, marks=pytest.mark.xfail(reason=why, strict=True))
        for name, shell, body, why in KNOWN
    ],
)
def test_known_difference(shell: str, body: str, tmp_path: Path) -> None:
    if not _available(shell):
        pytest.skip(f"{shell} or rez-env is not installed")
    indented = "".join(f"    {line}\n" for line in body.split("\n"))
    write_package(tmp_path, "p", "1.0", f"def commands():\n{indented}")
    ours = run_env("pkg", ["--ni", "p"], shell, tmp_path)
    assert ours[0] == 0
    assert ours == run_env("rez", ["--ni", "p"], shell, tmp_path)
