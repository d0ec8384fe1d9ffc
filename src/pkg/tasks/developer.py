"""The developer package as ``pkg build`` and ``pkg release`` see it: the definition in a
source directory, with its ``preprocess`` functions applied and its ``config`` section
turned into the settings of the build.

Rez applies two *preprocess* functions to a developer package before it builds it: the
package's own ``preprocess(this, data)`` (a function of its ``package.py``) and the one
named by the ``package_preprocess_function`` setting (``"module.function"``, imported
with ``package_definition_build_python_paths`` on ``sys.path``).  Each may change
``data``, the package's attributes; ``package_preprocess_mode`` decides which run and in
which order: ``override`` (the package's function if it has one, else the global one),
``before`` (the package's, then the global one) or ``after`` (the global one, then the
package's).  A function rejects the package by raising ``InvalidPackageError``.

A package's ``config`` section (``with scope("config") as c: c.build_directory = ...``)
overrides settings while that package is built or released: :func:`package_config`
returns the configuration with it applied (a new :class:`~pkg.config.Config`; nothing
global changes).
"""

from __future__ import annotations

import copy
import importlib
import inspect
import textwrap
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pkg.errors import ConfigError, PackageDefinitionError
from pkg.packages._pyexec import extra_sys_path
from pkg.tasks.build import load_developer_package

if TYPE_CHECKING:
    from pkg.config import Config
    from pkg.packages import Package

__all__ = ["load_build_package", "package_config", "preprocess_package"]

#: A preprocess function: ``fn(this=package, data=attributes)``, changing ``data`` in place.
Preprocessor = Callable[..., object]


def load_build_package(
    source_dir: str,
    config: Config,
    *,
    building: bool = False,
    early_bindings: Mapping[str, object] | None = None,
) -> tuple[Package, Config]:
    """The package in ``source_dir``, preprocessed, and the configuration its ``config``
    section makes (that of the preprocessed package, which may differ from the file's).

    Raises:
        BuildError: no definition file in ``source_dir``.
        PackageDefinitionError: the definition is invalid, a preprocess function failed
            or rejected the package, or its result is invalid.
        ConfigError: the ``config`` section or ``package_preprocess_function`` is invalid.
    """
    package = load_developer_package(
        source_dir, config, building=building, early_bindings=early_bindings
    )
    own = package_config(package, config)
    processed = preprocess_package(package, own, building=building, early_bindings=early_bindings)
    if processed is package:
        return package, own
    return processed, package_config(processed, config)


def package_config(package: Package, config: Config) -> Config:
    """``config`` with ``package``'s ``config`` section applied (``config`` itself when the
    package has none).  ``ModifyList`` values prepend/append to list settings.

    Raises:
        PackageDefinitionError: ``config`` is not a dict.
        ConfigError: a key is unknown or a value invalid (the message names the file).
    """
    section = package.definition.data.get("config")
    if not section:
        return config
    filepath = package.definition.filepath
    if not isinstance(section, Mapping):
        raise PackageDefinitionError(
            "'config' must be a dict of settings", filepath=filepath, attribute="config"
        )
    overrides = {str(key): _plain(value) for key, value in section.items()}
    return config.with_overrides(overrides, source=f"{filepath} (config section)")


def _plain(value: object) -> object:
    """The section in the shape of a config file: ``ModifyList`` as a list-edit table."""
    from pkg.packages import ModifyList

    if isinstance(value, ModifyList):
        edits: dict[str, object] = {}
        if value.prepend is not None:
            edits["prepend"] = list(value.prepend)
        if value.append is not None:
            edits["append"] = list(value.append)
        return edits or {"append": []}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def preprocess_package(
    package: Package,
    config: Config,
    *,
    building: bool = False,
    early_bindings: Mapping[str, object] | None = None,
) -> Package:
    """``package`` after its preprocess functions (see the module doc); ``package``
    itself when there are none or they changed nothing.

    Functions a preprocess function adds to ``data`` are kept as source code, as the
    loader keeps the functions of a ``package.py``.

    Raises:
        PackageDefinitionError: a function raised (``InvalidPackageError`` included), or
            the changed attributes are invalid.
        ConfigError: ``package_preprocess_function`` cannot be imported.
    """
    from pkg.packages import Package, PackageDefinition

    definition = package.definition
    local = _package_preprocess(definition.filepath, config, building, early_bindings)
    mode = config.package_preprocess_mode
    global_ = None if mode == "override" and local is not None else _global_preprocess(config)
    if mode == "after":
        candidates = [("global", global_), ("local", local)]
    elif mode == "before":
        candidates = [("local", local), ("global", global_)]
    else:
        candidates = [("local", local) if local is not None else ("global", global_)]
    chain = [(level, fn) for level, fn in candidates if fn is not None]
    if not chain:
        return package
    original = dict(definition.data)
    data = copy.deepcopy(original)
    with extra_sys_path(config.package_definition_build_python_paths):
        for level, fn in chain:
            _apply(fn, level, package, data, definition.filepath)
    data = {key: _source_of(key, value) for key, value in data.items()}
    if data == original:
        return package
    from pkg.packages._schema import validate

    try:
        checked = validate(data, definition.filepath, {})
    except PackageDefinitionError as error:
        raise PackageDefinitionError(
            f"after preprocessing: {error.detail}",
            filepath=definition.filepath,
            attribute=error.attribute,
        ) from error
    return Package(
        PackageDefinition(checked, definition.filepath, definition.format),
        None,
        config=config,
    )


def _apply(
    fn: Preprocessor, level: str, package: Package, data: dict[str, object], path: str
) -> None:
    from pkg.packages import InvalidPackageError

    try:
        fn(this=package, data=data)
    except InvalidPackageError as error:
        raise PackageDefinitionError(
            f"the {level} preprocess function rejected the package: {error}", filepath=path
        ) from error
    except Exception as error:
        raise PackageDefinitionError(
            f"the {level} preprocess function failed: {type(error).__name__}: {error}",
            filepath=path,
        ) from error


def _package_preprocess(
    filepath: str,
    config: Config,
    building: bool,
    early_bindings: Mapping[str, object] | None,
) -> Preprocessor | None:
    """The ``preprocess`` function of the ``package.py`` at ``filepath``, with the globals
    it was defined with (the file runs again), or None."""
    if not filepath.endswith(".py"):
        return None
    try:
        text = Path(filepath).read_text(encoding="utf-8")
    except OSError:
        return None
    if "preprocess" not in text:
        return None
    from pkg.packages._pyexec import (
        DEFAULT_EARLY_BINDINGS,
        InvalidPackageError,
        _modify_list,
        _ScopeContext,
        early,
        include,
        late,
    )

    namespace: dict[str, Any] = {
        "scope": _ScopeContext(),
        "early": early,
        "late": late,
        "include": include,
        "ModifyList": _modify_list,
        "InvalidPackageError": InvalidPackageError,
        **DEFAULT_EARLY_BINDINGS,
        "building": building,
        **(early_bindings or {}),
    }
    try:
        with extra_sys_path(config.package_definition_build_python_paths):
            exec(compile(text, filepath, "exec", dont_inherit=True), namespace)
    except Exception as error:
        raise PackageDefinitionError(
            f"error while executing the file: {type(error).__name__}: {error}", filepath=filepath
        ) from error
    found = namespace.get("preprocess")
    return found if isinstance(found, types.FunctionType) else None


def _global_preprocess(config: Config) -> Preprocessor | None:
    """The function ``package_preprocess_function`` names, or None when unset.

    Raises:
        ConfigError: the name has no module part, or the function cannot be imported.
    """
    name = config.package_preprocess_function
    if not name:
        return None
    key = "package_preprocess_function"
    if "." not in name:
        raise ConfigError("expected 'module.function'", key_path=key)
    module_name, function_name = name.rsplit(".", 1)
    try:
        with extra_sys_path(config.package_definition_build_python_paths):
            module = importlib.import_module(module_name)
    except Exception as error:
        raise ConfigError(
            f"cannot import {module_name!r}: {type(error).__name__}: {error}", key_path=key
        ) from error
    from pkg.packages import InvalidPackageError

    # Rez makes the exception available to the module this way.
    module.InvalidPackageError = InvalidPackageError  # type: ignore[attr-defined]
    found = getattr(module, function_name, None)
    if not callable(found):
        raise ConfigError(f"{module_name!r} has no function {function_name!r}", key_path=key)
    return found  # type: ignore[no-any-return]


def _source_of(key: str, value: object) -> object:
    """A function added by a preprocess function, as source code (other values as they
    are)."""
    if not isinstance(value, types.FunctionType):
        return value
    from pkg.packages import SourceCode

    try:
        lines, first = inspect.getsourcelines(value)
    except (OSError, TypeError):
        return value  # left for validation to reject, naming the attribute
    while lines and lines[0].lstrip().startswith("@"):
        lines = lines[1:]
        first += 1
    source = textwrap.dedent("".join(lines)).rstrip()
    return SourceCode(source, value.__name__, value.__code__.co_filename, first)
