"""Package filters: rules that hide some package versions from a resolve (pure).

A filter holds *exclusion* and *inclusion* rules.  A package is hidden when it matches an
exclusion and no inclusion.  A :class:`PackageFilterList` hides a package when any of its
filters does.  Rules are written as text, as in Rez's ``package_filter`` setting:

* ``glob(foo-1.*)``: the qualified name (``foo-1.2``, or ``foo`` when unversioned)
  matches a shell pattern;
* ``regex(.*\\.beta$)``: the qualified name matches a regular expression (from its start);
* ``range(foo<2)``: the package satisfies the request (other families never match);
* ``before(1700000000)`` / ``after(foo:1700000000)``: the package was released at or
  before / after an epoch time (packages without a timestamp never match);
* a bare pattern is a glob if it contains ``*``, a range otherwise.

A rule belongs to one family when its text starts with a family name and a separator
(``foo-*``, ``foo-1.2.*``, ``range(foo<2)``, ``after(foo:1000)``); it is then only tried
on that family.  Rules are tried cheapest first; timestamp rules are the most expensive
because reading a timestamp loads the package definition.

    >>> from pkg.core import Version
    >>> flt = PackageFilterList.from_pod([{"excludes": ["glob(*.beta)"], "includes": ["foo-*"]}])
    >>> flt.excludes(Candidate("bar", Version("1.beta")))
    GlobRule('*.beta')
    >>> flt.excludes(Candidate("foo", Version("1.beta"))) is None
    True
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Protocol

from pkg._exports import lazy_exports
from pkg._record import record

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from pkg.core import Version
    from pkg.resolver._rules import GlobRule, RangeRule, RegexRule, TimestampRule, parse_rule

__all__ = [
    "Candidate",
    "FilterTarget",
    "GlobRule",
    "PackageFilter",
    "PackageFilterList",
    "RangeRule",
    "RegexRule",
    "Rule",
    "TimestampRule",
    "parse_rule",
]

#: Names defined in :mod:`pkg.resolver._rules`, imported on first use: a resolve without
#: filter rules (the default) does not pay for creating their classes.
_LAZY = frozenset({"GlobRule", "RangeRule", "RegexRule", "TimestampRule", "parse_rule"})


__getattr__ = lazy_exports(globals(), dict.fromkeys(_LAZY, "_rules"))[0]


class FilterTarget(Protocol):
    """What a rule looks at.  :class:`pkg.packages.Package` is one."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> Version: ...

    @property
    def timestamp(self) -> int | None: ...


@record(slots=True)
class Candidate:
    """A :class:`FilterTarget` whose timestamp is read only when a rule needs it.

    ``load_timestamp`` is called at most once; without it the package has no timestamp.
    """

    name: str
    version: Version
    load_timestamp: Callable[[], int | None] | None = None
    _timestamp: int | None = field(default=None, init=False, repr=False)
    _loaded: bool = field(default=False, init=False, repr=False)

    @property
    def timestamp(self) -> int | None:
        if not self._loaded:
            self._loaded = True
            if self.load_timestamp is not None:
                self._timestamp = self.load_timestamp()
        return self._timestamp


class Rule(Protocol):
    """One filter rule."""

    @property
    def family(self) -> str | None:
        """The only family this rule applies to, or None for every family."""
        ...

    @property
    def cost(self) -> int:
        """Relative cost; cheaper rules are tried first."""
        ...

    def match(self, target: FilterTarget) -> bool:
        """True if the rule matches ``target``."""
        ...


def _first_match(rules: Sequence[Rule] | None, target: FilterTarget) -> Rule | None:
    if rules:
        for rule in rules:
            if rule.match(target):
                return rule
    return None


@record(slots=True)
class PackageFilter:
    """Exclusion and inclusion rules, grouped by family and sorted by cost."""

    _excludes: dict[str | None, list[Rule]] = field(default_factory=dict)
    _includes: dict[str | None, list[Rule]] = field(default_factory=dict)

    @classmethod
    def from_pod(cls, data: Mapping[str, object]) -> PackageFilter:
        """From ``{"excludes": [rule, ...], "includes": [...]}`` (a string is one rule)."""
        from pkg.resolver._rules import parse_rule

        result = cls()
        for key, add in (("excludes", result.add_exclusion), ("includes", result.add_inclusion)):
            texts = data.get(key) or []
            for text in [texts] if isinstance(texts, str) else texts:  # type: ignore[attr-defined]
                add(parse_rule(str(text)))
        return result

    def to_pod(self) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for key, rules in (("excludes", self._excludes), ("includes", self._includes)):
            if rules:
                data[key] = [str(rule) for group in rules.values() for rule in group]
        return data

    @staticmethod
    def _add(groups: dict[str | None, list[Rule]], rule: Rule) -> None:
        group = [*groups.get(rule.family, []), rule]
        group.sort(key=lambda r: r.cost)
        groups[rule.family] = group

    def add_exclusion(self, rule: Rule) -> None:
        self._add(self._excludes, rule)

    def add_inclusion(self, rule: Rule) -> None:
        self._add(self._includes, rule)

    def copy(self) -> PackageFilter:
        """A copy whose rules can be added to without changing this filter."""
        return PackageFilter(dict(self._excludes), dict(self._includes))

    @property
    def cost(self) -> float:
        """The cost of the exclusions; family-specific rules count a tenth."""
        total = 0.0
        for family, rules in self._excludes.items():
            cost = float(sum(rule.cost for rule in rules))
            total += cost / 10 if family else cost
        return total

    def excludes(self, target: FilterTarget) -> Rule | None:
        """The exclusion rule that hides ``target``, or None if it stays visible."""
        if not self._excludes:
            return None
        rule = _first_match(self._excludes.get(target.name), target) or _first_match(
            self._excludes.get(None), target
        )
        if rule is None:
            return None
        if _first_match(self._includes.get(target.name), target) or _first_match(
            self._includes.get(None), target
        ):
            return None
        return rule

    def __bool__(self) -> bool:
        return bool(self._excludes)


@record(slots=True)
class PackageFilterList:
    """Filters of which any may hide a package (Rez's ``package_filter`` setting)."""

    filters: list[PackageFilter] = field(default_factory=list)

    @classmethod
    def from_pod(cls, data: Iterable[Mapping[str, object]]) -> PackageFilterList:
        """From a list of ``{"excludes": [...], "includes": [...]}`` tables."""
        result = cls()
        for item in data:
            result.add_filter(PackageFilter.from_pod(item))
        return result

    def to_pod(self) -> list[dict[str, list[str]]]:
        return [f.to_pod() for f in self.filters]

    def add_filter(self, package_filter: PackageFilter) -> None:
        """Add a filter; filters are kept cheapest first."""
        self.filters = sorted([*self.filters, package_filter], key=lambda f: f.cost)

    def add_exclusion(self, rule: Rule) -> None:
        """Add ``rule`` to the last (most expensive) filter, or to a new one.

        As in Rez, the rule then shares that filter's inclusions: a timestamp lock added
        this way does not hide a package that the filter includes.
        """
        if not self.filters:
            self.add_filter(PackageFilter())
        self.filters[-1].add_exclusion(rule)

    def add_inclusion(self, rule: Rule) -> None:
        """Add ``rule`` to every filter."""
        for package_filter in self.filters:
            package_filter.add_inclusion(rule)

    def copy(self) -> PackageFilterList:
        return PackageFilterList([f.copy() for f in self.filters])

    def excludes(self, target: FilterTarget) -> Rule | None:
        """The first rule that hides ``target``, or None."""
        for package_filter in self.filters:
            rule = package_filter.excludes(target)
            if rule is not None:
                return rule
        return None

    def with_timestamp(self, timestamp: int | None) -> PackageFilterList:
        """This filter with a timestamp lock: an ``after(timestamp)`` exclusion, as Rez
        adds it (a falsy timestamp adds nothing).

        Like Rez, a list that excludes nothing is replaced by a fresh one, so its
        inclusions do not apply to the lock.
        """
        if not timestamp:
            return self
        from pkg.resolver._rules import TimestampRule

        locked = self.copy() if self else PackageFilterList()
        locked.add_exclusion(TimestampRule(timestamp, after=True))
        return locked

    def __bool__(self) -> bool:
        return any(self.filters)
