"""Validation of package attributes, following the types of Rez's package schema.

:func:`validate` checks every attribute of freshly loaded data and returns the stored
form: tuples become lists, ``description``/``changelog`` are dedented and stripped, an
empty ``version`` is dropped.  Requests are checked with :class:`pkg.core.Requirement`
but stored as the strings that were written.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from pkg.core import Version, is_valid_package_name, parse_requirement
from pkg.errors import PackageDefinitionError, RequestError, VersionError
from pkg.packages._code import ModifyList, SourceCode

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["KEY_ORDER", "REQUIRES_KEYS", "check_late_result", "to_plain", "validate"]

REQUIRES_KEYS = ("requires", "build_requires", "private_build_requires")

#: The order in which Rez writes attributes; other keys follow in their own order.
KEY_ORDER = (
    "name", "version", "description", "authors", "tools", "has_plugins", "plugin_for",
    "requires", "build_requires", "private_build_requires", "variants", "commands",
    "pre_commands", "post_commands", "help", "config", "uuid", "timestamp",
    "release_message", "changelog", "vcs", "revision", "previous_version",
    "previous_revision",
)  # fmt: skip

_REX_KEYS = frozenset(
    {"pre_commands", "commands", "post_commands", "pre_build_commands", "pre_test_commands"}
)


class _Invalid(Exception):
    pass


def to_plain(value: object) -> object:
    """``value`` with tuples turned into lists; raises ``_Invalid`` for non-data values."""
    if value is None or isinstance(value, str | bool | int | float | SourceCode | ModifyList):
        return value
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        result: dict[str, object] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Invalid(f"dict keys must be strings, not {key!r}")
            result[key] = to_plain(item)
        return result
    raise _Invalid(f"{type(value).__name__} values cannot be stored in a package definition")


def _str(value: object) -> object:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, not {value!r}")
    return value


def _block(value: object) -> object:
    text = str(_str(value))
    return textwrap.dedent(text).strip() if "\n" in text else text.strip()


def _bool(value: object) -> object:
    if not isinstance(value, bool):
        raise _Invalid(f"expected True or False, not {value!r}")
    return value


def _opt_bool(value: object) -> object:
    return None if value is None else _bool(value)


def _int(value: object) -> object:
    if not isinstance(value, int):
        raise _Invalid(f"expected an integer, not {value!r}")
    return value


def _opt_str(value: object) -> object:
    return None if value is None else _str(value)


def _str_list(value: object) -> object:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of strings, not {value!r}")
    return [_str(item) for item in value]


def _request(value: object) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a request string, not {value!r}")
    try:
        parse_requirement(value)
    except (RequestError, VersionError) as error:
        raise _Invalid(f"invalid request {value!r}: {error.reason}") from error
    return value


def _requests(value: object) -> object:
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of requests, not {value!r}")
    return [_request(item) for item in value]


def _variants(value: object) -> object:
    if isinstance(value, SourceCode):
        raise _Invalid("variants cannot be late-bound")
    if not isinstance(value, list):
        raise _Invalid(f"expected a list of lists of requests, not {value!r}")
    return [_requests(item) for item in value]


def _version(value: object) -> object:
    if not isinstance(value, str):
        raise _Invalid(f"expected a version string, not {value!r}")
    try:
        Version(value)
    except VersionError as error:
        raise _Invalid(f"invalid version {value!r}: {error.reason}") from error
    return value


def _help(value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, list) for item in value):
        return [_str_list(item) for item in value]
    raise _Invalid(f"expected a string or a list of [label, text] lists, not {value!r}")


def _config(value: object) -> object:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a dict, not {value!r}")
    return value


def _commands(value: object) -> object:
    if isinstance(value, SourceCode):
        if value.decorator == "late":
            raise _Invalid("rex commands cannot be late-bound")
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        # Old-style (rez-1) commands: kept, and refused only when the commands are used
        # (Package.commands, validation), as Rez does.
        return value
    raise _Invalid(f"expected a function or a string, not {value!r}")


def _test_entry(name: str, value: object) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return _str_list(value)
    if not isinstance(value, dict):
        raise _Invalid(f"test {name!r}: expected a command or a dict, not {value!r}")
    if "command" not in value:
        raise _Invalid(f"test {name!r}: missing 'command'")
    command = value["command"]
    if not isinstance(command, str):
        _str_list(command)
    if "requires" in value:
        _requests(value["requires"])
    if "run_on" in value and not isinstance(value["run_on"], str):
        _str_list(value["run_on"])
    if "on_variants" in value:
        on_variants = value["on_variants"]
        if isinstance(on_variants, dict):
            if on_variants.get("type") != "requires" or set(on_variants) != {"type", "value"}:
                raise _Invalid(f"test {name!r}: on_variants must be {{type: requires, value}}")
            _requests(on_variants["value"])
        else:
            _bool(on_variants)
    return value


def _tests(value: object) -> object:
    if not isinstance(value, dict):
        raise _Invalid(f"expected a dict of tests, not {value!r}")
    return {name: _test_entry(name, entry) for name, entry in value.items()}


def _late(check: Callable[[object], object]) -> Callable[[object], object]:
    def late_or(value: object) -> object:
        if isinstance(value, SourceCode) and value.decorator == "late":
            return value
        return check(value)

    return late_or


def _anything(value: object) -> object:
    return value


_CHECKS: Mapping[str, Callable[[object], object]] = {
    "name": _str,
    "base": _str,
    "version": _version,
    "description": _block,
    "authors": _str_list,
    "requires": _late(_requests),
    "build_requires": _late(_requests),
    "private_build_requires": _late(_requests),
    "variants": _variants,
    "has_plugins": _late(_bool),
    "plugin_for": _late(_str_list),
    "uuid": _str,
    "config": _config,
    "tools": _late(_str_list),
    "help": _late(_help),
    "hashed_variants": _bool,
    "relocatable": _late(_opt_bool),
    "cachable": _late(_opt_bool),
    "tests": _late(_tests),
    **dict.fromkeys(_REX_KEYS, _commands),
    "timestamp": _int,
    "revision": _anything,
    "changelog": _block,
    "release_message": _opt_str,
    "previous_version": _version,
    "previous_revision": _anything,
    "vcs": _str,
}


#: Attributes a release writes (timestamp, VCS data, changelog...), in Rez's order.
RELEASE_KEYS = (
    "timestamp",
    "revision",
    "changelog",
    "release_message",
    "previous_version",
    "previous_revision",
    "vcs",
)


def validate(
    data: Mapping[str, object],
    filepath: str,
    lines: Mapping[str, int],
    *,
    name: str | None = None,
) -> dict[str, object]:
    """Check ``data`` against the package schema; return the stored form (see module doc).

    ``name``, when given, is the name a repository knows the package by (its family
    directory); it replaces the file's ``name``, which must be there but is otherwise not
    checked, as Rez names installed packages by their directory.
    """
    if name is not None and data.get("name") is not None:
        data = {**data, "name": name}

    def fail(detail: str, attribute: str) -> PackageDefinitionError:
        return PackageDefinitionError(
            detail, filepath=filepath, line=lines.get(attribute), attribute=attribute
        )

    given = data.get("name")
    if given is None:
        raise fail("the package has no 'name'", "name")
    if not isinstance(given, str) or not is_valid_package_name(given):
        raise fail(f"invalid package name {given!r}", "name")
    result: dict[str, object] = {}
    for key, value in data.items():
        if key == "version" and value in ("", None, False, "_NO_VERSION"):
            continue
        check = _CHECKS.get(key, _late(_anything))
        try:
            result[key] = check(to_plain(value))
        except _Invalid as error:
            raise fail(str(error), key) from error
    return result


def check_late_result(key: str, value: object) -> object:
    """Validate what a ``@late()`` function returned; raises ValueError when it is wrong."""
    check = _CHECKS.get(key)
    try:
        plain = to_plain(value)
        return plain if check is None else check(plain)
    except _Invalid as error:
        raise ValueError(str(error)) from error
