"""The slice a verification runs for each conversion (`verify/slicing.py`, pure `ast`): a table
of programs, each with the lines its site needs, uses, feeds and leaves out, and how a model
made in a function is built."""

from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from seq2func.verify.slicing import PROBE, Probe, instrument, plan


def sliced(source: str, probe: Probe, **keywords: object):  # type: ignore[no-untyped-def]
    tree = ast.parse(source)
    assert instrument(tree, source, [probe]) == {}
    return plan(tree, [probe.site], **keywords)  # type: ignore[arg-type]


def lines(found, indices) -> list[int]:  # type: ignore[no-untyped-def]
    """The lines of the program's own statements among `indices` (a call added to build a
    model is told by its trigger)."""
    return sorted(found.steps[i].line for i in indices if found.steps[i].synthetic is None)


TRAINING = dedent(
    """\
    import os
    import numpy as np
    import matplotlib.pyplot as plt
    import keras
    from keras import layers

    DATA = keras.utils.get_file("flowers", origin="http://x", untar=True)
    EPOCHS = 10
    num_classes = 5
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    x_train = x_train / 255.0
    unrelated = np.load("big.npy")

    def create(n):
        m = keras.Sequential()
        m.add(layers.Dense(n, input_shape=(784,)))
        m.add(layers.Dense(num_classes))
        return m

    model = create(64)
    model.compile("adam", "mse")
    model.layers[0].trainable = False
    history = model.fit(x_train, y_train, epochs=EPOCHS)
    plt.plot(history.history["loss"])
    model.summary()
    """
)

# (id, program, probe, needed lines, used lines, fed lines, how the model is built)
TABLE = [
    pytest.param(
        TRAINING,
        Probe(0, "call", 15, 9),
        [4, 5, 9, 14, 20],  # keras, layers, num_classes, def create, its call
        [21, 22],  # compile, freezing a layer: must behave alike
        [8, 10, 11, 23],  # the data path: optional
        "built by the program's own call at line 20",
        id="a-factory-called-at-top-level",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            import pandas as pd
            df = pd.read_csv("data.csv")
            model = keras.Sequential()
            model.add(keras.layers.Dense(3))
            model.add(keras.layers.Dense(1))
            model.fit(df.values, df.values[:, 0])
            """
        ),
        Probe(0, "call", 4, 9),
        [1, 4, 5, 6],  # the adds make the model
        [],
        [2, 3, 7],
        None,
        id="adds-are-needed-the-data-is-optional",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            def build_model(units=4):
                return keras.Sequential([keras.layers.Dense(units, input_dim=3)])
            def main():
                model = build_model(8)
                model.fit(load_everything())
            if __name__ == "__main__":
                main()
            """
        ),
        Probe(0, "call", 3, 12),
        [1, 2],
        [],
        [],
        "built by calling build_model(8), as line 5 does",
        id="a-factory-called-in-main-is-called-that-way",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            def build_model(units=4):
                return keras.Sequential([keras.layers.Dense(units, input_dim=3)])
            """
        ),
        Probe(0, "call", 3, 12),
        [1, 2],
        [],
        [],
        "built by calling build_model() with its defaults (nothing in the file calls it)",
        id="a-factory-nothing-calls-takes-its-defaults",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            class Trainer:
                def __init__(self, width):
                    self.width = width
                    self.build()
                def build(self):
                    self.model = keras.Sequential([keras.layers.Dense(self.width, input_dim=3)])
            WIDTH = 5
            trainer = Trainer(WIDTH)
            """
        ),
        Probe(0, "call", 7, 22),
        [1, 2, 8, 9],
        [],
        [],
        "built by the program's own call at line 9",
        id="a-method-reached-through-the-constructor",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            layers_list = []
            layers_list.append(keras.layers.Dense(4, input_shape=(3,)))
            model = keras.Sequential(layers_list)
            """
        ),
        Probe(0, "call", 4, 9),
        [1, 2, 3, 4],  # an append changes the list the model is made of
        [],
        [],
        None,
        id="a-list-filled-by-append",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            def make():
                global N
                N = 7
            make()
            model = keras.Sequential([keras.layers.Dense(N, input_shape=(3,))])
            """
        ),
        Probe(0, "call", 6, 9),
        [1, 2, 5, 6],  # the call binds N through `global`
        [],
        [],
        None,
        id="a-global-bound-by-a-call",
    ),
    pytest.param(
        dedent(
            """\
            from keras.layers import *
            import keras
            globals()["WIDTH"] = 4
            unrelated = 1
            model = keras.Sequential([Dense(WIDTH, input_shape=(3,))])
            """
        ),
        Probe(0, "call", 5, 9),
        [1, 2, 3, 5],  # names bound where the code does not say which: kept
        [],
        [],
        None,
        id="a-star-import-and-globals",
    ),
    pytest.param(
        dedent(
            """\
            import keras
            base = keras.Sequential([keras.layers.Dense(4, input_shape=(3,))])
            a, b = keras.Input((3,)), keras.Input((3,))
            merged = keras.layers.Concatenate()([base(a), base(b)])
            final = keras.Model([a, b], merged)
            print(final.summary())
            """
        ),
        Probe(0, "call", 2, 8),
        [1, 2],
        [3, 4, 5],  # applications of the model and what the program builds from them
        [],
        None,
        id="what-the-program-builds-from-the-model",
    ),
]


@pytest.mark.parametrize(("source", "probe", "needed", "used", "fed", "how"), TABLE)
def test_the_slice_of_a_site(
    source: str, probe: Probe, needed: list[int], used: list[int], fed: list[int], how: str | None
) -> None:
    found = sliced(source, probe)
    assert lines(found, found.needed[0]) == needed
    assert lines(found, found.uses[0]) == used
    assert lines(found, found.feeds[0]) == fed
    trigger = found.triggers.get(0)
    assert (trigger.how if trigger else None) == how


def test_the_whole_program_runs_every_statement_but_uses() -> None:
    found = sliced(TRAINING, Probe(0, "call", 15, 9), whole=True)
    kept = lines(found, found.kept)
    assert 12 in kept and 7 in kept  # the unrelated load and the download run too
    assert 24 not in kept and 25 not in kept  # a plot and a summary never do


def test_a_factory_nothing_can_call_says_how_to_prove_it() -> None:
    source = (
        "import keras\ndef build(x):\n    return keras.Sequential([keras.layers.Dense(2, input_dim=x)])\n"
    )
    found = sliced(source, Probe(0, "call", 3, 12))
    assert found.triggers[0].step is None
    assert "set verify-entry" in found.triggers[0].how
    with_entry = sliced(source, Probe(0, "call", 3, 12), entry="build(3)")
    assert with_entry.triggers[0].how == "built by verify-entry build(3)"


@pytest.mark.parametrize(
    ("source", "probe", "expected"),
    [
        pytest.param(
            "inputs = Input((3,))\nx = Dense(2)(inputs)\nmodel = Model(inputs, x)\n",
            Probe(0, "binding", 3, first=1, target="model"),
            f"model = {PROBE}(0, Model(inputs, x))",
            id="model-style-assignment",
        ),
        pytest.param(
            "def f():\n    inputs = Input((3,))\n    return Model(inputs, inputs)\n",
            Probe(0, "binding", 3, first=2, target="<return>"),
            f"return {PROBE}(0, Model(inputs, inputs))",
            id="a-returned-model",
        ),
        pytest.param(
            "dense = Dense(2)\n\ndef seq(x):\n    x = dense(x)\n    return x\n",
            Probe(0, "binding", 5, first=1, target="seq"),
            f"{PROBE}(0, seq)",
            id="a-shared-style-function",
        ),
    ],
)
def test_the_converted_code_binds_the_model_where_the_probe_catches_it(
    source: str, probe: Probe, expected: str
) -> None:
    tree = ast.parse(source)
    assert instrument(tree, source, [probe]) == {}
    assert expected in ast.unparse(tree)


def test_a_probe_that_finds_no_binding_says_so() -> None:
    source = "x = 1\ny = 2\n"
    tree = ast.parse(source)
    missing = instrument(tree, source, [Probe(3, "binding", 2, first=1, target="model")])
    assert missing == {3: "line 2 of the converted program does not bind model"}
    assert instrument(ast.parse(source), source, [Probe(4, "call", 1, 1)]) == {
        4: "no Sequential(...) call at line 1, column 1"
    }


def test_a_column_counts_characters_not_bytes() -> None:
    source = 'é = "ü"; model = Sequential()\n'
    tree = ast.parse(source)
    assert instrument(tree, source, [Probe(0, "call", 1, 18)]) == {}
    assert f"{PROBE}(0, Sequential())" in ast.unparse(tree)
