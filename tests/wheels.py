"""Small wheels written by hand, for ``pkg pip`` tests, parity tests and the benchmark.

A wheel is a zip archive: the modules, plus ``NAME-VER.dist-info/`` holding ``METADATA``,
``WHEEL``, ``RECORD`` (and ``entry_points.txt`` when the wheel has scripts).  Writing them
here keeps the tests offline: pip installs them with ``--no-index --find-links DIR``.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["WHEELS", "Wheel", "chain_wheels", "write_wheel", "write_wheels"]


@dataclass(frozen=True)
class Wheel:
    """What goes into one wheel.

    Attributes:
        name, version: the distribution (``name`` as published, e.g. ``pkg-demo``).
        requires: ``Requires-Dist`` lines (markers allowed).
        extras: ``Provides-Extra`` names.
        console_scripts, gui_scripts: script name -> ``module:function``.
        files: path in the wheel -> text (modules).
        tag: the wheel tag (``py3-none-any`` for pure wheels).
        summary, author, author_email, home_page: metadata.
    """

    name: str
    version: str
    requires: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    console_scripts: dict[str, str] = field(default_factory=dict)
    gui_scripts: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    tag: str = "py3-none-any"
    summary: str = ""
    author: str = ""
    author_email: str = ""
    home_page: str = ""

    @property
    def stem(self) -> str:
        """The name part of file names (``pkg_demo``)."""
        return self.name.replace("-", "_")

    @property
    def filename(self) -> str:
        return f"{self.stem}-{self.version}-{self.tag}.whl"

    @property
    def pure(self) -> bool:
        return self.tag.endswith("-none-any")


def _digest(data: bytes) -> str:
    raw = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _metadata(wheel: Wheel) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {wheel.name}", f"Version: {wheel.version}"]
    if wheel.summary:
        lines.append(f"Summary: {wheel.summary}")
    if wheel.home_page:
        lines.append(f"Home-page: {wheel.home_page}")
    if wheel.author:
        lines.append(f"Author: {wheel.author}")
    if wheel.author_email:
        lines.append(f"Author-email: {wheel.author_email}")
    lines += [f"Provides-Extra: {extra}" for extra in wheel.extras]
    lines += [f"Requires-Dist: {req}" for req in wheel.requires]
    return "\n".join(lines) + "\n\n"


def _entry_points(wheel: Wheel) -> str:
    text = ""
    for group, scripts in (
        ("console_scripts", wheel.console_scripts),
        ("gui_scripts", wheel.gui_scripts),
    ):
        if scripts:
            text += f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in scripts.items()) + "\n"
    return text


def write_wheel(directory: Path, wheel: Wheel) -> Path:
    """Write ``wheel`` into ``directory``; return its path."""
    info = f"{wheel.stem}-{wheel.version}.dist-info"
    contents: dict[str, bytes] = {k: v.encode() for k, v in wheel.files.items()}
    if not wheel.files:
        module = wheel.stem.lower()
        contents[f"{module}/__init__.py"] = f"VERSION = {wheel.version!r}\n".encode()
    contents[f"{info}/METADATA"] = _metadata(wheel).encode()
    purelib = "true" if wheel.pure else "false"
    contents[f"{info}/WHEEL"] = (
        f"Wheel-Version: 1.0\nGenerator: tests.wheels\nRoot-Is-Purelib: {purelib}\n"
        f"Tag: {wheel.tag}\n\n"
    ).encode()
    entry_points = _entry_points(wheel)
    if entry_points:
        contents[f"{info}/entry_points.txt"] = entry_points.encode()
    record = "".join(f"{path},{_digest(data)},{len(data)}\n" for path, data in contents.items())
    record += f"{info}/RECORD,,\n"
    contents[f"{info}/RECORD"] = record.encode()
    path = directory / wheel.filename
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), data)
    return path


_CLI = """import sys


def main():
    print("hello from {name}", " ".join(sys.argv[1:]))
    return 0
"""

#: The wheels of the tests: pure; with scripts; with markers and extras; compiled-looking;
#: a dependency chain ``chain-a -> chain-b -> chain-c``.
WHEELS: tuple[Wheel, ...] = (
    Wheel(
        "purelib",
        "1.2.0",
        summary="A pure library.",
        author="Ann",
        author_email="ann@x.org",
        home_page="https://example.invalid/purelib",
    ),
    Wheel(
        "hello-cli",
        "2.0.1",
        console_scripts={"hello-cli": "hello_cli.cli:main"},
        gui_scripts={"hello-gui": "hello_cli.cli:main"},
        files={
            "hello_cli/__init__.py": "",
            "hello_cli/cli.py": _CLI.format(name="hello-cli"),
        },
        summary="Says hello.",
    ),
    Wheel(
        "marked",
        "0.3rc1",
        requires=(
            "purelib>=1.0,<2",
            'chain-c~=3.1; python_version >= "3"',
            'never-installed; python_version < "3"',
            'linuxonly; sys_platform == "win32"',
            'extra-dep; extra == "fancy"',
        ),
        extras=("fancy",),
    ),
    Wheel(
        "fastmath",
        "1.0.post2",
        tag="cp311-cp311-linux_x86_64",
        files={
            "fastmath/__init__.py": "from fastmath._speed import *\n",
            "fastmath/_speed.cpython-311-x86_64-linux-gnu.so": "not really a shared object\n",
        },
    ),
    Wheel("chain-a", "1.0", requires=("chain-b==2.*",)),
    Wheel("chain-b", "2.5", requires=("chain-c>=3.1",)),
    Wheel("chain-c", "3.1.4"),
)


def chain_wheels(count: int) -> tuple[Wheel, ...]:
    """``count`` wheels ``tree-0`` ... : ``tree-0`` requires every other one (a tree of
    ``count`` distributions for one ``pip install``), some with console scripts."""
    others = [
        Wheel(
            f"tree-{i}",
            f"1.{i}",
            console_scripts={f"tree-{i}": f"tree_{i}.cli:main"} if i % 3 == 0 else {},
            files={
                f"tree_{i}/__init__.py": "",
                f"tree_{i}/cli.py": _CLI.format(name=f"tree-{i}"),
                **{f"tree_{i}/mod{j}.py": f"X = {j}\n" for j in range(20)},
            },
        )
        for i in range(1, count)
    ]
    root = Wheel("tree-0", "1.0", requires=tuple(f"{w.name}=={w.version}" for w in others))
    return (root, *others)


def write_wheels(directory: Path, wheels: tuple[Wheel, ...] = WHEELS) -> Path:
    """Write every wheel of ``wheels`` into ``directory``; return ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for wheel in wheels:
        write_wheel(directory, wheel)
    return directory
