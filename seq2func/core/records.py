"""`record`: a dataclass whose methods are shared functions, not generated code.

`dataclasses.dataclass` writes each class's `__init__`, `__repr__` and `__eq__` (and for a
frozen class `__setattr__`, `__delattr__` and `__hash__`) as source text and compiles it:
0.8 ms a class, 40 ms of `seq2func convert`'s start for the package's classes, more than
its work on a small file. A record is a dataclass (`fields`, `replace`, `asdict`, pickling
and `match` work; mypy checks it as one) whose methods are the functions below, written
once. Only what the package uses is offered: fields with a default or a default factory,
and `frozen`. tests/test_records.py holds every record of the package to what `dataclass`
makes of the same fields.
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

_REQUIRED, _DEFAULT, _FACTORY = range(3)


class _Plan:
    """What the shared methods read of a record class: its fields in order, how each is
    filled when not given, and whether a `__post_init__` follows."""

    __slots__ = ("fills", "names", "post_init", "values")

    def __init__(self, cls: type) -> None:
        self.names: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(cls))
        fills: list[tuple[int, Any]] = []
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                fills.append((_DEFAULT, f.default))
            elif f.default_factory is not dataclasses.MISSING:
                fills.append((_FACTORY, f.default_factory))
            else:
                fills.append((_REQUIRED, None))
        self.fills = tuple(fills)
        self.post_init = hasattr(cls, "__post_init__")
        # the fields' values as a tuple, in C (attrgetter of one name gives the value alone)
        self.values: Callable[[Any], tuple[Any, ...]] = (
            operator.attrgetter(*self.names)
            if len(self.names) > 1
            else lambda record: _one(record, self.names)
        )


def _one(record: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(record, n) for n in names)


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    plan: _Plan = type(self).__record_plan__
    names = plan.names
    if len(args) > len(names):
        raise TypeError(
            f"{type(self).__qualname__}() takes {len(names) + 1} positional arguments but {len(args) + 1} were given"
        )
    put = object.__setattr__
    for name, value in zip(names, args, strict=False):  # fewer args than names: the rest below
        put(self, name, value)
    given = len(args)
    if given < len(names) or kwargs:
        for name, (fill, default) in zip(names[given:], plan.fills[given:], strict=True):
            if name in kwargs:
                value = kwargs.pop(name)
            elif fill == _DEFAULT:
                value = default
            elif fill == _FACTORY:
                value = default()
            else:
                raise TypeError(f"{type(self).__qualname__}() missing required argument: {name!r}")
            put(self, name, value)
        for name in kwargs:
            said = (
                "got multiple values for argument" if name in names else "got an unexpected keyword argument"
            )
            raise TypeError(f"{type(self).__qualname__}() {said} {name!r}")
    if plan.post_init:
        self.__post_init__()


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    names = type(self).__record_plan__.names
    return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"


def _eq(self: Any, other: object) -> bool:
    plan: _Plan = type(self).__record_plan__
    if other.__class__ is self.__class__:
        return bool(plan.values(self) == plan.values(other))
    return NotImplemented


def _hash(self: Any) -> int:
    plan: _Plan = type(self).__record_plan__
    return hash(plan.values(self))


def _frozen(cls: Any) -> tuple[Callable[..., None], Callable[..., None]]:
    fields = frozenset(cls.__record_plan__.names)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in fields:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in fields:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _record(cls: Any, frozen: bool) -> Any:
    # fields, __match_args__ and the dataclass markers, without generated methods
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    cls.__record_plan__ = _Plan(cls)
    own = cls.__dict__
    # as `dataclass` does: a method the class body defines stays
    for name, method in (("__init__", _init), ("__repr__", _repr), ("__eq__", _eq)):
        if name not in own:
            setattr(cls, name, method)
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    if not explicit_hash:
        cls.__hash__ = _hash if frozen else None
    if frozen:
        if "__setattr__" in own or "__delattr__" in own:
            raise TypeError(f"cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
        cls.__setattr__, cls.__delattr__ = _frozen(cls)
    return cls


if TYPE_CHECKING:
    from dataclasses import dataclass as record
else:

    def record(cls=None, /, *, frozen=False):
        """`@record` or `@record(frozen=True)`: as `@dataclass`, `@dataclass(frozen=True)`."""
        if cls is None:
            return lambda c: _record(c, frozen)
        return _record(cls, frozen)
