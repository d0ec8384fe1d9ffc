"""The bind module registry: listing, loading, close matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from pkg.bind import QUICKSTART, close_matches, get_bind_modules
from pkg.bind.registry import BIND_MODULES, load_bind_module, setup_parser_of

REQUIRED = ["arch", "cmake", "os", "pip", "platform", "python", "setuptools"]


def test_lists_every_module_with_its_file() -> None:
    modules = get_bind_modules()
    assert set(REQUIRED) <= set(modules)
    assert list(modules) == sorted(modules)
    for name, path in modules.items():
        assert Path(path).is_file(), name
        assert Path(path).stem == name


@pytest.mark.parametrize("name", sorted(BIND_MODULES))
def test_every_module_binds(name: str) -> None:
    module = load_bind_module(name)
    assert module is not None
    assert callable(module.bind)


def test_unknown_module() -> None:
    assert load_bind_module("no_such_thing") is None


def test_module_arguments() -> None:
    python = load_bind_module("python")
    platform = load_bind_module("platform")
    assert python is not None
    assert platform is not None
    assert setup_parser_of(python) is not None
    assert setup_parser_of(platform) is None


def test_quickstart_order_puts_requirements_first() -> None:
    assert set(QUICKSTART) <= set(BIND_MODULES)
    order = {name: index for index, name in enumerate(QUICKSTART)}
    assert order["platform"] < order["os"]
    assert order["arch"] < order["os"]
    assert order["os"] < order["python"] < order["pip"]
    assert order["python"] < order["setuptools"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pyth", ["python"]),
        ("pyhton", ["python"]),
        ("setup", ["setuptools"]),
        ("cmake-3", ["cmake"]),
        ("zzzzzz", []),
    ],
)
def test_close_matches(name: str, expected: list[str]) -> None:
    assert close_matches(name)[: len(expected)] == expected
    if not expected:
        assert close_matches(name) == []


@pytest.mark.parametrize(
    "module_name", ["pkg.bind._tools", "pkg.bind.registry", "pkg.bind._bind", "pkg.cli.bind"]
)
def test_docstring_examples(module_name: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module_name))
    assert result.attempted > 0
    assert result.failed == 0
