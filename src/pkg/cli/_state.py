"""The per-invocation application state that the command line keeps in ``ctx.obj``.

One :class:`AppState` is created per ``pkg`` invocation (by :func:`pkg.cli.main`, or on
demand by :func:`state_of` when a command runs under ``CliRunner``).  The common options
(``-v``, ``--debug``, ``--profile``) write into it while the command line is parsed, and
commands read from it.  The configuration is loaded only when a command asks for it, so
commands that do not need it (and ``--help``) never pay for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pkg.config import Config

__all__ = ["DEBUG_ENV_VAR", "AppState", "env_flag", "pass_state", "state_of"]

#: Environment variable that turns on ``--debug`` for every invocation.
DEBUG_ENV_VAR = "PKG_DEBUG"

_TRUE_WORDS = frozenset({"1", "true", "yes", "on", "y"})


def env_flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether environment variable ``name`` holds a true word.

    The true words are ``1``, ``true``, ``yes``, ``on`` and ``y``, in any case and with
    surrounding blanks ignored; unset or any other value is false.
    """
    value = (os.environ if environ is None else environ).get(name, "")
    return value.strip().lower() in _TRUE_WORDS


@dataclass
class AppState:
    """What one ``pkg`` invocation knows beyond a command's own arguments.

    Attributes:
        verbosity: how many ``-v`` flags were given (on the root and the subcommand together).
        debug: ``--debug`` was given or ``$PKG_DEBUG`` is true: show tracebacks for errors.
        profile: file to write cProfile statistics of the command to, or ``None``.
        config_overrides: settings given on the command line, passed to ``load_config``.
    """

    verbosity: int = 0
    debug: bool = field(default_factory=lambda: env_flag(DEBUG_ENV_VAR))
    profile: str | None = None
    config_overrides: dict[str, Any] = field(default_factory=dict)
    _config: Config | None = field(default=None, init=False, repr=False)

    @property
    def show_traceback(self) -> bool:
        """Whether errors are shown with a traceback: ``--debug``, ``$PKG_DEBUG`` or ``-vv``."""
        return self.debug or self.verbosity >= 2

    @property
    def config(self) -> Config:
        """The configuration, loaded on first access with :attr:`config_overrides` applied.

        Raises:
            pkg.errors.ConfigError: a configuration file or override is invalid.
        """
        if self._config is None:
            from pkg.config import load_config

            self._config = load_config(overrides=self.config_overrides)
        return self._config


def state_of(ctx: click.Context) -> AppState:
    """The :class:`AppState` of ``ctx``'s invocation, created if there is none yet."""
    return ctx.ensure_object(AppState)


#: Decorator passing the invocation's :class:`AppState` as a command's first argument.
pass_state = click.make_pass_decorator(AppState, ensure=True)
