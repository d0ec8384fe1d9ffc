"""The filter rules of :mod:`pkg.resolver.filters` and :func:`parse_rule`.

They live apart so that a resolve without filter rules never creates their classes;
import them from :mod:`pkg.resolver.filters`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from pkg.core import Requirement
from pkg.errors import ConfigError

if TYPE_CHECKING:
    from pkg.resolver.filters import FilterTarget, Rule

__all__ = ["GlobRule", "RangeRule", "RegexRule", "TimestampRule", "parse_rule"]


def _qualified(target: FilterTarget) -> str:
    version = str(target.version)
    return f"{target.name}-{version}" if version else target.name


#: ``label(body)``; the body may not contain parentheses.
_LABEL = re.compile(r"^([^(]+)\(([^()]+)\)$")
#: A family name followed by a separator at the start of a pattern (Rez's quirk: the
#: longest prefix without ``*`` or ``?`` that ends just before a separator).
_FAMILY = re.compile(r"[^*?]+[-@#]")


def _family_of(pattern: str) -> str | None:
    match = _FAMILY.match(pattern)
    return match.group()[:-1] if match else None


@dataclass(frozen=True, slots=True)
class _PatternRule:
    """A rule matching qualified names against a pattern compiled by :meth:`_compile`."""

    pattern: str
    family: str | None = field(init=False, compare=False)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    label: ClassVar[str]
    cost: ClassVar[int] = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "family", _family_of(self.pattern))
        object.__setattr__(self, "_regex", self._compile(self.pattern))

    @staticmethod
    def _compile(pattern: str) -> re.Pattern[str]:
        raise NotImplementedError

    def match(self, target: FilterTarget) -> bool:
        return self._regex.match(_qualified(target)) is not None

    def __str__(self) -> str:
        return f"{self.label}({self.pattern})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.pattern!r})"


@dataclass(frozen=True, slots=True, repr=False)  # keep _PatternRule's repr
class GlobRule(_PatternRule):
    """Matches packages whose qualified name matches a shell pattern."""

    label: ClassVar[str] = "glob"

    @staticmethod
    def _compile(pattern: str) -> re.Pattern[str]:
        return re.compile(fnmatch.translate(pattern))


@dataclass(frozen=True, slots=True, repr=False)  # keep _PatternRule's repr
class RegexRule(_PatternRule):
    """Matches packages whose qualified name matches a regular expression (from its start)."""

    label: ClassVar[str] = "regex"

    @staticmethod
    def _compile(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern)


@dataclass(frozen=True, slots=True)
class RangeRule:
    """Matches the packages of one family that do not conflict with a request."""

    requirement: Requirement
    cost: ClassVar[int] = 10

    @property
    def family(self) -> str | None:
        return self.requirement.name

    def match(self, target: FilterTarget) -> bool:
        return not self.requirement.conflicts_with((target.name, target.version))

    def __str__(self) -> str:
        return f"range({self.requirement})"

    def __repr__(self) -> str:
        return f"RangeRule({str(self.requirement)!r})"


@dataclass(frozen=True, slots=True)
class TimestampRule:
    """Matches packages released at or before ``timestamp`` (``after``: strictly after).

    A package without a timestamp (or with timestamp 0) never matches.
    """

    timestamp: int
    family: str | None = None
    after: bool = False
    cost: ClassVar[int] = 1000

    def match(self, target: FilterTarget) -> bool:
        released = target.timestamp
        if not released:
            return False
        return released > self.timestamp if self.after else released <= self.timestamp

    def __str__(self) -> str:
        body = f"{self.family}:{self.timestamp}" if self.family else str(self.timestamp)
        return f"{'after' if self.after else 'before'}({body})"


def _timestamp_rule(body: str, after: bool) -> TimestampRule:
    family, sep, text = body.partition(":")
    if not sep:
        family, text = "", body
    return TimestampRule(int(text), family or None, after)


def parse_rule(text: str) -> Rule:
    """A rule from its text (see the module docstring).

    Raises:
        ConfigError: unknown label, or a body that does not parse.
    """
    match = _LABEL.match(text)
    if match is None:
        label, body = ("glob" if "*" in text else "range"), text
    else:
        label, body = match.group(1), match.group(2)
    try:
        if label == "glob":
            return GlobRule(body)
        if label == "regex":
            return RegexRule(body)
        if label == "range":
            return RangeRule(Requirement(body))
        if label in ("before", "after"):
            return _timestamp_rule(body, label == "after")
    except (ValueError, re.error) as error:
        raise ConfigError(
            f"invalid package filter rule {label}({body}): {type(error).__name__}: {error}"
        ) from error
    raise ConfigError(
        f"{label!r} is not a valid package filter type (use glob, regex, range, before or after)"
    )
