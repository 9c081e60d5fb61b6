"""--style shared: the before/after pairs live in cases/shared_*.py; and the fallbacks to the Model style with their notes."""

from pathlib import Path
from textwrap import dedent

import pytest

from seq2func import convert_source

CASES = Path(__file__).parent / "cases"


FALLBACKS = [
    pytest.param(
        dedent(
            """\
            from keras import Sequential, layers, Input
            m = Sequential([layers.Dense(2, input_shape=(3,))])
            m.summary()
            y = m(Input((3,)))
            """
        ),
        "m.summary() at line 3 needs a Model object",
        id="fallback_summary",
    ),
    pytest.param(
        dedent(
            """\
            from keras import Sequential, layers


            def make():
                return Sequential([layers.Dense(2, input_shape=(3,))])


            net = make()
            net.fit(None)
            """
        ),
        "net.fit() at line 9 needs a Model object",
        id="fallback_factory_fit",
    ),
    pytest.param(
        dedent(
            """\
            from keras import Sequential, layers
            m = Sequential([layers.Dense(2, input_shape=(3,))])
            """
        ),
        "the model is never applied to a tensor, so no call would share its layers",
        id="fallback_never_called",
    ),
    pytest.param(
        dedent(
            """\
            from keras import Sequential, layers, Input
            m = Sequential([layers.Dense(2, input_shape=(3,))])
            y = m(Input((3,)), training=False)
            """
        ),
        "m(...) at line 3 passes more than one tensor",
        id="fallback_training_kwarg",
    ),
    pytest.param(
        dedent(
            """\
            from keras import Sequential, layers


            class Net:
                def __init__(self):
                    self.body = Sequential([layers.Dense(2, input_shape=(3,))])
            """
        ),
        "the model is stored in self.body, whose uses cannot be followed",
        id="fallback_attribute",
    ),
]


SHARED_CASES = sorted(p.name.removesuffix(".before.py") for p in CASES.glob("shared_*.before.py"))


@pytest.mark.parametrize("case", SHARED_CASES)
def test_shared_cases_use_the_shared_style(case: str) -> None:
    """The before/after pairs in cases/shared_*.py (checked by test_cases): every model
    there is converted in the shared style, none falls back to a Model or is skipped."""
    result = convert_source((CASES / f"{case}.before.py").read_text(), style="shared")
    assert result.skips == []
    assert result.conversions and all(c.style == "shared" for c in result.conversions)


@pytest.mark.parametrize(("source", "why"), FALLBACKS)
def test_falls_back_to_model_style(source: str, why: str) -> None:
    """Should convert to a Model as the default style does, and say why sharing was impossible."""
    result = convert_source(source, style="shared")
    assert result.new_text == convert_source(source).new_text != source
    [conversion] = result.conversions
    assert conversion.style == "model"
    assert conversion.note == f"kept as a Model, not shared layers: {why}"


def test_skip_says_why_sharing_failed_too() -> None:
    """Should name both reasons when neither style applies."""
    source = dedent(
        """\
        from keras import Sequential, layers
        m = Sequential([layers.Dense(2)])
        m.compile('adam')
        """
    )
    result = convert_source(source, style="shared")
    assert result.new_text == source
    [skip] = result.skips
    assert skip.code == "input-shape-unknown"
    assert skip.message.endswith("(shared layers: m.compile() at line 3 needs a Model object)")


def test_names_stay_unique_across_models_in_one_scope() -> None:
    """Two shared models in one module must not rebind each other's layers."""
    source = (
        "from keras import Sequential, layers, Input\n"
        "a = Sequential([layers.Dense(2)])\n"
        "b = Sequential([layers.Dense(3)])\n"
        "t = Input((4,))\n"
        "y = a(t) + b(t)\n"
    )
    code = convert_source(source, style="shared").new_text
    assert "dense = layers.Dense(2)" in code and "dense_1 = layers.Dense(3)" in code
    assert "x = dense_1(x)" in code


BLOCK = """\
import keras
from keras import layers

block = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(16)])


class Tower(layers.Layer):
    def call(self, a, b):
        return block(a) + block(b)
"""


def test_a_block_only_applied_to_tensors_names_the_shared_style() -> None:
    """No input shape for a Model, but the shared style needs none: the skip says so, and the
    editor offers the shared-layers action, enabled."""
    from seq2func.api import survey_source
    from seq2func.lsp.editor import TITLE_SHARED, site_actions

    [skip] = convert_source(BLOCK).skips
    assert skip.code == "input-shape-unknown"
    assert skip.hints == ("input-shape", "infer-shapes", "shared-style")
    assert convert_source(BLOCK, style="shared").conversions[0].style == "shared"
    [site] = survey_source(BLOCK).sites
    refused, shared = site_actions(site, {"uri": "file:///b.py", "version": 1})
    assert (
        refused.disabled is not None
        and "use 'seq2func: Convert Sequential to Functional API (shared" in refused.disabled.reason
    )
    assert shared.title == TITLE_SHARED and shared.disabled is None and shared.data["style"] == "shared"
