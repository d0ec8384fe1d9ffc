"""Running the commands of a whole resolve, as a resolved context does.

The order is Rez's: the ``REZ_USED*`` variables, the per-package ``REZ_<NAME>_*``
variables, then every package's ``pre_commands`` (in resolve order, dependencies first),
then every package's ``commands``, then every package's ``post_commands``, then the
``REZ_EPH_*`` variables.  Header comments separate the sections, as in Rez's scripts.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import field
from typing import TYPE_CHECKING, Any

from pkg._record import record
from pkg.rex.bindings import (
    EphemeralsBinding,
    RequirementsBinding,
    RexVariant,
    VariantBinding,
    VariantsBinding,
    VersionBinding,
    intersects,
)
from pkg.rex.errors import PackageCommandError, RexError
from pkg.rex.escaped import literal
from pkg.rex.executor import Code, RexExecutor, code_filename

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pkg.config import Config
    from pkg.core import Requirement
    from pkg.rex.actions import Action

__all__ = ["PHASES", "ContextInfo", "context_actions", "execute_context"]

#: The rex attributes run for a context, in order.
PHASES = ("pre_commands", "commands", "post_commands")

_MAJOR_RULE = "#" * 80
_MINOR_RULE = "-" * 80


@record(frozen=True, slots=True)
class ContextInfo:
    """What a resolved context tells its packages' commands.

    Attributes:
        requests: the package requests, as given.
        implicits: the implicit packages added to the request.
        ephemerals: the resolved ephemerals (``.foo-1``).
        package_paths: the repositories searched.
        tool_path: the tool's installation (``REZ_USED``).
        tool_version: the version reported as ``REZ_USED_VERSION``.
        timestamp: when the context was resolved (seconds since the epoch).
        requested_timestamp: the ``--time`` asked for, if any.
        building: the context is a build environment.
        testing: the context runs package tests.
        system: the ``system`` object rex code sees (platform, arch, os ...).
        cached_roots: package name -> package-cache root for variants run from the cache.
    """

    requests: Sequence[Requirement] = ()
    implicits: Sequence[Requirement] = ()
    ephemerals: Sequence[Requirement] = ()
    package_paths: Sequence[str] = ()
    tool_path: str = ""
    tool_version: str = "3.4.0"
    timestamp: int = 0
    requested_timestamp: int | None = None
    building: bool = False
    testing: bool = False
    system: object = None
    cached_roots: Mapping[str, str] = field(default_factory=dict)


def _header(executor: RexExecutor, text: str) -> None:
    for line in ("", "", _MAJOR_RULE, text, _MAJOR_RULE):
        executor.comment(line)


def _minor_header(executor: RexExecutor, text: str) -> None:
    for line in ("", text, _MINOR_RULE):
        executor.comment(line)


def _prefix(name: str) -> str:
    return "REZ_" + name.upper().replace(".", "_")


def execute_context(
    executor: RexExecutor, variants: Sequence[RexVariant], info: ContextInfo
) -> None:
    """Run a resolve's context variables and package commands in ``executor``.

    Args:
        executor: where to run; the caller may have recorded actions already (Rez sets
            ``REZ_RXT_FILE`` and ``REZ_CONTEXT_FILE`` first) and may add more after.
        variants: the resolved variants, in resolve order (dependencies first).
        info: the context's request, ephemerals, paths and flags.

    Raises:
        PackageCommandError: a package's rex code failed or called ``stop()``.
    """
    _system_variables(executor, variants, info)
    bindings = {v.name: VariantBinding(v, info.cached_roots.get(v.name)) for v in variants}
    for name, value in {
        "system": info.system,
        "building": info.building,
        "testing": info.testing,
        "request": RequirementsBinding(info.requests),
        "implicits": RequirementsBinding(info.implicits),
        "ephemerals": EphemeralsBinding(info.ephemerals),
        "intersects": intersects,
        "resolve": VariantsBinding(bindings),
    }.items():
        executor.bind(name, value)
    _package_variables(executor, variants, bindings)
    for phase in PHASES:
        _run_phase(executor, variants, bindings, phase)
    for name in ("this", "version", "root", "base"):
        executor.unbind(name)
    if info.ephemerals:
        _header(executor, "ephemeral variables")
        for ephemeral in info.ephemerals:
            name = _prefix(ephemeral.name[1:]).removeprefix("REZ_")
            executor.setenv(f"REZ_EPH_{name}_REQUEST", str(ephemeral.range))


def _system_variables(
    executor: RexExecutor, variants: Sequence[RexVariant], info: ContextInfo
) -> None:
    config = executor.config
    request_str = " ".join(str(r) for r in info.requests)
    implicit_str = " ".join(str(r) for r in info.implicits)
    resolve_str = " ".join(v.qualified_package_name for v in variants)
    local_str = " ".join(v.qualified_package_name for v in variants if v.is_local)

    _header(executor, "system setup")
    executor.setenv("REZ_USED", info.tool_path)
    executor.setenv("REZ_USED_VERSION", info.tool_version)
    executor.setenv("REZ_USED_TIMESTAMP", str(info.timestamp))
    executor.setenv("REZ_USED_REQUESTED_TIMESTAMP", str(info.requested_timestamp or 0))
    executor.setenv("REZ_USED_REQUEST", literal(request_str))
    executor.setenv("REZ_USED_IMPLICIT_PACKAGES", literal(implicit_str))
    executor.setenv("REZ_USED_RESOLVE", resolve_str)
    executor.setenv("REZ_USED_PACKAGES_PATH", executor.pathsep.join(info.package_paths))
    if info.ephemerals:
        executor.setenv("REZ_USED_EPH_RESOLVE", " ".join(str(e) for e in info.ephemerals))
    if local_str:
        executor.setenv("REZ_USED_LOCAL_RESOLVE", local_str)
    if info.building:
        executor.setenv("REZ_BUILD_ENV", "1")
    if config.rez_1_environment_variables and not config.disable_rez_1_compatibility:
        full_request = f"{request_str} {implicit_str}".strip()
        executor.setenv("REZ_VERSION", info.tool_version)
        executor.setenv("REZ_PATH", info.tool_path)
        executor.setenv("REZ_REQUEST", full_request)
        executor.setenv("REZ_RESOLVE", resolve_str)
        executor.setenv("REZ_RAW_REQUEST", full_request)
        executor.setenv("REZ_RESOLVE_MODE", "latest")


def _package_variables(
    executor: RexExecutor,
    variants: Sequence[RexVariant],
    bindings: Mapping[str, VariantBinding],
) -> None:
    _header(executor, "package variables")
    for variant in variants:
        _minor_header(executor, f"variables for package {variant.qualified_name}")
        prefix = _prefix(variant.name)
        version = variant.version
        executor.setenv(prefix + "_VERSION", str(version))
        for index, part in enumerate(("MAJOR", "MINOR", "PATCH")):
            token = str(version[index]) if len(version) > index else ""
            executor.setenv(f"{prefix}_{part}_VERSION", token)
        executor.setenv(prefix + "_BASE", variant.base or "")
        binding = bindings[variant.name]
        executor.setenv(prefix + "_ROOT", binding.root)
        if binding.is_cached:
            executor.setenv(prefix + "_ORIG_ROOT", variant.root or "")


def _run_phase(
    executor: RexExecutor,
    variants: Sequence[RexVariant],
    bindings: Mapping[str, VariantBinding],
    phase: str,
) -> None:
    found = False
    for variant in variants:
        code: Code | None = getattr(variant, phase, None)
        if code is None:
            continue
        if not found:
            found = True
            _header(executor, phase)
        _minor_header(executor, f"{phase} from package {variant.qualified_name}")
        binding = bindings[variant.name]
        executor.bind("this", binding)
        executor.bind("version", VersionBinding(variant.version))
        executor.bind("root", binding.root)
        executor.bind("base", variant.base or "")
        _bind_includes(executor, variant, code)
        try:
            executor.execute(code)
        except RexError as error:
            raise _package_error(error, code, variant, phase) from error


def _bind_includes(executor: RexExecutor, variant: RexVariant, code: Code) -> None:
    """Make the modules of the code's ``@include(...)`` visible to it by name, as Rez
    does (each from the package's ``.rez/include`` copy)."""
    load = getattr(variant, "include_module", None)
    for name in getattr(code, "includes", ()):
        module = load(name) if load is not None else None
        if module is not None:
            executor.bind(name, module)


def _package_error(
    error: RexError, code: Code, variant: RexVariant, phase: str
) -> PackageCommandError:
    filename = code_filename(code)
    line: int | None = None
    culprit: BaseException = error.__cause__ if error.__cause__ is not None else error
    for frame, lineno in traceback.walk_tb(culprit.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    if line is None and isinstance(error.__cause__, SyntaxError):
        line = error.__cause__.lineno
    reason = str(error)
    return PackageCommandError(
        variant.qualified_package_name,
        phase,
        reason,
        filepath=None if filename.startswith("<") else filename,
        line=line,
    )


def context_actions(
    variants: Sequence[RexVariant],
    info: ContextInfo,
    *,
    config: Config,
    parent_environ: Mapping[str, str],
    pathsep: str = os.pathsep,
    **bindings: Any,
) -> list[Action]:
    """The actions of a context: a fresh executor, :func:`execute_context`, its actions."""
    executor = RexExecutor(config, parent_environ, pathsep=pathsep, bindings=bindings)
    execute_context(executor, variants, info)
    return list(executor.actions)
