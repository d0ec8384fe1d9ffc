"""The typed ``plugins`` sub-tree of the configuration (settings of the built-in plugins).

Each plugin type is a frozen section; settings common to every plugin of a type (such as
``release_vcs.tag_name``) sit beside the per-plugin sections (``release_vcs.git``).

This module deliberately does not use ``from __future__ import annotations``: the loader
reads each field's :class:`~pkg.config._kinds.Kind` from its evaluated ``Annotated[...]``
annotation.
"""

from collections.abc import Mapping
from typing import Annotated

from pkg._record import record
from pkg.config._kinds import (
    BOOL,
    DICT,
    DICT_LIST,
    INT,
    OPT_STR,
    OPT_STR_LIST,
    STR,
    STR_LIST,
    STR_OR_STR_LIST,
    Choice,
)

__all__ = [
    "AmqpHookSettings",
    "BuildProcessPlugins",
    "BuildSystemPlugins",
    "CMakeSettings",
    "CommandHookSettings",
    "CommandPlugins",
    "EmailerHookSettings",
    "FilesystemRepositorySettings",
    "GitVcsSettings",
    "PackageRepositoryPlugins",
    "Plugins",
    "PowerShellSettings",
    "ReleaseHookPlugins",
    "ReleaseVcsPlugins",
    "ShellPlugins",
    "ShellSettings",
    "WindowsShellSettings",
]


@record(frozen=True, slots=True)
class ShellSettings:
    """A POSIX-style shell (sh, bash, csh, tcsh, zsh, gitbash)."""

    prompt: Annotated[str, STR]
    executable_fullpath: Annotated[str | None, OPT_STR]


@record(frozen=True, slots=True)
class WindowsShellSettings:
    """``cmd``."""

    prompt: Annotated[str, STR]
    additional_pathext: Annotated[tuple[str, ...], STR_LIST]
    executable_fullpath: Annotated[str | None, OPT_STR]


@record(frozen=True, slots=True)
class PowerShellSettings:
    """``powershell`` and ``pwsh``."""

    prompt: Annotated[str, STR]
    additional_pathext: Annotated[tuple[str, ...], STR_LIST]
    executable_fullpath: Annotated[str | None, OPT_STR]
    execution_policy: Annotated[str | None, OPT_STR]


@record(frozen=True, slots=True)
class ShellPlugins:
    """``plugins.shell``."""

    sh: ShellSettings
    bash: ShellSettings
    csh: ShellSettings
    tcsh: ShellSettings
    zsh: ShellSettings
    cmd: WindowsShellSettings
    powershell: PowerShellSettings
    pwsh: PowerShellSettings
    gitbash: ShellSettings


@record(frozen=True, slots=True)
class GitVcsSettings:
    """``plugins.release_vcs.git``."""

    allow_no_upstream: Annotated[bool, BOOL]


@record(frozen=True, slots=True)
class ReleaseVcsPlugins:
    """``plugins.release_vcs``: settings shared by every VCS plugin, then per plugin."""

    tag_name: Annotated[str, STR]
    releasable_branches: Annotated[tuple[str, ...], OPT_STR_LIST]
    check_tag: Annotated[bool, BOOL]
    git: GitVcsSettings


@record(frozen=True, slots=True)
class EmailerHookSettings:
    """``plugins.release_hook.emailer``; ``recipients`` may name a file of addresses."""

    smtp_host: Annotated[str, STR]
    smtp_port: Annotated[int, INT]
    sender: Annotated[str, STR]
    recipients: Annotated[str | tuple[str, ...], STR_OR_STR_LIST]
    subject: Annotated[str, STR]
    body: Annotated[str, STR]


@record(frozen=True, slots=True)
class CommandHookSettings:
    """``plugins.release_hook.command``; commands are tables of
    ``command``, ``args``, ``pretty_args``, ``user``, ``env``."""

    print_commands: Annotated[bool, BOOL]
    print_output: Annotated[bool, BOOL]
    print_error: Annotated[bool, BOOL]
    cancel_on_error: Annotated[bool, BOOL]
    stop_on_error: Annotated[bool, BOOL]
    pre_build_commands: Annotated[tuple[Mapping[str, object], ...], DICT_LIST]
    pre_release_commands: Annotated[tuple[Mapping[str, object], ...], DICT_LIST]
    post_release_commands: Annotated[tuple[Mapping[str, object], ...], DICT_LIST]


@record(frozen=True, slots=True)
class AmqpHookSettings:
    """``plugins.release_hook.amqp``."""

    host: Annotated[str, STR]
    userid: Annotated[str, STR]
    password: Annotated[str, STR]
    connect_timeout: Annotated[int, INT]
    exchange_name: Annotated[str, STR]
    exchange_routing_key: Annotated[str, STR]
    message_delivery_mode: Annotated[int, INT]
    message_attributes: Annotated[Mapping[str, object], DICT]


@record(frozen=True, slots=True)
class ReleaseHookPlugins:
    """``plugins.release_hook``."""

    emailer: EmailerHookSettings
    command: CommandHookSettings
    amqp: AmqpHookSettings


CMAKE_BUILD_SYSTEMS = ("eclipse", "codeblocks", "make", "nmake", "mingw", "xcode", "ninja")
CMAKE_BUILD_TARGETS = ("Debug", "Release", "RelWithDebInfo")


@record(frozen=True, slots=True)
class CMakeSettings:
    """``plugins.build_system.cmake``."""

    build_system: Annotated[str, Choice(CMAKE_BUILD_SYSTEMS)]
    build_target: Annotated[str, Choice(CMAKE_BUILD_TARGETS)]
    cmake_args: Annotated[tuple[str, ...], STR_LIST]
    cmake_binary: Annotated[str | None, OPT_STR]
    make_binary: Annotated[str | None, OPT_STR]
    install_pyc: Annotated[bool, BOOL]


@record(frozen=True, slots=True)
class BuildSystemPlugins:
    """``plugins.build_system`` (the ``make`` and ``custom`` systems have no settings)."""

    cmake: CMakeSettings


@record(frozen=True, slots=True)
class FilesystemRepositorySettings:
    """``plugins.package_repository.filesystem``."""

    file_lock_type: Annotated[str, Choice(("default", "link", "mkdir", "symlink"))]
    file_lock_timeout: Annotated[int, INT]
    file_lock_dir: Annotated[str | None, OPT_STR]
    check_package_definition_files: Annotated[bool, BOOL]
    package_filenames: Annotated[tuple[str, ...], STR_LIST]


@record(frozen=True, slots=True)
class PackageRepositoryPlugins:
    """``plugins.package_repository``."""

    filesystem: FilesystemRepositorySettings


@record(frozen=True, slots=True)
class BuildProcessPlugins:
    """``plugins.build_process``: no settings yet."""


@record(frozen=True, slots=True)
class CommandPlugins:
    """``plugins.command``: no settings yet."""


@record(frozen=True, slots=True)
class Plugins:
    """``plugins``: one section per plugin type."""

    shell: ShellPlugins
    release_vcs: ReleaseVcsPlugins
    release_hook: ReleaseHookPlugins
    build_system: BuildSystemPlugins
    package_repository: PackageRepositoryPlugins
    build_process: BuildProcessPlugins
    command: CommandPlugins
