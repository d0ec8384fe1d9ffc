"""Facts about the running system, value expansion, and computed defaults.

Everything here is computed on demand: a config load only pays for what its values
reference (``{system.fqdn}`` may query DNS, so it is looked up only when used).
Process-wide facts that cannot change while the process runs (the OS release, core
counts) are cached per process; everything that depends on the environment or the home
directory is taken from the mapping and path the caller passes in.
"""

from __future__ import annotations

import functools
import os
import platform as _platform
import re
import shutil
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

__all__ = [
    "COMPUTED",
    "LATE_ATTRS",
    "LATE_SECTION",
    "SystemInfo",
    "expand",
    "expand_late",
    "logical_cores",
    "physical_cores",
]

#: The version of Rez whose behaviour pkg reproduces (``{system.rez_version}``).
REZ_COMPAT_VERSION = "3.4.0"


def _hostname() -> str:
    uname = getattr(os, "uname", None)
    if uname is not None:
        return str(uname().nodename)  # what gethostname() returns, without importing socket
    import socket

    return socket.gethostname()


def _fqdn() -> str:
    import socket

    return socket.getfqdn()


def _platform_name() -> str:
    if sys.platform.startswith("linux"):
        return "linux"
    if sys.platform == "darwin":
        return "osx"
    if sys.platform in ("win32", "cygwin"):
        return "windows"
    return _platform.system().lower()


def _read_key_values(path: str) -> dict[str, str]:
    try:
        with open(path, encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except OSError:
        return {}
    result: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.partition("=")
        if sep:
            result[key.strip()] = value.strip().strip("'\"")
    return result


@functools.cache
def _linux_os() -> str:
    """``<Distributor>-<release>`` as ``lsb_release`` reports it, without running it."""
    lsb = _read_key_values("/etc/lsb-release")
    if lsb.get("DISTRIB_ID") and lsb.get("DISTRIB_RELEASE"):
        return f"{lsb['DISTRIB_ID']}-{lsb['DISTRIB_RELEASE']}"
    try:
        info = _platform.freedesktop_os_release()
    except OSError:
        info = {}
    ident = info.get("ID", "")
    release = info.get("VERSION_ID", "")
    if ident and release:
        # lsb_release capitalises the ID, or uses NAME when it differs only in case.
        name = info.get("NAME", "")
        distributor = name if name.lower() == ident.lower() else ident[:1].upper() + ident[1:]
        return f"{distributor}-{release}"
    return f"{_platform.system()}-{_platform.release()}"


@functools.cache
def _os_name() -> str:
    name = _platform_name()
    if name == "linux":
        return _linux_os()
    if name == "osx":
        return f"osx-{_platform.mac_ver()[0]}"
    if name == "windows":
        _release, version, csd, _ptype = _platform.win32_ver()
        return "windows-" + ".".join(part for part in (version, csd) if part)
    return f"{name}-{_platform.release()}"


@functools.cache
def logical_cores() -> int:
    """Number of CPUs the OS reports (at least 1)."""
    return os.cpu_count() or 1


@functools.cache
def physical_cores() -> int:
    """Number of physical cores: distinct (socket, core) pairs of ``/proc/cpuinfo`` on
    Linux, else the logical count."""
    if logical_cores() == 1:
        return 1
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            text = stream.read()
    except OSError:
        return logical_cores()
    cores: set[tuple[str, str]] = set()
    socket = core = ""
    for line in [*text.splitlines(), ""]:
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "physical id":
            socket = value.strip()
        elif key == "core id":
            core = value.strip()
        elif not key and core:
            cores.add((socket, core))
            socket = core = ""
    return len(cores) or logical_cores()


def _user(environ: Mapping[str, str]) -> str:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if environ.get(name):
            return environ[name]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return ""


class SystemInfo:
    """The ``system`` object of ``{system.<attr>}`` expansions.

    Attributes: ``platform``, ``arch``, ``os`` (all three remapped by ``platform_map``),
    ``user``, ``home``, ``hostname``, ``fqdn``, ``domain``, ``rez_version``,
    ``pkg_version``.  Values are computed on first use and then cached per instance.
    """

    ATTRIBUTES = (
        "platform",
        "arch",
        "os",
        "user",
        "home",
        "hostname",
        "fqdn",
        "domain",
        "rez_version",
        "pkg_version",
    )

    def __init__(
        self,
        environ: Mapping[str, str],
        home: Path,
        platform_map: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        self._environ = environ
        self._home = home
        self._platform_map = platform_map or {}
        self._cache: dict[str, str] = {}

    def __getattr__(self, name: str) -> str:
        """``system.platform`` and the rest of :attr:`ATTRIBUTES`, as rex code reads them."""
        value = self.get(name) if not name.startswith("_") else None
        if value is None:
            raise AttributeError(f"'system' has no attribute {name!r}")
        return value

    def get(self, name: str) -> str | None:
        """The attribute ``name``, or ``None`` if there is no such attribute."""
        if name not in self.ATTRIBUTES:
            return None
        if name not in self._cache:
            value = self._compute(name)
            for pattern, replacement in self._platform_map.get(name, {}).items():
                value, changes = re.subn(pattern, replacement, value)
                if changes:
                    break
            self._cache[name] = value
        return self._cache[name]

    def _compute(self, name: str) -> str:
        computers: dict[str, Callable[[], str]] = {
            "platform": _platform_name,
            "arch": _platform.machine,
            "os": _os_name,
            "user": lambda: _user(self._environ),
            "home": lambda: str(self._home),
            "hostname": _hostname,
            "fqdn": _fqdn,
            "domain": lambda: (self.get("fqdn") or "").partition(".")[2],
            "rez_version": lambda: REZ_COMPAT_VERSION,
            "pkg_version": _pkg_version,
        }
        return computers[name]()

    # -- computed defaults

    def which(self, *names: str) -> str | None:
        """The first of ``names`` found on ``$PATH`` (of the given environment)."""
        path = self._environ.get("PATH", "")
        for name in names:
            found = shutil.which(name, path=path)
            if found:
                return found
        return None

    def computed_default(self, key: str) -> object:
        """The load-time default of setting ``key`` (one of :data:`COMPUTED`)."""
        plat = self.get("platform")
        if key in ("tmpdir", "context_tmpdir"):
            import tempfile

            return tempfile.gettempdir()
        if key == "editor":
            if plat == "windows":
                return ""
            if plat == "osx":
                return "open"
            return self._environ.get("EDITOR") or self.which("vi", "vim", "xdg-open")
        if key == "image_viewer":
            if plat == "windows":
                return ""
            return "open" if plat == "osx" else self.which("xdg-open", "eog", "kview")
        if key == "difftool":
            if plat == "windows":
                return None
            return (
                self.which("meld", "diff")
                if plat == "osx"
                else self.which("kdiff3", "meld", "diff")
            )
        if key == "terminal_emulator_command":
            if plat == "windows":
                return "CMD.exe /Q /K"
            term = self.which("x-terminal-emulator", "xterm", "konsole")
            if term is None:
                return None
            term = os.path.basename(term)
            flag = "--noclose" if term in ("x-terminal-emulator", "konsole") else "-hold"
            return f"{term} {flag} -e"
        if key == "new_session_popen_args":
            if plat == "windows":
                return {"creationflags": 0x00000010}  # CREATE_NEW_CONSOLE
            return {"start_new_session": True}
        raise KeyError(key)


def _pkg_version() -> str:
    from pkg import __version__

    return __version__


#: Settings whose ``None`` value is replaced by :meth:`SystemInfo.computed_default`.
COMPUTED = frozenset(
    {
        "tmpdir",
        "context_tmpdir",
        "editor",
        "image_viewer",
        "difftool",
        "terminal_emulator_command",
        "new_session_popen_args",
    }
)

_ENV_VAR = re.compile(r"\$(\w+|\{[^}]*\})")
_SYSTEM_FIELD = re.compile(r"\{system\.(\w+)\}")


def _expand_user(text: str, home: str) -> str:
    # '~' only at the start of a word or path list entry, and only alone or before a
    # separator, so that requests such as '~platform==linux' are left alone.
    seps = re.escape("".join({os.sep, os.altsep or os.sep}))
    pathseps = re.escape("".join({os.pathsep, ";"}))
    pattern = rf"(\A|\s|[{pathseps}])~([{seps}]|[{pathseps}]|\s|\Z)"
    return re.sub(pattern, lambda m: m.group(1) + home + m.group(2), text)


def expand_text(
    text: str,
    system: SystemInfo,
    environ: Mapping[str, str],
    home: Path,
    *,
    keep: frozenset[str] = frozenset(),
) -> str:
    """Expand ``$VAR``/``${VAR}`` (unknown ones are kept), then ``~``, then
    ``{system.<attr>}`` (unknown attributes, those in ``keep`` and other ``{fields}`` are
    kept)."""
    if "$" in text:

        def env(match: re.Match[str]) -> str:
            name = match.group(1).removeprefix("{").removesuffix("}")
            return environ.get(name, match.group(0))

        text = _ENV_VAR.sub(env, text)
    if "~" in text:
        text = _expand_user(text, str(home))
    if "{system." in text:

        def attr(match: re.Match[str]) -> str:
            if match.group(1) in keep:
                return match.group(0)
            value = system.get(match.group(1))
            return match.group(0) if value is None else value

        text = _SYSTEM_FIELD.sub(attr, text)
    return text


#: ``{system.<attr>}`` fields that cost a reverse DNS lookup (``socket.getfqdn``): in the
#: settings under :data:`LATE_SECTION` they are left as written when the configuration
#: loads, and expanded by the release hooks when they run (or by :func:`expand_late`), as
#: Rez expands them only when the setting is read.  Every command would otherwise pay the
#: lookup for the emailer's default ``body``.
LATE_ATTRS = frozenset({"fqdn", "domain"})
#: The settings whose :data:`LATE_ATTRS` fields are expanded late.
LATE_SECTION = "plugins.release_hook."


def expand_late(value: object, system: SystemInfo) -> object:
    """``value`` with its :data:`LATE_ATTRS` fields expanded (what the setting reads as)."""
    if isinstance(value, str):
        if "{system." not in value:
            return value

        def attr(match: re.Match[str]) -> str:
            found = system.get(match.group(1)) if match.group(1) in LATE_ATTRS else None
            return match.group(0) if found is None else found

        return _SYSTEM_FIELD.sub(attr, value)
    if isinstance(value, list | tuple):
        return [expand_late(item, system) for item in value]
    if isinstance(value, dict):
        return {key: expand_late(item, system) for key, item in value.items()}
    return value


def expand(
    value: object,
    system: SystemInfo,
    environ: Mapping[str, str],
    home: Path,
    *,
    keep: frozenset[str] = frozenset(),
) -> object:
    """:func:`expand_text` applied to every string in ``value`` (dict values, not keys)."""
    if isinstance(value, str):
        return expand_text(value, system, environ, home, keep=keep)
    if isinstance(value, list | tuple):
        return [expand(item, system, environ, home, keep=keep) for item in value]
    if isinstance(value, dict):
        return {key: expand(item, system, environ, home, keep=keep) for key, item in value.items()}
    return value
