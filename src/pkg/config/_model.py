"""The :class:`Config` value: every Rez 3.4.0 setting as a typed, frozen field.

This module deliberately does not use ``from __future__ import annotations``: the loader
reads each field's :class:`~pkg.config._kinds.Kind` from its evaluated ``Annotated[...]``
annotation (see :func:`pkg.config._walk.field_specs`).
"""

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pkg._record import record
from pkg.config._kinds import (
    BOOL,
    BUILD_THREAD_COUNT,
    CHAR,
    FLOAT,
    FORCE_OR_BOOL,
    INT,
    OPT_BOOL,
    OPT_DICT,
    OPT_DICT_OR_DICT_LIST,
    OPT_STR,
    OPT_STR_LIST,
    PATH_LIST,
    PIP_INSTALL_REMAPS,
    STR,
    STR_DICT,
    STR_LIST,
    Choice,
)
from pkg.config._plugins import Plugins

if TYPE_CHECKING:
    from pkg.config._loader import LoadState

__all__ = ["Config"]

_Paths = Annotated[tuple[str, ...], PATH_LIST]
_Strs = Annotated[tuple[str, ...], STR_LIST]
_Styles = Annotated[tuple[str, ...], OPT_STR_LIST]
_Bool = Annotated[bool, BOOL]
_Int = Annotated[int, INT]
_Str = Annotated[str, STR]
_OptStr = Annotated[str | None, OPT_STR]
_Table = Annotated[Mapping[str, object], OPT_DICT]
_BoolTable = Annotated[Mapping[str, bool], OPT_DICT]
_Tables = Annotated[tuple[Mapping[str, object], ...], OPT_DICT_OR_DICT_LIST]


@record(frozen=True, slots=True)
class Config:
    """An immutable, fully resolved configuration.

    Build one with :func:`pkg.config.load_config`; derive variants with
    :meth:`with_overrides`.  Lists are tuples and tables are read-only mappings, so a
    ``Config`` can be shared freely.  Field names and meanings are those of Rez 3.4.0's
    ``rezconfig.py``; see ``docs/config.md``.
    """

    # -- paths
    packages_path: _Paths
    local_packages_path: _Str
    release_packages_path: _Str
    tmpdir: _OptStr
    context_tmpdir: _OptStr
    package_definition_build_python_paths: _Paths
    package_definition_python_path: _OptStr
    # -- extensions
    plugin_path: _Paths
    bind_module_path: _Paths
    # -- caching
    resolve_caching: _Bool
    cache_package_files: _Bool
    cache_listdir: _Bool
    resource_caching_maxsize: _Int
    memcached_uri: _Styles
    memcached_package_file_min_compress_len: _Int
    memcached_context_file_min_compress_len: _Int
    memcached_listdir_min_compress_len: _Int
    memcached_resolve_min_compress_len: _Int
    resolve_cache_path: _OptStr  # pkg only (docs/caching.md)
    resolve_cache_strict: _Bool  # pkg only (docs/caching.md)
    # -- package copy and cache
    default_relocatable: _Bool
    default_relocatable_per_package: _BoolTable
    default_relocatable_per_repository: _BoolTable
    default_cachable: Annotated[bool | None, OPT_BOOL]
    default_cachable_per_package: _BoolTable
    default_cachable_per_repository: _BoolTable
    cache_packages_path: _OptStr
    read_package_cache: _Bool
    write_package_cache: _Bool
    package_cache_max_variant_days: _Int
    package_cache_during_build: _Bool
    package_cache_async: _Bool
    package_cache_local: _Bool
    package_cache_same_device: _Bool
    package_cache_clean_limit: Annotated[float, FLOAT]
    package_cache_log_days: _Int
    package_cache_space_buffer: _Int
    package_cache_used_threshold: _Int
    # -- resolving
    implicit_packages: _Strs
    platform_map: Annotated[Mapping[str, Mapping[str, str]], OPT_DICT]
    prune_failed_graph: _Bool
    variant_select_mode: Annotated[str, Choice(("version_priority", "intersection_priority"))]
    package_filter: _Tables
    package_orderers: _Tables
    allow_unversioned_packages: _Bool
    error_on_missing_variant_requires: _Bool
    # -- environment
    parent_variables: _Strs
    all_parent_variables: _Bool
    resetting_variables: _Strs
    all_resetting_variables: _Bool
    default_shell: _OptStr
    terminal_emulator_command: _OptStr
    new_session_popen_args: _Table
    env_var_separators: Annotated[Mapping[str, str], STR_DICT]
    pathed_env_vars: _Strs
    suite_visibility: Annotated[str, Choice(("never", "always", "parent", "parent_priority"))]
    rez_tools_visibility: Annotated[str, Choice(("append", "prepend", "never"))]
    package_commands_sourced_first: _Bool
    standard_system_paths: _Paths
    package_preprocess_function: _OptStr
    package_preprocess_mode: Annotated[str, Choice(("before", "after", "override"))]
    # -- context tracking
    context_tracking_host: _OptStr
    context_tracking_amqp: _Table
    context_tracking_context_fields: _Strs
    context_tracking_extra_fields: _Table
    # -- debugging and warnings
    warn_shell_startup: _Bool
    warn_untimestamped: _Bool
    warn_all: _Bool
    warn_none: _Bool
    debug_file_loads: _Bool
    debug_plugins: _Bool
    debug_package_release: _Bool
    debug_bind_modules: _Bool
    debug_resources: _Bool
    debug_package_exclusions: _Bool
    debug_resolve_memcache: _Bool
    debug_memcache: _Bool
    debug_context_tracking: _Bool
    debug_shell_startup: _Bool
    debug_all: _Bool
    debug_none: _Bool
    catch_rex_errors: _Bool
    shell_error_truncate_cap: _Int
    # -- build and release
    build_directory: _Str
    build_thread_count: Annotated[int, BUILD_THREAD_COUNT]
    release_hooks: _Strs
    prompt_release_message: _Bool
    make_package_temporarily_writable: _Bool
    variant_shortlinks_dirname: _OptStr
    use_variant_shortlinks: _Bool
    default_build_process: _Str
    # -- suites
    suite_alias_prefix_char: Annotated[str, CHAR]
    # -- appearance
    quiet: _Bool
    show_progress: _Bool
    editor: _OptStr
    image_viewer: _OptStr
    browser: _OptStr
    difftool: _OptStr
    dot_image_format: _Str
    set_prompt: _Bool
    prefix_prompt: _Bool
    # -- plugins
    plugins: Plugins
    # -- misc
    max_package_changelog_chars: _Int
    max_package_changelog_revisions: _Int
    create_executable_script_mode: Annotated[
        str, Choice(("single", "py", "platform_specific", "both"))
    ]
    pip_extra_args: _Styles
    pip_install_remaps: Annotated[tuple[Mapping[str, str], ...], PIP_INSTALL_REMAPS]
    optionvars: _Table
    # -- rez-1 compatibility (deprecated in Rez)
    warn_old_commands: _Bool
    error_old_commands: _Bool
    debug_old_commands: _Bool
    rez_1_environment_variables: _Bool
    disable_rez_1_compatibility: _Bool
    documentation_url: _Str
    # -- colours
    color_enabled: Annotated[bool | str, FORCE_OR_BOOL]
    critical_fore: _OptStr
    critical_back: _OptStr
    critical_styles: _Styles
    error_fore: _OptStr
    error_back: _OptStr
    error_styles: _Styles
    warning_fore: _OptStr
    warning_back: _OptStr
    warning_styles: _Styles
    info_fore: _OptStr
    info_back: _OptStr
    info_styles: _Styles
    debug_fore: _OptStr
    debug_back: _OptStr
    debug_styles: _Styles
    heading_fore: _OptStr
    heading_back: _OptStr
    heading_styles: _Styles
    local_fore: _OptStr
    local_back: _OptStr
    local_styles: _Styles
    implicit_fore: _OptStr
    implicit_back: _OptStr
    implicit_styles: _Styles
    ephemeral_fore: _OptStr
    ephemeral_back: _OptStr
    ephemeral_styles: _Styles
    alias_fore: _OptStr
    alias_back: _OptStr
    alias_styles: _Styles
    # -- GUI
    use_pyside: _Bool
    use_pyqt: _Bool
    gui_threads: _Bool

    # Where the values came from; not a setting, not compared.
    _state: "LoadState | None" = dataclasses.field(default=None, compare=False, repr=False)

    # -- queries

    def get(self, key_path: str) -> object:
        """The value at a dotted path such as ``"plugins.release_vcs.tag_name"``.

        Raises:
            ConfigError: no such setting.
        """
        from pkg.config._walk import get_path

        return get_path(self, key_path)

    def to_dict(self) -> dict[str, Any]:
        """All settings as plain JSON-compatible data (lists and dicts), in field order."""
        from pkg.config._walk import to_plain

        result = to_plain(self)
        assert isinstance(result, dict)
        return result

    def source_of(self, key_path: str) -> str:
        """Where the value at ``key_path`` was last set: a file path, ``$PKG_X``,
        ``"command line"``, ``"built-in defaults"``, ..."""
        if self._state is None:
            return "constructed directly"
        return self._state.source_of(key_path)

    @property
    def search_list(self) -> tuple[Path, ...]:
        """The config files that were searched, lowest precedence first."""
        return () if self._state is None else self._state.search_list

    @property
    def source_list(self) -> tuple[Path, ...]:
        """The config files that were actually loaded, lowest precedence first."""
        return () if self._state is None else self._state.source_list

    # -- derivation

    def with_overrides(
        self, overrides: Mapping[str, object], *, source: str = "overrides"
    ) -> "Config":
        """A new config with ``overrides`` applied on top of every other layer.

        ``overrides`` has the shape of a config file (nested tables, or dotted keys such as
        ``"plugins.release_vcs.check_tag"``), may use list modification tables, and is
        validated like a file; ``source`` names it in error messages (for example
        ``"package.py config section"`` or ``"command line"``).

        Raises:
            ConfigError: an unknown key or an invalid value.
        """
        from pkg.config._loader import apply_overrides

        return apply_overrides(self, overrides, source=source)
