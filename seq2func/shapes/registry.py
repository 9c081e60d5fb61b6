"""The registry of shape sources: each family of `shapes` registers the readers it adds, with
its order and what it refuses, as pyupgrade's plugins register theirs. `core.shape_of` asks
them in order; the first that knows the expression answers, even when the answer is None
(unknown: never a guess), and the others are not asked.

Kinds of reader:
- `call`: the shape of what a call returns (`np.zeros((n, 4))`, `ds.batch(32)`);
- `expression`: another expression that is not a name, a call or arithmetic (`iris.data`,
  `df[["a", "b"]]`, `tfds.load(...)[0]`);
- `unpack`: what one target of an unpacking assignment is bound to
  (`X_train, X_test, y_train, y_test = train_test_split(X, y)`);
- `unknown-name`: the shape of a name whose value is not written down (a notebook's saved
  output shows it).

Adding a source: a function in the module of its family, under `@register`, and the rows of
`SHAPES` in `tests/test_shapes.py` it answers (a test fails for a reader that answers none).
A new family is a module listed in the package's `FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from seq2func.types import BatchShape

Kind = Literal["call", "expression", "unpack", "unknown-name"]


class NotMine:
    """What a reader answers for an expression it does not read: ask the next one."""

    def __repr__(self) -> str:
        return "NOT_MINE"


NOT_MINE: Final = NotMine()
# what a reader of shapes answers: a shape, unknown (None), or not its expression
Read = BatchShape | None | NotMine


@dataclass(frozen=True)
class Source:
    """One reader: its kind, its place among the readers of that kind, its family (the module
    that registers it), and the cases it refuses to read (unknown, however written)."""

    kind: Kind
    order: int
    name: str
    family: str
    refuses: tuple[str, ...]
    read: Callable[..., Any]


SOURCES: list[Source] = []
_READERS: dict[Kind, tuple[Callable[..., Any], ...]] = {}


def register(
    kind: Kind, order: int, refuses: Sequence[str] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated reader: `order` places it among the readers of its `kind`."""

    def add(read: Callable[..., Any]) -> Callable[..., Any]:
        family = read.__module__.rpartition(".")[2]
        taken = [s for s in SOURCES if s.kind == kind and s.order == order]
        if taken:
            raise ValueError(f"{kind} readers {taken[0].name} and {read.__name__} both take order {order}")
        SOURCES.append(Source(kind, order, read.__name__, family, tuple(refuses), read))
        SOURCES.sort(key=lambda s: (s.kind, s.order))
        _READERS[kind] = tuple(s.read for s in SOURCES if s.kind == kind)
        return read

    return add


def readers(kind: Kind) -> tuple[Callable[..., Any], ...]:
    """The readers of `kind`, in order."""
    return _READERS.get(kind, ())
