"""``pkg complete``: shell completion of a ``pkg`` command line, as ``rez-complete`` does.

The shells' completion scripts (``pkg complete --script SHELL``) call ``pkg complete``
with the command line in ``COMP_LINE`` and the cursor position in ``COMP_POINT``; it
prints the candidates for the word under the cursor, one a line.  An empty answer lets
the shell fall back to completing file names.

The work is split in three:

* :func:`split_line` cuts the line at the cursor into the finished words and the prefix
  being typed;
* :func:`complete_words` walks the words against a :class:`CommandSpec` tree (built by
  the command line from its click commands) and decides what the prefix is: a
  subcommand, a flag, a flag's value, or a package request;
* :func:`package_completions` answers package requests from the repositories: family
  names from the repositories' directory listings, and ``name-version`` strings of one
  family only, without loading any package definition.

See ``docs/completion.md``.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from pkg.config import Config

__all__ = [
    "COMPLETION_SHELLS",
    "ArgKind",
    "CommandSpec",
    "OptionSpec",
    "complete_words",
    "install_path",
    "install_script",
    "package_completions",
    "shell_choices",
    "split_line",
]

#: What a positional argument or an option's value holds, for completion.
#: ``package``: a package request (``foo``, ``foo-1.2``); ``family``: a family name;
#: ``text``: anything (nothing is offered, so the shell completes file names).
ArgKind = Literal["package", "family", "text"]

#: The shells that have a completion script.
COMPLETION_SHELLS = ("bash", "zsh", "fish")

#: Characters that end the family name in a request (``foo-1``, ``foo@1``, ``foo#1``).
_VERSION_SEPARATORS = ("-", "@", "#")
#: Request prefixes that keep their meaning in front of a completed name.
_REQUEST_OPERATORS = ("!", "~", "^")


@dataclass(frozen=True)
class OptionSpec:
    """One flag of a command, as completion needs it.

    Attributes:
        takes_value: the next word is the flag's value (``--shell bash``).
        choices: the values offered for it (empty: see ``kind``).
        kind: what the value holds when there are no choices.
        hidden: left out of the flags offered (still understood when typed).
    """

    takes_value: bool = False
    choices: tuple[str, ...] = ()
    kind: ArgKind = "text"
    hidden: bool = False


@dataclass(frozen=True)
class CommandSpec:
    """A command's flags, positional arguments and subcommands.

    Attributes:
        options: every spelling of every flag (``-s`` and ``--shell`` both present).
        positionals: ``(kind, nargs)`` of each positional argument in order; ``nargs``
            -1 takes every remaining word.
        subcommands: the names offered at the first positional word (a group); a typed
            subcommand is looked up with ``load``.
        load: the subcommand of that name (None: unknown), for a group.
    """

    options: Mapping[str, OptionSpec] = field(default_factory=dict)
    positionals: tuple[tuple[ArgKind, int], ...] = ()
    subcommands: tuple[str, ...] = ()
    load: Callable[[str], CommandSpec | None] | None = None

    def positional_kind(self, index: int) -> ArgKind | None:
        """The kind of the ``index``-th (0-based) positional word; None past the last."""
        for kind, nargs in self.positionals:
            if nargs < 0 or index < nargs:
                return kind
            index -= nargs
        return None


def split_line(line: str, point: int | None = None) -> tuple[list[str], str]:
    """The words of ``line[:point]`` before the cursor, and the prefix under it.

    Shell quoting is undone; an unclosed quote in the last word is closed.  A line ending
    in a blank has an empty prefix.

    >>> split_line("pkg env fo")
    (['pkg', 'env'], 'fo')
    >>> split_line("pkg env foo ")
    (['pkg', 'env', 'foo'], '')
    >>> split_line("pkg env 'my fo", 10)
    (['pkg', 'env'], 'm')
    """
    text = line if point is None else line[: max(0, point)]
    words: list[str] | None = None
    for closing in ("", '"', "'"):
        try:
            words = shlex.split(text + closing)
        except ValueError:
            continue
        break
    if words is None:  # pragma: no cover - one of the closings always balances
        words = text.split()
    if not text or text[-1].isspace():
        return words, ""
    if not words:
        return [], ""
    return words[:-1], words[-1]


def _matching(candidates: Iterable[str], prefix: str) -> list[str]:
    return sorted({c for c in candidates if c.startswith(prefix)})


def complete_words(
    words: Sequence[str],
    prefix: str,
    root: CommandSpec,
    packages: Callable[[str, bool], Iterable[str]],
) -> list[str]:
    """The candidates for ``prefix`` after ``words`` (the program name excluded).

    Args:
        words: the finished words after the program name.
        prefix: the word being typed (may be empty).
        root: the program's command tree.
        packages: ``packages(prefix, family_only)`` gives the package candidates.

    Returns:
        Sorted, distinct candidates that start with ``prefix``; empty when nothing is
        known (after ``--``, for a free-text value, or an unknown subcommand).
    """
    spec = root
    expecting: OptionSpec | None = None
    positional = 0
    for word in words:
        if expecting is not None:
            expecting = None
            continue
        if word == "--":
            return []
        if word.startswith("-") and len(word) > 1:
            option = spec.options.get(word.split("=", 1)[0])
            if option is not None and option.takes_value and "=" not in word:
                expecting = option
            continue
        if spec.load is not None and positional == 0:
            sub = spec.load(word)
            if sub is None:
                return []
            spec = sub
            continue
        positional += 1
    if expecting is not None:
        return _values(expecting, prefix, packages)
    if prefix.startswith("-"):
        if "=" in prefix:
            name, _, value = prefix.partition("=")
            option = spec.options.get(name)
            if option is None or not option.takes_value:
                return []
            return [f"{name}={v}" for v in _values(option, value, packages)]
        return _matching((n for n, o in spec.options.items() if not o.hidden), prefix)
    if spec.load is not None and positional == 0:
        return _matching(spec.subcommands, prefix)
    kind = spec.positional_kind(positional)
    if kind in ("package", "family"):
        return _matching(packages(prefix, kind == "family"), prefix)
    return []


def _values(
    option: OptionSpec, prefix: str, packages: Callable[[str, bool], Iterable[str]]
) -> list[str]:
    if option.choices:
        return _matching(option.choices, prefix)
    if option.kind in ("package", "family"):
        return _matching(packages(prefix, option.kind == "family"), prefix)
    return []


def package_completions(
    prefix: str,
    config: Config,
    *,
    paths: Sequence[str] | None = None,
    family_only: bool = False,
) -> list[str]:
    """Package requests starting with ``prefix`` in the repositories of ``paths``
    (default: ``config.packages_path``), as Rez's package completer gives them.

    * ``ma`` gives the family names starting with ``ma``; if exactly one matches, its
      ``name-version`` strings are added;
    * ``maya-20`` (also ``@`` or ``#`` after the name) gives ``maya-<version>`` strings
      starting with it;
    * a leading ``!``, ``~`` or ``^`` is kept in front of each candidate.

    With ``family_only``, only family names (and nothing for a prefix with a version
    or an operator).  Only directory listings are read: the family names of each
    repository and the versions of one family; no definition is loaded.
    """
    from pkg.repositories import PackageSearchPath

    operator = ""
    if prefix[:1] in _REQUEST_OPERATORS:
        if family_only:
            return []
        operator, prefix = prefix[0], prefix[1:]
    family: str | None = None
    for separator in _VERSION_SEPARATORS:
        if separator in prefix:
            if family_only:
                return []
            family = prefix.split(separator, 1)[0]
            break
    search_path = PackageSearchPath.from_paths(paths, config)
    words: set[str] = set()
    if family is None:
        words = {n for n in search_path.iter_family_names() if n.startswith(prefix)}
        if len(words) == 1 and not family_only:
            family = next(iter(words))
    if family is not None and not family_only:
        for version in search_path.iter_versions(family):
            name = f"{family}-{version}" if str(version) else family
            if name.startswith(prefix):
                words.add(name)
    return sorted(operator + w for w in words)


def shell_choices() -> tuple[str, ...]:
    """The names of the shells ``--shell`` accepts, sorted."""
    from pkg.shells import shell_names

    return shell_names()


def install_path(shell: str, environ: Mapping[str, str] | None = None) -> Path:
    """Where ``pkg complete --install SHELL`` writes the script, a place each shell (or
    bash-completion) loads completions from on demand:

    * bash: ``$BASH_COMPLETION_USER_DIR/completions/pkg``, by default
      ``$XDG_DATA_HOME/bash-completion/completions/pkg``
      (``~/.local/share/bash-completion/completions/pkg``);
    * zsh: ``$XDG_DATA_HOME/zsh/site-functions/_pkg`` (add the directory to ``fpath``
      before ``compinit``);
    * fish: ``$XDG_CONFIG_HOME/fish/completions/pkg.fish``
      (``~/.config/fish/completions/pkg.fish``).

    Raises:
        UsageError: ``shell`` has no completion script.
    """
    from pkg.errors import UsageError

    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or os.path.expanduser("~"))
    data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    if shell == "bash":
        base = env.get("BASH_COMPLETION_USER_DIR")
        return (Path(base) if base else data / "bash-completion") / "completions" / "pkg"
    if shell == "zsh":
        return data / "zsh" / "site-functions" / "_pkg"
    if shell == "fish":
        config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
        return config / "fish" / "completions" / "pkg.fish"
    raise UsageError(
        f"no completion script for shell {shell!r} (known: {', '.join(COMPLETION_SHELLS)})"
    )


def install_script(shell: str, text: str, environ: Mapping[str, str] | None = None) -> Path:
    """Write ``text``, the completion script of ``shell``, to :func:`install_path`
    (replacing any earlier one, atomically); return the file written.

    Raises:
        UsageError: ``shell`` has no completion script.
        PkgError: the file cannot be written.
    """
    from pkg.errors import PkgError

    path = install_path(shell, environ)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise PkgError(f"cannot write the {shell} completion script {path}: {error}") from error
    return path
