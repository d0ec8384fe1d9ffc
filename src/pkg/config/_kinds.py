"""Value kinds: how each setting is checked, and how its environment override is parsed.

A *kind* is a small immutable object attached to a field of the config model through
``Annotated[...]``.  It knows three things about a setting:

* :meth:`Kind.check` turns a raw value (from TOML, JSON or an environment variable) into a
  plain, normalised Python value, or raises :class:`Invalid` with a short reason;
* :meth:`Kind.parse_env` turns the text of a ``PKG_<SETTING>`` variable into a raw value;
* :attr:`Kind.accepts_none`, whether ``None`` is a legal value (TOML spells it
  ``{ null = true }``, JSON spells it ``null``).

Kinds never know where a value came from; the loader adds the file and key path to the
error message.
"""

from __future__ import annotations

import os
import re
from typing import ClassVar

__all__ = [
    "BOOL",
    "BUILD_THREAD_COUNT",
    "CHAR",
    "DICT",
    "DICT_LIST",
    "FLOAT",
    "FORCE_OR_BOOL",
    "INT",
    "OPT_BOOL",
    "OPT_DICT",
    "OPT_DICT_OR_DICT_LIST",
    "OPT_STR",
    "OPT_STR_LIST",
    "PATH_LIST",
    "PIP_INSTALL_REMAPS",
    "STR",
    "STR_DICT",
    "STR_LIST",
    "STR_OR_STR_LIST",
    "Choice",
    "Invalid",
    "Kind",
]

TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "f", "no", "n", "off"})


class Invalid(Exception):
    """A value does not fit its kind; the message is the reason, without location."""


def _got(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return f"number {value!r}"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _str_list(value: object, what: str) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(x, str) for x in value):
        raise Invalid(f"expected {what}, got {_got(value)}")
    return list(value)


class Kind:
    """Base kind: any value, no environment parsing."""

    description: ClassVar[str] = "a value"
    accepts_none: ClassVar[bool] = False
    #: "scalar", "list" (may be edited with prepend/append) or "dict" (deep-merged).
    shape: ClassVar[str] = "scalar"

    def check(self, value: object) -> object:
        """Return the normalised value, or raise :class:`Invalid`."""
        return value

    def parse_env(self, text: str) -> object:
        """Parse the text of a ``PKG_<SETTING>`` variable; raise :class:`Invalid` if unsupported."""
        raise Invalid("cannot be set from a plain environment variable, use the _JSON form")

    def fail(self, value: object) -> Invalid:
        """The standard "expected ..., got ..." error for ``value``."""
        return Invalid(f"expected {self.description}, got {_got(value)}")


class _Str(Kind):
    __slots__ = ()

    description: ClassVar[str] = "a string"

    def check(self, value: object) -> object:
        if not isinstance(value, str):
            raise self.fail(value)
        return value

    def parse_env(self, text: str) -> object:
        return text


class _OptStr(_Str):
    __slots__ = ()

    description: ClassVar[str] = "a string or null"
    accepts_none: ClassVar[bool] = True

    def check(self, value: object) -> object:
        if value is None:
            return None
        return _Str.check(self, value)


class _Char(_Str):
    __slots__ = ()

    description: ClassVar[str] = "a single character"

    def check(self, value: object) -> object:
        if not isinstance(value, str) or len(value) != 1:
            raise self.fail(value)
        return value


class Choice(_Str):
    """One of a closed set of strings."""

    __slots__ = ("choices",)

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def __repr__(self) -> str:
        return f"Choice({self.choices!r})"

    def check(self, value: object) -> object:
        if value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise Invalid(f"expected one of {allowed}, got {_got(value)}")
        return value


class _StrList(Kind):
    __slots__ = ()

    description: ClassVar[str] = "an array of strings"
    shape: ClassVar[str] = "list"

    def check(self, value: object) -> object:
        return _str_list(value, self.description)

    def parse_env(self, text: str) -> object:
        return text.replace(",", " ").split()


class _OptStrList(_StrList):
    __slots__ = ()

    description: ClassVar[str] = "an array of strings or null"
    accepts_none: ClassVar[bool] = True

    def check(self, value: object) -> object:
        if value is None:
            return []
        return _str_list(value, self.description)


class _StrOrStrList(_StrList):
    __slots__ = ()

    description: ClassVar[str] = "a string or an array of strings"

    def check(self, value: object) -> object:
        if isinstance(value, str):
            return value
        return _str_list(value, self.description)


class _PathList(_StrList):
    __slots__ = ()

    description: ClassVar[str] = "an array of paths"

    def parse_env(self, text: str) -> object:
        return [part for part in text.split(os.pathsep) if part]


class _Int(Kind):
    __slots__ = ()

    description: ClassVar[str] = "an integer"

    def check(self, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(value)
        return value

    def parse_env(self, text: str) -> object:
        try:
            return int(text)
        except ValueError:
            raise self.fail(text) from None


class _Float(Kind):
    __slots__ = ()

    description: ClassVar[str] = "a number"

    def check(self, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(value)
        return float(value)

    def parse_env(self, text: str) -> object:
        try:
            return float(text)
        except ValueError:
            raise self.fail(text) from None


def _parse_bool_word(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    words = ", ".join(sorted(TRUE_WORDS | FALSE_WORDS))
    raise Invalid(f"expected one of {words}, got {text!r}")


class _Bool(Kind):
    __slots__ = ()

    description: ClassVar[str] = "a boolean"

    def check(self, value: object) -> object:
        if not isinstance(value, bool):
            raise self.fail(value)
        return value

    def parse_env(self, text: str) -> object:
        return _parse_bool_word(text)


class _OptBool(_Bool):
    __slots__ = ()

    description: ClassVar[str] = "a boolean or null"
    accepts_none: ClassVar[bool] = True

    def check(self, value: object) -> object:
        if value is None:
            return None
        return _Bool.check(self, value)


class _ForceOrBool(_Bool):
    __slots__ = ()

    description: ClassVar[str] = "a boolean or 'force'"

    def check(self, value: object) -> object:
        if value == "force":
            return value
        return _Bool.check(self, value)

    def parse_env(self, text: str) -> object:
        if text == "force":
            return text
        return _parse_bool_word(text)


def _coerce_number(text: str) -> object:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


class _Dict(Kind):
    __slots__ = ()

    description: ClassVar[str] = "a table"
    shape: ClassVar[str] = "dict"

    def check(self, value: object) -> object:
        if not isinstance(value, dict):
            raise self.fail(value)
        return value

    def parse_env(self, text: str) -> object:
        result: dict[str, object] = {}
        for item in text.split(","):
            if ":" not in item:
                raise Invalid(f"expected 'k1:v1,k2:v2,...', got {text!r}")
            key, _, val = item.partition(":")
            result[key] = _coerce_number(val)
        return result


class _StrDict(_Dict):
    __slots__ = ()

    description: ClassVar[str] = "a table of strings"

    def check(self, value: object) -> object:
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(value)
        return value


class _OptDict(_Dict):
    __slots__ = ()

    description: ClassVar[str] = "a table or null"
    accepts_none: ClassVar[bool] = True

    def check(self, value: object) -> object:
        if value is None:
            return {}
        return _Dict.check(self, value)


class _DictList(Kind):
    __slots__ = ()

    description: ClassVar[str] = "an array of tables"
    shape: ClassVar[str] = "list"

    def check(self, value: object) -> object:
        if not isinstance(value, list | tuple) or not all(isinstance(x, dict) for x in value):
            raise self.fail(value)
        return list(value)


class _OptDictOrDictList(_DictList):
    __slots__ = ()

    description: ClassVar[str] = "a table, an array of tables or null"
    accepts_none: ClassVar[bool] = True

    def check(self, value: object) -> object:
        if value is None:
            return []
        if isinstance(value, dict):
            return [value]
        return _DictList.check(self, value)


class _BuildThreadCount(Kind):
    __slots__ = ()

    description: ClassVar[str] = "a positive integer or 'physical_cores'/'logical_cores'"

    def check(self, value: object) -> object:
        if value in ("physical_cores", "logical_cores"):
            return value
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(value)
        return value

    def parse_env(self, text: str) -> object:
        try:
            return int(text)
        except ValueError:
            return text


_REMAP_KEYS = ("record_path", "pip_install", "rez_install")
_REMAP_TOKEN = re.compile(r"\{(sep|s|pardir|p)\}")


class _PipInstallRemaps(_DictList):
    """Pip install remaps; ``{p}``/``{pardir}`` and ``{s}``/``{sep}`` tokens are substituted
    (regex-escaped in ``record_path``)."""

    __slots__ = ()

    description: ClassVar[str] = (
        "an array of tables with non-empty string keys record_path, pip_install, rez_install"
    )

    def check(self, value: object) -> object:
        items = _DictList.check(self, value)
        assert isinstance(items, list)
        result: list[dict[str, str]] = []
        for item in items:
            if sorted(item) != sorted(_REMAP_KEYS) or not all(
                isinstance(v, str) and v for v in item.values()
            ):
                raise self.fail(value)
            result.append({key: _substitute_remap(key, item[key]) for key in _REMAP_KEYS})
        return result


def _substitute_remap(key: str, text: str) -> str:
    def token(match: re.Match[str]) -> str:
        raw = os.sep if match.group(1) in ("s", "sep") else os.pardir
        return re.escape(raw) if key == "record_path" else raw

    return _REMAP_TOKEN.sub(token, text)


STR: Kind = _Str()
OPT_STR: Kind = _OptStr()
CHAR: Kind = _Char()
STR_LIST: Kind = _StrList()
OPT_STR_LIST: Kind = _OptStrList()
STR_OR_STR_LIST: Kind = _StrOrStrList()
PATH_LIST: Kind = _PathList()
INT: Kind = _Int()
FLOAT: Kind = _Float()
BOOL: Kind = _Bool()
OPT_BOOL: Kind = _OptBool()
FORCE_OR_BOOL: Kind = _ForceOrBool()
DICT: Kind = _Dict()
STR_DICT: Kind = _StrDict()
OPT_DICT: Kind = _OptDict()
DICT_LIST: Kind = _DictList()
OPT_DICT_OR_DICT_LIST: Kind = _OptDictOrDictList()
BUILD_THREAD_COUNT: Kind = _BuildThreadCount()
PIP_INSTALL_REMAPS: Kind = _PipInstallRemaps()
