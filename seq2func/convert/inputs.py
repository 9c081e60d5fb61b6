"""Where a model's input comes from.

The functional model needs an `Input(...)`. In order: an Input element or
`add(Input(...))`, the first layer's `input_shape=` / `input_dim=` /
`batch_input_shape=` / Embedding `input_length=`, a model it starts with that
was made with `input_shape=`, a later `build()`, the literal Input tensors the
model is applied to, and last `--input-shape`. None of these: a Skip that says so.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import libcst as cst
from libcst.metadata import ClassScope, Scope
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import (
    EMBEDDING,
    INPUT,
    INPUT_LAYER,
    KERAS2_FAMILIES,
    MODEL,
    SEQUENTIAL,
    Analysis,
    Construction,
    assignments_of,
    binding_uses,
    caller_variables,
    enclosing_function,
    find_constructions,
    keyword_args,
)
from seq2func.analysis.names import only_call
from seq2func.analysis.nodes import before, drop_args, find_all, is_literal, is_none, names_in
from seq2func.analysis.refs import Ref
from seq2func.convert.facts import ConstructionFacts, always_first, gather, top_level
from seq2func.core.keras_api import FEED_METHODS_ANY_VERSION
from seq2func.edits.first_input import InputSpec, batch_shape_arg, first_layer_input
from seq2func.edits.parts import References, SkipConstruction
from seq2func.shapes import dims_value, observed_shape_of, summarized_input
from seq2func.shapes.files import beside, noting
from seq2func.shapes.models import input_dims, model_output, through
from seq2func.types import Options, SampleShape

_INPUT_LAYER_RENAMES = {"input_shape": "shape", "batch_input_shape": "batch_shape"}
_INPUT_ARGS = (
    "shape",
    "batch_size",
    "dtype",
    "sparse",
    "batch_shape",
    "ragged",
)  # not name=: it must stay unique


def input_element(
    analysis: Analysis, element: cst.BaseExpression, scope: Scope, refs: References
) -> InputSpec | None:
    if isinstance(element, cst.Call) and analysis.resolves_to(element.func, INPUT):
        return InputSpec(analysis.code(element), "the Input(...) element")
    if isinstance(element, cst.Call) and analysis.resolves_to(element.func, INPUT_LAYER):
        args = []
        for position, arg in enumerate(element.args):
            if arg.star or (arg.keyword is None and position > 0):
                raise SkipConstruction(
                    element,
                    "unsupported-argument",
                    "InputLayer(...) takes a shape and keyword arguments only here",
                )
            # the first positional argument is the shape in Keras 2 (input_shape) and 3 (shape)
            key = (
                "shape"
                if arg.keyword is None
                else _INPUT_LAYER_RENAMES.get(arg.keyword.value, arg.keyword.value)
            )
            if key == "input_tensor":
                raise SkipConstruction(
                    element,
                    "unsupported-argument",
                    "InputLayer(input_tensor=...) has no Input(...) equivalent here",
                )
            args.append(f"{key}={analysis.code(arg.value)}")
        return InputSpec(f"{refs.input}({', '.join(args)})", "the InputLayer(...) element", replaced=element)
    if isinstance(element, cst.Name) and element.value in scope.assignments:
        assignments = list(assignments_of(scope, element.value))
        if len(assignments) == 1:
            node = assignments[0].node
            assign = analysis.parent(analysis.parent(node) or node)
            if (
                isinstance(assign, cst.Assign)
                and isinstance(assign.value, cst.Call)
                and analysis.resolves_to(assign.value.func, INPUT)
            ):
                return InputSpec(None, f"the Input tensor {element.value}", tensor=element.value)
    return None


def input_spec(
    analysis: Analysis, facts: ConstructionFacts, references: References, options: Options
) -> tuple[InputSpec, int]:
    """`_input_spec`, the data files beside the program at hand while shapes are read."""
    with beside(options.data_files):
        return _input_spec(analysis, facts, references, options)


def _input_spec(
    analysis: Analysis, facts: ConstructionFacts, references: References, options: Options
) -> tuple[InputSpec, int]:
    """The model's input, and the index of the first list element that is a layer.
    Tried in order: what the model's own code declares, a later build(), the Input tensors
    it is applied to, the data it is fed, the shape a run showed (--infer-shapes), then
    --input-shape."""
    c = facts.construction
    wrappers = WRAPPERS | options.model_wrappers
    declared, first = _declared_input(analysis, facts, references, wrappers)
    if declared is not None:
        return declared
    build = facts.build
    if build is not None and build.arg is not None and not is_none(build.arg):
        _require_stable(analysis, c, build.arg, build)
        return InputSpec(
            f"{references.input}({batch_shape_arg(analysis, build.arg)})", "the later build() call"
        ), 0
    applied = (
        _applied_input(analysis, facts, references, wrappers)
        or _fed_input(analysis, facts, references, wrappers)
        or _summarized(analysis, facts, references, first)
    )
    if applied is not None:
        return applied, 0
    varies = _block_of_a_subclassed_layer(analysis, c)
    if varies is not None:
        raise SkipConstruction(
            c.call,
            "input-shape-varies",
            f"the model is a block of {varies}, applied in call() to tensors whose shape Keras learns "
            "only then, and may differ from call to call; a functional Model would fix that shape (and "
            "rename its weights in checkpoints), so it is left as it is",
        )
    inferred = dict(options.inferred_shapes).get(analysis.location(c.call).line)
    if inferred is not None:
        return InputSpec(
            f"{references.input}(shape={_shape_code(inferred)})", "the data a run gave it (--infer-shapes)"
        ), 0
    named = dict(options.input_shapes).get(c.model_name)
    if named is not None:
        source = f"{options.input_shapes_from} {c.model_name}"
        return InputSpec(f"{references.input}(shape={_shape_code(named)})", source), 0
    if options.input_shape is not None:
        others = _also_unknown(analysis, c, references, options)
        if others:
            listed = ", ".join(others[:3]) + (" and more" if len(others) > 3 else "")
            raise SkipConstruction(
                c.call,
                "input-shape-ambiguous",
                f"{options.input_shape_from} gives one shape, and {listed} in this file "
                f"{'has' if len(others) == 1 else 'have'} no input shape either: it is given to none "
                f"of them; give each model its own (--input-shape {c.model_name}=28,28,1, or "
                f"input-shape = {{ {c.model_name} = [28, 28, 1] }} under [tool.seq2func])",
            )
        given = _shape_code(options.input_shape)
        return InputSpec(f"{references.input}(shape={given})", options.input_shape_from), 0
    where = (
        "the first layer is added conditionally"
        if facts.adds and first is None
        else f"no Input, input_shape=, input_dim= or build() gives it, and {_unsized_uses(analysis, facts, wrappers)}"
    )
    sequence = isinstance(first, cst.Call) and analysis.resolves_to(first.func, EMBEDDING)
    raise SkipConstruction(
        c.call,
        "input-shape-unknown",
        f"the input shape is unknown ({where})",
        ("sequence-length" if sequence else "input-shape", "infer-shapes"),
    )


def _also_unknown(analysis: Analysis, c: Construction, references: References, options: Options) -> list[str]:
    """The other models of the module whose input shape nothing but a bare `--input-shape`
    would give (one shape for several models is a guess: it is given to none of them)."""
    alone = replace(options, input_shape=None)
    names = dict(options.input_shapes)
    found = []
    for other in find_constructions(analysis)[0]:
        if other is c or other.model_name in names:
            continue
        try:
            input_spec(analysis, gather(analysis, other), references, alone)
        except SkipConstruction as skip:
            if skip.code == "input-shape-unknown":
                found.append(other.model_name)
    return found


def _summarized(
    analysis: Analysis, facts: ConstructionFacts, references: References, first: cst.BaseExpression | None
) -> InputSpec | None:
    """The input a notebook's saved `model.summary()` table shows (its first Dense row)."""
    c = facts.construction
    if not analysis.observed or not isinstance(c.target, cst.Name) or first is None:
        return None
    found = summarized_input(analysis, c.target, first, analysis.range(c.call).start)
    if found is None or None in found[0][1:]:
        return None
    shape, seen = found
    return InputSpec(
        f"{references.input}(shape={_shape_code(shape[1:])})",
        f"the model.summary() table saved in the output of cell[{seen.cell}] "
        f"(its first Dense layer has {seen.params:,} parameters)",
    )


def _unsized_uses(analysis: Analysis, facts: ConstructionFacts, wrappers: frozenset[str]) -> str:
    """Why the uses of a model tell no input shape, in words: what it is given."""
    given: list[str] = []
    for node in _applications(analysis, facts, wrappers):
        fed = _fed_data(analysis, node)
        if fed is not None:
            given.append(f"the {analysis.code(fed[0])} passed to {fed[1]}")
    if given:
        shown = " or the saved outputs" if analysis.observed else ""
        return f"{given[0]}{' (and more)' if len(given) > 1 else ''} has a shape seq2func cannot read from the code{shown}"
    for node in _applications(analysis, facts, wrappers):
        holder = analysis.parent(node)
        if isinstance(holder, cst.Element):  # a layer of another Sequential's list, after others
            holder = analysis.parent(analysis.parent(holder) or holder)
        call = analysis.parent(holder) if isinstance(holder, cst.Arg) else None
        if (isinstance(call, cst.Call) and analysis.resolves_to(call.func, SEQUENTIAL)) or (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "add"
        ):
            return (
                "it is a layer of another model, after layers whose output shape seq2func does not work out"
            )
        if isinstance(call, cst.Call):
            return f"it is passed to {analysis.code(call.func)}(), where seq2func does not follow what it is given"
    func = _returning_function(analysis, facts)
    if func is not None:
        return f"it is returned by {func.name.value}(), and no caller in this file gives it data or an Input"
    return "nothing in this file gives it data or an Input"


def _block_of_a_subclassed_layer(analysis: Analysis, c: Construction) -> str | None:
    """`self.ffn = Sequential([...])` in a class whose `call()` applies `self.ffn(...)`: the
    class's name, else None."""
    target = c.target
    if not (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value == "self"
    ):
        return None
    klass: cst.CSTNode | None = c.statement
    while klass is not None and not isinstance(klass, cst.ClassDef):
        klass = analysis.parent(klass)
    if not isinstance(klass, cst.ClassDef):
        return None
    attribute = target.attr.value
    for method in klass.body.body:
        if isinstance(method, cst.FunctionDef) and method.name.value in ("call", "__call__"):
            calls = find_all(method, functools.partial(_is_self_call, attribute=attribute))
            if calls:
                return f"the subclassed layer {klass.name.value}"
    return None


def _is_self_call(node: cst.CSTNode, attribute: str) -> bool:
    """`self.<attribute>(...)`."""
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return False
    owner = node.func.value
    return isinstance(owner, cst.Name) and owner.value == "self" and node.func.attr.value == attribute


def _shape_code(shape: tuple[int | None, ...]) -> str:
    dims = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({dims}{',' if len(shape) == 1 else ''})"


def _declared_input(
    analysis: Analysis,
    facts: ConstructionFacts,
    references: References,
    wrappers: frozenset[str],
    depth: int = 0,
) -> tuple[tuple[InputSpec, int] | None, cst.BaseExpression | None]:
    """An Input element or add(Input), else the first layer's input arguments (or the model it
    is); with the first layer, which the caller names when nothing gives the shape."""
    c, elements, adds = facts.construction, facts.elements, facts.adds
    first: cst.BaseExpression | None = None
    if facts.comprehension is not None:  # its layers carry no input arguments (facts checked)
        return None, facts.comprehension.elt
    if elements:
        spec = input_element(analysis, elements[0].value, c.scope, references)
        if spec is not None:
            return (spec, 1), None
        first = elements[0].value
    elif adds and adds[0].arg is not None and always_first(analysis, c, adds[0]):
        arg = adds[0].arg
        spec = input_element(analysis, arg, c.scope, references)
        if spec is not None and not top_level(analysis, c, adds[0]):
            return None, arg  # an Input added in a loop: not a form worth a rewrite
        if spec is not None:  # Keras 3's own pattern: model.add(keras.Input(shape=...))
            what = analysis.code(arg) if not isinstance(arg, cst.Call) else f"{analysis.code(arg.func)}(...)"
            return (replace(spec, source=f"the add({what}) call", from_add=True), 0), arg
        first = arg
    if first is None:
        return None, None
    keras2 = any(name.startswith(KERAS2_FAMILIES) for name in analysis.qualified_names(c.call.func))
    spec = first_layer_input(analysis, first, references, keras2) or _preceding_model_input(
        analysis, c, first, references, wrappers, depth
    )
    return ((spec, 0) if spec is not None else None), first


def _applied_input(
    analysis: Analysis, facts: ConstructionFacts, references: References, wrappers: frozenset[str]
) -> InputSpec | None:
    """The model is applied to `Input(...)` tensors (`z = encoder(inputs)`), to the output of
    another model of the file whose shape flows through its layers (`decoder(z)`), or is a
    layer of another Sequential after its Input: Keras builds it with that shape, so the new
    Input takes it too. All must agree and be literal."""
    found: dict[str, str] = {}  # Input(...) arguments -> where they come from
    lines: dict[str, int] = {}  # Input(...) arguments of the Inputs it is applied to -> a line
    for node in _applications(analysis, facts, wrappers):
        element = _element_input(analysis, node, wrappers)
        if element is not None:
            found.setdefault(f"shape={_shape_code(element[0])}", element[1])
            continue
        call = analysis.parent(node)
        if not (
            isinstance(call, cst.Call) and call.func is node and call.args and call.args[0].keyword is None
        ):
            continue
        tensor = call.args[0].value
        if isinstance(tensor, cst.Call):  # `decoder(encoder(inputs))`
            flowed = _model_output_of(analysis, tensor, "it is applied to")
            if flowed is None:
                return None  # applied to other data too (`m(np.zeros(...))`): the data it is fed tells
            found.setdefault(f"shape={_shape_code(flowed[0])}", flowed[1])
            continue
        if not isinstance(tensor, cst.Name):
            continue
        created = _input_call(analysis, tensor)
        if created is None:
            flowed = _model_output_tensor(analysis, tensor)
            if flowed is None:
                return None  # applied to something else too: its shape may differ
            found.setdefault(f"shape={_shape_code(flowed[0])}", flowed[1])
            continue
        code = _input_args(analysis, created, facts.construction.statement)
        if code is None:
            return None
        found.setdefault(code, f"the Input {tensor.value} it is applied to")
        lines.setdefault(code, analysis.range(call).start.line)
    if len(lines) > 1:  # Inputs of different shapes: one functional Model cannot take them all
        sites = ", ".join(f"{code.removeprefix('shape=')} at line {line}" for code, line in lines.items())
        raise SkipConstruction(
            facts.construction.call,
            "input-shape-varies",
            f"it is applied to Inputs of different shapes ({sites}), and a functional Model takes "
            "one; the shared style applies its layers to each tensor, as the Sequential does",
            ("shared-style",),
            lines=tuple(lines.values()),
        )
    if len(found) != 1:
        return None
    [(input_args, source)] = found.items()
    return InputSpec(f"{references.input}({input_args})", source)


def _model_output_tensor(
    analysis: Analysis, tensor: cst.Name, depth: int = 0
) -> tuple[SampleShape, str] | None:
    """`z = encoder(inputs)`, with encoder a Sequential of this file: the shape z has, when it
    flows from a literal Input through layers whose output shape is plain arithmetic."""
    made = only_call(analysis, tensor)
    return (
        None
        if made is None
        else _model_output_of(analysis, made, f"it is applied to ({tensor.value})", depth)
    )


def _model_output_of(
    analysis: Analysis, made: cst.Call, how: str, depth: int = 0
) -> tuple[SampleShape, str] | None:
    """`encoder(inputs)` / `encoder(z)` / `encoder(embed(inputs))`: the shape of what it gives."""
    if depth > 8 or not isinstance(made.func, cst.Name) or len(made.args) != 1:
        return None
    fed = made.args[0].value
    if made.args[0].keyword is not None:
        return None
    shape: SampleShape | None = None
    if isinstance(fed, cst.Call):
        earlier = _model_output_of(analysis, fed, how, depth + 1)
        shape = earlier[0] if earlier is not None else None
    elif isinstance(fed, cst.Name):
        created = _input_call(analysis, fed)
        shape = input_dims(analysis, created) if created is not None else None
        if shape is None:
            earlier = _model_output_tensor(analysis, fed, depth + 1)
            shape = earlier[0] if earlier is not None else None
    out = model_output(analysis, made.func, shape) if shape is not None else None
    if out is None or None in out:
        return None
    return out, f"the output of {made.func.value} {how}"


def _element_input(
    analysis: Analysis, node: cst.CSTNode, wrappers: frozenset[str]
) -> tuple[SampleShape, str] | None:
    """The model is a layer of another Sequential, after that one's Input (or a first layer
    with a literal input_shape=): it gets what the layers before it give out."""
    element = analysis.parent(node)
    listed = analysis.parent(element) if isinstance(element, cst.Element) else None
    arg = analysis.parent(listed) if isinstance(listed, cst.List | cst.Tuple) else None
    outer = analysis.parent(arg) if isinstance(arg, cst.Arg) else None
    if not (isinstance(outer, cst.Call) and analysis.resolves_to(outer.func, SEQUENTIAL)):
        return None
    assert isinstance(listed, cst.List | cst.Tuple)
    values = [e.value for e in listed.elements]
    index = next(i for i, e in enumerate(listed.elements) if e is element)
    first = values[0]
    start: SampleShape | None = None
    fed: tuple[SampleShape, str] | None = None
    if isinstance(first, cst.Call):
        start = input_dims(analysis, first)
        if start is None:
            given = keyword_args(first).get("input_shape")
            start = _literal_shape(given.value) if given is not None else None
            values = [drop_args(first, {"input_shape"}), *values[1:]] if start is not None else values
        else:
            values = values[1:]
            index -= 1
    if start is None:  # the outer model's input is the data it is fed
        made = next((k for k in find_constructions(analysis)[0] if k.call is outer), None)
        fed = _fed_shape(analysis, gather(analysis, made), wrappers) if made is not None else None
        start = fed[0] if fed is not None else None
    shape = through(analysis, values[:index], start)
    if shape is None or None in shape or index < 0:
        return None
    if index == 0 and fed is not None:
        return shape, f"the input of {analysis.code(outer.func)}([...]), {fed[1]}"
    return shape, f"what the layers before it in {analysis.code(outer.func)}([...]) give it" + (
        f" ({fed[1]})" if fed is not None else ""
    )


def _input_args(analysis: Analysis, created: cst.Call, near: cst.CSTNode) -> str | None:
    """The arguments of `Input(...)` written where `near` stands: each as written when it
    reads only constants there, else a shape the code determines written out
    (`Config.IMG_SIZE` -> 96)."""
    written = []
    for arg in created.args:
        if arg.keyword is not None and arg.keyword.value not in _INPUT_ARGS:
            continue
        if arg.star:
            return None
        value = arg.value
        if is_literal(value) or _constants(analysis, near, value):
            code = analysis.code(value)
        elif (arg.keyword is None and arg is created.args[0]) or (
            arg.keyword and arg.keyword.value == "shape"
        ):
            dims = dims_value(analysis, value)
            if dims is None or None in dims:
                return None
            code = _shape_code(dims)
        else:
            return None
        written.append(code if arg.keyword is None else f"{arg.keyword.value}={code}")
    return ", ".join(written)


def _constants(analysis: Analysis, near: cst.CSTNode, expr: cst.BaseExpression, depth: int = 0) -> bool:
    """`expr` reads only module-level constants: names bound once, to a literal or to
    arithmetic of literals and such names (`IMG_SHAPE = (IMG_SIZE, IMG_SIZE) + (3,)`), before
    `near` when `near` runs at module level. So it is the same wherever the code reads it."""
    if depth > 8 or not _constant_expression(expr):
        return False
    scope = analysis.scope(near)
    module = scope.globals if scope is not None else None
    at_module = scope is module
    for name in names_in(expr):
        if _shadowed(scope, module, name):
            return False  # read there, the name is a local of a function, not the constant
        bound = assignments_of(module, name) if module is not None else []
        if len(bound) != 1 or len(list(module[name])) != 1:  # type: ignore[index]
            return False
        target = bound[0].node
        holder = analysis.parent(target) if isinstance(target, cst.Name) else None
        assign = analysis.parent(holder) if isinstance(holder, cst.AssignTarget) else None
        if not isinstance(assign, cst.Assign) or not (
            is_literal(assign.value) or _constants(analysis, assign, assign.value, depth + 1)
        ):
            return False
        if at_module and not before(analysis.range(assign).end, analysis.range(near).start):
            return False  # bound after the model is made: not yet there
    return True


def _shadowed(scope: Scope | None, module: Scope | None, name: str) -> bool:
    """Whether a scope between `scope` and the module binds `name` itself."""
    while scope is not None and scope is not module:
        if name in scope.assignments and not isinstance(scope, ClassScope):
            return True
        parent = scope.parent
        scope = None if parent is scope else parent
    return False


def _constant_expression(expr: cst.BaseExpression) -> bool:
    """Literals, names, and + - * // of them, in tuples and lists."""
    if is_literal(expr) or isinstance(expr, cst.Name):
        return True
    if isinstance(expr, cst.Tuple | cst.List):
        return all(isinstance(e, cst.Element) and _constant_expression(e.value) for e in expr.elements)
    if isinstance(expr, cst.BinaryOperation) and isinstance(
        expr.operator, cst.Add | cst.Subtract | cst.Multiply | cst.FloorDivide
    ):
        return _constant_expression(expr.left) and _constant_expression(expr.right)
    return False


def _literal_shape(expr: cst.BaseExpression) -> SampleShape | None:
    if isinstance(expr, cst.Tuple | cst.List) and all(
        isinstance(e.value, cst.Integer) for e in expr.elements
    ):
        return tuple(int(e.value.value, 0) for e in expr.elements if isinstance(e.value, cst.Integer))
    return None


def _fed_input(
    analysis: Analysis, facts: ConstructionFacts, references: References, wrappers: frozenset[str]
) -> InputSpec | None:
    """The model is fit (evaluated, applied...) on arrays whose shape the code shows
    (`x_train = np.random.rand(100, 20)`; `model.fit(x_train, ...)`): Keras builds it with
    that shape. Every such use must be understood and agree."""
    fed = _fed_shape(analysis, facts, wrappers)
    if fed is None:
        return None
    return InputSpec(f"{references.input}(shape={_shape_code(fed[0])})", fed[1])


def _fed_shape(
    analysis: Analysis, facts: ConstructionFacts, wrappers: frozenset[str]
) -> tuple[SampleShape, str] | None:
    """The one sample shape of all the data the model is fed, and where it comes from."""
    found: dict[tuple[int | None, ...], str] = {}
    for node in _applications(analysis, facts, wrappers):
        fed = _fed_data(analysis, node)
        if fed is None:
            continue
        data, how = fed
        with noting() as files:
            shape, observed = observed_shape_of(analysis, data, analysis.range(data).start)
        if shape is None or len(shape) < 2 or any(d is None for d in shape[1:]):
            return None  # fed something seq2func cannot size: the model may be built with it
        seen = "".join(f", its shape as the saved output of cell[{o.cell}] shows" for o in observed[:1])
        seen += "".join(f", its shape as the start of {name} beside the program shows" for name in files[:1])
        found.setdefault(shape[1:], f"the {analysis.code(data)} passed to {how}{seen}")
    if len(found) != 1:
        return None
    [(dims, source)] = found.items()
    return dims, source


def _fed_data(analysis: Analysis, node: cst.CSTNode) -> tuple[cst.BaseExpression, str] | None:
    """`m.fit(x, ...)` / `m.predict(x=x)` / `m(x)`: the data and how it is given."""
    parent = analysis.parent(node)
    if (
        isinstance(parent, cst.Call)
        and parent.func is node
        and parent.args
        and parent.args[0].keyword is None
    ):
        return parent.args[0].value, "the model call"
    if (
        isinstance(parent, cst.Attribute)
        and parent.value is node
        and (
            parent.attr.value in FEED_METHODS_ANY_VERSION
            or (parent.attr.value == "search" and _searched(analysis, node))
        )
    ):
        call = analysis.parent(parent)
        if isinstance(call, cst.Call) and call.func is parent:
            positional = [a.value for a in call.args if a.keyword is None and not a.star]
            keyword = keyword_args(call).get("x")
            data = positional[0] if positional else keyword.value if keyword is not None else None
            if data is not None:
                return data, f"{parent.attr.value}()"
    return None


# Functions that take a model and return one with the same input, which is then fed: TF
# Model Optimization's prune, quantize and cluster APIs, Keras's clone_model (a project adds
# its own: `model-wrappers` in [tool.seq2func], `Options.model_wrappers`)
WRAPPERS = frozenset(
    {
        "tensorflow_model_optimization.sparsity.keras.prune_low_magnitude",
        "tensorflow_model_optimization.quantization.keras.quantize_model",
        "tensorflow_model_optimization.quantization.keras.quantize_apply",
        "tensorflow_model_optimization.quantization.keras.quantize_annotate_model",
        "tensorflow_model_optimization.clustering.keras.cluster_weights",
        "tensorflow_model_optimization.sparsity.keras.strip_pruning",
        "tensorflow_model_optimization.clustering.keras.strip_clustering",
        *(f"{family}.models.clone_model" for family in ("keras", "tensorflow.keras", "tf_keras")),
    }
)


def _applications(
    analysis: Analysis, facts: ConstructionFacts, wrappers: frozenset[str]
) -> list[cst.CSTNode]:
    """The nodes that denote the model where it may be applied: its references, when a
    function returns it the variables its callers keep it in (`m = build(); m(inputs)`), and
    the variables that keep what a wrapper makes of it (`pruned = prune_low_magnitude(m)`)."""
    nodes = [ref.node for ref in facts.refs]
    func = _returning_function(analysis, facts)
    for access, var in caller_variables(analysis, func) if func is not None else []:
        if var is not None:
            nodes += binding_uses(analysis, var)
        call = analysis.parent(access)
        if var is None and isinstance(call, cst.Call) and call.func is access:
            applied = analysis.parent(call)
            if isinstance(applied, cst.Call) and applied.func is call:
                nodes.append(call)  # downsample(64, 3)(image): the block made and applied at once
        tuner = _tuner_of(analysis, access)
        if tuner is not None:  # tuner = kt.Hyperband(build_model, ...): tuner.search(x) fits it on x
            uses = binding_uses(analysis, tuner)
            nodes += uses
            for use in uses:  # and what it builds again: best = tuner.get_best_models()[0]
                made = _tuner_model(analysis, use)
                if made is not None:
                    kept = _kept_in(analysis, made)
                    nodes += [made] if kept is None else binding_uses(analysis, kept)
    wrapped = list(nodes)
    while wrapped:  # a wrapper of a wrapper: quantize_apply(quantize_annotate_model(m))
        var = _wrapped_in(analysis, wrapped.pop(), wrappers)
        if var is not None:
            uses = binding_uses(analysis, var)
            nodes += uses
            wrapped += uses
    return nodes


def _wrapped_in(analysis: Analysis, node: cst.CSTNode, wrappers: frozenset[str]) -> cst.Name | None:
    """The name `node` (the model) is kept in by a wrapper: `pruned = prune_low_magnitude(m, ...)`."""
    arg = analysis.parent(node)
    call = analysis.parent(arg) if isinstance(arg, cst.Arg) else None
    if not (isinstance(call, cst.Call) and isinstance(arg, cst.Arg) and call.args and call.args[0] is arg):
        return None
    if arg.keyword is not None or not analysis.qualified_names(call.func) & wrappers:
        return None
    return _kept_in(analysis, call)


def _kept_in(analysis: Analysis, call: cst.BaseExpression) -> cst.Name | None:
    """The plain name `call`'s result is assigned to (`name = call(...)`), if it is one."""
    holder = analysis.parent(call)
    if isinstance(holder, cst.Assign) and len(holder.targets) == 1:
        target = holder.targets[0].target
        return target if isinstance(target, cst.Name) else None
    return None


_TUNERS = frozenset({"RandomSearch", "Hyperband", "BayesianOptimization", "GridSearch"})


def _tuner_of(analysis: Analysis, access: cst.CSTNode) -> cst.Name | None:
    """`tuner` of `tuner = keras_tuner.Hyperband(build_model, ...)` (or `hypermodel=build_model`):
    a KerasTuner tuner that builds its models with the function `access` names."""
    arg = analysis.parent(access)
    call = analysis.parent(arg) if isinstance(arg, cst.Arg) else None
    if not isinstance(call, cst.Call) or not isinstance(arg, cst.Arg) or not _is_tuner_class(analysis, call):
        return None
    positional = [a for a in call.args if a.keyword is None]
    if not (arg.keyword is None and positional[:1] == [arg]) and not (
        arg.keyword is not None and arg.keyword.value == "hypermodel"
    ):
        return None
    return _kept_in(analysis, call)


def _tuner_model(analysis: Analysis, tuner: cst.CSTNode) -> cst.BaseExpression | None:
    """A model a tuner builds again with its function: `tuner.get_best_models(...)[k]` or
    `tuner.hypermodel.build(hps)`."""
    attribute = analysis.parent(tuner)
    if not isinstance(attribute, cst.Attribute) or attribute.value is not tuner:
        return None
    call = analysis.parent(attribute)
    if attribute.attr.value == "get_best_models":
        item = analysis.parent(call) if isinstance(call, cst.Call) and call.func is attribute else None
        if isinstance(item, cst.Subscript) and item.value is call and len(item.slice) == 1:
            index = item.slice[0].slice
            if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer):
                return item
        return None
    if (
        attribute.attr.value == "hypermodel"
        and isinstance(call, cst.Attribute)
        and call.attr.value == "build"
    ):
        built = analysis.parent(call)
        return built if isinstance(built, cst.Call) and built.func is call else None
    return None


def _is_tuner_class(analysis: Analysis, call: cst.Call) -> bool:
    return any(
        name.split(".")[0] in ("keras_tuner", "kerastuner") and name.rpartition(".")[2] in _TUNERS
        for name in analysis.qualified_names(call.func)
    )


def _searched(analysis: Analysis, node: cst.CSTNode) -> bool:
    """`tuner.search(x, ...)`, `tuner` a KerasTuner tuner: it fits the models it builds on x."""
    made = only_call(analysis, node) if isinstance(node, cst.Name) else None
    return made is not None and _is_tuner_class(analysis, made)


def _returning_function(analysis: Analysis, facts: ConstructionFacts) -> cst.FunctionDef | None:
    """The function that returns the model, if one does (`return keras.Sequential([...])`)."""
    c = facts.construction
    returned = c.target is None or any(
        isinstance(analysis.parent(ref.node), cst.Return) and not ref.nested_scope for ref in facts.refs
    )
    return enclosing_function(analysis, c.statement) if returned else None


def _input_call(analysis: Analysis, name: cst.Name) -> cst.Call | None:
    """The `Input(...)` call that is the only binding of `name`, if it is one."""
    call = only_call(analysis, name)
    return call if call is not None and analysis.resolves_to(call.func, INPUT) else None


def _preceding_model_input(
    analysis: Analysis,
    c: Construction,
    first: cst.BaseExpression,
    references: References,
    wrappers: frozenset[str],
    depth: int = 0,
) -> InputSpec | None:
    """The first layer is a model whose input the code shows: made with `input_shape=`
    (transfer learning: `base = keras.applications.MobileNetV2(input_shape=IMG_SHAPE, ...)`),
    another Sequential of this file (`keras.Sequential([model, layers.Softmax()])`, a GAN's
    `[generator, discriminator]`), or a functional Model of a literal Input. The Input takes it."""
    if not isinstance(first, cst.Name) or depth > 8:
        return None
    made = only_call(analysis, first)
    if made is None or not analysis.is_keras(made.func):
        return None
    inner = _model_input(analysis, made, references, depth, wrappers)
    if inner is not None:
        return InputSpec(inner, f"the input of {first.value}")
    shape = keyword_args(made).get("input_shape")
    if shape is None or _changed_name(
        analysis, c, shape.value, analysis.range(made).start, analysis.range(c.line).start
    ):
        return None
    return InputSpec(
        f"{references.input}(shape={analysis.code(shape.value)})", f"the input_shape= of {first.value}"
    )


def _model_input(
    analysis: Analysis, made: cst.Call, references: References, depth: int, wrappers: frozenset[str]
) -> str | None:
    """`Input(...)` code for the input of the model `made` creates, when it is a literal shape:
    a Sequential of this file, declared or from the data it is fed (converted in the same run,
    so one run is a fixed point), or
    `Model(inputs=x, ...)` with `x = Input(<literals>)`."""
    if analysis.resolves_to(made.func, SEQUENTIAL):
        inner = next((k for k in find_constructions(analysis)[0] if k.call is made), None)
        if inner is None:
            return None
        try:
            inner_facts = gather(analysis, inner)
            declared, _ = _declared_input(analysis, inner_facts, references, wrappers, depth + 1)
            if declared is None:  # the data it is fed gives it, as it does in its own conversion
                fed = _fed_input(analysis, inner_facts, references, wrappers)
                declared = (fed, 0) if fed is not None else None
        except SkipConstruction:
            return None
        if declared is None or declared[0].expr is None:
            return None
        call = cst.parse_expression(declared[0].expr)
        fixed = isinstance(call, cst.Call) and all(
            is_literal(a.value) or _constants(analysis, made, a.value) for a in call.args
        )
        return declared[0].expr if fixed else None
    if analysis.resolves_to(made.func, MODEL):
        given = keyword_args(made).get("inputs")
        tensor = given.value if given is not None else made.args[0].value if made.args else None
        created = _input_call(analysis, tensor) if isinstance(tensor, cst.Name) else None
        if created is None or not all(is_literal(a.value) and not a.star for a in created.args):
            return None
        args = ", ".join(
            analysis.code(a.value) if a.keyword is None else f"{a.keyword.value}={analysis.code(a.value)}"
            for a in created.args
            if a.keyword is None or a.keyword.value in _INPUT_ARGS
        )
        return f"{references.input}({args})"
    return None


def _require_stable(analysis: Analysis, c: Construction, expr: cst.BaseExpression, build: Ref) -> None:
    """The build() shape moves up to the constructor; its names must not change in between."""
    name = _changed_name(analysis, c, expr, analysis.range(c.line).start, build.range.start)
    if name is not None:
        raise SkipConstruction(
            build.node,
            "input-shape-unknown",
            f"the build() shape uses {name}, which is assigned after the model is created",
        )


def _changed_name(
    analysis: Analysis, c: Construction, expr: cst.BaseExpression, start: CodePosition, end: CodePosition
) -> str | None:
    """A name in `expr` that is assigned between `start` and `end`, if there is one."""
    if is_literal(expr):
        return None
    for name in names_in(expr):
        for a in assignments_of(c.scope, name):
            if isinstance(a.node, cst.CSTNode):
                pos = analysis.range(a.node).start
                if before(start, pos) and before(pos, end):
                    return name
    return None
