"""Random package repositories and requests for the resolve differential test.

:class:`RepoGenerator` builds, deterministically per seed, a small repository that both
rez and pkg load from disk (:func:`write_repository` writes one ``package.py`` per
version), and requests against it.  It aims at the corners of the resolver rather than
at realistic repositories:

* versions of odd tokens (``01``, ``_``, ``a1``, ``rc10``, ``1-0``) from
  :class:`tests.parity.generate.Generator`, often sharing a prefix (``1``, ``1.a``,
  ``1-3``), never two equal versions (nor two that differ only in case) in one family,
  and now and then an unversioned family (``name/package.py``);
* ``requires`` with ranges of every form: a prefix (``foo-1``), ``==``, ``+``, ``<``,
  ``<=``, ``>``, ``>=``, bounded (``1+<2``, ``1..2``, ``>1<=2``), the comma forms
  (``>=1,<2``, ``<2,>=1``, ``1+,<2``) and ``|`` unions of them, with weak (``~``) and
  conflict (``!``) requirements;
* 0 to 3 variants of 1 or 2 requirements each;
* dependency cycles (a family now and then requires one listed before it, or itself),
  requirements on missing families and on versions that do not exist, and ephemerals
  (``.eph-1``).

Bounds come mostly from the target family's own versions (whole or cut short, so that
prefix matching matters) and otherwise from fresh random versions.  The endpoints of a
bounded form are ordered with :class:`pkg.core.Version`, so the ranges written into the
repository are valid; the requests also include malformed ranges and names now and then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pkg.core import Version
from tests.parity.generate import Generator

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = ["Definition", "RepoGenerator", "Repository", "describe", "write_repository"]

#: ``{"requires": [...], "variants": [[...], ...]}``; either key may be missing.
Definition = dict[str, Any]
#: ``{family: {version: definition}}``; ``""`` is the version of an unversioned family.
Repository = dict[str, dict[str, Definition]]

#: Family names: plain, with digits, ``_`` and a dot (all valid rez package names).
_NAMES = ["a", "b", "c", "d", "e", "f", "g", "h", "py", "py3", "3d", "_x", "foo.bar", "a_b"]
#: Names that never exist in a repository.
_MISSING = ["nada", "missing", "zz"]
_EPHEMERALS = [".eph", ".os", ".x.y"]
#: Malformed request items (bad names, stray operators).
_BAD_REQUESTS = ["foo..bar", "fo$o", "a-", "a--1", "!", "~", "a-1,2", "a-<", "a-1+<", "-a"]


@dataclass(frozen=True)
class _Family:
    """What the requirements of one family may name."""

    names: Sequence[str]  # every family of the repository
    below: Sequence[str]  # the families listed after it
    listed: dict[str, list[str]]  # the versions of each family


class RepoGenerator:
    """Deterministic (per seed) source of random repositories and requests."""

    def __init__(self, seed: int) -> None:
        self.strings = Generator(seed)
        self.rng = self.strings.rng

    # -- versions --------------------------------------------------------------------

    def versions(self) -> list[str]:
        """1 to 8 distinct versions, as written (their order is random)."""
        rng = self.rng
        wanted = rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8])
        found: dict[Version, str] = {}
        folded: set[str] = set()  # no two directories that differ only in case
        for _ in range(wanted * 3):
            if len(found) == wanted:
                break
            text = self._related(list(found.values()))
            if text.casefold() not in folded:
                folded.add(text.casefold())
                found.setdefault(Version(text), text)
        return list(found.values())

    def _related(self, known: Sequence[str]) -> str:
        """A fresh version, or one that shares a prefix with a known one (``1.2`` next
        to ``1``, ``1.a`` or ``1-3``), so that prefix ranges match several versions."""
        rng = self.rng
        if not known or rng.random() < 0.35:
            return self.fresh()
        base = rng.choice(known)
        sep = "." if rng.random() < 0.8 else "-"
        cuts = [i for i, c in enumerate(base) if c in ".-"]
        if cuts and rng.random() < 0.5:
            base = base[: rng.choice(cuts)]
        return f"{base}{sep}{self.strings.token()}"

    def endpoint(self, versions: Sequence[str], *, fresh: float = 0.2) -> str:
        """A bound: one of ``versions``, one cut short, or (with probability ``fresh``)
        a new version."""
        rng = self.rng
        real = [v for v in versions if v]
        roll = rng.random()
        if not real or roll < fresh:
            return self.fresh()
        text = rng.choice(real)
        cuts = [i for i, c in enumerate(text) if c in ".-"]
        if cuts and roll < fresh + (1 - fresh) / 3:
            return text[: rng.choice(cuts)]
        return text

    def fresh(self) -> str:
        """A new version of 1 to 4 odd tokens (mostly 1 or 2)."""
        rng = self.rng
        text = self.strings.token()
        for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3])):
            text += ("." if rng.random() < 0.8 else "-") + self.strings.token()
        return text

    # -- ranges ----------------------------------------------------------------------

    def _body(self, versions: Sequence[str], fresh: float) -> str:
        """One range of a union, without the separator after the name."""
        rng = self.rng
        a, b = self.endpoint(versions, fresh=fresh), self.endpoint(versions, fresh=fresh)
        low, high = sorted([a, b], key=Version)
        single = [a, a, f"=={a}", f"{a}+", f"<{a}", f"<={a}", f">{a}", f">={a}"]
        if Version(low) == Version(high):
            return rng.choice(single)
        bounded = [
            f"{low}+<{high}",
            f"{low}..{high}",
            f">{low}<{high}",
            f">={low}<={high}",
            f">{low}<={high}",
            f">={low},<{high}",
            f"<{high},>={low}",
            f"{low}+,<{high}",
            f"<={high},>{low}",
        ]
        return rng.choice(single if rng.random() < 0.5 else bounded)

    def range_text(self, versions: Sequence[str], *, fresh: float = 0.2) -> str:
        """A range (``""`` for any version), usually a single form, sometimes a union."""
        rng = self.rng
        if rng.random() < 0.2:
            return ""
        count = rng.choice([1, 1, 1, 1, 2, 2, 3])
        return "|".join(self._body(versions, fresh) for _ in range(count))

    def requirement(
        self, name: str, versions: Sequence[str], *, prefix: str = "", fresh: float = 0.2
    ) -> str:
        """``name`` with a random range of ``versions`` and the given ``~``/``!`` prefix;
        ``fresh`` is the share of bounds that are new versions."""
        rng = self.rng
        if list(versions) == [""] and rng.random() < 0.8:
            return prefix + name  # an unversioned family: usually no range
        body = self.range_text(versions, fresh=fresh)
        if not body:
            return prefix + name
        if body[0] in "<>=":
            sep = rng.choice(["", "", "-"])
        else:
            sep = rng.choice(["-", "-", "-", "-", "@", "#"])
        return f"{prefix}{name}{sep}{body}"

    def ephemeral(self, *, modifiers: bool = False) -> str:
        """An ephemeral requirement such as ``.eph-1`` or ``.os``; with ``modifiers``,
        sometimes weak or conflict (``~.eph``), which neither rez nor pkg accepts."""
        rng = self.rng
        name = rng.choice(_EPHEMERALS)
        prefix = rng.choice(["", "", "", "", "~", "!"]) if modifiers else ""
        return self.requirement(name, ["1", "2", "2.5", "3"], prefix=prefix)

    # -- repositories ------------------------------------------------------------------

    def repository(self, families: tuple[int, int] = (3, 9)) -> Repository:
        """A repository of ``families`` (least, most) families, 14 at most.

        Families require mostly families listed after them, so that many requests
        solve; 12% of requirements point anywhere, which makes cycles.
        """
        rng = self.rng
        names = rng.sample(_NAMES, rng.randint(*families))
        listed = {n: [""] if rng.random() < 0.04 else self.versions() for n in names}
        repo: Repository = {}
        for position, name in enumerate(names):
            family = _Family(names, names[position + 1 :], listed)
            repo[name] = {version: self.definition(name, family) for version in listed[name]}
        return repo

    def _target(self, name: str, below: Sequence[str], names: Sequence[str]) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.03:
            return rng.choice(_MISSING)
        if roll < 0.15 or not below:
            return name if rng.random() < 0.1 else rng.choice(names)
        return rng.choice(below)

    def _dependency(self, name: str, family: _Family, used: set[str]) -> str:
        """A requirement of ``name``; its family is seldom one in ``used`` already (two
        requirements on one family often clash), and is added to ``used``."""
        rng = self.rng
        if rng.random() < 0.06:
            return self.ephemeral()
        target = self._target(name, family.below, family.names)
        for _ in range(8):
            if target not in used or rng.random() < 0.04:
                break
            target = self._target(name, family.below, family.names)
        used.add(target)
        roll = rng.random()
        prefix = "~" if roll < 0.12 else "!" if roll < 0.2 else ""
        return self.requirement(target, family.listed.get(target, []), prefix=prefix)

    def definition(self, name: str, family: _Family) -> Definition:
        """The ``requires`` and ``variants`` of one version of ``name``."""
        rng = self.rng
        definition: Definition = {}
        used: set[str] = set()
        count = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
        requires = [self._dependency(name, family, used) for _ in range(count)]
        if requires:
            definition["requires"] = requires
        if rng.random() < 0.45:
            definition["variants"] = [
                self._variant(name, family, set(used)) for _ in range(rng.randint(1, 3))
            ]
        return definition

    def _variant(self, name: str, family: _Family, used: set[str]) -> list[str]:
        return [self._dependency(name, family, used) for _ in range(self.rng.randint(1, 2))]

    # -- requests ----------------------------------------------------------------------

    def request(self, repo: Repository) -> list[str]:
        """1 to 4 request items: mostly families of ``repo``, some weak or conflict,
        some ephemeral, missing or malformed."""
        rng = self.rng
        items = []
        for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            roll = rng.random()
            if roll < 0.02:
                items.append(rng.choice(_BAD_REQUESTS))
            elif roll < 0.035:
                items.append(self.strings.request(rng.choice(list(repo))))
            elif roll < 0.08:
                items.append(self.ephemeral(modifiers=True))
            elif roll < 0.11:
                items.append(self.requirement(rng.choice(_MISSING), ["1"]))
            else:
                name = rng.choice(list(repo))
                roll = rng.random()
                prefix = "~" if roll < 0.12 else "!" if roll < 0.22 else ""
                versions = list(repo[name])
                items.append(self.requirement(name, versions, prefix=prefix, fresh=0.05))
        return items


def write_repository(root: Path, repo: Repository) -> None:
    """Write ``repo`` under ``root`` as rez lays packages out: ``name/version/package.py``
    (``name/package.py`` for an unversioned family)."""
    for name, family in repo.items():
        for version, definition in family.items():
            directory = root / name / version if version else root / name
            directory.mkdir(parents=True)
            lines = [f"name = {name!r}"]
            if version:
                lines.append(f"version = {version!r}")
            lines += [f"{key} = {value!r}" for key, value in definition.items()]
            (directory / "package.py").write_text("\n".join(lines) + "\n")


def describe(repo: Repository) -> str:
    """``repo`` as text, one version per line (for failure messages)."""
    lines = []
    for name, family in repo.items():
        for version, definition in family.items():
            detail = ", ".join(f"{k}={v!r}" for k, v in definition.items())
            label = f"{name}-{version}" if version else name
            lines.append(f"{label}: {detail}" if detail else label)
    return "\n".join(lines)
