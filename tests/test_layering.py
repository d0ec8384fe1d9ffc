"""Import layering of ``src/pkg``, checked by parsing every module with :mod:`ast`.

The rules come from STYLE.md section (c).  Each top-level part of ``pkg`` (a subpackage or
a module such as ``pkg.errors``) is a *layer*; :data:`LAYERS` says which other layers it may
import.  A part that is not in the table fails the test until someone decides where it
belongs.  Parts that do not exist yet simply have no files to check.

Imports under ``if TYPE_CHECKING:`` and inside functions count like any other: they are
still dependencies.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "pkg"

#: The package root (``pkg/__init__.py``) and the shared bottom layer.
_BASE = frozenset({"errors", "_exports", "_record", "_pyast"})
_PURE_DOMAIN = _BASE | {"core"}
_DOMAIN = _PURE_DOMAIN | {"resolver", "repositories", "packages", "rex", "shells", "config"}
_TOOLS = _DOMAIN | {"buildsys", "vcs", "hooks", "pip", "context", "plugins", "memcache"}

#: layer -> the layers it may import (besides itself).  "" is ``pkg/__init__.py``.
LAYERS: dict[str, frozenset[str]] = {
    "": _PURE_DOMAIN,  # pkg/__init__.py re-exports the core
    "errors": frozenset(),
    "_exports": frozenset(),  # lazy re-exports for package __init__ modules
    "_pyast": frozenset(),  # ast.parse/compile of trees under one lock (cpython#106905)
    "_record": frozenset(),  # dataclasses without import-time code generation
    "core": _BASE,
    "config": _BASE,
    "plugins": _BASE | {"config"},
    "resolver": _PURE_DOMAIN,
    "packages": _PURE_DOMAIN | {"config"},
    "repositories": _PURE_DOMAIN | {"config", "packages"},
    "rex": _PURE_DOMAIN | {"config"},
    "shells": _PURE_DOMAIN | {"config", "rex", "plugins"},
    "memcache": _BASE,  # a memcached client: sockets only
    "context": _DOMAIN | {"plugins", "memcache", "package_cache"},
    "buildsys": _DOMAIN | {"plugins", "context"},
    "hooks": _DOMAIN | {"plugins"},  # release hooks: command, emailer
    "vcs": _DOMAIN | {"plugins"},
    "pip": _DOMAIN | {"plugins", "context"},
    "bind": _DOMAIN,  # pkg bind: detects software, writes through repositories
    "suites": _DOMAIN | {"context"},  # suite files and wrappers, over saved contexts
    "package_cache": _DOMAIN,  # local copies of variant payloads (Rez's layout)
    "tasks": _TOOLS | {"orchestrator", "package_cache"},
    "orchestrator": _BASE,
    "api": _TOOLS | {"tasks", "orchestrator", "suites", "package_cache"},
    "cli": frozenset({"api", "bind", "config", "errors"}),
    "__main__": frozenset({"cli"}),  # python -m pkg
}

#: Layers that do no I/O and keep no state: no file, process, network or console access.
PURE = frozenset({"core", "resolver"})
#: Standard modules a pure layer may not import.
IO_MODULES = frozenset(
    {"os", "sys", "subprocess", "pathlib", "io", "socket", "shutil", "tempfile", "glob"}
)
#: Builtins a pure layer may not call.
IO_CALLS = frozenset({"print", "open", "input"})
#: Third-party modules only ``pkg.cli`` may import.
UI_MODULES = frozenset({"click", "rich", "rich_click"})
#: Modules nothing in ``pkg`` may import.
FORBIDDEN = frozenset({"rez", "rezplugins"})


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. "pkg.core.version"
    path: Path
    tree: ast.Module

    @property
    def layer(self) -> str:
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 else ""

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


def _modules() -> list[Module]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found.append(Module(".".join(parts), path, ast.parse(path.read_text(), str(path))))
    return found


MODULES = _modules()


def _imports(module: Module) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``module``."""
    found: list[tuple[int, str]] = []
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # "from pkg import core" imports the submodule pkg.core.
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
    return found


def _layer_of(imported: str) -> str | None:
    """The layer of an import of pkg, or None for other packages.

    ``from pkg import __version__`` names an attribute of the root, whose layer is "".
    """
    parts = imported.split(".")
    if parts[0] != "pkg":
        return None
    if len(parts) == 1:
        return ""
    part = parts[1]
    if part in LAYERS or (PACKAGE / part).is_dir() or (PACKAGE / f"{part}.py").is_file():
        return part
    return ""


def _where(module: Module, line: int) -> str:
    return f"{module.path.relative_to(SRC.parent)}:{line}"


def _ids(modules: list[Module]) -> list[str]:
    return [m.name for m in modules]


def test_there_are_modules_to_check() -> None:
    assert any(m.name == "pkg.errors" for m in MODULES)


@pytest.mark.parametrize("module", MODULES, ids=_ids(MODULES))
def test_layer_is_known(module: Module) -> None:
    assert module.layer in LAYERS, (
        f"{module.name}: top-level part {module.layer!r} is not in tests/test_layering.py "
        "LAYERS; decide which layers it may import and add it"
    )


@pytest.mark.parametrize("module", MODULES, ids=_ids(MODULES))
def test_imports_follow_the_layers(module: Module) -> None:
    # Every layer may use the root package itself (``from pkg import __version__``).
    allowed = LAYERS.get(module.layer, frozenset()) | {module.layer, ""}
    bad = [
        f"{_where(module, line)}: {module.layer or 'pkg'} may not import {imported}"
        for line, imported in _imports(module)
        if (layer := _layer_of(imported)) is not None and layer not in allowed
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", MODULES, ids=_ids(MODULES))
def test_no_ui_libraries_below_the_cli(module: Module) -> None:
    if module.layer == "cli":
        return
    bad = [
        f"{_where(module, line)}: imports {imported}"
        for line, imported in _imports(module)
        if imported.split(".")[0] in UI_MODULES
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", MODULES, ids=_ids(MODULES))
def test_nobody_imports_rez(module: Module) -> None:
    bad = [
        f"{_where(module, line)}: imports {imported}"
        for line, imported in _imports(module)
        if imported.split(".")[0] in FORBIDDEN
    ]
    assert not bad, "\n".join(bad)


PURE_MODULES = [m for m in MODULES if m.layer in PURE]


@pytest.mark.parametrize("module", PURE_MODULES, ids=_ids(PURE_MODULES))
def test_pure_layers_do_no_io(module: Module) -> None:
    bad = [
        f"{_where(module, line)}: imports {imported}"
        for line, imported in _imports(module)
        if imported.split(".")[0] in IO_MODULES
    ]
    for node in ast.walk(module.tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in IO_CALLS
        ):
            bad.append(f"{_where(module, node.lineno)}: calls {node.func.id}()")
    assert not bad, "\n".join(bad)


# -- the checker itself ---------------------------------------------------------------------


def _fake(name: str, source: str, *, package: bool = False) -> Module:
    path = Path("pkg", *name.split(".")[1:], "__init__.py" if package else "x.py")
    return Module(name, SRC / path, ast.parse(source))


@pytest.mark.parametrize(
    ("name", "package", "source", "expected"),
    [
        ("pkg.core.version", False, "from . import _parser", "pkg.core._parser"),
        ("pkg.core.version", False, "from .. import errors", "pkg.errors"),
        ("pkg.core.version", False, "from ..errors import X", "pkg.errors"),
        ("pkg.core", True, "from .version import V", "pkg.core.version"),
        ("pkg.cli", True, "import rich_click as click", "rich_click"),
        ("pkg", True, "from pkg import core", "pkg.core"),
    ],
)
def test_imports_are_resolved(name: str, package: bool, source: str, expected: str) -> None:
    found = [imported for _line, imported in _imports(_fake(name, source, package=package))]
    assert expected in found


def test_a_violation_is_reported() -> None:
    module = _fake("pkg.core.bad", "from pkg.config import load_config\nimport os\nprint(1)\n")
    with pytest.raises(AssertionError, match=r"core may not import pkg\.config"):
        test_imports_follow_the_layers(module)
    with pytest.raises(AssertionError, match=r"(?s)imports os.*calls print\(\)"):
        test_pure_layers_do_no_io(module)
    with pytest.raises(AssertionError, match="imports rich"):
        test_no_ui_libraries_below_the_cli(_fake("pkg.resolver.x", "import rich.console"))
    with pytest.raises(AssertionError, match=r"imports rez\.config"):
        test_nobody_imports_rez(_fake("pkg.cli.x", "from rez.config import config"))
