"""Plan the shared-layers style: no sub-model, each layer bound once and reapplied.

`seq = Sequential([...])` becomes one binding per layer and a function `seq(x)`
that applies them in order, so every `seq(input_k)` keeps working and reuses
the same layer objects. Adds under control flow fill a list instead, applied
by a loop, so the layers are still created once and in the same order.

When the model object itself is needed (`.summary()`, `.fit`, passed along),
`NotShareable` says why, and the planner falls back to the Model style.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import GlobalScope

from seq2func.analysis.find import (
    EMBEDDING,
    SEQUENTIAL,
    Analysis,
    Construction,
    assignments_of,
    binding_uses,
    enclosing_function,
    find_constructions,
    keyword_args,
)
from seq2func.analysis.names import layer_name
from seq2func.analysis.nodes import applied, comments_in, drop_args
from seq2func.analysis.refs import Ref, add_parts
from seq2func.convert.comments import (
    ElementComments,
    delete_line,
    element_comments,
    lost_in_call,
    lost_in_statement,
)
from seq2func.convert.facts import ConstructionFacts, PlanContext, gather, top_level
from seq2func.convert.inputs import input_element
from seq2func.convert.model_style import plan_model
from seq2func.edits.parts import Edit, Part, Plan, SkipConstruction, Statement, Verbatim

PARAM = "x"
LOOP_VARIABLE = "layer"
_FACTORY_PREFIXES = ("build_", "create_", "make_", "get_", "define_", "new_")
_EVERYWHERE = (0, 1 << 30)  # shared bindings live as long as their scope


class NotShareable(Exception):
    """The shared style does not apply; the Model style is used instead."""

    def __init__(self, message: str, lines: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.lines = lines  # the lines the message names


def plan_shared(
    ctx: PlanContext, c: Construction, facts_of: Callable[[Construction], ConstructionFacts]
) -> Plan:
    analysis = ctx.analysis
    if c.target is not None and not isinstance(c.target, cst.Name):
        raise NotShareable(f"the model is stored in {analysis.code(c.target)}, whose uses cannot be followed")
    facts = facts_of(c)
    if isinstance(facts.iterated, cst.Name):
        raise NotShareable(f"the layers are the objects of the list {facts.iterated.value}")
    if facts.iterated is not None:
        raise NotShareable("the layers are made by a comprehension")
    if facts.peeks:
        raise NotShareable("its output_shape is read between its adds")
    if any(kw.startswith("trainable=") for kw in facts.model_kwargs):
        raise NotShareable("Sequential(trainable=...) sets a flag on the model object")
    uses = [r for r in facts.refs if r not in facts.adds and r is not facts.build]
    listed = [r for r in uses if _layer_of_a_converted_model(ctx, r.node)]  # applied there: calls
    if not _count_calls(analysis, c, [r for r in uses if r not in listed]) + len(listed):
        raise NotShareable("the model is never applied to a tensor, so no call would share its layers")
    layers = _Layers.of(ctx, facts)
    taken = ctx.taken(c.scope) | {PARAM, LOOP_VARIABLE}
    func = _function_name(ctx, c, taken)
    binder = _Binder(ctx, c, taken | {func}, layers)
    ctor_parts: list[Part] = list(lost_in_call(c.call, [facts.elements[i] for i in layers.listed]))
    if all(analysis.in_block(c.block, add.line) for add in layers.adds):
        body, names = binder.bind_each(facts, ctor_parts)
    else:
        body, names = binder.fill_list(facts, ctor_parts, func)
    definition = Statement("\n".join([f"def {func}({PARAM}):", *body, f"    return {PARAM}"]))
    edits = [*layers.edits, *binder.edits, *_place(c, facts, ctor_parts, definition, func)]
    if facts.build is not None and facts.build.line is not None:
        edits.append(delete_line(facts.build.line))
    span = (analysis.range(c.line).start.line, analysis.range(c.block[facts.last_index]).end.line)
    ctx.claim(c.scope, _EVERYWHERE, {*names, func})
    count = len(layers.listed) + len(layers.adds)
    source = "the tensors it is applied to"
    return Plan(
        c, edits, count, source, names, span, style="shared", removed=[*layers.removed, *binder.removed]
    )


@dataclass
class _Layers:
    """The layers to share: listed elements (by index) and adds. An Input element or
    `add(Input(...))` is dropped: the tensors the function is applied to give the input.
    The first layer loses the input arguments that a shared layer does not need."""

    listed: list[int]
    adds: list[Ref]
    edits: list[Edit]
    removed: list[cst.Call]
    comments: list[ElementComments]
    first: cst.BaseExpression | None
    stripped: str | None

    @classmethod
    def of(cls, ctx: PlanContext, facts: ConstructionFacts) -> _Layers:
        analysis, c, elements = ctx.analysis, facts.construction, facts.elements
        skip = 1 if elements and _is_input(ctx, c, elements[0].value) else 0
        adds = list(facts.adds)
        edits: list[Edit] = []
        removed: list[cst.Call] = [
            c.call,
            *(e.value for e in elements[:skip] if isinstance(e.value, cst.Call)),
        ]
        if (
            not elements
            and adds
            and top_level(analysis, c, adds[0])
            and _is_input(ctx, c, add_parts(adds[0])[1])
        ):
            dropped = adds.pop(0)
            line, arg = add_parts(dropped)
            removed += [arg] if isinstance(arg, cst.Call) else []
            edits.append(delete_line(line, list(lost_in_statement(line, arg))))
        listed = list(range(skip, len(elements)))
        if not listed and not adds:
            raise SkipConstruction(c.call, "no-layers", "the model has no layers to convert")
        first = (
            elements[listed[0]].value
            if listed
            else (adds[0].arg if top_level(analysis, c, adds[0]) else None)
        )
        stripped = _strip_input_args(analysis, first) if first is not None else None
        return cls(listed, adds, edits, removed, element_comments(facts.layers_arg), first, stripped)

    def code_of(self, analysis: Analysis, layer: cst.BaseExpression) -> str:
        return self.stripped if layer is self.first and self.stripped is not None else analysis.code(layer)

    def comments_of(self, index: int) -> ElementComments:
        return self.comments[index] if self.comments else ([], None)


@dataclass
class _Binder:
    """Writes the statements that create the layers, and the body of the function."""

    ctx: PlanContext
    c: Construction
    taken: set[str]
    layers: _Layers
    edits: list[Edit] = field(default_factory=list)
    removed: list[cst.Call] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)

    def bind(self, layer: cst.BaseExpression, trailing: str | None = None) -> list[Part]:
        """`name = layer` for a new layer; a nested Sequential's layers one by one; a name as it is."""
        analysis, layers = self.ctx.analysis, self.layers
        inner = (
            _inline_sequential(analysis, layer) if not (layer is layers.first and layers.stripped) else None
        )
        if inner is not None and isinstance(layer, cst.Call):  # a nested Sequential: shared one by one too
            self.removed.append(layer)
            return [
                part
                for i, element in enumerate(inner)
                for part in self.bind(element, trailing if i == 0 else None)
            ]
        if isinstance(layer, cst.Name):
            self.applied.append(layer.value)  # already a layer object: reapply it as it is
            return []
        name = self.ctx.free(self.c.scope, (layer_name(layer),), self.taken, first_suffix=1)
        self.taken.add(name)
        self.applied.append(name)
        return [Statement(f"{name} = {layers.code_of(analysis, layer)}", trailing)]

    def bind_each(
        self, facts: ConstructionFacts, ctor_parts: list[Part]
    ) -> tuple[list[str], tuple[str, ...]]:
        """Every add() in the construction's block: a binding per layer, applied in order."""
        for i in self.layers.listed:
            leading, trailing = self.layers.comments_of(i)
            ctor_parts += [Verbatim(text) for text in leading]
            ctor_parts += self.bind(facts.elements[i].value, trailing)
        for add in self.layers.adds:
            line, arg = add_parts(add)
            parts: list[Part] = [*lost_in_statement(line, arg), *self.bind(arg)]
            self.edits.append(Edit("replace", line.body[0], parts) if parts else Edit("delete", line))
        body = [f"    {PARAM} = {applied(self.ctx.analysis, name, PARAM)}" for name in self.applied]
        return body, tuple(self.applied)

    def fill_list(
        self, facts: ConstructionFacts, ctor_parts: list[Part], func: str
    ) -> tuple[list[str], tuple[str, ...]]:
        """Adds under control flow: the layers fill a list, which a loop applies."""
        analysis, layers = self.ctx.analysis, self.layers
        holder = self.ctx.free(self.c.scope, (f"{func}_layers",), self.taken)
        self.taken.add(holder)
        codes = [layers.code_of(analysis, facts.elements[i].value) for i in layers.listed]
        comments = [layers.comments[i] for i in layers.listed] if layers.comments else []
        ctor_parts.append(Statement(f"{holder} = {_list_code(codes, comments)}"))
        for add in layers.adds:
            line, arg = add_parts(add)
            parts: list[Part] = [
                *lost_in_statement(line, arg),
                Statement(f"{holder}.append({layers.code_of(analysis, arg)})"),
            ]
            self.edits.append(Edit("replace", line.body[0], parts))
        body = [f"    for {LOOP_VARIABLE} in {holder}:", f"        {PARAM} = {LOOP_VARIABLE}({PARAM})"]
        return body, (holder,)


def _place(
    c: Construction, facts: ConstructionFacts, ctor_parts: list[Part], definition: Statement, func: str
) -> list[Edit]:
    """The bindings replace the constructor; the function follows the last add(), or is
    returned in place of a `return Sequential(...)`."""
    if c.target is None:
        parts = [*ctor_parts, Verbatim(""), definition, Verbatim(""), Statement(f"return {func}")]
        return [Edit("replace", c.statement, parts)]
    blank = 2 if isinstance(c.scope, GlobalScope) else 1
    ctor = Edit("replace", c.statement, ctor_parts) if ctor_parts else delete_line(c.line)
    after = Edit(
        "after",
        c.block[facts.last_index],
        [definition],
        indent_from=c.line,
        blank_before=blank,
        blank_after=blank,
    )
    return [ctor, after]


def _is_input(ctx: PlanContext, c: Construction, element: cst.BaseExpression) -> bool:
    """An Input(...)/InputLayer(...) or an Input tensor: not a layer to apply."""
    return input_element(ctx.analysis, element, c.scope, ctx.references) is not None


def _function_name(ctx: PlanContext, c: Construction, taken: set[str]) -> str:
    if isinstance(c.target, cst.Name):
        return c.target.value  # callers keep calling it by this name
    enclosing = enclosing_function(ctx.analysis, c.statement)
    base = enclosing.name.value if enclosing is not None else "network"
    for prefix in _FACTORY_PREFIXES:
        if base.startswith(prefix) and len(base) > len(prefix):
            base = base[len(prefix) :]
            break
    return ctx.free(c.scope, (base, "apply_layers"), taken)


def _layer_of_a_converted_model(ctx: PlanContext, node: cst.CSTNode) -> bool:
    """`full = Sequential([encoder, head])`, `head` past the first: converted, `full` applies
    it as `x = head(x)` (so one run is a fixed point), provided `full` does convert."""
    analysis = ctx.analysis
    element = analysis.parent(node)
    listed = analysis.parent(element) if isinstance(element, cst.Element) else None
    arg = analysis.parent(listed) if isinstance(listed, cst.List | cst.Tuple) else None
    call = analysis.parent(arg) if isinstance(arg, cst.Arg) else None
    if (
        not (isinstance(call, cst.Call) and isinstance(listed, cst.List | cst.Tuple))
        or listed.elements[0] is element
    ):
        return False
    outer = next((k for k in find_constructions(analysis)[0] if k.call is call), None)
    if outer is None:
        return False
    aside = PlanContext(analysis, ctx.options, ctx.references)  # planned aside: no names claimed
    try:
        plan_model(aside, gather(analysis, outer))
    except SkipConstruction:
        return False
    return True


def _count_calls(analysis: Analysis, c: Construction, uses: list[Ref]) -> int:
    """How often the model is applied to a tensor; any other use makes sharing impossible."""
    calls = 0
    for use in uses:
        if use.kind == "assign":
            continue  # a later, unrelated binding of the same name
        if isinstance(analysis.parent(use.node), cst.Return) and not use.nested_scope:
            calls += _factory_calls(analysis, c)
        else:
            calls += _one_tensor_call(analysis, use.node, c.model_name)
    if c.target is None:
        calls += _factory_calls(analysis, c)
    return calls


def _factory_calls(analysis: Analysis, c: Construction) -> int:
    """The model leaves its function by `return`: every caller must only apply it."""
    func = enclosing_function(analysis, c.statement)
    outer = analysis.scope(func) if func is not None else None
    if func is None or outer is None:
        raise NotShareable("the model is returned from outside a function")
    fname = func.name.value
    accesses = (
        [
            a
            for assignment in assignments_of(outer, fname)
            if assignment.node is func
            for a in assignment.references
        ]
        if fname in outer.assignments
        else []
    )
    if not accesses:
        raise NotShareable(f"{fname}() is not called in this file, so how its model is used is unknown")
    return sum(_caller_calls(analysis, access.node, fname) for access in accesses)


def _caller_calls(analysis: Analysis, node: cst.CSTNode, fname: str) -> int:
    """How often one caller applies the model it gets: `f()(x)`, or `m = f()` and `m(x)`."""
    call = analysis.parent(node)
    if not isinstance(call, cst.Call) or call.func is not node:
        line = analysis.range(node).start.line
        raise NotShareable(f"{fname} is used as a value at line {line}", (line,))
    holder = analysis.parent(call)
    if isinstance(holder, cst.Call) and holder.func is call:
        return _one_tensor_call(analysis, call, f"{fname}(...)")
    if not (
        isinstance(holder, cst.Assign)
        and len(holder.targets) == 1
        and isinstance(holder.targets[0].target, cst.Name)
    ):
        line = analysis.range(call).start.line
        raise NotShareable(f"the model returned by {fname}() at line {line} is used as an object", (line,))
    var = holder.targets[0].target
    return sum(_one_tensor_call(analysis, use, var.value) for use in binding_uses(analysis, var))


def _inline_sequential(analysis: Analysis, layer: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    """The layers of `Sequential([a, b])` written inline, when that is all the call says."""
    if not (
        isinstance(layer, cst.Call) and analysis.resolves_to(layer.func, SEQUENTIAL) and len(layer.args) == 1
    ):
        return None
    arg = layer.args[0]
    if arg.keyword is not None or arg.star or not isinstance(arg.value, cst.List | cst.Tuple):
        return None
    if comments_in(arg.value) or not arg.value.elements:
        return None  # comments inside would have nowhere to go
    if any(isinstance(e, cst.StarredElement) for e in arg.value.elements):
        return None
    return [e.value for e in arg.value.elements]


def _one_tensor_call(analysis: Analysis, node: cst.CSTNode, name: str) -> int:
    """1 when `node` is applied as `name(tensor)`; raise NotShareable for any other use."""
    parent = analysis.parent(node)
    line = analysis.range(node).start.line
    if isinstance(parent, cst.Call) and parent.func is node:
        if len(parent.args) == 1 and parent.args[0].keyword is None and not parent.args[0].star:
            return 1
        raise NotShareable(f"{name}(...) at line {line} passes more than one tensor", (line,))
    if isinstance(parent, cst.Attribute) and parent.value is node:
        called = "()" if isinstance(analysis.parent(parent), cst.Call) else ""
        raise NotShareable(f"{name}.{parent.attr.value}{called} at line {line} needs a Model object", (line,))
    if isinstance(parent, cst.Arg):
        raise NotShareable(
            f"{name} is passed to another call at line {line}, which may need a Model object", (line,)
        )
    raise NotShareable(f"{name} is used as a value at line {line}", (line,))


def _strip_input_args(analysis: Analysis, layer: cst.BaseExpression) -> str | None:
    """The first layer without the input declaration a shared layer does not need."""
    if not isinstance(layer, cst.Call) or not analysis.is_keras(layer.func):
        return None
    names = {"input_shape", "batch_input_shape", "batch_size"}
    if not analysis.resolves_to(layer.func, EMBEDDING):
        names.add("input_dim")
    if not names & set(keyword_args(layer)):
        return None
    return analysis.code(drop_args(layer, names))


def _list_code(codes: list[str], comments: list[tuple[list[str], str | None]]) -> str:
    if not any(leading or trailing for leading, trailing in comments):
        return f"[{', '.join(codes)}]"
    lines = ["["]
    for code, (leading, trailing) in zip(codes, comments, strict=True):
        lines += leading
        lines.append(f"{code},{'  ' + trailing if trailing else ''}")
    return "\n".join([*lines, "]"])
