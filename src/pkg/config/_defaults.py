"""Built-in defaults, as raw data (the lowest layer).

The values have the same shape as a config file and go through the same validation and
expansion (``~``, ``${VAR}``, ``{system.*}``) as any other layer.  ``None`` marks a setting
whose default is computed at load time when nothing overrides it (see
:data:`pkg.config._system.COMPUTED`).  Names and values follow Rez 3.4.0's ``rezconfig.py``
and its plugins' ``rezconfig.py`` files.
"""

from __future__ import annotations

import copy
import os
from typing import Any

__all__ = ["default_data"]

_COLOURS: dict[str, tuple[str | None, list[str]]] = {
    "critical": ("red", ["bright"]),
    "error": ("red", []),
    "warning": ("yellow", []),
    "info": ("green", []),
    "debug": ("blue", []),
    "heading": (None, ["bright"]),
    "local": ("green", []),
    "implicit": ("cyan", []),
    "ephemeral": ("blue", []),
    "alias": ("cyan", []),
}

_EMAIL_BODY = """\
Package '{package.qualified_name}' was released by {system.user}@{system.fqdn}.

USER: {system.user}
PACKAGE: {package.qualified_name}
RELEASED TO: {release.path}
PREVIOUS VERSION: {release.previous_version}
REZ VERSION: {system.rez_version}

{variants.count} VARIANTS:
{variants.paths}

MESSAGE:
{release.message}

CHANGELOG:
{release.changelog}"""


def _shell(prompt: str, *, windows: bool = False, powershell: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"prompt": prompt}
    if windows:
        data["additional_pathext"] = [".PY"]
    data["executable_fullpath"] = None
    if powershell:
        data["execution_policy"] = None
    return data


def _plugins() -> dict[str, Any]:
    return {
        "shell": {
            "sh": _shell(">"),
            "bash": _shell(">"),
            "csh": _shell(">"),
            "tcsh": _shell(">"),
            "zsh": _shell("%"),
            "cmd": _shell("$G", windows=True),
            "powershell": _shell("> $ ", windows=True, powershell=True),
            "pwsh": _shell("> $ ", windows=True, powershell=True),
            "gitbash": _shell(">"),
        },
        "release_vcs": {
            "tag_name": "{qualified_name}",
            "releasable_branches": [],
            "check_tag": False,
            "git": {"allow_no_upstream": False},
        },
        "release_hook": {
            "emailer": {
                "smtp_host": "",
                "smtp_port": 25,
                "sender": "{system.user}@rez-release.com",
                "recipients": [],
                "subject": "[rez] [release] {system.user} released {package.qualified_name}",
                "body": _EMAIL_BODY,
            },
            "command": {
                "print_commands": True,
                "print_output": True,
                "print_error": True,
                "cancel_on_error": True,
                "stop_on_error": True,
                "pre_build_commands": [],
                "pre_release_commands": [],
                "post_release_commands": [],
            },
            "amqp": {
                "host": "",
                "userid": "",
                "password": "",
                "connect_timeout": 10,
                "exchange_name": "",
                "exchange_routing_key": "REZ.PACKAGE.RELEASED",
                "message_delivery_mode": 1,
                "message_attributes": {},
            },
        },
        "build_system": {
            "cmake": {
                "build_system": "make" if os.name == "posix" else "nmake",
                "build_target": "Release",
                "cmake_args": ["-Wno-dev", "--no-warn-unused-cli"],
                "cmake_binary": None,
                "make_binary": None,
                "install_pyc": True,
            },
        },
        "package_repository": {
            "filesystem": {
                "file_lock_type": "default",
                "file_lock_timeout": 10,
                "file_lock_dir": None,
                "check_package_definition_files": False,
                "package_filenames": ["package"],
            },
        },
        "build_process": {},
        "command": {},
    }


_DEFAULTS: dict[str, Any] = {
    "packages_path": ["~/packages", "~/.rez/packages/int", "~/.rez/packages/ext"],
    "local_packages_path": "~/packages",
    "release_packages_path": "~/.rez/packages/int",
    "tmpdir": None,
    "context_tmpdir": None,
    "package_definition_build_python_paths": [],
    "package_definition_python_path": None,
    "plugin_path": [],
    "bind_module_path": [],
    "resolve_caching": True,
    "cache_package_files": True,
    "cache_listdir": True,
    "resource_caching_maxsize": -1,
    "memcached_uri": [],
    "memcached_package_file_min_compress_len": 16384,
    "memcached_context_file_min_compress_len": 1,
    "memcached_listdir_min_compress_len": 16384,
    "memcached_resolve_min_compress_len": 1,
    # pkg only: where resolves are cached on disk (None: $XDG_CACHE_HOME/pkg/resolves;
    # "": no disk cache).  See docs/caching.md.
    "resolve_cache_path": None,
    "resolve_cache_strict": False,
    "default_relocatable": True,
    "default_relocatable_per_package": None,
    "default_relocatable_per_repository": None,
    "default_cachable": False,
    "default_cachable_per_package": None,
    "default_cachable_per_repository": None,
    "cache_packages_path": None,
    "read_package_cache": True,
    "write_package_cache": True,
    "package_cache_max_variant_days": 30,
    "package_cache_during_build": False,
    "package_cache_async": True,
    "package_cache_local": False,
    "package_cache_same_device": False,
    "package_cache_clean_limit": 0.5,
    "package_cache_log_days": 7,
    "package_cache_space_buffer": 104857600,
    "package_cache_used_threshold": 80,
    "implicit_packages": [
        "~platform=={system.platform}",
        "~arch=={system.arch}",
        "~os=={system.os}",
    ],
    "platform_map": {},
    "prune_failed_graph": True,
    "variant_select_mode": "version_priority",
    "package_filter": None,
    "package_orderers": None,
    "allow_unversioned_packages": True,
    "error_on_missing_variant_requires": True,
    "parent_variables": [],
    "all_parent_variables": False,
    "resetting_variables": [],
    "all_resetting_variables": False,
    "default_shell": "",
    "terminal_emulator_command": None,
    "new_session_popen_args": None,
    "env_var_separators": {"CMAKE_MODULE_PATH": ";", "DOXYGEN_TAGFILES": " "},
    "pathed_env_vars": ["*PATH"],
    "suite_visibility": "always",
    "rez_tools_visibility": "append",
    "package_commands_sourced_first": True,
    "standard_system_paths": [],
    "package_preprocess_function": None,
    "package_preprocess_mode": "override",
    "context_tracking_host": "",
    "context_tracking_amqp": {
        "userid": "",
        "password": "",
        "connect_timeout": 10,
        "exchange_name": "",
        "exchange_routing_key": "REZ.CONTEXT",
        "message_delivery_mode": 1,
    },
    "context_tracking_context_fields": [
        "status",
        "timestamp",
        "solve_time",
        "load_time",
        "from_cache",
        "package_requests",
        "implicit_packages",
        "resolved_packages",
    ],
    "context_tracking_extra_fields": {},
    "warn_shell_startup": False,
    "warn_untimestamped": False,
    "warn_all": False,
    "warn_none": False,
    "debug_file_loads": False,
    "debug_plugins": False,
    "debug_package_release": False,
    "debug_bind_modules": False,
    "debug_resources": False,
    "debug_package_exclusions": False,
    "debug_resolve_memcache": False,
    "debug_memcache": False,
    "debug_context_tracking": False,
    "debug_shell_startup": False,
    "debug_all": False,
    "debug_none": False,
    "catch_rex_errors": True,
    "shell_error_truncate_cap": 750,
    "build_directory": "build",
    "build_thread_count": "physical_cores",
    "release_hooks": [],
    "prompt_release_message": False,
    "make_package_temporarily_writable": True,
    "variant_shortlinks_dirname": "_v",
    "use_variant_shortlinks": True,
    "default_build_process": "local",
    "suite_alias_prefix_char": "+",
    "quiet": False,
    "show_progress": True,
    "editor": None,
    "image_viewer": None,
    "browser": None,
    "difftool": None,
    "dot_image_format": "png",
    "set_prompt": True,
    "prefix_prompt": True,
    "plugins": _plugins(),
    "max_package_changelog_chars": 65536,
    "max_package_changelog_revisions": 0,
    "create_executable_script_mode": "single",
    "pip_extra_args": [],
    "pip_install_remaps": [
        {
            "record_path": r"^{p}{s}{p}{s}(bin{s}.*)",
            "pip_install": r"\1",
            "rez_install": r"\1",
        },
        {
            "record_path": r"^{p}{s}{p}{s}lib{s}python{s}(.*)",
            "pip_install": r"\1",
            "rez_install": r"python{s}\1",
        },
    ],
    "optionvars": None,
    "warn_old_commands": True,
    "error_old_commands": False,
    "debug_old_commands": False,
    "rez_1_environment_variables": False,
    "disable_rez_1_compatibility": True,
    "documentation_url": "https://rez.readthedocs.io",
    "color_enabled": os.name == "posix",
    **{
        f"{level}_{part}": value
        for level, (fore, styles) in _COLOURS.items()
        for part, value in (("fore", fore), ("back", None), ("styles", styles))
    },
    "use_pyside": False,
    "use_pyqt": False,
    "gui_threads": True,
}


def default_data() -> dict[str, Any]:
    """A fresh deep copy of the built-in defaults (callers may mutate it)."""
    return copy.deepcopy(_DEFAULTS)
