"""Conversions that need more than a table row (the tables are `tests/cases/`): a setting
that changes what counts as Keras, and a name a lambda binds."""

from textwrap import dedent

from seq2func import convert_source


def test_keras_modules_config_reads_a_project_module_as_keras() -> None:
    """`[tool.seq2func] keras-modules` makes a project's re-export of Keras convert, spelled
    through the user's own binding; without it the skip message names the setting."""
    source = dedent(
        """\
        from mypkg.compat import keras
        model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        """
    )
    [skip] = convert_source(source).skips
    assert 'keras-modules = ["mypkg.compat.keras"]' in skip.message
    result = convert_source(source, keras_modules=("mypkg.compat.keras",))
    assert result.skips == []
    assert result.new_text == dedent(
        """\
        from mypkg.compat import keras
        inputs = keras.Input(shape=(3,))
        x = keras.layers.Dense(2)(inputs)
        model = keras.Model(inputs=inputs, outputs=x)
        """
    )


def test_a_lambda_parameter_does_not_take_a_name() -> None:
    """`lambda x:` elsewhere binds its own x; the conversion may still use `x`."""
    source = dedent(
        """\
        import keras
        f = lambda x: x + 1
        m = keras.Sequential([keras.layers.Dense(2, input_dim=3)])
        """
    )
    assert "x = keras.layers.Dense(2)(inputs)" in convert_source(source).new_text
    reads_global = dedent(
        """\
            import keras
            def f():
                return x
            m = keras.Sequential([keras.layers.Dense(2, input_dim=3)])
            """
    )
    assert (
        "m_x = keras.layers.Dense(2)(m_inputs)" in convert_source(reads_global).new_text
    )  # both named for it
