"""In the verifier's children: two models compared, and every difference said in words.

`compare` proves the same network (parameters, weights, inputs and outputs, layer classes
and configurations, the model's name, then outputs on one batch once the converted model
holds the original's weights); `compare_applied` the same for the shared style, whose
converted code is a function: both are applied twice to fresh Inputs, so layers made anew on
each call show as parameters counted twice; `compare_shared` a fix that merges duplicate
layers. A layer class the program itself defines is the same class in both programs when
its definition reads the same (`same_class`).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from seq2func.types import VerifyMode
from seq2func.verify.facts import all_layers, count, dims, dtype_name, facts, kind_of, summary_rows
from seq2func.verify.runs import describe
from seq2func.verify.standins import built, keras_module
from seq2func.verify.verdict import Comparison, ModelFacts, ModelVerdict, Sides, TensorSpec

RTOL, ATOL = 1e-5, 1e-6
BATCH = 2
UNKNOWN_DIM = 8  # stands for None in an input shape

# the classes each program defines, by module (its namespace's __name__), then qualified name:
# their definitions as text (see `same_class`)
DEFINITIONS: dict[str, dict[str, str]] = {}


class VerifyFailure(Exception):
    """Something could not be built or run; the verdict is 'could not verify'."""

    def __init__(self, message: str, where: str | None = None, hints: tuple[Any, ...] = ()) -> None:
        super().__init__(message)
        self.message, self.where, self.hints = message, where, hints


def same_class(a: type, b: type) -> bool:
    """One class, or a class each program defines alike: the same qualified name and the same
    definition (what a conversion never touches: a layer class of the user's own)."""
    if a is b:
        return True
    if a.__qualname__ != b.__qualname__:
        return False
    left = DEFINITIONS.get(a.__module__, {}).get(a.__qualname__)
    return left is not None and left == DEFINITIONS.get(b.__module__, {}).get(b.__qualname__)


def ensure_built(original: Any, converted: Any, notes: list[str], name: str) -> None:
    """A converted model that Keras left unbuilt (a model of another model's layers, whose
    first layer's input_shape= moved to that model's Input) is built with the original's
    input, and the note says so. Never the other way: a shape the conversion chose is what
    is being proven (the caller calls an unbuilt original unproven)."""
    if built(converted) or not built(original):
        return
    if len(original.inputs) != 1:
        raise VerifyFailure(
            f"{name}: the converted model is not built and the original one has several inputs"
        )
    shape = tuple(dims(original.inputs[0].shape))
    converted.build(shape)
    notes.append(
        f"{name}: the converted model was not built by Keras; built it with the original's input shape {shape}"
    )


def unproven(name: str, converted: Any) -> ModelVerdict:
    """The original program never builds the model nor feeds it data: the input shape the
    conversion gave it cannot be checked against anything."""
    fc = facts(converted)
    reason = (
        f"the original program never builds {name} nor feeds it data, so the input "
        f"{_tensors(fc.inputs)} the conversion gives it is unproven; build it in the original "
        "(model.build(...), or call fit or predict on data) to prove it"
    )
    return ModelVerdict(
        name=name,
        mode="equivalence",
        verdict="unproven",
        original=ModelFacts(0, 0, 0, [], [], []),
        converted=fc,
        comparisons=[],
        reasons=[reason],
        notes=[],
        rows=Sides([], summary_rows(converted)),
    )


def sample_inputs(model: Any) -> list[Any]:
    import keras
    import numpy as np

    rng = np.random.RandomState(0)
    batch = []
    for tensor in model.inputs:
        rows = BATCH if tensor.shape[0] is None else int(tensor.shape[0])  # a stateful RNN's is fixed
        shape = [rows] + [UNKNOWN_DIM if d is None else int(d) for d in tensor.shape[1:]]
        dtype = dtype_name(tensor.dtype)
        vocab = _embedding_vocab(model, tensor, keras)
        if vocab is not None or "int" in dtype:
            high = vocab or 10
            batch.append(rng.randint(0, high, size=shape).astype("int32" if "int" in dtype else "float32"))
        else:
            batch.append(rng.standard_normal(shape).astype(dtype if "float" in dtype else "float32"))
    return batch


def _embedding_vocab(model: Any, tensor: Any, keras: Any) -> int | None:
    """Embedding layers anywhere in the model want integer ids below their vocabulary size."""
    sizes = [layer.input_dim for layer in all_layers(model) if isinstance(layer, keras.layers.Embedding)]
    return min(sizes) if sizes else None


def copy_weights(original: Any, converted: Any) -> str:
    """Give the converted model the original's weights: by order if shapes agree, else by layer name."""
    src = original.get_weights()
    dst_shapes = [w.shape for w in converted.get_weights()]
    if [w.shape for w in src] == dst_shapes:
        converted.set_weights(src)
        return "by order"
    by_name = {layer.name: layer for layer in all_layers(original)}
    copied = 0
    for layer in all_layers(converted):
        twin = by_name.get(layer.name)
        if twin is not None and [w.shape for w in twin.get_weights()] == [
            w.shape for w in layer.get_weights()
        ]:
            layer.set_weights(twin.get_weights())
            copied += 1
    return f"by layer name ({copied} layers)"


def run(model: Any, batch: list[Any]) -> list[Any]:
    import numpy as np

    out = model(batch if len(batch) > 1 else batch[0], training=False)
    outs = out if isinstance(out, list | tuple) else [out]
    return [np.asarray(o) for o in outs]


def explain(original: Any, converted: Any, fo: ModelFacts, fc: ModelFacts) -> list[str]:
    """Reasons in words for the differences found."""
    reasons = []
    po, pc = fo.params, fc.params
    if po != pc:
        ratio = f", {pc / po:.2f}x the original's {po:,}" if po else f" against the original's {po:,}"
        reasons.append(f"converted has {pc:,} parameters{ratio}.")
        reasons += _duplication(original, converted)
    if po == pc:
        reasons += [
            f"{d} (original / converted)." for d in configuration_differences(original, converted)[:5]
        ]
    if fo.outputs != fc.outputs and [o.shape for o in fo.outputs] == [o.shape for o in fc.outputs]:
        reasons.append(
            f"the outputs are {_tensors(fo.outputs)} in the original, {_tensors(fc.outputs)} converted."
        )
    original_name = _explicit_model_name(original)
    if original_name is not None and original_name != converted.name:
        reasons.append(f"the model is named {original_name!r} in the original, {converted.name!r} converted.")
    return reasons


def _signature(layer: Any) -> tuple[str, tuple[tuple[int, ...], ...]]:
    return type(layer).__name__, tuple(tuple(w.shape) for w in layer.weights)


def _duplication(original: Any, converted: Any) -> list[str]:
    """Find a block shared by n inputs in the original that exists n times in the converted model."""
    import keras

    conv_counts: dict[Any, int] = {}
    for layer in all_layers(converted):
        conv_counts[_signature(layer)] = conv_counts.get(_signature(layer), 0) + 1
    reasons = []
    candidates = _sublayers(original)
    for block in candidates:
        calls = len(getattr(block, "_inbound_nodes", []))
        layers = all_layers(block) if isinstance(block, keras.Model) else [block]
        if calls < 2 or not layers:
            continue
        if all(conv_counts.get(_signature(layer), 0) >= calls for layer in layers if layer.weights):
            names = f"{layers[0].name}…{layers[-1].name}" if len(layers) > 1 else layers[0].name
            reasons.append(
                f"{names} ({len(layers)} layers) exist {calls} times in the converted model but once, "
                f"shared by {calls} inputs, in the original."
            )
    return reasons


def _sublayers(model: Any) -> list[Any]:
    return list(getattr(model, "layers", []))


def _tensors(specs: list[TensorSpec]) -> str:
    """`6 x (None, 16, 16, 3) float32` instead of six dictionaries."""
    words = [f"({', '.join('None' if d is None else str(d) for d in s.shape)}) {s.dtype}" for s in specs]
    if words and all(w == words[0] for w in words):
        return words[0] if len(words) == 1 else f"{len(words)} x {words[0]}"
    return ", ".join(words)


def _batch_opened(original: list[TensorSpec], converted: list[TensorSpec]) -> list[TensorSpec]:
    """`original` with its batch size left open where `converted` leaves it open."""
    if len(original) != len(converted):
        return original
    return [
        TensorSpec([None, *o.shape[1:]], o.dtype) if o.shape and c.shape and c.shape[0] is None else o
        for o, c in zip(original, converted, strict=True)
    ]


class Comparisons(list[Comparison]):
    # why the original itself could not run on a batch here (graph mode, say): its outputs
    # prove nothing either way, so the model is unproven rather than different
    unrunnable: str | None = None

    def add(self, label: str, ok: bool, detail: str = "") -> None:
        self.append(Comparison(label, bool(ok), detail))

    def shapes(self, fo: ModelFacts, fc: ModelFacts, called: frozenset[str] = frozenset()) -> None:
        """Inputs alike; a dtype Keras gave the original's input counts as the dtype of the
        tensors the original program called it on (`called`), when it did."""
        fed = [TensorSpec(t.shape, next(iter(called))) for t in fo.inputs] if len(called) == 1 else None
        # a Sequential first built by calling it on a batch keeps that batch size; the Input a
        # conversion writes leaves it open (as Keras's fit does): the same network
        opened = _batch_opened(fo.inputs, fc.inputs)
        inputs = [opened, *([_batch_opened(fed, fc.inputs)] if fed is not None else [])]
        same = fo.inputs == fc.inputs or fed == fc.inputs or fc.inputs in inputs
        detail = f"{_tensors(fo.inputs)} / {_tensors(fc.inputs)}"
        if fo.inputs != fc.inputs and same:
            notes = []
            if fed is not None and fed != fo.inputs and fc.inputs in (fed, _batch_opened(fed, fc.inputs)):
                notes.append(f"the original program calls it on {next(iter(called))} tensors")
            if fc.inputs in inputs and opened != fo.inputs:
                notes.append("a call on a batch first built the original and fixed its batch size")
            detail += f" ({'; '.join(notes)})"
        self.add("inputs", same, detail)
        outputs = fo.outputs == fc.outputs or _batch_opened(fo.outputs, fc.outputs) == fc.outputs
        self.add("outputs", outputs, f"{_tensors(fo.outputs)} / {_tensors(fc.outputs)}")

    @property
    def all_ok(self) -> bool:
        return all(c.ok for c in self)

    def outputs(self, original: Any, converted: Any, how: str) -> None:
        import numpy as np

        try:
            batch = sample_inputs(converted)
        except Exception as error:
            self.add("outputs agree", False, f"could not make a batch for the converted model: {error}")
            return
        try:
            out_o = run(original, batch)
        except Exception as error:
            self.unrunnable = f"{type(error).__name__}: {' '.join(str(error).split())[:300]}"
            return
        try:
            out_c = run(converted, batch)
            same_shapes = [o.shape for o in out_o] == [c.shape for c in out_c]
            largest = max(
                (
                    float(np.max(np.abs(o - c)))
                    for o, c in zip(out_o, out_c, strict=False)
                    if o.shape == c.shape
                ),
                default=0.0,
            )
            close = same_shapes and all(
                np.allclose(o, c, rtol=RTOL, atol=ATOL) for o, c in zip(out_o, out_c, strict=True)
            )
            self.add(
                "outputs agree",
                close,
                f"{how}; largest difference {largest:.3g} (rtol {RTOL:g}, atol {ATOL:g}, batch of {BATCH})",
            )
        except Exception as error:  # weights or call did not fit: a difference, said in words
            self.add(
                "outputs agree", False, f"could not run both on one batch: {type(error).__name__}: {error}"
            )


def _nested_models(model: Any) -> list[str]:
    import keras

    return [layer.name for layer in model.layers if isinstance(layer, keras.Model)]


def compare(name: str, original: Any, converted: Any, called: frozenset[str] = frozenset()) -> ModelVerdict:
    notes: list[str] = []
    ensure_built(original, converted, notes, name)
    fo, fc = facts(original), facts(converted)
    comparisons = Comparisons()
    comparisons.add(
        "parameters",
        (fo.params, fo.trainable, fo.non_trainable) == (fc.params, fc.trainable, fc.non_trainable),
        f"{fo.params:,} / {fc.params:,} (trainable {fo.trainable:,} / {fc.trainable:,})",
    )
    comparisons.add(
        "weights",
        fo.weight_shapes == fc.weight_shapes,
        f"{len(fo.weight_shapes)} / {len(fc.weight_shapes)} weight tensors",
    )
    comparisons.shapes(fo, fc, called)
    layer_differences = configuration_differences(original, converted)
    comparisons.add(
        "layers",
        not layer_differences,
        f"{len(all_layers(original))} / {len(all_layers(converted))} layers, same classes and configurations"
        if not layer_differences
        else "; ".join(layer_differences[:3])
        + (f" (+{len(layer_differences) - 3} more)" if len(layer_differences) > 3 else ""),
    )
    renamed = renamed_layers(original, converted)
    if renamed:
        notes.append(
            f"{name}: layers named differently (original / converted): {', '.join(renamed[:4])}"
            + (f" and {len(renamed) - 4} more" if len(renamed) > 4 else "")
        )
    original_name = _explicit_model_name(original)
    comparisons.add(
        "name",
        original_name is None or original_name == converted.name,
        f"{original.name!r} / {converted.name!r}" + ("" if original_name else " (Keras named the original)"),
    )
    try:
        how = f"weights copied {copy_weights(original, converted)}"
    except Exception as error:
        how = f"weights not copied ({type(error).__name__})"
    comparisons.outputs(original, converted, how)
    nested_o, nested_c = _nested_models(original), _nested_models(converted)
    if nested_o and not nested_c:
        notes.append(
            f"{name}: the original nests {', '.join(nested_o)}; the converted model lists "
            f"{len(all_layers(converted))} layers directly, each once"
        )
    reasons = [] if comparisons.all_ok else explain(original, converted, fo, fc)
    return _model_verdict(name, "equivalence", original, converted, comparisons, reasons, notes)


def compare_applied(
    name: str, original: Any, converted: Any, called: frozenset[str] = frozenset()
) -> ModelVerdict:
    """The shared style: the converted code is a function that applies the layers. Both it and
    the original are applied twice, to two fresh Inputs of the shape the original was built
    with, and the two models made so are compared: a layer made anew on each call counts its
    weights twice."""
    import keras

    if not callable(converted):
        raise VerifyFailure(f"{name}: the converted code binds a {type(converted).__name__}, not a function")
    spec = original.inputs[0]

    def applied_twice(apply: Any) -> Any:
        first = keras.Input(tuple(spec.shape[1:]), dtype=spec.dtype)
        second = keras.Input(tuple(spec.shape[1:]), dtype=spec.dtype)
        return keras.Model([first, second], [apply(first), apply(second)])

    verdict = compare(name, applied_twice(original), applied_twice(converted), called)
    note = f"{name}: both applied twice, to two Inputs of shape {tuple(dims(spec.shape))}: shared layers count once"
    return replace(verdict, notes=[note, *verdict.notes])


def _generated_name(name: str, cls: type) -> bool:
    """Whether Keras made this name up (`dense_3`), rather than the user passing name=."""
    try:
        to_snake_case = keras_module("keras.src.utils.naming", "keras.src.utils.generic_utils").to_snake_case
    except (ImportError, AttributeError):  # a Keras that names them otherwise
        return False
    base = re.sub(r"_\d+$", "", name)
    return base in {to_snake_case(cls.__name__), "functional", "sequential", "model"}


def _explicit_model_name(model: Any) -> str | None:
    return None if _generated_name(model.name, type(model)) else model.name


def _config(layer: Any) -> dict[str, Any]:
    try:
        config = dict(layer.get_config())
    except (NotImplementedError, TypeError):  # a layer of the user's that cannot say its configuration
        config = {k: describe(v) for k, v in vars(layer).items() if not k.startswith("_")}
    config.pop("name", None)
    for key in ("batch_input_shape", "batch_shape"):  # the model's input, compared as its inputs
        config.pop(key, None)
    function = getattr(layer, "function", None)
    if callable(function) and "function" in config:  # a Lambda: its serialized code holds line numbers
        config["function"] = function_fingerprint(function)
    normalized: dict[str, Any] = json.loads(json.dumps(config, sort_keys=True, default=str))
    return normalized


def function_fingerprint(function: Any) -> Any:
    """What a Lambda's function computes, apart from where it was written: its code, the
    constants and names it uses, and the values of its closure and the globals it reads."""
    code = getattr(function, "__code__", None)
    if code is None:
        return f"{type(function).__module__}.{getattr(function, '__qualname__', type(function).__name__)}"

    def of(code: Any) -> Any:
        consts = [of(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
        return [code.co_code.hex(), consts, list(code.co_names), list(code.co_varnames), code.co_argcount]

    cells = [describe(cell.cell_contents) for cell in function.__closure__ or ()]
    scope = getattr(function, "__globals__", {})
    read = {name: describe(scope[name]) for name in code.co_names if name in scope}
    return [of(code), cells, read, repr(function.__defaults__)]


def _pairs(original: Any, converted: Any) -> tuple[list[tuple[Any, Any]], list[str]]:
    """Layers matched in order when both list as many, else by name; and what has no twin."""
    left, right = all_layers(original), all_layers(converted)
    if len(left) == len(right):
        return list(zip(left, right, strict=True)), []
    by_name = {layer.name: layer for layer in right}
    pairs = [(layer, by_name[layer.name]) for layer in left if layer.name in by_name]
    matched = {id(b) for _, b in pairs}
    missing = [
        f"{layer.name} has no twin in the converted model" for layer in left if layer.name not in by_name
    ]
    extra = [f"{layer.name} is not in the original" for layer in right if id(layer) not in matched]
    return pairs, missing + extra


def renamed_layers(original: Any, converted: Any) -> list[str]:
    """Paired layers whose user-given names differ (a note: weights load by order still)."""
    pairs, _ = _pairs(original, converted)
    return [
        f"{a.name} / {b.name}"
        for a, b in pairs
        if a.name != b.name and not (_generated_name(a.name, type(a)) and _generated_name(b.name, type(b)))
    ]


def configuration_differences(original: Any, converted: Any) -> list[str]:
    """Differences of class and configuration (dropout rates, regularizers, dtypes...)
    between paired layers, in words; names are left out."""
    pairs, unmatched = _pairs(original, converted)
    found = list(unmatched)
    for a, b in pairs:
        if not same_class(type(a), type(b)):
            alike = type(a).__qualname__ == type(b).__qualname__
            found.append(
                f"{a.name}: {type(a).__name__} / {type(b).__name__}"
                + (" (defined differently)" if alike else "")
            )
            continue
        ca, cb = _config(a), _config(b)
        if "function" in ca and ca.get("function") != cb.get("function"):
            found.append(
                f"{a.name}: its function computes something else (code, closure or the globals it reads)"
            )
            ca.pop("function"), cb.pop("function", None)
        for key in sorted(set(ca) | set(cb)):
            if ca.get(key) != cb.get(key):
                found.append(f"{a.name}: {key} {_short(ca.get(key))} / {_short(cb.get(key))}")
    return found


def _short(value: Any) -> str:
    if isinstance(value, dict) and "class_name" in value:
        inner = value.get("config", {})
        return f"{value['class_name']}({inner.get('name', '')})" if "name" in inner else value["class_name"]
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _model_verdict(
    name: str,
    mode: VerifyMode,
    original: Any,
    converted: Any,
    comparisons: Comparisons,
    reasons: list[str],
    notes: list[str],
) -> ModelVerdict:
    if comparisons.unrunnable is not None and comparisons.all_ok:
        reasons = [
            *reasons,
            f"the original {name} could not be run on a batch here ({comparisons.unrunnable}), so "
            "their outputs are not compared; the rest agrees",
        ]
    return ModelVerdict(
        name=name,
        mode=mode,
        verdict=(
            "different"
            if not comparisons.all_ok
            else "unproven"
            if comparisons.unrunnable is not None
            else "equivalent"
        ),
        original=facts(original),
        converted=facts(converted),
        comparisons=list(comparisons),
        reasons=reasons,
        notes=notes,
        rows=Sides(summary_rows(original), summary_rows(converted)),
    )


def compare_shared(name: str, before: Any, after: Any) -> ModelVerdict:
    """A fix that shares layers: `after` must be `before` with its duplicate copies merged.

    Both get one set of weights per kind of layer, so every copy in `before` holds
    the weights of its shared twin in `after`; then the outputs must agree.
    """
    notes: list[str] = []
    fb, fa = facts(before), facts(after)
    kinds_b: dict[Any, list[Any]] = {}
    kinds_a: dict[Any, list[Any]] = {}
    for layer in all_layers(before):
        kinds_b.setdefault(kind_of(layer), []).append(layer)
    for layer in all_layers(after):
        kinds_a.setdefault(kind_of(layer), []).append(layer)
    comparisons = Comparisons()
    weighted = {k for k in {*kinds_b, *kinds_a} if k[2]}
    unmatched = sorted({k[0] for k in weighted if (k in kinds_b) != (k in kinds_a)})
    comparisons.add(
        "layers",
        not unmatched,
        "every layer with weights has its twin" if not unmatched else f"no twin for {', '.join(unmatched)}",
    )
    removed = sum(
        count(kinds_b[k][0].weights) * (len(kinds_b[k]) - len(kinds_a.get(k, [])))
        for k in weighted
        if k in kinds_b
    )
    copies = max(
        (len(kinds_b[k]) // max(len(kinds_a.get(k, [])), 1) for k in weighted if k in kinds_b), default=1
    )
    merged = sum(len(kinds_b[k]) - len(kinds_a.get(k, [])) for k in weighted if k in kinds_b)
    comparisons.add(
        "parameters",
        fa.params < fb.params and fb.params - removed == fa.params,
        f"{fb.params:,} -> {fa.params:,}: {merged} duplicate layers with weights merged "
        f"({copies} copies became one shared set)",
    )
    comparisons.shapes(fb, fa)
    for kind, layers_a in kinds_a.items():
        weights = layers_a[0].get_weights()
        for layer in [*layers_a, *kinds_b.get(kind, [])]:
            layer.set_weights(weights)
    comparisons.outputs(before, after, "every copy given the weights of its shared layer")
    failed = [c.what for c in comparisons if not c.ok]
    reasons = [f"the fix changed more than the sharing of weights ({', '.join(failed)})"] if failed else []
    return _model_verdict(name, "sharing", before, after, comparisons, reasons, notes)
