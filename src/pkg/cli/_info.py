"""The system summary printed by ``pkg -i/--info``.

It says which pkg and python run, on which platform, and where the configuration and the
packages come from.  The configuration is loaded here (lazily, like everywhere in the
command line), so a broken config file shows up as a ``pkg: error:`` line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pkg.cli._state import AppState

__all__ = ["info_text"]


def _section(title: str, lines: Iterable[str]) -> list[str]:
    body = [f"  {line}" for line in lines] or ["  (none)"]
    return [f"{title}:", *body]


def info_text(state: AppState) -> str:
    """The text of ``pkg --info`` for the invocation's state (loads its config).

    Raises:
        pkg.errors.ConfigError: the configuration is invalid.
    """
    import os

    from pkg.cli import version_line
    from pkg.config import SystemInfo

    config = state.config
    system = SystemInfo(os.environ, Path.home(), config.platform_map)
    loaded = set(config.source_list)
    facts = [
        ("python", f"{sys.version.split()[0]} ({sys.executable})"),
        ("platform", system.get("platform") or "?"),
        ("arch", system.get("arch") or "?"),
        ("os", system.get("os") or "?"),
    ]
    width = max(len(name) for name, _value in facts) + 2
    lines = [
        version_line(),
        "",
        *(f"{name + ':':<{width}}{value}" for name, value in facts),
        "",
        *_section(
            "config search list (lowest precedence first)",
            (f"{path}{'  (loaded)' if path in loaded else ''}" for path in config.search_list),
        ),
        "",
        *_section("packages_path", config.packages_path),
        "",
        f"local_packages_path:   {config.local_packages_path}",
        f"release_packages_path: {config.release_packages_path}",
    ]
    return "\n".join(lines)
