"""Every record of the package (`seq2func.core.records`) against what `dataclasses.dataclass` makes
of the same fields: construction (positional, keyword, defaults, factories, wrong calls),
repr, equality, hashing, frozenness, `replace`, pickling and `match`."""

from __future__ import annotations

import dataclasses
import importlib
import pickle
from pathlib import Path
from typing import Any

import pytest

from seq2func.core import records

PACKAGE = Path(records.__file__).resolve().parent.parent
SHARED = {records._init, records._repr, records._eq, records._hash}


def _modules() -> list[Any]:
    names = sorted(
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in PACKAGE.rglob("*.py")
        if p.name != "__main__.py"
    )
    return [importlib.import_module(name) for name in names]


RECORDS = sorted(
    {
        value
        for module in _modules()
        for value in vars(module).values()
        if isinstance(value, type) and "__record_plan__" in value.__dict__
    },
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)


def _frozen(cls: type) -> bool:
    return "__setattr__" in cls.__dict__ and cls.__setattr__.__qualname__.startswith("_frozen.")


def twin(cls: type) -> type:
    """The stdlib dataclass of `cls`'s fields, with the methods `cls`'s own body defines."""
    fields: list[Any] = []
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            fields.append((f.name, f.type, dataclasses.field(default=f.default)))
        elif f.default_factory is not dataclasses.MISSING:
            fields.append((f.name, f.type, dataclasses.field(default_factory=f.default_factory)))
        else:
            fields.append((f.name, f.type))
    own = {
        name: value
        for name, value in cls.__dict__.items()
        if name in ("__init__", "__repr__", "__eq__", "__hash__", "__post_init__")
        and value not in SHARED
        and value is not None
    }
    return dataclasses.make_dataclass(cls.__name__, fields, namespace=own, frozen=_frozen(cls))


def _values(instance: object) -> tuple[Any, ...]:
    return tuple(getattr(instance, f.name) for f in dataclasses.fields(instance))  # type: ignore[arg-type]


def _outcome(call: Any) -> Any:
    """What a call gives, or the kind of error it raises."""
    try:
        return ("ok", call())
    except Exception as error:
        return ("raised", type(error))


def test_the_package_has_records() -> None:
    assert len(RECORDS) > 40


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_a_record_behaves_as_its_dataclass(cls: type) -> None:
    assert_like_dataclass(cls)


def assert_like_dataclass(cls: type) -> None:
    other = twin(cls)
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    required = [
        f.name
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    values = [1000 + i for i in range(len(fields))]
    assert names == [f.name for f in dataclasses.fields(other)]
    assert cls.__match_args__ == other.__match_args__  # type: ignore[attr-defined]

    # construction, positional and by keyword, defaults and factories
    mine, theirs = cls(*values), other(*values)
    assert _values(mine) == _values(theirs) == tuple(values)
    assert repr(mine).replace(cls.__qualname__, cls.__name__, 1) == repr(theirs)
    by_keyword = dict(zip(required, values, strict=False))
    assert _values(cls(**by_keyword)) == _values(other(**by_keyword))
    for f in fields:
        if f.default_factory is not dataclasses.MISSING:
            first, second = cls(**by_keyword), cls(**by_keyword)
            assert getattr(first, f.name) is not getattr(second, f.name)

    # wrong calls fail alike
    for args, kwargs in [
        ((), {}),
        ((*values, 0), {}),
        ((), {**by_keyword, "no_such_field": 0}),
        ((*values[:1],), {names[0]: 0} if names else {}),
    ]:
        assert (
            _outcome(lambda a=args, k=kwargs: cls(*a, **k))[0]
            == _outcome(lambda a=args, k=kwargs: other(*a, **k))[0]
        )

    # equality and hashing
    changed = [*values[:-1], -1] if values else values
    assert (cls(*values) == cls(*values)) == (other(*values) == other(*values))
    assert (cls(*values) == cls(*changed)) == (other(*values) == other(*changed))
    assert mine.__eq__(object()) is NotImplemented
    hashed, their_hash = _outcome(lambda: hash(mine)), _outcome(lambda: hash(theirs))
    assert hashed == their_hash

    # frozen or not
    for name in [*names[:1], "not_a_field"]:
        assert _outcome(lambda n=name: setattr(cls(*values), n, 0)) == _outcome(
            lambda n=name: setattr(other(*values), n, 0)
        )
        assert _outcome(lambda n=name: delattr(cls(*values), n)) == _outcome(
            lambda n=name: delattr(other(*values), n)
        )

    # replace, pickling
    if names:
        assert _values(dataclasses.replace(mine, **{names[-1]: -5})) == (*values[:-1], -5)
    if cls.__qualname__ == cls.__name__:  # pickle finds module-level classes only
        assert _values(pickle.loads(pickle.dumps(mine))) == tuple(values)


def test_a_difference_is_seen() -> None:
    """The comparison can fail: a record whose plan lists its fields in another order fills
    them wrongly from positional arguments."""

    @records.record(frozen=True)
    class Point:
        x: int
        y: int = 0

    assert_like_dataclass(Point)
    Point.__record_plan__.names = ("y", "x")  # type: ignore[attr-defined]
    with pytest.raises(AssertionError):
        assert_like_dataclass(Point)
