"""``record``: :func:`dataclasses.dataclass` without generating code at import time.

On Python 3.11 the standard decorator writes the source of ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` for every class and compiles
each one.  For the few dozen classes that ``pkg env`` imports (the 148 settings of
``Config``, the plugin sections, the rex actions, the resolve result) that costs about a
fifth of the command's start-up.  :func:`record` lets the standard decorator collect the
fields (so :func:`dataclasses.fields`, :func:`~dataclasses.replace`,
:func:`~dataclasses.asdict` and ``__match_args__`` work as usual) but asks it for no
methods, then installs generic ones that read the field table when called.

The generic methods give the same results as the generated ones (argument binding and its
errors, defaults and default factories, ``__post_init__``, frozen instances, ``repr``,
equality and hashing over the ``compare``/``hash`` fields, pickling of frozen slotted
instances).  They are slower per call (the ``__init__`` is a loop in Python), so
:func:`record` is for classes built a handful of times per command; classes built
thousands of times in hot loops keep :func:`dataclasses.dataclass`.  Options the generic
methods do not cover (``order``, ``unsafe_hash``, ``InitVar`` fields, ``weakref_slot``)
fall back to the standard decorator.

Type checkers see :func:`dataclasses.dataclass` itself (see the ``TYPE_CHECKING`` import),
so a ``record`` class is checked exactly like a dataclass.
"""

from __future__ import annotations

import dataclasses
import inspect
from operator import attrgetter
from typing import TYPE_CHECKING, Any

__all__ = ["record"]

_MISSING = dataclasses.MISSING
_INIT_VAR_TYPES = ("InitVar", "dataclasses.InitVar")


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(cls)


def _has_init_vars(cls: type) -> bool:
    annotations = inspect.get_annotations(cls)
    for annotation in annotations.values():
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if text.startswith(_INIT_VAR_TYPES) or isinstance(annotation, dataclasses.InitVar):
            return True
    return False


def _has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not _MISSING or f.default_factory is not _MISSING


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _listed(names: list[str]) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'``: how Python lists missing arguments."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _getter(names: tuple[str, ...]) -> Any:
    """A function returning the tuple of the attributes ``names`` of an object."""
    if not names:
        return lambda _obj: ()
    if len(names) == 1:
        single = attrgetter(names[0])
        return lambda obj: (single(obj),)
    return attrgetter(*names)


def _make_init(cls: type, frozen: bool) -> Any:
    fields = _fields(cls)
    positional = [f for f in fields if f.init and not f.kw_only]
    keyword = [f for f in fields if f.init and f.kw_only]
    late = [f for f in fields if not f.init]
    names = frozenset(f.name for f in positional + keyword)
    qualname = cls.__qualname__
    post_init = hasattr(cls, "__post_init__")
    assign = object.__setattr__ if frozen else setattr
    most = len(positional) + 1
    least = most - sum(1 for f in positional if _has_default(f))
    takes = str(most) if least == most else f"from {least} to {most}"

    def _value(f: dataclasses.Field[Any]) -> Any:
        if f.default is not _MISSING:
            return f.default
        if f.default_factory is not _MISSING:
            return f.default_factory()
        return _MISSING

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(positional):
            given = len(args) + 1
            extra = sum(1 for f in keyword if f.name in kwargs)
            if extra:
                counted = (
                    f"{given} positional argument{_s(given)}"
                    f" (and {extra} keyword-only argument{_s(extra)}) were"
                )
            else:
                counted = f"{given} {'was' if given == 1 else 'were'}"
            raise TypeError(
                f"{qualname}.__init__() takes {takes} positional argument{_s(most)}"
                f" but {counted} given"
            )
        for group, kind in ((positional, "positional"), (keyword, "keyword-only")):
            missing: list[str] = []
            for index, f in enumerate(group):
                if group is positional and index < len(args):
                    if f.name in kwargs:
                        raise TypeError(
                            f"{qualname}.__init__() got multiple values for argument {f.name!r}"
                        )
                    value = args[index]
                elif f.name in kwargs:
                    value = kwargs[f.name]
                else:
                    value = _value(f)
                    if value is _MISSING:
                        missing.append(repr(f.name))
                        continue
                assign(self, f.name, value)
            if missing:
                raise TypeError(
                    f"{qualname}.__init__() missing {len(missing)} required {kind}"
                    f" argument{_s(len(missing))}: {_listed(missing)}"
                )
        for name in kwargs:
            if name not in names:
                raise TypeError(
                    f"{qualname}.__init__() got an unexpected keyword argument {name!r}"
                )
        for f in late:
            value = _value(f)
            if value is not _MISSING:
                assign(self, f.name, value)
        if post_init:
            self.__post_init__()

    __init__.__qualname__ = f"{qualname}.__init__"
    return __init__


def _make_repr(cls: type) -> Any:
    names = tuple(f.name for f in _fields(cls) if f.repr)

    def __repr__(self: Any) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    __repr__.__qualname__ = f"{cls.__qualname__}.__repr__"
    return __repr__


def _make_eq(cls: type) -> Any:
    values = _getter(tuple(f.name for f in _fields(cls) if f.compare))

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    __eq__.__qualname__ = f"{cls.__qualname__}.__eq__"
    return __eq__


def _make_hash(cls: type) -> Any:
    values = _getter(
        tuple(f.name for f in _fields(cls) if (f.compare if f.hash is None else f.hash))
    )

    def __hash__(self: Any) -> int:
        return hash(values(self))

    __hash__.__qualname__ = f"{cls.__qualname__}.__hash__"
    return __hash__


def _make_frozen(owner: type) -> tuple[Any, Any]:
    names = frozenset(f.name for f in _fields(owner))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is owner or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        base: Any = super(owner, self)
        base.__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is owner or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        base: Any = super(owner, self)
        base.__delattr__(name)

    return __setattr__, __delattr__


def _frozen_state(cls: type) -> tuple[Any, Any]:
    names = tuple(f.name for f in _fields(cls))

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    return __getstate__, __setstate__


def _record(
    cls: type,
    *,
    init: bool,
    repr: bool,
    eq: bool,
    frozen: bool,
    slots: bool,
    kw_only: bool,
    match_args: bool,
) -> type:
    own = cls.__dict__
    # The standard decorator refuses a non-frozen class over a frozen dataclass base; only
    # then is it asked for the frozen methods too (they are replaced below anyway).
    frozen_bases = any(
        getattr(getattr(base, "__dataclass_params__", None), "frozen", False)
        for base in cls.__mro__[1:]
    )
    made: Any = dataclasses.dataclass(
        init=False,
        repr=False,
        eq=False,
        frozen=frozen and frozen_bases,
        slots=slots,
        kw_only=kw_only,
        match_args=match_args,
    )(cls)
    params = made.__dataclass_params__
    params.init, params.repr, params.eq, params.frozen = init, repr, eq, frozen
    if init and "__init__" not in own:
        made.__init__ = _make_init(made, frozen)
    if repr and "__repr__" not in own:
        made.__repr__ = _make_repr(made)
    if eq and "__eq__" not in own:
        made.__eq__ = _make_eq(made)
    own_hash = own.get("__hash__", _MISSING)
    explicit_hash = not (own_hash is _MISSING or (own_hash is None and "__eq__" in own))
    if not explicit_hash:
        if eq and frozen:
            made.__hash__ = _make_hash(made)
        elif eq:
            made.__hash__ = None
    if frozen:
        made.__setattr__, made.__delattr__ = _make_frozen(made)
        if slots:
            made.__getstate__, made.__setstate__ = _frozen_state(made)
    result: type = made
    return result


def _record_decorator(
    cls: type | None = None,
    /,
    *,
    init: bool = True,
    repr: bool = True,
    eq: bool = True,
    order: bool = False,
    unsafe_hash: bool = False,
    frozen: bool = False,
    match_args: bool = True,
    kw_only: bool = False,
    slots: bool = False,
    weakref_slot: bool = False,
) -> Any:
    def wrap(cls: type) -> type:
        if order or unsafe_hash or weakref_slot or _has_init_vars(cls):
            return dataclasses.dataclass(
                init=init,
                repr=repr,
                eq=eq,
                order=order,
                unsafe_hash=unsafe_hash,
                frozen=frozen,
                match_args=match_args,
                kw_only=kw_only,
                slots=slots,
                weakref_slot=weakref_slot,
            )(cls)
        return _record(
            cls,
            init=init,
            repr=repr,
            eq=eq,
            frozen=frozen,
            slots=slots,
            kw_only=kw_only,
            match_args=match_args,
        )

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:
    from dataclasses import dataclass as record
else:
    record = _record_decorator
