"""The build system interface: what a build is asked to do and the steps that do it.

A :class:`BuildSystem` turns a :class:`BuildRequest` (one variant of one source package)
into a list of :class:`BuildStep` objects *without running anything*.  The caller runs each
step, in order, inside the variant's resolved build context with the step's ``env`` added
on top (see :func:`pkg.buildsys.environ.build_environ`), and stops at the first step that
exits non-zero.  This keeps build systems plain synchronous code that is easy to test, and
leaves processes, logs, cancellation and concurrency to the orchestrator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pkg.buildsys.environ import build_environ
from pkg.errors import BuildError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pkg.packages import Package

__all__ = [
    "BuildPackage",
    "BuildRequest",
    "BuildStep",
    "BuildSystem",
    "BuildSystemError",
    "BuildType",
    "CliOption",
]

#: ``local`` for ``pkg build``, ``central`` for ``pkg release`` (Rez's ``BuildType``).
BuildType = Literal["local", "central"]

#: A package's ``build_command``: a shell command line, an argument list, or False (no-op).
BuildCommand = str | tuple[str, ...] | bool | None


class BuildSystemError(BuildError):
    """No build system fits a source directory, or one cannot build the request.

    Attributes:
        source_dir: the source directory at fault.
    """

    def __init__(self, message: str, *, source_dir: str) -> None:
        self.source_dir = source_dir
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class BuildPackage:
    """The parts of a (developer) package definition a build system needs.

    Attributes:
        name: the package name.
        version: the version as written (``""`` for an unversioned package).
        description: the ``description`` attribute (``""`` if absent).
        filepath: the definition file (``<source>/package.py``).
        build_command: the ``build_command`` attribute; None when absent.  A list is
            stored as a tuple.
        build_system: the ``build_system`` attribute, or None.
    """

    name: str
    version: str
    filepath: str
    description: str = ""
    build_command: BuildCommand = None
    build_system: str | None = None

    @property
    def root(self) -> str:
        """The directory holding the definition file (``{root}`` in ``build_command``)."""
        return os.path.dirname(self.filepath)

    @classmethod
    def from_package(cls, package: Package) -> BuildPackage:
        """The build data of a developer package loaded by :mod:`pkg.packages`.

        Raises:
            BuildSystemError: if the package has no definition file or its
                ``build_command`` is neither a string, a list of strings nor False.
        """
        filepath = package.definition.filepath
        if not filepath:
            raise BuildSystemError(
                f"package {package.name!r} has no definition file to build from", source_dir=""
            )
        return cls(
            name=package.name,
            version=str(package.version),
            filepath=filepath,
            description=package.description or "",
            build_command=_build_command(package.build_command, filepath),
            build_system=package.build_system,
        )


def _build_command(value: object, filepath: str) -> BuildCommand:
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise BuildSystemError(
        f"{filepath}: build_command must be a string, a list of strings or False, "
        f"not {type(value).__name__}",
        source_dir=os.path.dirname(filepath),
    )


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """Build (and maybe install) one variant of a source package.

    Attributes:
        package: the package being built.
        source_path: the source directory (holding the definition file).
        build_path: this variant's build directory (the working directory of every step).
        install_path: this variant's install directory (the payload root, where files go).
            Rez sets ``REZ_BUILD_INSTALL_PATH`` even when not installing; so does pkg.
        install: True when installing (``-i``).
        build_type: ``"local"`` (``pkg build``) or ``"central"`` (``pkg release``).
        variant_index: the variant's index, or None for a package without variants.
        variant_requires: the variant's requests as strings.
        variant_subpath: the variant's directory under the package (``""`` without
            variants; the hash, never the shortlink, for hashed variants).
        build_requires: the build context's full request as strings, implicit packages
            included (``REZ_BUILD_REQUIRES``).
        thread_count: the ``-j`` of native builds (``build_thread_count``).
        build_args: extra arguments for the build system (``--ba``, or after ``--``).
        child_build_args: extra arguments for a child build system (``--cba``).
        scripts: True for ``-s/--scripts``: only the steps needed before a ``build-env``
            script can be used are returned.
        options: values of the system's extra command-line options by ``dest``
            (:meth:`BuildSystem.cli_options`), and for ``custom`` the values of the flags
            ``parse_build_args.py`` defines under ``"parse_build_args"``.
        settings: the system's configuration (``plugins.build_system.<name>``) as a plain
            mapping; missing keys take Rez's defaults.
        context_environ: the resolved build context's environment; build systems read
            variables they extend (``CMAKE_MODULE_PATH``) from it.
    """

    package: BuildPackage
    source_path: str
    build_path: str
    install_path: str
    install: bool = False
    build_type: BuildType = "local"
    variant_index: int | None = None
    variant_requires: tuple[str, ...] = ()
    variant_subpath: str = ""
    build_requires: tuple[str, ...] = ()
    thread_count: int = 1
    build_args: tuple[str, ...] = ()
    child_build_args: tuple[str, ...] = ()
    scripts: bool = False
    options: Mapping[str, object] = field(default_factory=dict)
    settings: Mapping[str, object] = field(default_factory=dict)
    context_environ: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BuildStep:
    """One command of a build, to run in the build context.

    Attributes:
        label: a short name for logs (``"configure"``, ``"build"``, ``"install"``).
        command: an argument vector, or a ``str`` to run with the context's shell.
        cwd: the working directory (the variant's build directory).
        env: variables to set on top of the build context's environment.
    """

    label: str
    command: tuple[str, ...] | str
    cwd: str
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def shell(self) -> bool:
        """True when :attr:`command` is a command line for a shell."""
        return isinstance(self.command, str)


@dataclass(frozen=True, slots=True)
class CliOption:
    """An extra ``pkg build`` option a build system adds (``--bt`` of cmake, ...).

    Attributes:
        flags: the option strings, e.g. ``("--bt", "--build-target")``.
        dest: the key of its value in :attr:`BuildRequest.options`.
        choices: the accepted values.
        setting: the ``plugins.build_system.<name>`` key giving the default.
        help: one line for ``--help``.
    """

    flags: tuple[str, ...]
    dest: str
    choices: tuple[str, ...]
    setting: str
    help: str


class BuildSystem:
    """A build system plugin.  Subclasses set :attr:`name` and implement the hooks.

    Instances hold no state: every method takes the request it is about, so one instance
    can serve concurrent variant builds.
    """

    #: The plugin name, as given to ``-b/--build-system`` and ``build_system``.
    name: str = ""
    #: The system this one generates input for (cmake -> make); files of the child are
    #: then ignored when detecting.
    child_of: str | None = None

    def is_valid_root(self, source_dir: str, package: BuildPackage | None = None) -> bool:
        """True if this system can build the sources in ``source_dir``."""
        raise NotImplementedError

    def cli_options(self) -> tuple[CliOption, ...]:
        """The extra command-line options of this system (none by default)."""
        return ()

    def environ(self, request: BuildRequest) -> dict[str, str]:
        """Variables this system adds to the standard ``REZ_BUILD_*`` ones (none by default)."""
        return {}

    def steps(self, request: BuildRequest) -> list[BuildStep]:
        """The commands that build (and, if ``request.install``, install) the request.

        With ``request.scripts`` only the steps that must run before the user can take
        over in a ``build-env`` shell are returned.

        Raises:
            BuildSystemError: if the request cannot be built by this system.
        """
        raise NotImplementedError

    def step(self, request: BuildRequest, label: str, command: tuple[str, ...] | str) -> BuildStep:
        """A step running in the request's build directory with the full build environment."""
        return BuildStep(label, command, request.build_path, build_environ(request, self))

    def __repr__(self) -> str:
        return f"<build system {self.name}>"


def setting(request: BuildRequest, key: str, default: object) -> object:
    """``request.settings[key]``, or ``default`` when unset (None counts as unset)."""
    value = request.settings.get(key)
    return default if value is None else value
