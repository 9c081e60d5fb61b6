"""Random Keras programs built around one Sequential, for differential testing.

Every program is valid Python and builds under Keras 3: the layer stack tracks its
shapes. The same stack is written in many ways (list, adds, both; if/for around adds;
import styles and aliases; comments between and inside calls; module level, function,
factory, method, `global`; every source of the input shape), so the converter meets
the language rather than one spelling. Driven by a `random.Random`, so hypothesis
(`st.randoms()`) and the benchmark (`random.Random(seed)`) share it.

Each program ends with `final`, a Keras model applying the Sequential to an Input:
both conversion styles keep `final`, so it is what the dynamic check compares.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

Shape = tuple[int, ...]


@dataclass
class Program:
    source: str
    options: dict[str, object] = field(default_factory=dict)
    shape: Shape = ()
    integer_input: bool = False  # Embedding first: the input holds token ids
    description: str = ""


@dataclass
class Layer:
    cls: str  # layer class name, spelled through the import style
    args: list[str]
    shape: Shape  # output shape after this layer
    nested: list[Layer] | None = None  # a nested Sequential's layers


# -- import styles --------------------------------------------------------------------------


@dataclass
class Style:
    header: list[str]
    layer: str  # format for a layer class: "{}" -> "Dense", "layers.{}" -> "layers.Dense"
    sequential: str
    input: str  # the spelling of keras.Input
    names: set[str] = field(default_factory=set)  # from-imported layer names, filled on use

    def cls(self, name: str) -> str:
        self.names.add(name)
        return self.layer.format(name)


def _style(rng: random.Random) -> Style:
    kind = rng.choice(["module", "layers", "names", "tf", "tfkeras", "alias", "models"])
    if kind == "module":
        return Style(
            ["import keras"],
            "keras.layers.{}",
            rng.choice(["keras.Sequential", "keras.models.Sequential"]),
            "keras.Input",
        )
    if kind == "layers":
        return Style(
            ["import keras", "from keras import layers"], "layers.{}", "keras.Sequential", "layers.Input"
        )
    if kind == "names":
        seq = rng.choice(["Sequential", "Seq"])
        head = "from keras.models import Sequential" + (" as Seq" if seq == "Seq" else "")
        return Style(["import keras", head, "from keras.layers import {names}"], "{}", seq, "keras.Input")
    if kind == "tf":
        return Style(
            ["import tensorflow as tf"],
            "tf.keras.layers.{}",
            rng.choice(["tf.keras.Sequential", "tf.keras.models.Sequential"]),
            "tf.keras.Input",
        )
    if kind == "tfkeras":
        return Style(["from tensorflow import keras"], "keras.layers.{}", "keras.Sequential", "keras.Input")
    if kind == "alias":
        return Style(
            ["import keras as K", "from keras import layers as L"], "L.{}", "K.Sequential", "K.Input"
        )
    return Style(
        ["import keras", "from keras import models, layers"], "layers.{}", "models.Sequential", "keras.Input"
    )


# -- layer stacks ---------------------------------------------------------------------------


def _act(rng: random.Random) -> list[str]:
    return rng.choice([[], ["activation='relu'"], ['activation="tanh"'], ["activation=None"]])


def _next_layer(rng: random.Random, s: Style, shape: Shape, depth: int) -> Layer:
    """One layer that accepts `shape`, with its output shape."""
    rank = len(shape)
    options: list[Layer] = []
    u = rng.randint(2, 5)
    same = [
        Layer(s.cls("Dropout"), [str(rng.choice([0.1, 0.25, 0.5]))], shape),
        Layer(s.cls("LayerNormalization"), [], shape),
        Layer(s.cls("Lambda"), [rng.choice(["lambda t: t * 2.0", "lambda t: t * SCALE + 1.0"])], shape),
    ]
    if rank == 1:
        (n,) = shape
        options += [
            Layer(s.cls("Dense"), [str(u), *_act(rng)], (u,)),
            Layer(s.cls("BatchNormalization"), [], shape),
            Layer(s.cls("Activation"), [rng.choice(["'relu'", '"sigmoid"'])], shape),
            *same,
        ]
        if n % 2 == 0 and n > 2:
            options.append(Layer(s.cls("Reshape"), [f"({n // 2}, 2)"], (n // 2, 2)))
        if depth == 0:
            inner = [Layer(s.cls("Dense"), [str(u)], (u,)), Layer(s.cls("Dense"), [str(u + 1)], (u + 1,))]
            options.append(Layer(s.sequential, [], (u + 1,), nested=inner))
    elif rank == 2:
        t, f = shape
        seq = rng.choice([True, False])
        options += [
            Layer(
                s.cls("LSTM"), [str(u)] + (["return_sequences=True"] if seq else []), (t, u) if seq else (u,)
            ),
            Layer(
                s.cls("GRU"), [str(u)] + (["return_sequences=True"] if seq else []), (t, u) if seq else (u,)
            ),
            Layer(s.cls("Bidirectional"), [f"{s.cls('LSTM')}({u}, return_sequences=True)"], (t, 2 * u)),
            Layer(
                s.cls("Conv1D"), [str(u), str(rng.choice([1, 2, 3])), "padding='same'", *_act(rng)], (t, u)
            ),
            Layer(s.cls("TimeDistributed"), [f"{s.cls('Dense')}({u})"], (t, u)),
            Layer(s.cls("Flatten"), [], (t * f,)),
            Layer(s.cls("GlobalAveragePooling1D"), [], (f,)),
            Layer(s.cls("Dense"), [str(u)], (t, u)),
            *same,
        ]
        if t >= 2:
            options.append(Layer(s.cls("MaxPooling1D"), ["2"], (t // 2, f)))
    else:
        h, w, c = shape
        options += [
            Layer(
                s.cls("Conv2D"), [str(u), str(rng.choice([1, 3])), "padding='same'", *_act(rng)], (h, w, u)
            ),
            Layer(s.cls("BatchNormalization"), [], shape),
            Layer(s.cls("Flatten"), [], (h * w * c,)),
            Layer(s.cls("GlobalAveragePooling2D"), [], (c,)),
            *same,
        ]
        if h >= 2 and w >= 2:
            options.append(Layer(s.cls("MaxPooling2D"), ["(2, 2)"], (h // 2, w // 2, c)))
    return rng.choice(options)


def _stack(rng: random.Random, s: Style) -> tuple[Shape, list[Layer], bool]:
    kind = rng.choice(["vector", "vector", "sequence", "image", "tokens"])
    layers: list[Layer] = []
    integer = False
    if kind == "vector":
        shape: Shape = (rng.randint(2, 6),)
    elif kind == "sequence":
        shape = (rng.randint(2, 5), rng.randint(2, 4))
    elif kind == "image":
        shape = (rng.randint(4, 6), rng.randint(4, 6), rng.randint(1, 3))
    else:
        shape = (rng.randint(2, 5),)
        dim = rng.randint(2, 4)
        layers.append(Layer(s.cls("Embedding"), [str(rng.randint(10, 20)), str(dim)], (shape[0], dim)))
        integer = True
    current = layers[-1].shape if layers else shape
    for _ in range(rng.randint(1, 4)):
        layer = _next_layer(rng, s, current, 0)
        layers.append(layer)
        current = layer.shape
    return shape, layers, integer


# -- writing it -----------------------------------------------------------------------------


def _comment(rng: random.Random, n: list[int]) -> str:
    n[0] += 1
    return f"# note {n[0]}: {rng.choice(['why', 'tuned', 'see paper', 'TODO'])}"


def _call(rng: random.Random, s: Style, layer: Layer, extra: list[str], counter: list[int]) -> str:
    if layer.nested is not None:
        inner = ", ".join(f"{x.cls}({', '.join(x.args)})" for x in layer.nested)
        return f"{layer.cls}([{inner}])"
    args = [*layer.args, *extra]
    if len(args) >= 2 and rng.random() < 0.15:  # a multi-line call with a comment inside
        return f"{layer.cls}({args[0]},  {_comment(rng, counter)}\n    " + ", ".join(args[1:]) + ")"
    return f"{layer.cls}({', '.join(args)})"


def _observed(rng: random.Random, lines: list[str], place: str) -> str:
    """What the program does around its model, for the dynamic check to compare (`observed`):
    a global the model's function writes, and the model's layers counted and picked."""
    said = []
    if place in ("function", "global") and rng.random() < 0.4:  # a name a conversion might take
        name = rng.choice(["x", "inputs", "model_x", "model_inputs"])
        at = lines.index("def build_model():")
        lines[at + 1 : at + 1] = [f"    global {name}", f"    {name} = 2"]
        lines.insert(at, f"{name} = 1")
        lines += [f"assert {name} == 2", f"observed_global = {name}"]
        said.append(f"global {name}")
    if rng.random() < 0.4:
        lines += [
            "observed = {",
            "    'count': len(model.layers),",
            "    'kinds': [type(layer).__name__ for layer in model.layers],",
            "    'first': type(model.get_layer(index=0)).__name__,",
            "    'last': type(model.layers[-1]).__name__,",
            "}",
        ]
        said.append("uses")
    return "+".join(said)


def generate(rng: random.Random) -> Program:
    s = _style(rng)
    shape, layers, integer = _stack(rng, s)
    shape_code = f"({', '.join(map(str, shape))}{',' if len(shape) == 1 else ''})"
    sources = ["input_shape", "input_element", "build", "option", "applied"]
    if len(shape) == 1 and not integer and layers[0].cls.endswith("Dense"):
        sources.append("input_dim")
    if rng.random() < 0.2:
        sources.append("input_layer")
    source = rng.choice(sources)
    form = rng.choice(["list", "adds", "list_adds", "adds_if", "adds_for", "list_comprehension", "adds_peek"])
    if source == "build" and form == "list":
        form = "list_adds"
    if form == "adds_peek" and source not in ("input_shape", "input_dim", "input_element", "input_layer"):
        form = "adds"  # output_shape of a model with no input yet raises
    place = rng.choice(["module", "module", "function", "factory", "method", "global"])
    if place == "factory" and form not in ("list", "list_comprehension"):
        place = "function"
    counter = [0]
    options: dict[str, object] = {"input_shape": list(shape)} if source == "option" else {}

    extra_first: list[str] = []
    if source == "input_shape":
        extra_first = [f"input_shape={shape_code}"]
    elif source == "input_dim":
        extra_first = [f"input_dim={shape[0]}"]
    calls = [_call(rng, s, layer, extra_first if i == 0 else [], counter) for i, layer in enumerate(layers)]
    if source == "input_element":
        calls.insert(0, f"{s.input}(shape={shape_code})")
    elif source == "input_layer":
        calls.insert(0, f"{s.cls('InputLayer')}(shape={shape_code})")

    target = "self.model" if place == "method" else "model"
    body: list[str] = []
    listing = form in ("list", "list_comprehension")
    split = rng.randint(1, len(calls)) if form == "list_adds" else (len(calls) if listing else 0)
    listed, added = calls[:split], calls[split:]
    if listed:
        sep = rng.choice([", ", ",\n    "])
        items = []
        for call in listed:
            if sep != ", " and rng.random() < 0.2:
                items.append(f"{_comment(rng, counter)}\n    {call}")
            else:
                items.append(call)
        opener = "[\n    " if sep != ", " else "["
        closer = ",\n]" if sep != ", " else "]"
        layers_code = opener + sep.join(items) + closer
        if form == "list_comprehension":  # more layers, made by a comprehension and joined by +
            layers_code += f" + [{s.cls('Dense')}(n) for n in (3, 2)]"
        body.append(f"{target} = {s.sequential}({layers_code})")
    else:
        body.append(f"{target} = {s.sequential}()")
    for i, call in enumerate(added):
        line = f"{target}.add({call})"
        if rng.random() < 0.2:
            body.append(_comment(rng, counter))
        if rng.random() < 0.15:
            line += f"  {_comment(rng, counter)}"
        if form == "adds_if" and i == len(added) - 1 and i > 0:
            body += ["if use_last:", "    " + line.replace("\n", "\n    ")]
        elif form == "adds_for" and i == len(added) - 1 and i > 0:
            body += ["for _ in range(1):", "    " + line.replace("\n", "\n    ")]
        else:
            body.append(line)
        if form == "adds_peek" and i == 1:  # read between the adds: becomes the tensor's shape
            body.append(f"assert {target}.output_shape[0] is None")
    if source == "build":
        body.append(f"{target}.build((None, {', '.join(map(str, shape))}))")

    lines = list(s.header)
    if "{names}" in lines[-1] if lines else False:
        lines[-1] = lines[-1].format(names=", ".join(sorted(s.names)))
    if "import keras" not in lines and "from tensorflow import keras" not in lines:
        lines.append("import keras" if s.input != "tf.keras.Input" else "")
    lines = [line for line in lines if line]
    lines += ["", "use_last = True", ""]
    if place == "module":
        lines += body
    elif place == "function":
        lines += [
            "",
            "def build_model():",
            *("    " + b.replace("\n", "\n    ") for b in body),
            "    return model",
            "",
            "",
            "model = build_model()",
        ]
    elif place == "factory":
        lines += [
            "",
            "def build_model():",
            "    return " + body[0].split(" = ", 1)[1].replace("\n", "\n    "),
            "",
            "",
            "model = build_model()",
        ]
    elif place == "method":
        lines += [
            "",
            "class Builder:",
            "    def build(self):",
            *("        " + b.replace("\n", "\n        ") for b in body),
            "        return self.model",
            "",
            "",
            "model = Builder().build()",
        ]
    else:
        lines += [
            "model = None",
            "",
            "",
            "def build_model():",
            "    global model",
            *("    " + b.replace("\n", "\n    ") for b in body),
            "",
            "",
            "build_model()",
        ]
    keras_input = "tf.keras.Input" if s.input == "tf.keras.Input" else "keras.Input"
    keras_model = "tf.keras.Model" if s.input == "tf.keras.Input" else "keras.Model"
    lines += [
        "",
        f"inp = {keras_input}(shape={shape_code})",
        "out = model(inp)",
        f"final = {keras_model}(inp, out)",
    ]
    observed = _observed(rng, lines, place)
    lines.insert(lines.index("use_last = True") + 1, "SCALE = 0.5")
    description = f"{source}/{form}/{place}/{s.sequential}" + (f"/{observed}" if observed else "")
    return Program("\n".join(lines) + "\n", options, shape, integer, description)
