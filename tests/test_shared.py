"""--style shared: (before, after) tables, and the fallbacks to the Model style with their notes."""

import pytest

from seq2func import convert_source

REWRITES = [
    pytest.param(
        "from keras.models import Sequential\nfrom keras.layers import Conv2D, Dense, Flatten, Input, Concatenate\n\n\ndef create_base(shape):\n    seq = Sequential()\n    seq.add(Conv2D(4, 3, name='conv1', input_shape=shape))  # first\n    seq.add(Flatten())\n    seq.add(Dense(8, name='dense1'))\n    return seq\n\n\nbase = create_base((8, 8, 1))\na = Input((8, 8, 1))\nb = Input((8, 8, 1))\nout = Concatenate()([base(a), base(b)])\n",
        "from keras.layers import Conv2D, Dense, Flatten, Input, Concatenate\n\n\ndef create_base(shape):\n    conv1 = Conv2D(4, 3, name='conv1')  # first\n    flatten = Flatten()\n    dense1 = Dense(8, name='dense1')\n\n    def seq(x):\n        x = conv1(x)\n        x = flatten(x)\n        x = dense1(x)\n        return x\n\n    return seq\n\n\nbase = create_base((8, 8, 1))\na = Input((8, 8, 1))\nb = Input((8, 8, 1))\nout = Concatenate()([base(a), base(b)])\n",
        id="factory_adds",
    ),
    pytest.param(
        'import keras\nfrom keras import layers\n\ndense = 3\nencoder = keras.Sequential([\n    keras.Input(shape=(8,)),\n    # hidden\n    layers.Dense(16, activation="relu"),  # wide\n    layers.Dense(4),\n])\na = keras.Input(shape=(8,))\nmerged = layers.Concatenate()([encoder(a), encoder(a)])\n',
        'import keras\nfrom keras import layers\n\ndense = 3\n# hidden\ndense_1 = layers.Dense(16, activation="relu")  # wide\ndense_2 = layers.Dense(4)\n\n\ndef encoder(x):\n    x = dense_1(x)\n    x = dense_2(x)\n    return x\n\n\na = keras.Input(shape=(8,))\nmerged = layers.Concatenate()([encoder(a), encoder(a)])\n',
        id="module_list_input_comments",
    ),
    pytest.param(
        "import tensorflow as tf\n\n\ndef build_tower():\n    return tf.keras.Sequential([tf.keras.layers.Dense(8, input_dim=4), tf.keras.layers.Dense(2)])\n\n\ntower = build_tower()\ny = tower(tf.keras.Input((4,)))\n",
        "import tensorflow as tf\n\n\ndef build_tower():\n    dense = tf.keras.layers.Dense(8)\n    dense_1 = tf.keras.layers.Dense(2)\n\n    def tower(x):\n        x = dense(x)\n        x = dense_1(x)\n        return x\n\n    return tower\n\n\ntower = build_tower()\ny = tower(tf.keras.Input((4,)))\n",
        id="return_factory",
    ),
    pytest.param(
        "from keras.models import Sequential\nfrom keras.layers import Dense\n\n\ndef head(n, x):\n    m = Sequential()\n    m.add(Dense(8, input_shape=(8,)))\n    for _ in range(n):\n        m.add(Dense(8))\n    m.add(Dense(1))\n    return m(x)\n",
        "from keras.layers import Dense\n\n\ndef head(n, x):\n    m_layers = []\n    m_layers.append(Dense(8))\n    for _ in range(n):\n        m_layers.append(Dense(8))\n    m_layers.append(Dense(1))\n\n    def m(x):\n        for layer in m_layers:\n            x = layer(x)\n        return x\n\n    return m(x)\n",
        id="adds_in_loop",
    ),
    pytest.param(
        "from keras import Sequential, layers, Input\nshared = layers.Dense(4)\nm = Sequential([shared, layers.Dense(2)])\nm.build((None, 3))\ny = m(Input((3,)))\n",
        "from keras import layers, Input\nshared = layers.Dense(4)\ndense = layers.Dense(2)\n\n\ndef m(x):\n    x = shared(x)\n    x = dense(x)\n    return x\n\n\ny = m(Input((3,)))\n",
        id="named_layer_and_build",
    ),
    pytest.param(
        "import keras\nfrom keras import layers\nmodel = keras.Sequential()\nmodel.add(keras.Input(shape=(16,)))\nmodel.add(layers.Dense(8))\ny = model(keras.Input((16,)))\n",
        "import keras\nfrom keras import layers\ndense = layers.Dense(8)\n\n\ndef model(x):\n    x = dense(x)\n    return x\n\n\ny = model(keras.Input((16,)))\n",
        id="add_input_dropped",
    ),
    pytest.param(
        "from keras import Sequential, Input\nfrom keras.layers import Dense, InputLayer\nm = Sequential([Input((3,)), Dense(2)])\nn = Sequential([InputLayer(shape=(3,)), Dense(2)])\ny = m(Input((3,))) + n(Input((3,)))\n",
        "from keras import Input\nfrom keras.layers import Dense\ndense = Dense(2)\n\n\ndef m(x):\n    x = dense(x)\n    return x\n\n\ndense_1 = Dense(2)\n\n\ndef n(x):\n    x = dense_1(x)\n    return x\n\n\ny = m(Input((3,))) + n(Input((3,)))\n",
        id="input_elements_dropped_with_unused_imports",
    ),
]

FALLBACKS = [
    pytest.param(
        "from keras import Sequential, layers, Input\nm = Sequential([layers.Dense(2, input_shape=(3,))])\nm.summary()\ny = m(Input((3,)))\n",
        "m.summary() at line 3 needs a Model object",
        id="fallback_summary",
    ),
    pytest.param(
        "from keras import Sequential, layers\n\n\ndef make():\n    return Sequential([layers.Dense(2, input_shape=(3,))])\n\n\nnet = make()\nnet.fit(None)\n",
        "net.fit() at line 9 needs a Model object",
        id="fallback_factory_fit",
    ),
    pytest.param(
        "from keras import Sequential, layers\nm = Sequential([layers.Dense(2, input_shape=(3,))])\n",
        "the model is never applied to a tensor, so no call would share its layers",
        id="fallback_never_called",
    ),
    pytest.param(
        "from keras import Sequential, layers, Input\nm = Sequential([layers.Dense(2, input_shape=(3,))])\ny = m(Input((3,)), training=False)\n",
        "m(...) at line 3 passes more than one tensor",
        id="fallback_training_kwarg",
    ),
    pytest.param(
        "from keras import Sequential, layers\n\n\nclass Net:\n    def __init__(self):\n        self.body = Sequential([layers.Dense(2, input_shape=(3,))])\n",
        "the model is stored in self.body, whose uses cannot be followed",
        id="fallback_attribute",
    ),
]


@pytest.mark.parametrize(("before", "after"), REWRITES)
def test_shared_rewrite(before: str, after: str) -> None:
    """Should bind each layer once and apply them in a function named like the model; idempotent."""
    result = convert_source(before, style="shared")
    assert result.skips == []
    assert result.conversions and all(c.style == "shared" for c in result.conversions)
    assert result.code == after
    assert convert_source(after, style="shared").code == after


@pytest.mark.parametrize(("source", "why"), FALLBACKS)
def test_falls_back_to_model_style(source: str, why: str) -> None:
    """Should convert to a Model as the default style does, and say why sharing was impossible."""
    result = convert_source(source, style="shared")
    assert result.code == convert_source(source).code != source
    [conversion] = result.conversions
    assert conversion.style == "model"
    assert conversion.note == f"kept as a Model, not shared layers: {why}"


def test_skip_says_why_sharing_failed_too() -> None:
    """Should name both reasons when neither style applies."""
    source = "from keras import Sequential, layers\nm = Sequential([layers.Dense(2)])\nm.compile('adam')\n"
    result = convert_source(source, style="shared")
    assert result.code == source
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
    code = convert_source(source, style="shared").code
    assert "dense = layers.Dense(2)" in code and "dense_1 = layers.Dense(3)" in code
    assert "x = dense_1(x)" in code
