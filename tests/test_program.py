"""verify/program.py: which statements of a user program the verifier runs, without TensorFlow."""

from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from seq2func.verify.program import plan_program, skippable

SCRIPT = dedent(
    """\
    import keras
    (x, y), _ = keras.datasets.mnist.load_data()
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    model.compile("adam", "mse")
    model.fit(x, y, epochs=3)
    history = model.fit(x, y)
    model.summary()
    print(model.count_params())
    for epoch in range(3):
        model.train_on_batch(x, y)
    model.save("m.keras")
    """
)


def kinds(source: str) -> list[tuple[int, str]]:
    return [(step.node.lineno, step.kind) for step in plan_program(ast.parse(source))]


def test_training_saving_and_printing_are_uses() -> None:
    """Should run what builds the model, feed it (fit and predict on a few samples, nothing
    trained), and skip summary/print/save and training loops."""
    assert kinds(SCRIPT) == [
        (1, "run"),
        (2, "run"),
        (3, "run"),
        (4, "run"),  # compile configures the model; it is not a use of a finished one
        (5, "feed"),
        (6, "feed"),
        (7, "use"),
        (8, "use"),
        (9, "use"),
        (11, "use"),
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(2, True, id="data-read-only-by-training"),
        pytest.param(1, False, id="import-never"),
        pytest.param(3, False, id="the-model-itself"),
    ],
)
def test_skippable(line: int, expected: bool) -> None:
    """Should pass over a failing statement only when nothing but training reads what it makes."""
    steps = plan_program(ast.parse(SCRIPT))
    index = next(i for i, step in enumerate(steps) if step.node.lineno == line)
    assert skippable(steps, index) is expected


def test_data_the_model_needs_is_not_skippable() -> None:
    """Should not pass over a failing statement whose result builds the model."""
    source = dedent(
        """\
        shape = load_shape()
        import keras
        model = keras.Sequential([keras.layers.Dense(2, input_shape=shape)])
        """
    )
    steps = plan_program(ast.parse(source))
    assert not skippable(steps, 0)


def test_data_prepared_for_training_only_is_skippable_through_its_steps() -> None:
    """Should pass over a download whose data is scaled (`x = x / 255.0`) and then only trained on."""
    source = dedent(
        """\
        import keras
        (x, y), _ = keras.datasets.mnist.load_data()
        x = x / 255.0
        model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        model.compile("adam", "mse")
        model.fit(x, y)
        """
    )
    steps = plan_program(ast.parse(source))
    assert [skippable(steps, i) for i in range(len(steps))] == [False, True, True, False, True, True]


def test_functions_and_classes_are_never_skipped() -> None:
    """Should keep definitions, which a later call may need."""
    steps = plan_program(ast.parse("def build():\n    pass\n\n\nclass Block:\n    pass\n"))
    assert [skippable(steps, i) for i in range(len(steps))] == [False, False]


@pytest.mark.parametrize(
    ("source", "optional"),
    [
        pytest.param("import matplotlib.pyplot as plt\nplt.plot([1])\nplt.show()", True, id="plots-only"),
        pytest.param(
            "import seaborn as sns\nsns.set_theme()\nmodel = build()", True, id="a-call-defining-nothing"
        ),
        pytest.param(
            "import matplotlib.pyplot as plt\ndef show(h):\n    plt.plot(h)\nshow(history)",
            True,
            id="a-function-that-only-plots",
        ),
        pytest.param("import pandas as pd\ndf = pd.read_csv('d.csv')", False, id="defines-data"),
        pytest.param(
            "import sklearn.datasets as d\ndef load():\n    return d.load_iris()\nx = load()",
            False,
            id="a-function-whose-result-is-kept",
        ),
        pytest.param("from projectlib import build\nmodel = build()", False, id="builds-the-model"),
        pytest.param("x = 1", False, id="not-an-import"),
    ],
)
def test_an_import_that_fails_is_passed_over_only_when_nothing_needs_it(source: str, optional: bool) -> None:
    from seq2func.verify.program import optional_import

    assert optional_import(plan_program(ast.parse(source)), 0) is optional
