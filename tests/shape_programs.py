"""Random NumPy programs for the static shape reader, with NumPy itself as the oracle: each
program binds arrays from shapes, lists and constants, changes them (slices, reshapes, joins
with an axis given by keyword, by position or from the end, `*_like` with `shape=`, lists
grown by `append`, aliases and `globals()` writes, attribute writes of `.shape`), and ends with
`use(x)`; a fifth are pandas programs (`table`). `check` runs each program for real and
compares the shape seq2func reads for `x` with the array's (or the table's): an answer must
be right in its rank and in every dimension it gives (None leaves one open); a refusal is
always allowed. Shared by `tests/test_shape_fuzz.py` (a
bounded number) and `bench/bench_shapes.py` (thousands)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import libcst as cst

from seq2func.analysis.find import Analysis
from seq2func.analysis.parse import parse
from seq2func.shapes import shape_of

HEADER = "import numpy as np\n"


def shape_at_use(source: str) -> tuple[int | None, ...] | None:
    """The shape seq2func reads for the argument of the last `use(...)` call in `source`."""
    analysis = Analysis(parse(source))
    found: list[cst.Call] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if isinstance(call.func, cst.Name) and call.func.value == "use":
                found.append(call)

    analysis.module.visit(Calls())
    name = found[-1].args[0].value
    return shape_of(analysis, name, analysis.range(name).start)


class _Writer:
    """A program being written: each step binds an array name from earlier ones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []
        self.names: list[str] = []

    def dims(self, low: int = 1, high: int = 3) -> list[int]:
        return [self.rng.randint(2, 7) for _ in range(self.rng.randint(low, high))]

    def shape_text(self, dims: list[int]) -> str:
        """A shape as people write it: a tuple, a list, constants, a name (maybe grown after)."""
        rng = self.rng
        how = rng.choice(["tuple", "tuple", "list", "constants", "name", "grown", "changed"])
        if how == "constants":
            names = [f"D{len(self.lines)}_{k}" for k in range(len(dims))]
            self.lines += [f"{n} = {d}" for n, d in zip(names, dims, strict=True)]
            return f"({', '.join(names)},)"
        if how in ("name", "grown", "changed"):
            name = f"shape{len(self.lines)}"
            if how == "grown" and len(dims) > 1:
                self.lines.append(f"{name} = {list(dims[:-1])}")
                self.lines.append(rng.choice([f"{name}.append({dims[-1]})", f"{name} += [{dims[-1]}]"]))
            elif how == "grown" and len(dims) > 1 and rng.random() < 0.3:  # by a helper
                self.lines.append(f"{name} = {list(dims[:-1])}")
                self.lines.append(f"def grow(shape):\n    shape.append({dims[-1]})\ngrow({name})")
            elif how == "changed":
                self.lines.append(f"{name} = {list(dims)}")
                k = rng.randrange(len(dims))
                dims[k] += 1
                self.lines.append(f"{name}[{k}] = {dims[k]}")
            else:
                self.lines.append(f"{name} = {tuple(dims)!r}")
            return name
        return repr(list(dims)) if how == "list" else repr(tuple(dims))

    def source(self) -> str:
        rng = self.rng
        dims = self.dims()
        shape = self.shape_text(dims)
        return rng.choice(
            [
                f"np.zeros({shape})",
                f"np.ones({shape}, dtype='float32')",
                f"np.empty({shape})",
                f"np.full({shape}, 2.0)",
                f"np.random.random({shape})",
                f"np.random.normal(0, 1, {shape})",
                f"np.random.randint(0, 9, size={shape})",
                f"np.random.rand({', '.join(map(str, dims))})",
                f"np.array([[1.0] * {dims[-1]}] * {dims[0]})",
                f"np.array([[0.5] * {dims[-1]} for _ in range({dims[0]})])",
                f"np.array({[[0.0] * dims[-1]] * dims[0]!r})",
                f"np.arange({dims[0] * dims[-1]}).reshape({dims[0]}, {dims[-1]})",
            ]
        )

    def unary(self, a: str) -> str:
        rng = self.rng
        k, m = rng.randint(-3, 3), rng.randint(1, 5)
        return rng.choice(
            [
                f"{a}[:{m}]",
                f"{a}[:, :{m}]",
                f"{a}[..., None]",
                f"{a}[:, None]",
                f"{a}[:, np.newaxis]",
                f"{a}[::2]",
                f"{a}[:, ::2]",
                f"{a}[:, {k}]",
                f"{a}[{k}]",
                f"{a}[:, -{m}:]",
                f"{a}[..., :{m}]",
                f"{a}.T",
                f"{a}.reshape(len({a}), -1)",
                f"{a}.reshape({a}.shape[0], -1)",
                f"{a}.reshape(-1, {m})",
                f"{a}.reshape((-1, {m}, 1))",
                f"np.reshape({a}, (len({a}), -1))",
                f"np.expand_dims({a}, {k})",
                f"np.expand_dims({a}, axis={k})",
                f"np.squeeze({a})",
                f"{a}.astype('float32')",
                f"np.asarray({a})",
                f"np.array({a}, ndmin={m})",
                f"np.zeros_like({a})",
                f"np.zeros_like({a}, shape=({m}, {m + 1}))",
                f"np.ones_like({a}, dtype='float32')",
                f"np.full_like({a}, 3.0)",
                f"np.clip({a}, 0, 1)",
                f"{a} / 255.0",
                f"2 * {a} - 1",
                f"{a} + {a}",
                f"{a}.flatten()",
                f"{a}.ravel()",
                f"np.transpose({a})",
                f"np.pad({a}, [(0, 0)] * {a}.ndim)",
                f"np.repeat({a}, 2, axis={k})",
                f"np.tile({a}, 2)",
                f"{a}.mean(axis={k})",
                f"{a}.sum(axis={k}, keepdims=True)",
                f"np.sqrt(np.abs({a}))",
                f"np.round({a}, 2)",
                f"np.swapaxes({a}, 0, {k})",
                f"np.moveaxis({a}, 0, {k})",
            ]
        )

    def binary(self, a: str, b: str) -> str:
        rng = self.rng
        k = rng.randint(-3, 3)
        parts = rng.choice([f"[{a}, {b}]", f"({a}, {b})", f"[{a}, {a}]", f"[{a}, {a}, {a}]"])
        return rng.choice(
            [
                f"np.concatenate({parts})",
                f"np.concatenate({parts}, axis={k})",
                f"np.concatenate({parts}, {k})",
                f"np.concatenate({parts}, axis=None)",
                f"np.stack({parts})",
                f"np.stack({parts}, axis={k})",
                f"np.stack({parts}, {k})",
                f"np.hstack({parts})",
                f"np.vstack({parts})",
                f"np.column_stack({parts})",
                f"np.dstack({parts})",
                f"{a} * {b}",
                f"{a} + {b}",
            ]
        )

    def change(self, a: str) -> None:
        """A change to an array after it is bound that the reader must see, or refuse on."""
        rng = self.rng
        alias = f"alias{len(self.lines)}"
        self.lines.append(
            rng.choice(
                [
                    f"{a}.shape = (-1,)",
                    f"{a} = {a}.reshape(-1)",
                    f"{alias} = {a}\n{alias}.shape = (-1,)",
                    f"{alias} = {a}\n{alias}.resize(({rng.randint(1, 4)},), refcheck=False)",
                    f"globals()[{a!r}] = np.zeros(3)",
                    f"exec('{a} = np.zeros(3)')",
                    f"setattr(np, 'unused', {a})",
                    f"def flatten(array):\n    array.shape = (-1,)\nflatten({a})",
                    f"{alias} = np.asarray({a})\n{alias}.shape = (-1,)",
                    f"{a} = np.zeros(3) if len({a}) < 0 else {a}",
                ]
            )
        )

    def table(self) -> str:
        """A pandas program: a DataFrame's columns picked by name, then dropped, indexed by
        position, its rows dropped, changed in place... (pandas is the oracle)."""
        rng = self.rng
        count = rng.randint(2, 6)
        names = [f"c{k}" for k in range(count)]
        picked = rng.sample(names, rng.randint(1, count))
        lines = [
            "import pandas as pd",
            f"t0 = pd.DataFrame(np.zeros(({rng.randint(3, 8)}, {count})), columns={names!r})",
            f"t1 = t0[{picked!r}]",
        ]
        for step in range(2, rng.randint(3, 6)):
            pool = picked if rng.random() < 0.8 else names  # mostly columns the table holds
            t, n, m, k = f"t{step - 1}", rng.choice(pool), rng.randint(1, 4), rng.randint(-3, 3)
            some = rng.sample(pool, rng.randint(1, len(pool)))
            value = rng.choice(
                [
                    f"{t}.drop({n!r}, axis=1)",
                    f"{t}.drop(columns={some!r})",
                    f"{t}.drop({some!r}, axis='columns')",
                    f"{t}.drop(labels={n!r}, axis=1)",
                    f"{t}.drop({n!r}, 1)",
                    f"{t}.drop(index=[0])",
                    f"{t}.drop(0)",
                    f"{t}.drop({n!r}, axis=1, errors='ignore')",
                    f"{t}.drop(columns={[n, n]!r})",
                    f"{t}.iloc[:, :{m}]",
                    f"{t}.iloc[:, {k}]",
                    f"{t}.iloc[:{m}]",
                    f"{t}.iloc[:, -{m}:]",
                    f"{t}.iloc[:, ::2]",
                    f"{t}.iloc[{k}]",
                    f"{t}.dropna()",
                    f"{t}.dropna(axis=1)",
                    f"{t}.drop_duplicates()",
                    f"{t}.sample(frac=0.5, random_state=0)",
                    f"{t}.fillna(0)",
                    f"{t}.reset_index(drop=True)",
                    f"{t}.reset_index()",
                    f"{t}.values",
                    f"{t}.to_numpy()",
                    f"{t}[{some!r}]",
                ]
            )
            lines.append(f"t{step} = {value}")
            if rng.random() < 0.15:  # changed in place: the reader must see it, or refuse
                lines.append(
                    rng.choice(
                        [
                            f"t{step}.drop(columns=[{n!r}], inplace=True)",
                            f"t{step}[{'new'!r}] = 1",
                            f"t{step}.pop({n!r})",
                            f"t{step}.insert(0, 'new', 1)",
                            f"del t{step}[{n!r}]",
                        ]
                    )
                )
        return HEADER + "\n".join(lines) + f"\nx = t{step}\nuse(x)\n"

    def program(self) -> str:
        rng = self.rng
        if rng.random() < 0.2:
            return self.table()
        for _ in range(rng.randint(1, 5)):
            name = f"a{len(self.names)}" if not self.names or rng.random() < 0.6 else rng.choice(self.names)
            if not self.names or rng.random() < 0.25:
                value = self.source()
            elif len(self.names) > 1 and rng.random() < 0.3:
                value = self.binary(rng.choice(self.names), rng.choice(self.names))
            else:
                value = self.unary(rng.choice(self.names))
            self.lines.append(f"{name} = {value}")
            if name not in self.names:
                self.names.append(name)
            if rng.random() < 0.12:
                self.change(name)
        last = self.names[-1]
        if rng.random() < 0.15:  # the data made in a function the program calls
            body = "\n".join(f"    {line}" for line in "\n".join(self.lines).splitlines())
            return HEADER + f"def make():\n{body}\n    return {last}\n\nx = make()\nuse(x)\n"
        return HEADER + "\n".join(self.lines) + f"\nx = {last}\nuse(x)\n"


def generate(seed: int) -> str:
    return _Writer(random.Random(seed)).program()


@dataclass
class Case:
    seed: int
    source: str
    real: tuple[int, ...] | None  # None: the program raised
    read: tuple[int | None, ...] | None  # None: the reader refused

    @property
    def wrong(self) -> bool:
        if self.real is None or self.read is None:
            return False
        return len(self.read) != len(self.real) or any(
            r is not None and r != t for r, t in zip(self.read, self.real, strict=True)
        )


def run(source: str) -> tuple[int, ...] | None:
    """The shape of `x` when the program runs for real; None if it raises."""
    import numpy as np

    seen: list[Any] = []
    namespace: dict[str, Any] = {"use": seen.append, "__name__": "__main__"}
    try:
        exec(compile(source, "<program>", "exec"), namespace)
    except Exception:
        return None
    value = seen[-1] if seen else None
    import pandas as pd

    return tuple(value.shape) if isinstance(value, np.ndarray | pd.DataFrame | pd.Series) else None


def check(seeds: range | list[int]) -> list[Case]:
    import warnings

    cases = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for seed in seeds:
            source = generate(seed)
            real = run(source)
            cases.append(Case(seed, source, real, shape_at_use(source) if real is not None else None))
    return cases
