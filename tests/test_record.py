"""``pkg._record.record`` behaves like :func:`dataclasses.dataclass` on the classes it takes.

Each shape below is declared twice, once with each decorator, and the two are driven with
the same calls: the results (values, reprs, equality, hashes, errors and their messages)
must be the same.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
from dataclasses import KW_ONLY, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

from pkg._record import record

if TYPE_CHECKING:
    from collections.abc import Callable


def _pair(
    decorator_args: dict[str, Any], body: Callable[[], dict[str, Any]], name: str
) -> list[type]:
    made: list[type] = []
    for decorate in (dataclass, record):
        namespace = body()
        namespace["__qualname__"] = name
        namespace["__module__"] = __name__
        cls = type(name, (), namespace)
        made.append(decorate(**decorator_args)(cls))
    return made


def _body() -> dict[str, Any]:
    """A fresh class body (the decorators write into its ``field`` objects)."""
    return {
        "__annotations__": {
            "name": "str",
            "count": "int",
            "tags": "list[str]",
            "kind": "ClassVar[str]",
            "flag": "bool",
        },
        "count": 0,
        "tags": field(default_factory=list),
        "kind": "shape",
        "flag": field(default=False, repr=False, compare=False),
    }


SHAPES = [
    pytest.param({}, id="plain"),
    pytest.param({"frozen": True}, id="frozen"),
    pytest.param({"frozen": True, "slots": True}, id="frozen-slots"),
    pytest.param({"slots": True}, id="slots"),
    pytest.param({"frozen": True, "slots": True, "repr": False}, id="no-repr"),
    pytest.param({"frozen": True, "eq": False}, id="no-eq"),
    pytest.param({"kw_only": True}, id="kw-only"),
]

CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (("a",), {}),
    (("a", 2), {}),
    (("a", 2, ["x"]), {}),
    (("a", 2, ["x"], True), {}),
    ((), {"name": "b", "tags": ["y"]}),
    ((), {"name": "b", "flag": True}),
    ((), {}),
    (("a",), {"name": "b"}),
    (("a", 1, [], False, 5), {}),
    ((), {"name": "a", "other": 1}),
    ((), {"count": 3}),
]


def _outcome(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    try:
        obj = cls(*args, **kwargs)
    except TypeError as error:
        return ("error", str(error).replace(cls.__qualname__, "X"))
    shown = re.sub(r" object at 0x[0-9a-f]+", " object", repr(obj))
    return ("ok", shown, dataclasses.asdict(obj))


@pytest.mark.parametrize("options", SHAPES)
@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_matches_dataclass(
    options: dict[str, Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    standard, ours = _pair(options, _body, "Shape")
    assert _outcome(ours, args, kwargs) == _outcome(standard, args, kwargs)


def _same_hash(one: object, other: object) -> object:
    try:
        return hash(one) == hash(other)
    except TypeError as error:
        return str(error)


@pytest.mark.parametrize("options", SHAPES)
def test_protocols_match_dataclass(options: dict[str, Any]) -> None:
    standard, ours = _pair(options, _body, "Shape")
    kwargs: dict[str, Any] = {"name": "a", "count": 1}
    s1, s2, s3 = standard(**kwargs), standard(**kwargs), standard(name="a", count=2)
    o1, o2, o3 = ours(**kwargs), ours(**kwargs), ours(name="a", count=2)
    assert (o1 == o2, o1 == o3, o1 != o3) == (s1 == s2, s1 == s3, s1 != s3)
    assert (o1 == "a") == (s1 == "a")
    assert (ours.__hash__ is None) == (standard.__hash__ is None)
    assert _same_hash(o1, o2) == _same_hash(s1, s2)
    assert _same_hash(o1, o3) == _same_hash(s1, s3)
    hashable = ours(name="a", count=1, tags=None)
    assert _same_hash(hashable, ours(name="a", count=1, tags=None)) == _same_hash(
        standard(name="a", count=1, tags=None), standard(name="a", count=1, tags=None)
    )
    assert [f.name for f in dataclasses.fields(ours)] == [
        f.name for f in dataclasses.fields(standard)
    ]
    assert ours.__match_args__ == standard.__match_args__  # type: ignore[attr-defined]
    assert dataclasses.replace(o1, count=5).count == 5
    assert dataclasses.is_dataclass(ours)
    for name in ("frozen", "eq", "init", "repr"):
        assert getattr(ours.__dataclass_params__, name) == getattr(  # type: ignore[attr-defined]
            standard.__dataclass_params__,  # type: ignore[attr-defined]
            name,
        )
    assert hasattr(o1, "__dict__") == hasattr(s1, "__dict__")


@pytest.mark.parametrize("options", SHAPES)
def test_frozen_and_copies(options: dict[str, Any]) -> None:
    standard, ours = _pair(options, _body, "Shape")
    for cls in (standard, ours):
        obj = cls(name="a", count=1, tags=["t"])
        if options.get("frozen"):
            with pytest.raises(
                dataclasses.FrozenInstanceError, match="cannot assign to field 'count'"
            ):
                obj.count = 2
            with pytest.raises(
                dataclasses.FrozenInstanceError, match="cannot delete field 'count'"
            ):
                del obj.count
        else:
            obj.count = 2
            assert obj.count == 2
        for clone in (copy.copy(obj), copy.deepcopy(obj)):
            assert dataclasses.asdict(clone) == dataclasses.asdict(obj)


@record(frozen=True, slots=True)
class Pickled:
    name: str
    values: tuple[int, ...] = ()


def test_frozen_slotted_instances_pickle() -> None:
    obj = Pickled("a", (1, 2))
    assert pickle.loads(pickle.dumps(obj)) == obj


@record
class Checked:
    low: int
    high: int
    span: int = field(init=False)

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError("low > high")
        self.span = self.high - self.low


def test_post_init_and_init_false_fields() -> None:
    assert Checked(1, 4).span == 3
    assert repr(Checked(1, 4)) == "Checked(low=1, high=4, span=3)"
    with pytest.raises(ValueError, match="low > high"):
        Checked(4, 1)


@record(frozen=True)
class Base:
    name: str


@record(frozen=True)
class Derived(Base):
    _: KW_ONLY
    extra: int = 0


def test_inheritance_and_kw_only_marker() -> None:
    obj = Derived("a", extra=2)
    assert (obj.name, obj.extra) == ("a", 2)
    assert repr(obj) == "Derived(name='a', extra=2)"
    assert obj != Base("a")
    with pytest.raises(TypeError, match="positional"):
        Derived("a", 2)  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.name = "b"  # type: ignore[misc]


@record(frozen=True)
class OwnMethods:
    value: int
    count: ClassVar[int] = 0

    def __repr__(self) -> str:
        return "custom"

    def __hash__(self) -> int:
        return 7


def test_methods_of_the_class_are_kept() -> None:
    assert repr(OwnMethods(1)) == "custom"
    assert hash(OwnMethods(1)) == 7
    assert OwnMethods(1) == OwnMethods(1)
