"""What the planners know: the module (`PlanContext`), and what one construction is made of
(`ConstructionFacts`), gathered once: its layer list, its keyword arguments,
the add() calls that extend it, a build() that follows, and every other reference.

Gathering also refuses what no style can convert: a model that is used, reassigned,
popped or indexed while it is still being built, or extended outside its block.
Those refusals raise `SkipConstruction`; the planners never see such a model.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import Assignment, ClassScope, GlobalScope, Scope
from libcst.metadata.position_provider import CodeRange

from seq2func.analysis.find import (
    INPUT,
    INPUT_LAYER,
    Analysis,
    Construction,
    assignments_of,
    binding_uses,
    caller_variables,
    enclosing_function,
    find_constructions,
    model_names,
    other_binding,
)
from seq2func.analysis.module_facts import sensitive_reads
from seq2func.analysis.names import free_name
from seq2func.analysis.nodes import before, own_returns
from seq2func.analysis.refs import Ref, all_name_refs, classify, model_refs
from seq2func.edits.first_input import first_layer_input
from seq2func.edits.parts import Edit, References, SkipConstruction, Verbatim
from seq2func.types import Options

Comprehension = cst.ListComp | cst.GeneratorExp
Segment = cst.Name | Comprehension | cst.List | cst.Tuple
# Model-level keyword arguments that a functional Model takes as they are.
MODEL_KWARGS = ("name", "trainable")
# Statements whose nested suites may hold adds: the control flow is kept as it is.
CONTROL_FLOW = (
    cst.If,
    cst.For,
    cst.While,
    cst.With,
    cst.Try,
    cst.Else,
    cst.ExceptHandler,
    cst.Finally,
    cst.IndentedBlock,
    cst.SimpleStatementSuite,
    cst.SimpleStatementLine,
)


def _models_by_scope(analysis: Analysis) -> dict[int, set[str]]:
    table: dict[int, set[str]] = {}
    for other in find_constructions(analysis)[0]:
        table.setdefault(_key(other.scope), set()).add(other.model_name)
    if analysis.module_models is not None:  # the analysis holds part of the module
        table[MODULE] = set(analysis.module_models)
    return table


MODULE = 0  # the module scope's key: no object's id is 0, and windows of one file share it


def _key(scope: Scope) -> int:
    return MODULE if isinstance(scope, GlobalScope) else id(scope)


class Claims:
    """The names handed out in one scope, each over a span of lines: kept in order of the
    spans' first lines, with the latest last line so far, so that asking which claims meet a
    span reads only those that can (a module of thousands of models asks for each one)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.names: list[set[str]] = []
        self.latest: list[int] = []  # latest[i]: max(ends[: i + 1])

    def add(self, span: tuple[int, int], names: set[str]) -> None:
        i = bisect.bisect_right(self.starts, span[0])
        self.starts.insert(i, span[0])
        self.ends.insert(i, span[1])
        self.names.insert(i, names)
        before = self.latest[i - 1] if i else -1
        self.latest[i:] = list(itertools.accumulate(self.ends[i:], max, initial=before))[1:]

    def meeting(self, span: tuple[int, int] | None) -> set[str]:
        if span is None:
            return set().union(*self.names)
        found: set[str] = set()
        i = bisect.bisect_right(self.starts, span[1]) - 1  # those that start after the span cannot meet it
        while i >= 0 and self.latest[i] >= span[0]:
            if self.ends[i] >= span[0]:
                found |= self.names[i]
            i -= 1
        return found


@dataclass
class PlanContext:
    """What every planner of one module shares: the module, the options, the spelling of
    Input and Model, and the names already handed out (`claim`)."""

    analysis: Analysis
    options: Options
    references: References
    # by id of the scope, the module's by MODULE: a window of a large file starts from the
    # module-level names the windows before it handed out
    claims: dict[int, Claims] = field(default_factory=dict)

    def claim(self, scope: Scope, span: tuple[int, int], names: set[str]) -> None:
        """Hand out `names` in `scope` over the lines `span`."""
        self.claims.setdefault(_key(scope), Claims()).add(span, names)

    def taken(self, scope: Scope, span: tuple[int, int] | None = None) -> set[str]:
        """Names handed out in `scope` (only those whose span meets `span`, when given)."""
        claims = self.claims.get(_key(scope))
        return claims.meeting(span) if claims is not None else set()

    def models_in(self, scope: Scope) -> set[str]:
        """The names of the Sequential models the module builds in `scope`."""
        # once per module: a file of many models asks for every one
        return self.analysis.once(_models_by_scope).get(_key(scope), set())

    def models_anywhere(self) -> int:
        """How many names the module binds Sequential models to, in any scope."""
        if self.analysis.module_facts is not None:  # the analysis holds part of the module
            return model_names(self.analysis.module_facts)
        return len({c.model_name for c in find_constructions(self.analysis)[0]})

    def free(self, scope: Scope, candidates: Sequence[str], taken: set[str], first_suffix: int = 2) -> str:
        return free_name(self.analysis, scope, candidates, taken, first_suffix=first_suffix)


@dataclass(frozen=True)
class ConstructionFacts:
    construction: Construction
    layers_arg: cst.List | cst.Tuple | None  # the literal layer list, if there is one
    elements: list[cst.Element]
    model_kwargs: list[str]  # `name=...` code that the Model takes as it is
    refs: list[Ref]  # every reference to the model, in source order
    adds: list[Ref]  # the add() calls that build it, in order
    last_index: int  # block index of the last statement that builds it
    build: Ref | None  # a build() right after the adds; it goes away
    layer_indexes: list[Edit]  # `.layers[k]` made `.layers[k + 1]`: the Model lists its InputLayer first
    # layers the model takes from an iterable, applied by a loop: `Sequential(conv_layers)`
    # (a literal list bound once: its elements are known) or `Sequential([Dense(n) for n in sizes])`
    # or `[Flatten(...)] + [Dense(n) for n in sizes] + [Dense(1)]` (its lists are unrolled)
    iterated: cst.Name | Comprehension | cst.BinaryOperation | None = None
    peeks: list[Ref] = field(default_factory=list)  # `model.output_shape` read between the adds

    @property
    def segments(self) -> list[Segment]:
        """The parts the layers come in: one name or comprehension, or the lists and
        comprehensions a `+` joins."""
        if isinstance(self.iterated, cst.BinaryOperation):
            return _concatenated(self.iterated) or []
        return [self.iterated] if self.iterated is not None else []

    @property
    def comprehensions(self) -> list[Comprehension]:
        return [s for s in self.segments if isinstance(s, cst.ListComp | cst.GeneratorExp)]

    @property
    def comprehension(self) -> Comprehension | None:
        """The comprehension that makes the first layer, if one does."""
        first = self.segments[0] if self.segments else None
        return first if isinstance(first, cst.ListComp | cst.GeneratorExp) else None


def top_level(analysis: Analysis, c: Construction, add: Ref) -> bool:
    """The add() stands directly in the construction's block, not under control flow."""
    return add.line is not None and analysis.in_block(c.block, add.line)


def always_first(analysis: Analysis, c: Construction, add: Ref) -> bool:
    """The add() stands in the construction's block, or in a loop there that always runs
    (`for _ in range(5): model.add(...)`) with nothing before it in the loop body that could
    skip it: then it adds the first layer, for certain."""
    if top_level(analysis, c, add):
        return True
    line = add.line
    body = analysis.parent(line) if line is not None else None
    loop = analysis.parent(body) if isinstance(body, cst.IndentedBlock) else None
    if not (isinstance(loop, cst.For) and analysis.in_block(c.block, loop) and _runs(loop.iter)):
        return False
    assert isinstance(body, cst.IndentedBlock)
    earlier = body.body[: next(i for i, s in enumerate(body.body) if s is line)]
    return all(
        isinstance(s, cst.SimpleStatementLine)
        and not any(isinstance(b, cst.Continue | cst.Break) for b in s.body)
        for s in earlier
    )


def _runs(iterable: cst.BaseExpression) -> bool:
    """`range(N)` / `range(a, b)` with literal bounds that give at least one iteration."""
    if not (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "range"
    ):
        return False
    bounds = [a.value for a in iterable.args]
    if not 1 <= len(bounds) <= 2 or any(a.keyword or a.star for a in iterable.args):
        return False
    if not all(isinstance(b, cst.Integer) for b in bounds):
        return False
    numbers = [int(b.value, 0) for b in bounds if isinstance(b, cst.Integer)]
    return numbers[-1] > (numbers[0] if len(numbers) == 2 else 0)


def holder(analysis: Analysis, c: Construction, add: Ref) -> cst.BaseStatement:
    """The statement of the construction's block that holds the add()."""
    where = analysis.holder_index(c.block, add.range)
    assert where is not None
    return c.block[where]


def gather(analysis: Analysis, c: Construction) -> ConstructionFacts:
    layers_arg, iterated, model_kwargs = _call_arguments(analysis, c)
    elements: list[cst.Element] = []
    joined = _concatenated(iterated) if isinstance(iterated, cst.BinaryOperation) else None
    listed = [e for part in joined or [] if isinstance(part, cst.List) for e in part.elements]
    for element in layers_arg.elements if layers_arg is not None else listed:
        if not isinstance(element, cst.Element):
            raise SkipConstruction(
                element,
                "dynamic-layers",
                "the layer list is unpacked with *; its length is not known statically",
            )
        elements.append(element)
    refs = model_refs(analysis, c) if c.target is not None else []
    adds, last_index, peeks = _adds(analysis, c, refs)
    build, layer_indexes = _build_after(analysis, c, refs, last_index)
    return ConstructionFacts(
        c, layers_arg, elements, model_kwargs, refs, adds, last_index, build, layer_indexes, iterated, peeks
    )


def _call_arguments(
    analysis: Analysis, c: Construction
) -> tuple[cst.List | cst.Tuple | None, cst.Name | Comprehension | cst.BinaryOperation | None, list[str]]:
    layers: cst.BaseExpression | None = None
    model_kwargs: list[str] = []
    for position, arg in enumerate(c.call.args):
        key = arg.keyword.value if arg.keyword is not None else None
        if arg.star or (key is None and position > 0):
            raise SkipConstruction(
                arg,
                "unsupported-argument",
                "Sequential(...) has arguments whose meaning depends on the Keras version",
            )
        if key in (None, "layers"):
            layers = arg.value
        elif key in MODEL_KWARGS:
            model_kwargs.append(f"{key}={analysis.code(arg.value)}")
        else:
            raise SkipConstruction(
                arg, "unsupported-argument", f"Sequential({key}=...) has no functional Model equivalent"
            )
    if layers is None or (isinstance(layers, cst.Name) and layers.value == "None"):
        return None, None, model_kwargs
    if isinstance(layers, cst.Name):
        listed = _only_list(analysis, layers)
        if listed is not None:
            return listed, layers, model_kwargs
        if _appended_list(analysis, layers, c):
            return None, layers, model_kwargs
    if isinstance(layers, cst.ListComp | cst.GeneratorExp) and _makes_layers(analysis, layers):
        return None, layers, model_kwargs
    if isinstance(layers, cst.BinaryOperation):
        segments = _concatenated(layers)
        if segments and all(_makes_layers(analysis, s) for s in segments if isinstance(s, cst.ListComp)):
            return None, layers, model_kwargs
    if not isinstance(layers, cst.List | cst.Tuple):
        raise SkipConstruction(
            layers,
            "dynamic-layers",
            "the layers are not a literal list, so they cannot be unrolled statically",
        )
    return layers, None, model_kwargs


def _concatenated(expr: cst.BinaryOperation) -> list[Segment] | None:
    """`[Flatten()] + [Dense(n) for n in sizes] + [Dense(1)]`: literal lists (no `*`) and
    comprehensions joined by `+`, at least one of each kind of part being a comprehension."""
    if not isinstance(expr.operator, cst.Add):
        return None
    parts: list[Segment] = []
    for side in (expr.left, expr.right):
        if isinstance(side, cst.BinaryOperation):
            inner = _concatenated(side)
            if inner is None:
                return None
            parts += inner
        elif isinstance(side, cst.ListComp) or (
            isinstance(side, cst.List)
            and side.elements
            and all(isinstance(e, cst.Element) for e in side.elements)
        ):
            parts.append(side)
        else:
            return None
    return parts if any(isinstance(p, cst.ListComp) for p in parts) else None


def _makes_layers(analysis: Analysis, comprehension: Comprehension) -> bool:
    """`[Dense(n) for n in sizes]`: each element a new layer, none an Input. Layers that all
    carry the input shape would have it in the loop; that one is left for a person."""
    made = comprehension.elt
    if not isinstance(made, cst.Call) or analysis.resolves_to(made.func, INPUT | INPUT_LAYER):
        return False
    given = first_layer_input(analysis, made, References("Input", "Model"))
    if given is not None:
        raise SkipConstruction(
            made,
            "dynamic-layers",
            f"every layer the comprehension makes is given {given.source.rpartition(' ')[2]};"
            " write the first layer out of it, or start the list with an Input",
        )
    return True


def _appended_list(analysis: Analysis, name: cst.Name, c: Construction) -> bool:
    """`blocks = []`, then `blocks.append(Dense(n))` (in loops, under `if`), then
    `Sequential(blocks)`: a list bound once in this scope, only appended to before the model
    is made and read by it alone. The model applies its layer objects in order, as the
    Sequential adds them; none may be an Input or carry the input shape."""
    scope = analysis.scope(name)
    bound = list(scope[name.value]) if scope is not None else []
    if len(bound) != 1 or not isinstance(bound[0], Assignment) or not isinstance(bound[0].node, cst.Name):
        return False
    holder = analysis.parent(bound[0].node)
    assign = analysis.parent(holder) if isinstance(holder, cst.AssignTarget) else None
    if not (
        isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.value, cst.List)
    ):
        return False
    made = [e.value if isinstance(e, cst.Element) else None for e in assign.value.elements]
    made_at = analysis.range(c.call).start
    for access in bound[0].references:
        read = access.node
        if read is name:
            continue
        attribute = analysis.parent(read)
        call = analysis.parent(attribute) if isinstance(attribute, cst.Attribute) else None
        if not (
            isinstance(attribute, cst.Attribute)
            and attribute.attr.value == "append"
            and isinstance(call, cst.Call)
            and call.func is attribute
            and len(call.args) == 1
            and call.args[0].keyword is None
            and not call.args[0].star
            and isinstance(analysis.parent(call), cst.Expr)
            and analysis.scope(read) is scope
            and before(analysis.range(read).start, made_at)
        ):
            return False
        made.append(call.args[0].value)
    return bool(made) and all(
        isinstance(layer, cst.Call)
        and not analysis.resolves_to(layer.func, INPUT | INPUT_LAYER)
        and first_layer_input(analysis, layer, References("Input", "Model")) is None
        for layer in made
    )


def _only_list(analysis: Analysis, name: cst.Name) -> cst.List | cst.Tuple | None:
    """`conv_layers = [...]` bound once, and read by this Sequential(...) alone: the model
    applies that list's layer objects, in order."""
    scope = analysis.scope(name)
    bound = [a for s in ([scope] if scope is not None else []) for a in s[name.value]] if scope else []
    if len(bound) != 1 or not isinstance(bound[0], Assignment):
        return None
    target = bound[0].node
    holder = analysis.parent(target) if isinstance(target, cst.Name) else None
    assign = analysis.parent(holder) if isinstance(holder, cst.AssignTarget) else None
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
        return None
    value = assign.value
    if not isinstance(value, cst.List | cst.Tuple) or not all(
        isinstance(e, cst.Element) for e in value.elements
    ):
        return None
    reads = [access.node for access in bound[0].references]
    return value if len(reads) == 1 and reads[0] is name else None


def _adds(analysis: Analysis, c: Construction, refs: list[Ref]) -> tuple[list[Ref], int, list[Ref]]:
    """The add() calls in the statements that follow the constructor, up to the first
    statement that uses the model otherwise; the block index of the last of them; and the
    reads of its output_shape between them."""
    by_statement: dict[int, list[Ref]] = {}  # block index -> the refs in that statement
    for r in refs:
        where = analysis.holder_index(c.block, r.range) if not r.nested_scope else None
        if where is not None and where > c.index:
            by_statement.setdefault(where, []).append(r)
    adds: list[Ref] = []
    peeks: list[Ref] = []
    last = c.index
    order = sorted(by_statement)
    for n, i in enumerate(order):
        stmt, inside = c.block[i], by_statement[i]
        if _peeks(stmt, inside) and any(r.kind == "add" for j in order[n + 1 :] for r in by_statement[j]):
            peeks += inside  # `assert model.output_shape == (None, 7, 7, 256)` between adds
            continue
        if not any(r.kind == "add" for r in inside):
            _check_stop(analysis, c, stmt, inside, i)
            break
        for r in inside:
            _check_add(analysis, r, stmt)
        adds += inside
        last = i
    return adds, last, peeks


def _peeks(stmt: cst.BaseStatement, inside: list[Ref]) -> bool:
    """A simple statement that only reads the model's output_shape: the tensor so far tells."""
    return isinstance(stmt, cst.SimpleStatementLine) and all(r.kind == "output-shape" for r in inside)


def _check_add(analysis: Analysis, r: Ref, stmt: cst.BaseStatement) -> None:
    """A reference among the adds must be an add() standing on its own line."""
    if r.kind == "assign":
        raise SkipConstruction(r.node, "reassigned", "the model variable is reassigned among its add() calls")
    if r.kind != "add":
        raise SkipConstruction(
            r.node,
            "used-between-adds",
            "the model is used here before its last add(), while it is still incomplete: a "
            "functional Model is whole once it is made; move this use after the last add() to convert it",
        )
    if r.line is None or (r.line is not stmt and not isinstance(stmt, cst.BaseCompoundStatement)):
        raise SkipConstruction(r.node, "unsupported-form", "add() shares its line with other statements")
    if isinstance(r.line, cst.SimpleStatementLine) and r.line is not stmt:
        _check_control_flow(analysis, r.line, stmt)


def _check_control_flow(analysis: Analysis, line: cst.CSTNode, holder: cst.CSTNode) -> None:
    node: cst.CSTNode | None = analysis.parent(line)
    while node is not None and node is not holder:
        if not isinstance(node, CONTROL_FLOW):
            raise SkipConstruction(
                line,
                "unsupported-control-flow",
                f"add() sits inside {type(node).__name__}, which cannot be kept as it is",
            )
        node = analysis.parent(node)


def _check_stop(
    analysis: Analysis, c: Construction, stmt: cst.BaseStatement, inside: list[Ref], index: int
) -> None:
    """The adds stop at `stmt`; refuse if adds to the same name still follow it in the block
    (before a plain `name = ...` there starts a new model)."""
    end = len(c.block)
    for r in _rebinds(analysis, c):
        where = analysis.holder_index(c.block, r)
        if where is not None and where > index and isinstance(c.block[where], cst.SimpleStatementLine):
            end = min(end, where + 1)  # a new model from here; its own line may still read the old one
    later_adds = [
        r
        for r in all_name_refs(analysis, c)
        if r.kind in ("add", "add-other") and index < (analysis.holder_index(c.block, r.range) or -1) < end
    ]
    if not later_adds:
        return
    if isinstance(stmt, cst.SimpleStatementLine) and all(r.kind == "assign" for r in inside):
        return  # a plain reassignment: a new model starts here
    first = inside[0]
    if any(r.kind == "assign" for r in inside):
        raise SkipConstruction(
            first.node, "reassigned", "the model variable is reassigned in a branch before later add() calls"
        )
    raise SkipConstruction(
        first.node,
        "used-between-adds",
        "the model is used here before its last add(), while it is still incomplete: a "
        "functional Model is whole once it is made; move this use after the last add() to convert it",
    )


def _rebinds(analysis: Analysis, c: Construction) -> list[CodeRange]:
    """Where the target name is bound again by a plain `name = ...`."""
    if not isinstance(c.target, cst.Name):
        return []
    return [
        analysis.range(a.node)
        for a in assignments_of(c.binding, c.target.value)
        if isinstance(a.node, cst.Name) and isinstance(analysis.parent(a.node), cst.AssignTarget)
    ]


def _build_after(
    analysis: Analysis, c: Construction, refs: list[Ref], last_index: int
) -> tuple[Ref | None, list[Edit]]:
    """A build() right after the adds (it goes away once the model has an Input), and the edits
    that keep `.layers[...]` indices pointing at the same layers; refuse every other change to
    the model outside its block: add(), pop(), build()."""
    end = analysis.range(c.block[last_index]).end
    ctor = analysis.range(c.line).start
    after = [r for r in refs if r.nested_scope or before(end, r.range.start)]
    following = [r for r in after if not r.nested_scope]
    build = None
    if following and following[0].kind == "build" and following[0].line in c.block:
        build = following[0]
        after = [r for r in after if r is not build]
    shifts = []
    for r in [*after, *(r for r in refs if before(r.range.start, ctor))]:
        _refuse_change_outside(r, build)
        shifts += _moved(analysis, c.target, r)
    handled = {id(r.node) for r in refs}
    if c.target is None or any(isinstance(analysis.parent(r.node), cst.Return) for r in after):
        shifts += _check_callers(analysis, c, handled)
    elif isinstance(c.target, cst.Attribute):  # `self.model`: read wherever the object goes
        _refuse_untracked_uses(analysis, c, handled, f"is kept as {analysis.code(c.target)}")
    return build, shifts


def _refuse_change_outside(r: Ref, build: Ref | None) -> None:
    if r.kind in ("add", "add-other"):
        raise SkipConstruction(
            r.node, "add-outside-block", "add() is called on the model outside the block that builds it"
        )
    if r.kind == "pop":
        raise SkipConstruction(r.node, "pop", "pop() is called on the model; a functional Model has no pop()")
    if r.kind == "build" and r is not build:
        raise SkipConstruction(
            r.node, "build-elsewhere", "build() is called away from the block that builds the model"
        )


def _moved(analysis: Analysis, var: cst.BaseExpression | None, r: Ref) -> list[Edit]:
    """`same_meaning` of a use of the model bound to `var`; a refusal when the use must
    change and may read another value bound to the same name: the change would be wrong
    for that one."""
    edits = same_meaning(analysis, r)
    if not edits or not isinstance(var, cst.Name):
        return edits
    other = other_binding(analysis, var, r.node)
    if other is not None:
        named = (r.range.start.line, analysis.range(var).start.line, analysis.range(other).start.line)
        raise SkipConstruction(
            r.node,
            "untracked-uses",
            f"{analysis.code(analysis.parent(r.node) or r.node)} at line {named[0]} reads "
            f"{var.value}, which line {named[1]} binds to this model and line {named[2]} to another "
            "value; its layer indices cannot move for one and not the other (a functional Model lists "
            "its InputLayer first); give the model a name of its own to convert it",
            lines=named,
        )
    return edits


def same_meaning(analysis: Analysis, r: Ref) -> list[Edit]:
    """The edits that keep a use of the model meaning what it meant of a Sequential (a
    functional Model lists its InputLayer first), or a refusal where none can."""
    if r.kind == "layers-index":
        return _shifted_index(analysis, r.node)
    if r.kind == "layers-read":  # len(m.layers), a loop over them: the same layers
        attr = analysis.parent(r.node)
        assert attr is not None
        return [Edit("replace", attr, [Verbatim(f"{analysis.code(attr)}[1:]")])]
    if r.kind == "get-layer":
        return _shifted_get_layer(analysis, r.node)
    if r.kind == "method-value":
        attr = analysis.parent(r.node)
        name = attr.attr.value if isinstance(attr, cst.Attribute) else "add"
        raise SkipConstruction(
            r.node,
            "sequential-method",
            f"{analysis.code(attr or r.node)} is taken as a value; a functional Model has no {name}()",
        )
    if r.kind == "isinstance":
        raise SkipConstruction(
            r.node,
            "isinstance",
            "isinstance() is asked of the model; a functional Model is not a Sequential, so the answer may change",
        )
    return []


def _shifted_get_layer(analysis: Analysis, model: cst.CSTNode) -> list[Edit]:
    """`m.get_layer(index=k)` -> `index=k + 1`, like `m.layers[k]`; by name it stays."""
    attr = analysis.parent(model)
    call = analysis.parent(attr) if attr is not None else None
    assert isinstance(call, cst.Call)
    index = next((a for a in call.args if a.keyword is not None and a.keyword.value == "index"), None)
    if index is None:
        positional = [a for a in call.args if a.keyword is None]
        index = positional[1] if len(positional) > 1 else None
    if index is None:
        return []
    k = _literal_int(index.value)
    if k is None or any(a.star for a in call.args):
        raise SkipConstruction(
            model,
            "layers-indexed",
            "get_layer(index=...) is given an expression; a functional Model lists its InputLayer first, "
            "so the index would have to move by one",
        )
    return [Edit("replace", index.value, [Verbatim(str(k + 1))])] if k >= 0 else []


def _refuse_untracked_uses(analysis: Analysis, c: Construction, handled: set[int], how: str) -> None:
    """The model leaves where seq2func can follow it (`how`): refuse if anything in the module
    reads what a functional Model answers differently (its `.layers`, a layer by index, an
    isinstance()) of an object that is not one of the uses followed (`handled`)."""
    for node, what, line in sensitive_reads(analysis):
        receiver = node.value if isinstance(node, cst.Attribute) else node
        if node is None or id(receiver) not in handled:  # None: in a statement stood in for
            raise SkipConstruction(
                c.call,
                "untracked-uses",
                f"the model {how}, where seq2func cannot follow it, and {what} at line {line} "
                "may read it; a functional Model lists its InputLayer first",
                lines=(line,),
            )


def _literal_int(expr: cst.BaseExpression | None) -> int | None:
    if isinstance(expr, cst.Integer):
        return int(expr.evaluated_value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _literal_int(expr.expression)
        return None if inner is None else -inner
    return None


def _shifted_index(analysis: Analysis, model: cst.CSTNode) -> list[Edit]:
    """`m.layers[k]` -> `m.layers[k + 1]`: a functional Model lists its InputLayer first.
    Negative indices and bounds count from the end and stay; anything but literals is refused."""
    attr = analysis.parent(model)
    subscript = analysis.parent(attr) if attr is not None else None
    refused = SkipConstruction(
        model,
        "layers-indexed",
        "model.layers is indexed by an expression; a functional Model lists its InputLayer first, "
        "so the index would have to move by one",
    )
    if not isinstance(subscript, cst.Subscript) or len(subscript.slice) != 1:
        raise refused
    part = subscript.slice[0].slice
    if isinstance(part, cst.Index):
        k = _literal_int(part.value)
        if k is None:
            raise refused
        return [Edit("replace", part.value, [Verbatim(str(k + 1))])] if k >= 0 else []
    if not isinstance(part, cst.Slice) or part.step is not None:
        raise refused
    lower, upper = (None if b is None else _literal_int(b) for b in (part.lower, part.upper))
    if (part.lower is not None and (lower is None or lower < 0)) or (
        part.upper is not None and upper is None
    ):
        raise refused  # a negative start could reach back to the InputLayer
    new_lower = 1 if lower is None else lower + 1
    new_upper = "" if upper is None else str(upper + 1 if upper >= 0 else upper)
    return [Edit("replace", part, [Verbatim(f"{new_lower}:{new_upper}")])]


def _check_callers(analysis: Analysis, c: Construction, handled: set[int]) -> list[Edit]:
    """A factory returns the model: callers must not add() or pop() either; their
    `.layers[...]` indices move like the factory's own. Where a caller cannot be followed
    (a method, a call whose result is not bound to a name), no use may be in doubt."""
    func = enclosing_function(analysis, c.statement)
    shifts: list[Edit] = []
    if func is None:
        return shifts
    callers = caller_variables(analysis, func)
    name = c.target.value if isinstance(c.target, cst.Name) else None
    other = next(  # a `return` of another value: what a caller reads may be that one
        (
            r
            for r in own_returns(func)
            if r.value is not c.call and not (isinstance(r.value, cst.Name) and r.value.value == name)
        ),
        None,
    )
    for _, var in callers:
        var_scope = analysis.scope(var) if var is not None else None
        if var is None or var_scope is None:
            continue
        for use in binding_uses(analysis, var):
            handled.add(id(use))
            ref = classify(analysis, use, var_scope)
            kind = ref.kind
            if kind in ("add", "add-other", "pop"):
                raise SkipConstruction(
                    use,
                    "add-outside-block",
                    f"the model returned by {func.name.value}() is changed by its caller "
                    f"({var.value}.{kind.split('-')[0]}())",
                )
            moved = _moved(analysis, var, ref)
            if moved and other is not None:
                named = (ref.range.start.line, analysis.range(other).start.line)
                raise SkipConstruction(
                    use,
                    "untracked-uses",
                    f"{analysis.code(analysis.parent(use) or use)} at line {named[0]} reads what "
                    f"{func.name.value}() returns, which may be the value returned at line {named[1]}; "
                    "its layer indices cannot move for one and not the other (a functional Model lists "
                    "its InputLayer first); a factory per model converts",
                    lines=named,
                )
            shifts += moved
    method = isinstance(analysis.scope(func), ClassScope)
    if method or not callers or any(var is None for _, var in callers):
        how = "through a method call" if method else "through a call whose result is not named"
        _refuse_untracked_uses(analysis, c, handled, f"leaves {func.name.value}() {how}")
    return shifts
