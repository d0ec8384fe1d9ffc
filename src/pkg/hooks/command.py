"""The ``command`` release hook: runs configured commands before the build, before and
after the release (``plugins.release_hook.command``), as Rez's command hook does.

Each command is a table: ``command`` (a path, or a program found on ``PATH``), ``args``
(a list, or a string split on whitespace), ``pretty_args`` (default true), ``user`` and
``env``.  Each argument is expanded with ``{system.*}``, ``{package.*}``,
``{release.path}``, ``{variants}`` and ``{num_variants}`` (unknown fields stay as
written; with ``pretty_args`` a list becomes its items joined by spaces), then ``$VAR``
with the command's environment (the current one updated with ``env``).

A command with ``user: root`` runs through ``sudo``; one for another user than the current
one is skipped (Rez does not implement that case).  Commands run in the package's source
directory, with their output and error output captured; the lines to show are sent to
the hook's ``log`` as the ``print_*`` settings say.  With ``stop_on_error``, the first
failure stops the remaining commands of that step; with ``cancel_on_error``, a failure
before the build or the release cancels it (:class:`ReleaseHookCancelled`).  After the
release, failures are only logged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from pkg.hooks._format import PackageView, current_user, expand, expandvars, load_release_package
from pkg.hooks.base import ReleaseHook, ReleaseHookCancelled, ReleaseHookError, ReleaseInfo

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pkg.config import CommandHookSettings

__all__ = ["CommandHook", "HookCommand"]


class HookCommand:
    """One validated command table of the settings."""

    def __init__(self, table: Mapping[str, object], where: str) -> None:
        """Check ``table``; ``where`` names the setting it comes from.

        Raises:
            ReleaseHookError: naming ``where`` and the key at fault.
        """
        unknown = sorted(set(table) - {"command", "args", "pretty_args", "user", "env"})
        if unknown:
            raise ReleaseHookError(f"{where}: unknown key(s) {', '.join(unknown)}")
        command = table.get("command")
        if not isinstance(command, str) or not command:
            raise ReleaseHookError(f"{where}: 'command' must be a non-empty string")
        args = table.get("args", [])
        if isinstance(args, str):
            args = args.split()
        if not (isinstance(args, list | tuple) and all(isinstance(a, str) for a in args)):
            raise ReleaseHookError(f"{where}: 'args' must be a string or a list of strings")
        pretty = table.get("pretty_args", True)
        user = table.get("user")
        env = table.get("env") or {}
        if not isinstance(pretty, bool):
            raise ReleaseHookError(f"{where}: 'pretty_args' must be true or false")
        if user is not None and not isinstance(user, str):
            raise ReleaseHookError(f"{where}: 'user' must be a string")
        if not isinstance(env, Mapping):
            raise ReleaseHookError(f"{where}: 'env' must be a table")
        self.command = command
        self.args: tuple[str, ...] = tuple(args)
        self.pretty_args = pretty
        self.user: str | None = user
        self.env = {str(key): str(value) for key, value in env.items()}


class CommandHook(ReleaseHook):
    """Runs ``pre_build_commands``, ``pre_release_commands`` and ``post_release_commands``."""

    name: ClassVar[str] = "command"

    @property
    def settings(self) -> CommandHookSettings:
        return self.config.plugins.release_hook.command

    def pre_build(self, info: ReleaseInfo) -> None:
        """Run ``pre_build_commands``.

        Raises:
            ReleaseHookCancelled: if one failed and ``cancel_on_error`` is set.
        """
        self._step("pre-build", self.settings.pre_build_commands, info, installed=False)

    def pre_release(self, info: ReleaseInfo) -> None:
        """Run ``pre_release_commands``.

        Raises:
            ReleaseHookCancelled: if one failed and ``cancel_on_error`` is set.
        """
        self._step("pre-release", self.settings.pre_release_commands, info, installed=False)

    def post_release(self, info: ReleaseInfo) -> None:
        """Run ``post_release_commands``; failures are logged, never raised."""
        self._step("post-release", self.settings.post_release_commands, info, installed=True)

    def _step(
        self,
        step: str,
        tables: Sequence[Mapping[str, object]],
        info: ReleaseInfo,
        *,
        installed: bool,
    ) -> None:
        setting = f"plugins.release_hook.command.{step.replace('-', '_')}_commands"
        commands = [HookCommand(table, f"{setting}[{index}]") for index, table in enumerate(tables)]
        if not commands:
            return
        objects = self._objects(info, installed=installed)
        errors = self.run_commands(commands, objects)
        if not errors:
            return
        if step != "post-release" and self.settings.cancel_on_error:
            raise ReleaseHookCancelled(
                f"command hook: {len(errors)} {step} command(s) failed: {'; '.join(errors)}"
            )
        self.log(f"{step} command(s) failed: {'; '.join(errors)}")

    def _objects(self, info: ReleaseInfo, *, installed: bool) -> dict[str, object]:
        from pkg.config import SystemInfo

        package = load_release_package(info, self.config, installed=installed)
        variants: list[object] = []
        if installed and package is not None:
            wanted = set(info.variants)
            for variant in package.iter_variants():
                if variant.index in wanted:
                    variants.append(
                        {
                            "name": package.name,
                            "version": str(package.version),
                            "index": variant.index,
                            "root": variant.root,
                            "variant_requires": [str(req) for req in variant.requires],
                        }
                    )
        else:
            variants = [index for index in info.variants if index is not None]
        from pathlib import Path

        return {
            "system": SystemInfo(os.environ, Path.home(), self.config.platform_map),
            "release": {"path": info.install_path},
            "package": PackageView(package)
            if package is not None
            else {
                "name": info.package_name,
                "version": info.version,
                "qualified_name": f"{info.package_name}-{info.version}",
            },
            "variants": variants,
            "num_variants": len(variants),
        }

    def run_commands(
        self, commands: Sequence[HookCommand], objects: Mapping[str, object]
    ) -> list[str]:
        """Run ``commands`` in order with fields expanded from ``objects``; the one-line
        description of each failure (the remaining commands are skipped after the first
        one with ``stop_on_error``)."""
        errors: list[str] = []
        for command in commands:
            error = self._run(command, objects)
            if error is None:
                continue
            errors.append(error)
            if self.settings.print_error:
                self.log(error)
            if self.settings.stop_on_error:
                break
        return errors

    def _run(self, command: HookCommand, objects: Mapping[str, object]) -> str | None:
        environ = {**os.environ, **command.env}
        args = [
            expandvars(expand(arg, objects, pretty=command.pretty_args), environ)
            for arg in command.args
        ]
        if self.settings.print_commands:
            self.log(f"running command: {subprocess.list2cmdline([command.command, *args])}")
            for key, value in command.env.items():
                self.log(f"    with: {key}={value}")
        program = (
            command.command if os.path.isfile(command.command) else shutil.which(command.command)
        )
        if not program:
            return f"{command.command}: command not found"
        argv = [program, *args]
        me = current_user()
        if command.user == "root" and me != "root":
            argv = ["sudo", *argv]
        elif command.user and command.user != me:
            self.log(
                f"skipped {command.command}: it runs as user {command.user!r}, "
                f"and the release runs as {me!r}"
            )
            return None
        try:
            result = subprocess.run(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                env=environ if command.env else None,
                cwd=self.source_path,
                check=False,
            )
        except OSError as error:
            return f"{command.command}: cannot run: {error.strerror or error}"
        output = result.stdout.strip()
        if result.returncode:
            last = output.splitlines()[-1] if output else "no output"
            return f"{command.command} exited with status {result.returncode}: {last}"
        if self.settings.print_output and output:
            for line in output.splitlines():
                self.log(line)
        return None
