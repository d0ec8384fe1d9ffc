"""Names of the environment variables and files that configure pkg (all in one place)."""

from __future__ import annotations

__all__ = [
    "CONFIG_FILE_VAR",
    "DISABLE_HOME_CONFIG_VAR",
    "HOME_CONFIG_NAME",
    "JSON_SUFFIX",
    "SETTING_PREFIX",
    "TRUTHY_DISABLE",
    "setting_var",
]

#: os.pathsep-separated list of TOML config files, loaded in order (Rez: ``REZ_CONFIG_FILE``).
CONFIG_FILE_VAR = "PKG_CONFIG_FILE"
#: When ``1``/``t``/``true`` (any case), ``~/.pkgconfig.toml`` is not loaded.
DISABLE_HOME_CONFIG_VAR = "PKG_DISABLE_HOME_CONFIG"
#: Values of :data:`DISABLE_HOME_CONFIG_VAR` that disable the home config.
TRUTHY_DISABLE = frozenset({"1", "t", "true"})
#: The per-user config file, in the home directory.
HOME_CONFIG_NAME = ".pkgconfig.toml"
#: ``PKG_<SETTING>`` overrides a top-level setting (not ``plugins``).
SETTING_PREFIX = "PKG_"
#: ``PKG_<SETTING>_JSON`` overrides a setting with a JSON-encoded value.
JSON_SUFFIX = "_JSON"


def setting_var(key: str, *, json: bool = False) -> str:
    """The environment variable that overrides setting ``key``."""
    return SETTING_PREFIX + key.upper() + (JSON_SUFFIX if json else "")
