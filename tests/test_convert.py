"""Conversion tables: (before, after) rewrites, and the no-ops with the skips they report."""

from textwrap import dedent

import pytest

from seq2func import convert_source

REWRITES = [
    pytest.param(
        "import keras\nn = 3\nm = keras.Sequential([keras.layers.Dense(2)])\na = keras.Input(shape=(n,))\ny = m(a)\n",
        "import keras\nn = 3\ninputs = keras.Input(shape=(n,))\nx = keras.layers.Dense(2)(inputs)\n"
        "m = keras.Model(inputs=inputs, outputs=x)\na = keras.Input(shape=(n,))\ny = m(a)\n",
        {},
        id="applied_to_input_of_a_module_constant",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense, Dropout
        model = Sequential([Dense(8, input_shape=(4,)), Dense(8)])
        model.add(Dropout(0.5))
        model.add(Dense(1))
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Dropout, Input
        inputs = Input(shape=(4,))
        x = Dense(8)(inputs)
        x = Dense(8)(x)
        x = Dropout(0.5)(x)
        x = Dense(1)(x)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="list_then_adds",
    ),
    pytest.param(
        dedent(
            """\
        import keras
        m = keras.models.Sequential(layers=[keras.layers.Dense(2, input_dim=3)], name="tiny")
        """
        ),
        dedent(
            """\
        import keras
        inputs = keras.layers.Input(shape=(3,))
        x = keras.layers.Dense(2)(inputs)
        m = keras.models.Model(inputs=inputs, outputs=x, name="tiny")
        """
        ),
        {},
        id="layers_kwarg_name",
    ),
    pytest.param(
        dedent(
            """\
        from tensorflow.keras import Sequential
        from tensorflow.keras.layers import Dense


        class Net:
            def __init__(self, n):
                self.model = Sequential()
                self.model.add(Dense(16, activation="relu", input_shape=(n,)))
                self.model.add(Dense(1))

            def predict(self, x):
                return self.model.predict(x)
        """
        ),
        dedent(
            """\
        from tensorflow.keras import Input, Model
        from tensorflow.keras.layers import Dense


        class Net:
            def __init__(self, n):
                inputs = Input(shape=(n,))
                x = Dense(16, activation="relu")(inputs)
                x = Dense(1)(x)
                self.model = Model(inputs=inputs, outputs=x)

            def predict(self, x):
                return self.model.predict(x)
        """
        ),
        {},
        id="method_attribute",
    ),
    pytest.param(
        dedent(
            """\
        from keras import Sequential, layers
        def make(depth):
            m = Sequential()
            m.add(layers.Dense(4, input_shape=(2,)))
            while depth > 0:
                m.add(layers.Dense(4))  # hidden
                depth -= 1
            return m
        """
        ),
        dedent(
            """\
        from keras import Input, layers, Model
        def make(depth):
            inputs = Input(shape=(2,))
            x = layers.Dense(4)(inputs)
            while depth > 0:
                x = layers.Dense(4)(x)  # hidden
                depth -= 1
            m = Model(inputs=inputs, outputs=x)
            return m
        """
        ),
        {},
        id="while_loop",
    ),
    pytest.param(
        dedent(
            """\
        from keras import Sequential, layers
        def make(norm):
            m = Sequential()
            if norm:
                m.add(layers.BatchNormalization())
            m.add(layers.Dense(3))
            m.build((None, 10))
            return m
        """
        ),
        dedent(
            """\
        from keras import Input, layers, Model
        def make(norm):
            inputs = Input(shape=(10,))
            x = inputs
            if norm:
                x = layers.BatchNormalization()(x)
            x = layers.Dense(3)(x)
            m = Model(inputs=inputs, outputs=x)
            return m
        """
        ),
        {},
        id="first_add_conditional_with_build",
    ),
    pytest.param(
        dedent(
            """\
        from keras import Sequential, layers
        model = Sequential([
            layers.Input((6,)),
            Sequential([layers.Dense(4), layers.Dense(4)], name="block"),
            layers.Dense(1),
        ])
        """
        ),
        dedent(
            """\
        from keras import Sequential, layers, Model
        inputs = layers.Input((6,))
        x = Sequential([layers.Dense(4), layers.Dense(4)], name="block")(inputs)
        x = layers.Dense(1)(x)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="nested_inline",
    ),
    pytest.param(
        dedent(
            """\
        import tensorflow as tf
        enc = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(8,))], name="enc")
        dec = tf.keras.Sequential([tf.keras.layers.Dense(8, input_shape=(4,))], name="dec")
        """
        ),
        dedent(
            """\
        import tensorflow as tf
        enc_inputs = tf.keras.Input(shape=(8,))
        enc_x = tf.keras.layers.Dense(4)(enc_inputs)
        enc = tf.keras.Model(inputs=enc_inputs, outputs=enc_x, name="enc")
        dec_inputs = tf.keras.Input(shape=(4,))
        dec_x = tf.keras.layers.Dense(8)(dec_inputs)
        dec = tf.keras.Model(inputs=dec_inputs, outputs=dec_x, name="dec")
        """
        ),
        {},
        id="several_models",  # each model's tensors named for it
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        def head(n):
            return Sequential([Dense(n, input_dim=n), Dense(1)])
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Input
        def head(n):
            inputs = Input(shape=(n,))
            x = Dense(n)(inputs)
            x = Dense(1)(x)
            return Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="return_form",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import LSTM, Dense
        model = Sequential()
        model.add(LSTM(4, batch_input_shape=(1, 5, 2), stateful=True, dtype="float32"))
        model.add(Dense(1))
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import LSTM, Dense, Input
        inputs = Input(batch_shape=(1, 5, 2))
        x = LSTM(4, stateful=True, dtype="float32")(inputs)
        x = Dense(1)(x)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="batch_input_shape_dtype_keras3",  # Keras 3 gives the input float32 whatever the layer's dtype
    ),
    pytest.param(
        dedent(
            """\
        from tf_keras.models import Sequential
        from tf_keras.layers import LSTM, Dense
        model = Sequential()
        model.add(LSTM(4, batch_input_shape=(1, 5, 2), stateful=True, dtype="float64"))
        model.add(Dense(1))
        """
        ),
        dedent(
            """\
        from tf_keras.models import Model
        from tf_keras.layers import LSTM, Dense, Input
        inputs = Input(batch_shape=(1, 5, 2), dtype="float64")
        x = LSTM(4, stateful=True, dtype="float64")(inputs)
        x = Dense(1)(x)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="batch_input_shape_dtype_keras2",  # Keras 2 gave the input the first layer's dtype
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Embedding, Flatten, Dense
        model = Sequential()
        model.add(Embedding(input_dim=100, output_dim=8, input_length=12))
        model.add(Flatten())
        model.add(Dense(1))
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Embedding, Flatten, Dense, Input
        inputs = Input(shape=(12,))
        x = Embedding(input_dim=100, output_dim=8)(inputs)
        x = Flatten()(x)
        x = Dense(1)(x)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="embedding_input_dim_kept",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(1))
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Input
        inputs = Input(shape=(5,))
        x = Dense(1)(inputs)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {"input_shape": (5,)},
        id="input_shape_option",
    ),
    pytest.param(
        dedent(
            """\
        from tf_keras.models import Sequential
        from tf_keras.layers import InputLayer, Dense
        model = Sequential([InputLayer(input_shape=(3,)), Dense(2)])
        """
        ),
        dedent(
            """\
        from tf_keras.models import Model
        from tf_keras.layers import Input, Dense
        inputs = Input(shape=(3,))
        x = Dense(2)(inputs)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="input_layer_element",
    ),
    pytest.param(
        dedent(
            """\
        import keras as K
        from keras.models import Sequential as S
        a = S()
        a.add(K.layers.Dense(2, input_shape=(3,)))
        """
        ),
        dedent(
            """\
        import keras as K
        from keras.models import Model
        from keras.layers import Input
        inputs = Input(shape=(3,))
        x = K.layers.Dense(2)(inputs)
        a = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="aliases",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        def f(x, inputs):
            net = Sequential()
            net.add(Dense(2, input_shape=(3,)))
            return net(x)
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Input
        def f(x, inputs):
            net_inputs = Input(shape=(3,))
            net_x = Dense(2)(net_inputs)
            net = Model(inputs=net_inputs, outputs=net_x)
            return net(x)
        """
        ),
        {},
        id="names_taken",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        class Model:
            pass
        seq = Sequential([Dense(2, input_shape=(3,))])
        """
        ),
        dedent(
            """\
        from keras.models import Model as KerasModel
        from keras.layers import Dense, Input
        class Model:
            pass
        inputs = Input(shape=(3,))
        x = Dense(2)(inputs)
        seq = KerasModel(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="model_name_taken",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential([  # the stack
            # first
            Dense(4, input_shape=(2,)),  # hidden
            Dense(1),  # out
            # end of stack
        ])
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Input
        inputs = Input(shape=(2,))
        # the stack
        # first
        x = Dense(4)(inputs)  # hidden
        x = Dense(1)(x)  # out
        # end of stack
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="comments",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(4))
        model.add(Dense(1))
        model.build((None, 7))
        model.summary()
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Input
        inputs = Input(shape=(7,))
        x = Dense(4)(inputs)
        x = Dense(1)(x)
        model = Model(inputs=inputs, outputs=x)
        model.summary()
        """
        ),
        {},
        id="build_applied_input",
    ),
    pytest.param(
        dedent(
            """\
        import keras
        inp = keras.Input((3,))
        model = keras.Sequential([inp, keras.layers.Dense(1)])
        """
        ),
        dedent(
            """\
        import keras
        inp = keras.Input((3,))
        x = keras.layers.Dense(1)(inp)
        model = keras.Model(inputs=inp, outputs=x)
        """
        ),
        {},
        id="input_tensor_element",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Lambda, Dense
        model = Sequential([Dense(2, input_shape=(3,)), Lambda(lambda t: t * 2)])
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Lambda, Dense, Input
        inputs = Input(shape=(3,))
        x = Dense(2)(inputs)
        x = Lambda(lambda t: t * 2)(x)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="lambda_layer",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        model = Sequential()
        model.add(Dense(64, activation='relu', kernel_initializer='he_normal', bias_initializer='zeros', input_shape=(100,)))
        """
        ),
        dedent(
            """\
        from keras.models import Model
        from keras.layers import Dense, Input
        inputs = Input(shape=(100,))
        x = Dense(
            64, activation='relu', kernel_initializer='he_normal', bias_initializer='zeros'
        )(inputs)
        model = Model(inputs=inputs, outputs=x)
        """
        ),
        {},
        id="multi_line_args",
    ),
]

SKIPS = [
    pytest.param(
        dedent(
            """\
        from mypkg.compat import keras
        model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        """
        ),
        [("unknown-keras-module", 2)],
        id="unknown_keras_module",
    ),
    pytest.param(
        dedent(
            """\
        def build(keras):
            return keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        """
        ),
        [("unknown-keras-module", 2)],
        id="keras_not_imported",
    ),
    pytest.param(
        dedent(
            """\
        import torch.nn as nn
        model = nn.Sequential(nn.Linear(2, 3))
        model.add_module("relu", nn.ReLU())
        """
        ),
        [],
        id="torch",
    ),
    pytest.param(
        dedent(
            """\
        class Sequential:
            def add(self, layer): ...
        m = Sequential()
        m.add(1)
        """
        ),
        [],
        id="own_class",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        def f(Sequential):
            m = Sequential()
            m.add(1)
        """
        ),
        [],
        id="shadowed_import",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential()
        m.add(Dense(2, input_shape=(3,)))
        m.summary()
        m.add(Dense(1))
        """
        ),
        [("used-between-adds", 5)],
        id="used_between",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential()
        m.add(Dense(2, input_shape=(3,)))
        def extend():
            m.add(Dense(1))
        """
        ),
        [("add-outside-block", 6)],
        id="add_elsewhere",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        class A:
            def __init__(self):
                self.model = Sequential()
                self.model.add(Dense(2, input_shape=(3,)))
            def grow(self):
                self.model.add(Dense(1))
        """
        ),
        [("add-outside-block", 8)],
        id="add_from_other_method",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential()
        m.add(Dense(2, input_shape=(3,)))
        if flag:
            m = Sequential()
        m.add(Dense(1))
        """
        ),
        [("reassigned", 6), ("add-outside-block", 7)],
        id="reassigned_in_branch",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        class MyModel(Sequential):
            pass
        """
        ),
        [("subclassed", 2)],
        id="subclass",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(2), Dense(1)])
        """
        ),
        [("input-shape-unknown", 3)],
        id="unknown_shape",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        def f(layers):
            return Sequential(layers)
        """
        ),
        [("dynamic-layers", 3)],
        id="dynamic",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(2, input_shape=(3,))], foo=1)
        """
        ),
        [("unsupported-argument", 3)],
        id="unsupported_arg",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
        m.pop()
        """
        ),
        [("pop", 4)],
        id="pop",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
        i = 0
        m.layers[i].trainable = False
        """
        ),
        [("layers-indexed", 5)],
        id="layers_indexed_by_an_expression",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        wrap(Sequential([Dense(2, input_shape=(3,))]))
        """
        ),
        [("unsupported-form", 3)],
        id="inline_arg",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential()
        m.add(Dense(2, input_shape=(3,))); m.add(Dense(1))
        """
        ),
        [("unsupported-form", 4)],
        id="multi_statement_line",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from mylib import MyLayer
        m = Sequential([MyLayer(input_dim=5)])
        """
        ),
        [("input-dim-ambiguous", 3)],
        id="custom_input_dim",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        m = Sequential([Dense(2, input_shape=(3,))])
        def later():
            m.add(Dense(1))
        """
        ),
        [("add-outside-block", 5)],
        id="add_in_nested_def",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        m = Sequential([*blocks])
        """
        ),
        [("dynamic-layers", 2)],
        id="starred",
    ),
    pytest.param(
        dedent(
            """\
        from keras.models import Sequential
        from keras.layers import Dense
        def base():
            m = Sequential()
            m.add(Dense(2, input_shape=(3,)))
            return m
        b = base()
        b.add(Dense(1))
        """
        ),
        [("add-outside-block", 8)],
        id="factory_extended_by_caller",
    ),
    pytest.param(
        dedent(
            """\
        import keras
        class A:
            net = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
        """
        ),
        [("class-body", 3)],
        id="class_body",
    ),
    pytest.param(
        "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\na = keras.Input(shape=(3,))\nb = keras.Input(shape=(4,))\ny = m(a)\nz = m(b)\n",
        [("input-shape-unknown", 2)],
        id="applied_to_inputs_of_two_shapes",
    ),
    pytest.param(
        "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\nn = 3\na = keras.Input(shape=(n,))\ny = m(a)\n",
        [("input-shape-unknown", 2)],
        id="applied_to_input_of_a_constant_bound_after_it",
    ),
    pytest.param(
        "import keras\nn = 3\nm = keras.Sequential([keras.layers.Dense(2)])\nn = 4\na = keras.Input(shape=(n,))\ny = m(a)\n",
        [("input-shape-unknown", 3)],
        id="applied_to_input_of_a_name_bound_twice",
    ),
    pytest.param(
        "import keras\n\nshape = (96, 96, 3)\nbase = keras.applications.ResNet50(include_top=False, input_shape=shape)\nshape = (64, 64, 3)\nmodel = keras.Sequential([base, keras.layers.Dense(5)])\n",
        [("input-shape-unknown", 6)],
        id="preceding_model_shape_changes",
    ),
    pytest.param(
        "import keras\nimport mylib\n\nbase = mylib.Backbone(input_shape=(8,))\nmodel = keras.Sequential([base, keras.layers.Dense(5)])\n",
        [("input-shape-unknown", 5)],
        id="preceding_object_not_keras",
    ),
]


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
    assert result.code == dedent(
        """\
        from mypkg.compat import keras
        inputs = keras.Input(shape=(3,))
        x = keras.layers.Dense(2)(inputs)
        model = keras.Model(inputs=inputs, outputs=x)
        """
    )


def test_a_lambda_parameter_does_not_take_a_name() -> None:
    """`lambda x:` elsewhere binds its own x; the conversion may still use `x`."""
    source = "import keras\nf = lambda x: x + 1\nm = keras.Sequential([keras.layers.Dense(2, input_dim=3)])\n"
    assert "x = keras.layers.Dense(2)(inputs)" in convert_source(source).code
    reads_global = (
        "import keras\ndef f():\n    return x\nm = keras.Sequential([keras.layers.Dense(2, input_dim=3)])\n"
    )
    assert "m_x = keras.layers.Dense(2)(inputs)" in convert_source(reads_global).code


@pytest.mark.parametrize(("before", "after", "options"), REWRITES)
def test_rewrite(before: str, after: str, options: dict) -> None:
    """Should rewrite the Sequential into functional code, and leave that code alone when run again."""
    result = convert_source(before, **options)
    assert result.skips == []
    assert result.code == after
    assert convert_source(after, **options).code == after  # idempotent


@pytest.mark.parametrize(("source", "skips"), SKIPS)
def test_left_alone(source: str, skips: list) -> None:
    """Should change nothing, and report each construction it leaves with a reason code and line."""
    result = convert_source(source)
    assert result.code == source
    assert [(s.code, s.location.line) for s in result.skips] == [tuple(s) for s in skips]
