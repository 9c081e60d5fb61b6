"""The Model style: a Sequential becomes a functional `Model(inputs, outputs)`.

`m = Sequential([...])` plus its adds becomes `inputs = Input(...)`, one
`x = layer(x)` per layer in place of the constructor and of each add, and
`m = Model(inputs=inputs, outputs=x)` after the last add. Control flow around
the adds stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from seq2func.analysis.find import Analysis, Construction, dotted_name
from seq2func.analysis.names import free_name
from seq2func.analysis.nodes import applied, before
from seq2func.analysis.refs import Ref, add_parts
from seq2func.convert.comments import delete_line, element_comments, lost_in_call, lost_in_statement
from seq2func.convert.facts import ConstructionFacts, PlanContext, holder, top_level
from seq2func.convert.inputs import input_spec
from seq2func.edits.first_input import InputSpec
from seq2func.edits.parts import Edit, Part, Plan, SkipConstruction, Statement, Verbatim


@dataclass
class _Chain:
    """The functional chain being written: the names, and the tensor the next layer applies to."""

    inputs: str
    x: str
    current: str
    input_statement: list[Part]  # `inputs = Input(...)`, until a statement takes it

    def step(
        self, analysis: Analysis, layer: cst.BaseExpression | str, trailing: str | None = None
    ) -> Statement:
        statement = Statement(f"{self.x} = {applied(analysis, layer, self.current)}", trailing)
        self.current = self.x
        return statement

    def take_input(self) -> list[Part]:
        taken, self.input_statement = self.input_statement, []
        return taken


def plan_model(ctx: PlanContext, facts: ConstructionFacts) -> Plan:
    """`m = Sequential([...])` plus adds becomes `inputs = Input(...)`, one `x = layer(x)` per
    layer in place of the constructor and each add, and `m = Model(inputs, x)` after the last."""
    analysis, c = ctx.analysis, facts.construction
    spec, first_layer = input_spec(analysis, facts, ctx.references, ctx.options)
    adds = list(facts.adds)
    input_add = adds.pop(0) if spec.from_add else None
    list_layers = facts.elements[first_layer:]
    listed = isinstance(facts.iterated, cst.Name) and facts.layers_arg is None  # a list built before it
    if not list_layers and not adds and not facts.comprehensions and not listed:
        raise SkipConstruction(c.call, "no-layers", "the model has no layers to convert")
    if ctx.references.unreachable is not None:  # a new `Input`/`Model` the file cannot import
        raise SkipConstruction(c.call, "import-unreachable", ctx.references.unreachable)
    last_stmt = c.block[facts.last_index]
    span = (analysis.range(c.line).start.line, analysis.range(last_stmt).end.line)
    chain = _chain(ctx, c, span, spec)
    model_code = _model_code(ctx, c, chain, facts.model_kwargs)
    edits: list[Edit] = []
    if input_add is not None:  # the Input statement takes the place of its add()
        line, arg = add_parts(input_add)
        edits.append(delete_line(line, [*lost_in_statement(line, arg), *chain.take_input()]))
    ctor_parts, seed = _constructor(analysis, facts, spec, first_layer, chain, adds)
    edits += seed
    if not adds:
        ctor_parts.append(Statement(model_code))
    if ctor_parts or list_layers or c.target is None:
        edits.append(Edit("replace", c.statement, ctor_parts))
    else:
        edits.append(delete_line(c.line))
    for n, add in enumerate(adds):
        line, arg = add_parts(add)
        stripped = spec.first_layer if n == 0 and not list_layers and first_layer == 0 else None
        parts = [*lost_in_statement(line, arg), *(chain.take_input() if n == 0 else [])]
        parts.append(chain.step(analysis, stripped or arg))
        edits.append(Edit("replace", line.body[0], parts))
    if adds:
        edits.append(Edit("after", last_stmt, [Statement(model_code)], indent_from=c.line))
    if facts.build is not None and facts.build.line is not None:
        edits.append(delete_line(facts.build.line))
    edits += facts.layer_indexes
    edits += _peeks(analysis, facts, chain, list_layers, adds)
    ctx.claim(c.scope, span, {chain.inputs, chain.x})
    removed: list[cst.Call] = [c.call] + ([spec.replaced] if spec.replaced is not None else [])
    layers = len(list_layers) + len(adds)
    note = (
        f"{len(facts.layer_indexes)} model.layers[...] index(es) moved by one: the Model lists its InputLayer first"
        if facts.layer_indexes
        else None
    )
    return Plan(
        c,
        edits,
        layers,
        spec.source,
        (chain.inputs, chain.x),
        span,
        note=note,
        removed=removed,
        comprehension=bool(facts.comprehensions) or listed,
    )


def _constructor(
    analysis: Analysis,
    facts: ConstructionFacts,
    spec: InputSpec,
    first_layer: int,
    chain: _Chain,
    adds: list[Ref],
) -> tuple[list[Part], list[Edit]]:
    """What replaces the constructor: its lost comments, the Input, a step per listed layer;
    and where the first add() is conditional, the `x = inputs` that seeds the chain."""
    c = facts.construction
    if facts.iterated is not None:
        return _apply_the_list(analysis, facts, spec, first_layer, chain), []
    list_layers = facts.elements[first_layer:]
    parts: list[Part] = list(lost_in_call(c.call, list_layers))
    # an empty constructor whose first add() is its next statement: the Input takes the
    # constructor's place (no blank line the adds kept is left before it)
    next_add = bool(adds) and c.index + 1 < len(c.block) and c.block[c.index + 1] is adds[0].line
    if list_layers or not adds or first_layer > 0 or next_add:
        parts += chain.take_input()
    comments = element_comments(facts.layers_arg)
    for i, element in enumerate(list_layers):
        leading, trailing = comments[first_layer + i] if comments else ([], None)
        parts += [Verbatim(text) for text in leading]
        stripped = spec.first_layer if i == 0 and first_layer == 0 else None
        parts.append(chain.step(analysis, stripped or element.value, trailing))
    if comments and len(comments) > len(facts.elements):
        parts += [Verbatim(text) for text in comments[-1][0]]
    if not (
        chain.current == chain.inputs
        and adds
        and adds[0].line is not None
        and not top_level(analysis, c, adds[0])
    ):
        return parts, []
    seed = [*chain.take_input(), Statement(f"{chain.x} = {chain.inputs}")]
    chain.current = chain.x
    if parts or list_layers:
        return parts + seed, []
    return parts, [Edit("before", holder(analysis, c, adds[0]), seed, indent_from=c.line)]


def _peeks(
    analysis: Analysis,
    facts: ConstructionFacts,
    chain: _Chain,
    list_layers: list[cst.Element],
    adds: list[Ref],
) -> list[Edit]:
    """`model.output_shape` read between the adds is the shape of the tensor so far."""
    edits = []
    for peek in facts.peeks:
        layered = (
            list_layers
            or facts.iterated is not None
            or any(before(a.range.start, peek.range.start) for a in adds)
        )
        read = analysis.parent(peek.node)
        assert read is not None
        edits.append(Edit("replace", read, [Verbatim(f"{chain.x if layered else chain.inputs}.shape")]))
    return edits


def _apply_the_list(
    analysis: Analysis, facts: ConstructionFacts, spec: InputSpec, first_layer: int, chain: _Chain
) -> list[Part]:
    """`Sequential(conv_layers)` or `Sequential([Dense(n) for n in sizes])`: the layer objects
    the iterable gives, applied in order by a loop (the list or comprehension stays as it is,
    so nothing is created twice). Lists joined to a comprehension by `+` are unrolled."""
    c, iterated = facts.construction, facts.iterated
    assert iterated is not None
    if first_layer and isinstance(iterated, cst.Name):
        raise SkipConstruction(
            c.call, "dynamic-layers", f"{iterated.value} starts with an Input, not a layer"
        )
    segments = facts.segments
    # `Sequential(  # hidden layers` and comments between the parts
    kept = [
        e
        for s in segments
        for e in (s.elements if isinstance(s, cst.List) else [cst.Element(s)])
        if isinstance(e, cst.Element)
    ]
    parts: list[Part] = [*lost_in_call(c.call, kept), *chain.take_input()]
    layer = free_name(analysis, c.scope, ("layer",), {chain.inputs, chain.x})
    skip = first_layer  # an Input first in the first list: it became the model's input
    for segment in segments:
        if isinstance(segment, cst.List):
            for element in segment.elements[skip:]:
                stripped = spec.first_layer if chain.current == chain.inputs and first_layer == 0 else None
                parts.append(chain.step(analysis, stripped or element.value))
            skip = 0
            continue
        iterable = analysis.code(segment)
        if isinstance(segment, cst.GeneratorExp) and not segment.lpar:
            iterable = f"({iterable})"  # `Sequential(Dense(n) for n in sizes)` shares the call's parentheses
        if chain.current != chain.x:
            parts.append(Statement(f"{chain.x} = {chain.current}"))
            chain.current = chain.x
        parts.append(Statement(f"for {layer} in {iterable}:\n    {chain.x} = {layer}({chain.x})"))
    return parts


def _chain(ctx: PlanContext, c: Construction, span: tuple[int, int], spec: InputSpec) -> _Chain:
    base = "model" if c.target is None else (dotted_name(c.target) or "model").rsplit(".", 1)[-1]
    taken = ctx.taken(c.scope, span)
    # one scheme a file: with models of two names anywhere in it, each one's tensors are named
    # for it (encoder_inputs, decoder_x); otherwise inputs and x, or both named for the model
    # when either is taken
    own = c.target is not None and ctx.models_anywhere() > 1
    if not own and c.target is not None:
        plain = spec.tensor is not None or ctx.free(c.scope, ("inputs",), taken) == "inputs"
        own = not plain or ctx.free(c.scope, ("x",), taken | {spec.tensor or "inputs"}) != "x"
    inputs = spec.tensor or ctx.free(
        c.scope, (f"{base}_inputs",) if own else ("inputs", f"{base}_inputs"), taken
    )
    x = ctx.free(c.scope, (f"{base}_x",) if own else ("x", f"{base}_x"), taken | {inputs})
    input_statement: list[Part] = [] if spec.expr is None else [Statement(f"{inputs} = {spec.expr}")]
    return _Chain(inputs, x, inputs, input_statement)


def _model_code(ctx: PlanContext, c: Construction, chain: _Chain, kwargs: list[str]) -> str:
    args = ", ".join([f"inputs={chain.inputs}", f"outputs={chain.x}", *kwargs])
    call = f"{ctx.references.model}({args})"
    return f"return {call}" if c.target is None else f"{ctx.analysis.code(c.target)} = {call}"
