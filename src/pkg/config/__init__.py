"""Configuration: an explicit, immutable :class:`Config` built from layered sources.

>>> from pathlib import Path
>>> config = load_config(environ={"PKG_DISABLE_HOME_CONFIG": "1"}, home=Path("/home/u"))
>>> config.packages_path[0]
'/home/u/packages'
>>> config.with_overrides({"quiet": True}).quiet
True

There is no global config: build one at the edge (the command line) with
:func:`load_config` and pass it down.  See ``docs/config.md`` for the layering, the TOML
file format and the environment variables.
"""

from __future__ import annotations

from pkg.config._env import (
    CONFIG_FILE_VAR,
    DISABLE_HOME_CONFIG_VAR,
    HOME_CONFIG_NAME,
    JSON_SUFFIX,
    SETTING_PREFIX,
    setting_var,
)
from pkg.config._loader import COMMAND_LINE, DEFAULTS, load_config
from pkg.config._model import Config
from pkg.config._plugins import (
    AmqpHookSettings,
    BuildProcessPlugins,
    BuildSystemPlugins,
    CMakeSettings,
    CommandHookSettings,
    CommandPlugins,
    EmailerHookSettings,
    FilesystemRepositorySettings,
    GitVcsSettings,
    PackageRepositoryPlugins,
    Plugins,
    PowerShellSettings,
    ReleaseHookPlugins,
    ReleaseVcsPlugins,
    ShellPlugins,
    ShellSettings,
    WindowsShellSettings,
)
from pkg.config._system import SystemInfo, expand_late
from pkg.config._walk import to_plain

__all__ = [
    "COMMAND_LINE",
    "CONFIG_FILE_VAR",
    "DEFAULTS",
    "DISABLE_HOME_CONFIG_VAR",
    "HOME_CONFIG_NAME",
    "JSON_SUFFIX",
    "SETTING_PREFIX",
    "AmqpHookSettings",
    "BuildProcessPlugins",
    "BuildSystemPlugins",
    "CMakeSettings",
    "CommandHookSettings",
    "CommandPlugins",
    "Config",
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
    "SystemInfo",
    "WindowsShellSettings",
    "expand_late",
    "load_config",
    "setting_var",
    "to_plain",
]


def __dir__() -> list[str]:
    return sorted(__all__)
