"""A model the program never leaves at module level is built the way the program builds it:
the calls of its factories that the file makes (`verify.entries.factory_calls`)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from seq2func.verify.entries import factory_calls

FACTORY = dedent(
    """\
    import keras
    IMG = (28, 28, 1)


    def build_model(shape, width=64):
        model = keras.Sequential([keras.Input(shape), keras.layers.Flatten(), keras.layers.Dense(width)])
        return model


    def helper(x):
        return x + 1
    """
)


@pytest.mark.parametrize(
    ("calls", "expected"),
    [
        ("def main():\n    m = build_model(IMG, width=8)\n", ["build_model(IMG, width=8)"]),
        ('if __name__ == "__main__":\n    build_model((4,))\n', ["build_model((4,))"]),
        ("def main(n):\n    m = build_model((n,))\n", []),  # a local the namespace lacks
        ("def main():\n    m = build_model(load_shape())\n", []),  # runs code to get its argument
        ("def main():\n    helper(3)\n", []),  # not a model factory
        ("m1 = build_model((2,))\nm2 = build_model((2,))\n", ["build_model((2,))"]),  # each call once
    ],
)
def test_the_calls_the_file_makes(calls: str, expected: list[str]) -> None:
    assert factory_calls(FACTORY + "\n\n" + calls) == expected


def test_a_factory_without_required_parameters_is_called_bare() -> None:
    source = FACTORY.replace("def build_model(shape, width=64):", "def build_model(shape=(3,), width=64):")
    assert factory_calls(source) == ["build_model()"]
    assert factory_calls("def broken(:\n") == []
