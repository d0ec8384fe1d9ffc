"""The suite: named contexts whose tools are exposed through one ``bin`` directory.

A suite on disk is Rez's layout, so Rez 3.4.0 and pkg read each other's suites::

    SUITE/suite.yaml          {contexts: {NAME: {name, priority, prefix_char,
                                                 tool_aliases, hidden_tools,
                                                 [prefix], [suffix]}}}
    SUITE/contexts/NAME.rxt   the saved contexts
    SUITE/bin/ALIAS           one wrapper per visible tool (see pkg.suites.wrappers)

The tools of a context are the ``tools`` of its *requested* packages (not of their
dependencies).  Each is exposed as ``PREFIX + tool + SUFFIX`` of its context, unless it is
explicitly aliased; hidden tools are left out.  When two contexts expose the same name,
the context with the higher priority wins (the one added or bumped last) and the other
is listed as a conflict.  When two packages of one context provide the same tool, the
tool is "in conflict" within that context and its entry names both packages.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pkg.context import ContextFile, ContextFileError, load_context, save_context
from pkg.core import parse_requirement
from pkg.errors import PkgError
from pkg.suites._yaml import YamlError, dump_suite_yaml, load_suite_yaml

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "SUITE_FILE",
    "Suite",
    "SuiteContext",
    "SuiteError",
    "SuiteTools",
    "Tool",
    "ToolSource",
    "visible_suite_paths",
]

SUITE_FILE = "suite.yaml"

#: Gives ``(qualified package name, tools)`` for each requested package of a context
#: that has tools, in resolve order.
ToolSource = Callable[[ContextFile], Sequence[tuple[str, Sequence[str]]]]


class SuiteError(PkgError):
    """A suite cannot be read or written, or an operation on it is invalid."""


@dataclass
class SuiteContext:
    """One context's entry in ``suite.yaml``."""

    name: str
    priority: int
    prefix_char: str | None = None
    tool_aliases: dict[str, str] = field(default_factory=dict)
    hidden_tools: set[str] = field(default_factory=set)
    prefix: str | None = None
    suffix: str | None = None

    def alias_of(self, tool: str) -> str:
        """The name ``tool`` is exposed under: its alias, else prefix + tool + suffix."""
        alias = self.tool_aliases.get(tool)
        if alias is not None:
            return alias
        return f"{self.prefix or ''}{tool}{self.suffix or ''}"

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "name": self.name,
            "priority": self.priority,
            "prefix_char": self.prefix_char,
            "tool_aliases": dict(self.tool_aliases),
            "hidden_tools": set(self.hidden_tools),
        }
        if self.prefix is not None:
            data["prefix"] = self.prefix
        if self.suffix is not None:
            data["suffix"] = self.suffix
        return data

    @classmethod
    def from_dict(cls, key: str, data: object) -> SuiteContext:
        """Read one entry (Rez's or pkg's).

        Raises:
            SuiteError: the entry is malformed.
        """
        if not isinstance(data, dict):
            raise SuiteError(f"context {key!r} is not a mapping")
        try:
            aliases = data.get("tool_aliases") or {}
            hidden = data.get("hidden_tools") or {}
            prefix_char = data.get("prefix_char")
            priority = data.get("priority", 0)
            if not isinstance(aliases, dict) or not isinstance(hidden, (dict, list)):
                raise TypeError("tool_aliases and hidden_tools must be mappings")
            if not isinstance(priority, int) or isinstance(priority, bool):
                raise TypeError("priority must be an integer")
            return cls(
                name=str(data.get("name", key)),
                priority=priority,
                prefix_char=None if prefix_char is None else str(prefix_char),
                tool_aliases={str(k): str(v) for k, v in aliases.items()},
                hidden_tools={str(t) for t in hidden},
                prefix=_optional_str(data.get("prefix")),
                suffix=_optional_str(data.get("suffix")),
            )
        except TypeError as error:
            raise SuiteError(f"context {key!r}: {error}") from None


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True)
class Tool:
    """A tool of a suite: ``alias`` is the name in ``bin``; ``packages`` the qualified
    names of the packages providing it in its context (more than one: in conflict)."""

    tool_name: str
    alias: str
    context_name: str
    packages: tuple[str, ...]

    @property
    def in_conflict(self) -> bool:
        return len(self.packages) > 1


@dataclass(frozen=True)
class SuiteTools:
    """The tools of a suite: ``visible`` by alias, ``hidden`` (explicitly hidden), and
    ``conflicts`` (alias -> the tools of lower-priority contexts it shadows)."""

    visible: dict[str, Tool]
    hidden: list[Tool]
    conflicts: dict[str, list[Tool]]


class Suite:
    """A suite in memory; :meth:`load` reads one, :meth:`save` writes one.

    ``tool_source`` gives the tools of a context's requested packages; the default is
    set by whoever loads the suite (reading tools needs the packages' repositories).
    """

    def __init__(self, tool_source: ToolSource):
        self.load_path: Path | None = None
        self.contexts: dict[str, SuiteContext] = {}
        self.next_priority = 1
        self._files: dict[str, ContextFile] = {}
        self._tool_source = tool_source
        self._tools: SuiteTools | None = None

    # -- reading and writing -------------------------------------------------------

    @classmethod
    def load(
        cls,
        path: str | Path,
        tool_source: ToolSource,
    ) -> Suite:
        """Read the suite in directory ``path``.

        Raises:
            SuiteError: ``path`` is not a suite, or its ``suite.yaml`` is malformed.
        """
        directory = Path(os.path.expanduser(str(path)))
        if not directory.is_dir():
            raise SuiteError(f"no such suite directory: {path}")
        filepath = directory / SUITE_FILE
        if not filepath.is_file():
            raise SuiteError(f"not a suite (no {SUITE_FILE}): {path}")
        try:
            data = load_suite_yaml(filepath.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, YamlError) as error:
            raise SuiteError(f"cannot read {filepath}: {error}") from None
        entries = data.get("contexts") or {}
        if not isinstance(entries, dict):
            raise SuiteError(f"{filepath}: 'contexts' is not a mapping")
        suite = cls(tool_source)
        suite.contexts = {str(k): SuiteContext.from_dict(str(k), v) for k, v in entries.items()}
        priorities = [c.priority for c in suite.contexts.values()]
        suite.next_priority = max(priorities, default=0) + 1
        suite.load_path = Path(os.path.realpath(directory))
        return suite

    def save(self, path: str | Path, report: Callable[[str], object] | None = None) -> Path:
        """Write the suite to the directory ``path``: ``suite.yaml``, the contexts and
        the wrappers (see :mod:`pkg.suites.wrappers`).  ``path`` must not exist, unless
        it is where this suite was loaded from; then it is replaced as a whole (the new
        suite is written beside it and renamed into place).  Returns the real path.
        ``report`` receives a line per step, in ``rez-suite -v``'s words.

        Raises:
            SuiteError: ``path`` exists and is another directory, or writing failed.
        """
        from pkg.suites.wrappers import write_wrapper

        target = Path(os.path.realpath(os.path.expanduser(str(path))))
        replacing = target.exists()
        if replacing and target != self.load_path:
            raise SuiteError(f"cannot save suite, path exists: {target}")
        say = report or (lambda _line: None)
        if replacing:
            say("saving over previous suite...")
        for name in self.contexts:
            self.context(name)  # read every context before the old files go
        tools = self.tools().visible
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        except OSError as error:
            raise SuiteError(f"cannot save suite to {target}: {error.strerror}") from None
        try:
            (work / "contexts").mkdir()
            (work / "bin").mkdir()
            data = {"contexts": {n: c.to_dict() for n, c in self.contexts.items()}}
            (work / SUITE_FILE).write_text(dump_suite_yaml(data), encoding="utf-8")
            for name in self.contexts:
                context = dataclasses.replace(
                    self._files[name], parent_suite_path=str(target), suite_context_name=name
                )
                say(f"writing {str(target / 'contexts' / f'{name}.rxt')!r}...")
                save_context(context, work / "contexts" / f"{name}.rxt")
            say(f"creating alias wrappers in {str(target / 'bin')!r}...")
            for alias, tool in tools.items():
                say(f"creating {alias!r} -> {tool.tool_name!r} ({tool.context_name} context)...")
                prefix_char = self.contexts[tool.context_name].prefix_char
                write_wrapper(work / "bin" / alias, tool.context_name, tool.tool_name, prefix_char)
            work.chmod(0o777 & ~_umask())
            if replacing:
                old = target.with_name(f".{target.name}.old.{os.getpid()}")
                target.rename(old)
                try:
                    work.rename(target)
                except OSError:
                    old.rename(target)  # put the old suite back
                    raise
                shutil.rmtree(old, ignore_errors=True)
            else:
                work.rename(target)
        except (OSError, ContextFileError) as error:
            shutil.rmtree(work, ignore_errors=True)
            reason = getattr(error, "strerror", None) or error
            raise SuiteError(f"cannot save suite to {target}: {reason}") from None
        self.load_path = target
        return target

    # -- contexts --------------------------------------------------------------------

    @property
    def context_names(self) -> list[str]:
        return list(self.contexts)

    def context_path(self, name: str) -> Path | None:
        """Where context ``name`` is saved (None for a suite not loaded from disk)."""
        if self.load_path is None:
            return None
        return self.load_path / "contexts" / f"{name}.rxt"

    def entry(self, name: str) -> SuiteContext:
        """The ``suite.yaml`` entry of context ``name``.

        Raises:
            SuiteError: there is no such context.
        """
        try:
            return self.contexts[name]
        except KeyError:
            raise SuiteError(f"no such context in the suite: {name!r}") from None

    def context(self, name: str) -> ContextFile:
        """Context ``name``, read from the suite's directory the first time.

        Raises:
            SuiteError: there is no such context, or its file cannot be read.
        """
        self.entry(name)
        if name not in self._files:
            path = self.context_path(name)
            assert path is not None, "a context added in memory is always in _files"
            try:
                self._files[name] = load_context(path)
            except ContextFileError as error:
                raise SuiteError(f"context {name!r}: {error}") from None
        return self._files[name]

    def _take_priority(self) -> int:
        priority = self.next_priority
        self.next_priority += 1
        return priority

    def add_context(self, name: str, context: ContextFile, prefix_char: str | None = None) -> None:
        """Add ``context`` as ``name``; its tools win over those already in the suite.

        Raises:
            SuiteError: the name is taken, or the context is not a solved one.
        """
        if name in self.contexts:
            raise SuiteError(f"context already in the suite: {name!r}")
        if not name or "/" in name or name.startswith("."):
            raise SuiteError(f"invalid context name: {name!r}")
        if not context.success:
            raise SuiteError(f"context {name!r} is not a solved context")
        self.contexts[name] = SuiteContext(name, self._take_priority(), prefix_char)
        self._files[name] = context
        self._tools = None

    def remove_context(self, name: str) -> None:
        """Remove context ``name``.  Raises SuiteError when there is none."""
        self.entry(name)
        del self.contexts[name]
        self._files.pop(name, None)
        self._tools = None

    def set_prefix(self, name: str, prefix: str) -> None:
        """Expose the tools of context ``name`` as ``prefix + tool`` ('' removes it)."""
        self.entry(name).prefix = prefix
        self._tools = None

    def set_suffix(self, name: str, suffix: str) -> None:
        """Expose the tools of context ``name`` as ``tool + suffix`` ('' removes it)."""
        self.entry(name).suffix = suffix
        self._tools = None

    def bump(self, name: str) -> None:
        """Give context ``name`` the highest priority (its tools win clashes)."""
        self.entry(name).priority = self._take_priority()
        self._tools = None

    def hide_tool(self, name: str, tool: str) -> None:
        """Leave ``tool`` of context ``name`` out of the suite.

        Raises:
            SuiteError: no such context, or no requested package of it has that tool.
        """
        entry = self.entry(name)
        if tool not in entry.hidden_tools:
            self._check_tool(name, tool)
            entry.hidden_tools.add(tool)
            self._tools = None

    def unhide_tool(self, name: str, tool: str) -> None:
        """Expose ``tool`` of context ``name`` again (it may still lose a clash)."""
        self.entry(name).hidden_tools.discard(tool)
        self._tools = None

    def alias_tool(self, name: str, tool: str, alias: str) -> None:
        """Expose ``tool`` of context ``name`` as ``alias`` (instead of its prefixed or
        suffixed name).

        Raises:
            SuiteError: no such context or tool, or the tool is already aliased.
        """
        entry = self.entry(name)
        if tool in entry.tool_aliases:
            raise SuiteError(
                f"tool {tool!r} in context {name!r} is already aliased to "
                f"{entry.tool_aliases[tool]!r}"
            )
        self._check_tool(name, tool)
        entry.tool_aliases[tool] = alias
        self._tools = None

    def unalias_tool(self, name: str, tool: str) -> None:
        """Remove the alias of ``tool`` in context ``name`` (if it has one)."""
        self.entry(name).tool_aliases.pop(tool, None)
        self._tools = None

    def _check_tool(self, name: str, tool: str) -> None:
        for _, tools in self._tool_source(self.context(name)):
            if tool in tools:
                return
        raise SuiteError(f"no such tool {tool!r} in context {name!r}")

    # -- tools -----------------------------------------------------------------------

    def tools(self) -> SuiteTools:
        """The suite's tools (computed once until the suite changes).

        Raises:
            SuiteError: a context cannot be read.
            ContextFileError: a package of a context cannot be found.
        """
        if self._tools is not None:
            return self._tools
        visible: dict[str, Tool] = {}
        hidden: list[Tool] = []
        conflicts: dict[str, list[Tool]] = {}
        for entry in sorted(self.contexts.values(), key=lambda c: c.priority, reverse=True):
            providers: dict[str, list[str]] = {}
            for package, names in self._tool_source(self.context(entry.name)):
                for tool in names:
                    providers.setdefault(tool, []).append(package)
            for tool, packages in providers.items():
                found = Tool(tool, entry.alias_of(tool), entry.name, tuple(packages))
                if tool in entry.hidden_tools:
                    hidden.append(found)
                elif found.alias in visible:
                    conflicts.setdefault(found.alias, []).append(found)
                else:
                    visible[found.alias] = found
        self._tools = SuiteTools(visible, hidden, conflicts)
        return self._tools

    def tool_path(self, alias: str) -> Path | None:
        """The wrapper of visible tool ``alias``, or None (not a tool, or not saved)."""
        if alias not in self.tools().visible or self.load_path is None:
            return None
        return self.load_path / "bin" / alias

    # -- searching -------------------------------------------------------------------

    def find_contexts(
        self, in_request: str | None = None, in_resolve: str | None = None
    ) -> list[str]:
        """The contexts whose request names the family ``in_request`` (implicit
        packages included), and whose resolve satisfies the request ``in_resolve``
        (``!foo``: has no ``foo``).

        Raises:
            RequestError: ``in_resolve`` does not parse.
        """
        names = self.context_names
        if in_request:
            names = [
                n
                for n in names
                if in_request
                in {r.name for r in self.context(n).requested_packages(include_implicit=True)}
            ]
        if in_resolve:
            request = parse_requirement(in_resolve)
            names = [n for n in names if _resolve_matches(self.context(n), request)]
        return names


def _resolve_matches(context: ContextFile, request: object) -> bool:
    from pkg.core import Requirement, Version

    assert isinstance(request, Requirement)
    for handle in context.resolved_packages:
        if handle.name == request.name:
            inside = request.range.contains_version(Version(handle.version))
            return inside != request.conflict
    return request.conflict


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def visible_suite_paths(path_entries: Iterable[str]) -> list[str]:
    """The suites (real paths) whose ``bin`` directory is one of ``path_entries``
    (``$PATH``), in order, without repeats."""
    out: list[str] = []
    for entry in path_entries:
        if entry and os.path.isdir(entry):
            parent = os.path.dirname(entry.rstrip(os.sep) or entry)
            real = os.path.realpath(parent)
            if os.path.isfile(os.path.join(parent, SUITE_FILE)) and real not in out:
                out.append(real)
    return out
