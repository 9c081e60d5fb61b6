"""Turn one Sequential construction into a conversion plan, or a Skip with a reason.

A plan is data: which statements are replaced, inserted or deleted, and with
which parts (statements and comment lines). `render` turns it into text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst
from libcst.metadata import Scope
from libcst.metadata.position_provider import CodePosition, CodeRange

from seq2func.find import (
    EMBEDDING,
    INPUT,
    INPUT_LAYER,
    KERAS2_FAMILIES,
    Analysis,
    Construction,
    assignments_of,
    binding_uses,
    caller_variables,
    dotted_name,
    enclosing_function,
    keyword_args,
)
from seq2func.names import free_name
from seq2func.types import Options, Skip

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


class SkipConstruction(Exception):
    def __init__(self, node: cst.CSTNode, code: str, message: str) -> None:
        super().__init__(message)
        self.node, self.code, self.message = node, code, message


# -- the plan ---------------------------------------------------------------


@dataclass
class Statement:
    """One generated statement; `{x}`-style holes are already filled."""

    code: str
    trailing_comment: str | None = None


@dataclass
class Verbatim:
    """A line placed as written: a comment, a blank line, or code that needs no formatting."""

    text: str


Part = Statement | Verbatim


@dataclass
class Edit:
    """Replace `node`'s text, or insert before/after a block statement, or delete a line."""

    kind: str  # "replace" | "before" | "after" | "delete" | "replace-line"
    node: cst.CSTNode
    parts: list[Part] = field(default_factory=list)
    indent_from: cst.CSTNode | None = None  # whose line gives the indentation
    at_line: int | None = None  # "before": insert above this line instead of the node's first
    blank_before: int = 0  # blank lines wanted around inserted text, counting those already there
    blank_after: int = 0


@dataclass
class Plan:
    construction: Construction
    edits: list[Edit]
    layers: int
    input_source: str
    names: tuple[str, ...]
    span: tuple[int, int]  # first and last line the construction covers
    style: str = "model"
    note: str | None = None  # why the requested style was not used
    removed: list[cst.Call] = field(
        default_factory=list
    )  # calls whose text is gone (their imports may be unused)


@dataclass(frozen=True)
class References:
    """How to spell `Input` and `Model` in this file (decided by `imports`)."""

    input: str
    model: str


# -- helpers ----------------------------------------------------------------


def _contains(outer: CodeRange, inner: CodeRange) -> bool:
    return (outer.start.line, outer.start.column) <= (inner.start.line, inner.start.column) and (
        inner.end.line,
        inner.end.column,
    ) <= (outer.end.line, outer.end.column)


def _before(a: CodePosition, b: CodePosition) -> bool:
    return (a.line, a.column) < (b.line, b.column)


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[cst.Comment] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found.append(node)


def comments_in(node: cst.CSTNode) -> list[cst.Comment]:
    collector = _Comments()
    node.visit(collector)
    return collector.found


def needs_parens(expr: cst.BaseExpression) -> bool:
    """Whether `expr(x)` would call something else than `expr` without parentheses."""
    if expr.lpar:
        return False
    return not isinstance(expr, cst.Name | cst.Attribute | cst.Call | cst.Subscript | cst.List | cst.Tuple)


def _apply(analysis: Analysis, layer: cst.BaseExpression | str, tensor: str) -> str:
    code = layer if isinstance(layer, str) else analysis.code(layer)
    if not isinstance(layer, str) and needs_parens(layer):
        code = f"({code})"
    return f"{code}({tensor})"


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _literal(expr: cst.BaseExpression) -> bool:
    """Only constants: safe to evaluate anywhere."""
    if isinstance(expr, cst.Integer | cst.Float | cst.SimpleString):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in ("None", "True", "False")
    if isinstance(expr, cst.Tuple | cst.List):
        return all(_literal(e.value) for e in expr.elements)
    if isinstance(expr, cst.UnaryOperation):
        return _literal(expr.expression)
    return False


def _has_comments(node: cst.CSTNode | cst.MaybeSentinel) -> bool:
    return isinstance(node, cst.CSTNode) and bool(comments_in(node))


def _drop_args(call: cst.Call, names: set[str]) -> cst.Call:
    kept = [arg for arg in call.args if arg.keyword is None or arg.keyword.value not in names]
    if (
        kept
        and len(kept) < len(call.args)
        and call.args[-1] not in kept
        and not _has_comments(kept[-1].comma)
    ):
        # the old last argument carried the closing style; the new last one must not dangle a comma
        # (unless a comment follows that comma: a trailing comma keeps it in its place)
        kept[-1] = kept[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=kept)


# -- input specification ----------------------------------------------------


@dataclass
class InputSpec:
    expr: str | None  # code for the Input(...) expression; None: reuse an existing tensor
    source: str
    tensor: str | None = None  # existing Input tensor name used as the model input
    first_layer: str | None = None  # first layer code with its input arguments removed
    from_add: bool = False  # the first add() adds the Input itself (`m.add(keras.Input(...))`)
    replaced: cst.Call | None = None  # an InputLayer(...) call whose text the Input(...) replaces


def _first_layer_input(
    analysis: Analysis, layer: cst.BaseExpression, refs: References, keras2: bool = False
) -> InputSpec | None:
    """input_shape=/input_dim=/batch_input_shape=/... on the first layer."""
    if not isinstance(layer, cst.Call):
        return None
    kwargs = keyword_args(layer)
    is_embedding = analysis.resolves_to(layer.func, EMBEDDING)
    code = analysis.code
    args: list[str] = []
    moved: set[str] = set()
    if "input_shape" in kwargs:
        args.append(f"shape={code(kwargs['input_shape'].value)}")
        moved.add("input_shape")
    elif "batch_input_shape" in kwargs:
        args.append(_batch_shape_arg(analysis, kwargs["batch_input_shape"].value))
        moved.add("batch_input_shape")
    elif is_embedding and "input_length" in kwargs:
        args.append(f"shape=({code(kwargs['input_length'].value)},)")
    elif not is_embedding and "input_dim" in kwargs:
        if not analysis.is_keras(layer.func):
            raise SkipConstruction(
                kwargs["input_dim"],
                "input-dim-ambiguous",
                "the first layer is not a Keras layer, so its input_dim= may not be an input size",
            )
        args.append(f"shape=({code(kwargs['input_dim'].value)},)")
        moved.add("input_dim")
    else:
        return None
    if is_embedding and "input_length" in kwargs:
        moved.add("input_length")  # Keras 3 ignores it; the Input now carries the length
    if "batch_size" in kwargs:
        args.append(f"batch_size={code(kwargs['batch_size'].value)}")
        moved.add("batch_size")
    if "dtype" in kwargs and keras2:
        # Keras 2 gave the Sequential's input the first layer's dtype; Keras 3 leaves it float32
        args.append(f"dtype={code(kwargs['dtype'].value)}")
    stripped = _drop_args(layer, moved)
    return InputSpec(
        f"{refs.input}({', '.join(args)})",
        "the first layer's " + "/".join(f"{m}=" for m in sorted(moved)),
        first_layer=analysis.module.code_for_node(stripped),
    )


def _batch_shape_arg(analysis: Analysis, shape: cst.BaseExpression) -> str:
    """`(None, 10)` reads better as shape=(10,); anything else stays a batch_shape."""
    if isinstance(shape, cst.Tuple | cst.List) and shape.elements:
        first = shape.elements[0].value
        if isinstance(first, cst.Name) and first.value == "None":
            rest = [analysis.code(e.value) for e in shape.elements[1:]]
            return f"shape=({', '.join(rest)}{',' if len(rest) == 1 else ''})"
    return f"batch_shape={analysis.code(shape)}"


_INPUT_LAYER_RENAMES = {"input_shape": "shape", "batch_input_shape": "batch_shape"}
_INPUT_ARGS = (
    "shape",
    "batch_size",
    "dtype",
    "sparse",
    "batch_shape",
    "ragged",
)  # not name=: it must stay unique


def _input_element(
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


def keep_comments(plan: Plan, analysis: Analysis) -> None:
    """Every comment in text that the plan replaces or deletes must reappear in what the plan
    writes; one that would not (inside a dropped argument, say) goes on a line of its own above."""
    written = "\n".join(
        part.code + (part.trailing_comment or "") if isinstance(part, Statement) else part.text
        for edit in plan.edits
        for part in edit.parts
    )
    for edit in plan.edits:
        if edit.kind not in ("replace", "replace-line", "delete"):
            continue
        rng = analysis.range(edit.node)
        lost = [
            cm.value
            for cm in comments_in(edit.node)
            if rng.start.line <= analysis.range(cm).start.line <= rng.end.line and cm.value not in written
        ]
        if lost:
            edit.parts[:0] = [Verbatim(text) for text in lost]
            written += "\n" + "\n".join(lost)
            if edit.kind == "delete":
                edit.kind = "replace-line"


# -- references to the model ------------------------------------------------


@dataclass
class Ref:
    node: cst.CSTNode  # the Name or Attribute that denotes the model
    range: CodeRange
    kind: str  # add | build | pop | layers-index | assign | other
    line: cst.CSTNode | None = None  # the statement line of an add/build
    arg: cst.BaseExpression | None = None  # the layer of an add, the shape of a build
    nested_scope: bool = False


def _method_call(analysis: Analysis, ref: cst.CSTNode) -> tuple[str, cst.Call] | None:
    attr = analysis.parent(ref)
    if not isinstance(attr, cst.Attribute) or attr.value is not ref:
        return None
    call = analysis.parent(attr)
    if isinstance(call, cst.Call) and call.func is attr:
        return attr.attr.value, call
    if attr.attr.value == "layers" and isinstance(call, cst.Subscript):
        return "layers-index", call  # type: ignore[return-value]
    return None


def _statement_line(analysis: Analysis, call: cst.Call) -> cst.CSTNode | None:
    """The line a call stands alone on as an expression statement, if it does."""
    expr = analysis.parent(call)
    line = analysis.parent(expr) if isinstance(expr, cst.Expr) else None
    if isinstance(line, cst.SimpleStatementLine | cst.SimpleStatementSuite) and len(line.body) == 1:
        return line
    return None


def _classify(analysis: Analysis, node: cst.CSTNode, own_scope: Scope) -> Ref:
    rng = analysis.range(node)
    nested = analysis.scope(node) is not own_scope
    parent = analysis.parent(node)
    if isinstance(parent, cst.AssignTarget | cst.AugAssign | cst.AnnAssign | cst.Del):
        return Ref(node, rng, "assign", nested_scope=nested)
    method = _method_call(analysis, node)
    if method is None:
        return Ref(node, rng, "other", nested_scope=nested)
    name, call = method
    if name in ("add", "build"):
        line = _statement_line(analysis, call)
        positional = [a for a in call.args if a.keyword is None and not a.star]
        keyword = {"add": "layer", "build": "input_shape"}[name]
        arg = positional[0].value if len(call.args) == 1 and positional else None
        if (
            arg is None
            and len(call.args) == 1
            and call.args[0].keyword is not None
            and call.args[0].keyword.value == keyword
        ):
            arg = call.args[0].value
        if name == "build" and not call.args:
            arg = cst.Name("None")  # a bare build(): nothing to keep once the model has its Input
        if arg is not None and (line is not None or name == "add"):
            return Ref(node, rng, name, line=line, arg=arg, nested_scope=nested)
        return Ref(node, rng, "add-other" if name == "add" else "other", nested_scope=nested)
    if name in ("pop", "layers-index"):
        return Ref(node, rng, name, nested_scope=nested)
    return Ref(node, rng, "other", nested_scope=nested)


class _AttributeRefs(cst.CSTVisitor):
    def __init__(self, dotted: str) -> None:
        self.dotted = dotted
        self.found: list[cst.Attribute] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if dotted_name(node) == self.dotted:
            self.found.append(node)
            return False
        return True


def _all_name_refs(analysis: Analysis, c: Construction) -> list[Ref]:
    """References to the target under any of its assignments (attribute targets: as found)."""
    if not isinstance(c.target, cst.Name):
        return _model_refs(analysis, c)
    found: dict[int, Ref] = {}
    for assignment in assignments_of(c.binding, c.target.value):
        for access in assignment.references:
            found.setdefault(id(access.node), _classify(analysis, access.node, c.scope))
    return list(found.values())


def _model_refs(analysis: Analysis, c: Construction) -> list[Ref]:
    """Every place that may denote the model built by `c`, in source order."""
    target = c.target
    assert target is not None
    ctor = analysis.range(c.statement).start
    if isinstance(target, cst.Name):
        name = target.value
        own = next(a for a in assignments_of(c.binding, name) if a.node is target)
        later = [
            analysis.range(a.node).start
            for a in assignments_of(c.binding, name)
            if a is not own
            and isinstance(a.node, cst.CSTNode)
            and _before(ctor, analysis.range(a.node).start)
        ]
        next_assignment = min(later, key=lambda p: (p.line, p.column), default=None)
        refs = []
        for access in own.references:
            ref = _classify(analysis, access.node, c.scope)
            if not ref.nested_scope and next_assignment and not _before(ref.range.start, next_assignment):
                continue  # refers to a later assignment
            refs.append(ref)
        for a in assignments_of(c.binding, name):
            if a is not own and isinstance(a.node, cst.CSTNode) and a.node not in [r.node for r in refs]:
                refs.append(Ref(a.node, analysis.range(a.node), "assign"))
    else:
        dotted = dotted_name(target) or ""
        root: cst.CSTNode = analysis.module
        node: cst.CSTNode | None = c.statement
        if dotted.startswith("self."):
            while node is not None and not isinstance(node, cst.ClassDef):
                node = analysis.parent(node)
            root = node or analysis.module
        collector = _AttributeRefs(dotted)
        root.visit(collector)
        refs = [_classify(analysis, n, c.scope) for n in collector.found if n is not target]
    refs.sort(key=lambda r: (r.range.start.line, r.range.start.column))
    return refs


# -- planning ---------------------------------------------------------------


class Planner:
    """Plans every construction of one module; remembers names already handed out."""

    def __init__(self, analysis: Analysis, options: Options, refs: References) -> None:
        self.analysis = analysis
        self.options = options
        self.refs = refs
        self._claimed: list[tuple[Scope, tuple[int, int], set[str]]] = []

    def plan(self, c: Construction) -> Plan | Skip:
        try:
            return self._plan(c)
        except SkipConstruction as skip:
            return self.skip(c, skip)

    def skip(self, c: Construction, skip: SkipConstruction) -> Skip:
        start, end = self.extent(c)
        return Skip(
            self.analysis.location(skip.node), skip.code, skip.message, end_line=end, start_line=start
        )

    def extent(self, c: Construction) -> tuple[int, int]:
        """The lines a construction covers: its statement and the add()/build() calls on it that follow."""
        an = self.analysis
        rng = an.range(c.statement)
        ends = [rng.end.line]
        if c.target is not None:
            ends += [
                r.range.end.line
                for r in _model_refs(an, c)
                if r.kind in ("add", "add-other", "build")
                and not r.nested_scope
                and r.range.start.line > rng.start.line
                and an.holder_index(c.block, r.range) is not None
            ]
        return rng.start.line, max(ends)

    # The steps below raise SkipConstruction to leave the construction untouched.
    def _plan(self, c: Construction) -> Plan:
        an = self.analysis
        layers_arg, model_kwargs, elements = self._layer_elements(c)
        refs = _model_refs(an, c) if c.target is not None else []
        adds, last_index, build = self._collect_adds(c, refs)
        spec, first_list_layer = self._input_spec(c, elements, adds, build, refs)
        input_add = adds.pop(0) if spec.from_add else None
        list_layers = elements[first_list_layer:]
        if not list_layers and not adds:
            raise SkipConstruction(c.call, "no-layers", "the model has no layers to convert")

        block = c.block
        last_stmt = block[last_index]
        span = (an.range(c.line).start.line, an.range(last_stmt).end.line)
        inputs_name, x_name = self._names(c, span, spec)
        model_code = self._model_code(c, inputs_name, x_name, model_kwargs)
        edits: list[Edit] = []

        # Statements that replace the constructor, in order.
        ctor_parts: list[Part] = [Verbatim(cm.value) for cm in self._lost_comments(c.call, list_layers)]
        current = inputs_name
        input_stmt: list[Part] = [] if spec.expr is None else [Statement(f"{inputs_name} = {spec.expr}")]
        if input_add is not None:  # the Input statement takes the place of its add()
            kept = [Verbatim(cm.value) for cm in self._lost_comments_add(input_add)] + input_stmt
            edits.append(self._delete_line(input_add.line, kept))  # type: ignore[arg-type]
            input_stmt = []
        if list_layers or not adds or first_list_layer > 0:
            ctor_parts += input_stmt
            input_stmt = []
        comments = element_comments(layers_arg) if layers_arg is not None else []
        for i, element in enumerate(list_layers):
            leading, trailing = comments[first_list_layer + i] if comments else ([], None)
            ctor_parts += [Verbatim(text) for text in leading]
            layer = (
                spec.first_layer if (i == 0 and spec.first_layer and first_list_layer == 0) else element.value
            )
            ctor_parts.append(Statement(f"{x_name} = {_apply(an, layer, current)}", trailing))
            current = x_name
        if comments and len(comments) > len(elements):
            ctor_parts += [Verbatim(text) for text in comments[-1][0]]

        first_add_conditional = bool(adds) and adds[0].line is not None and not self._top_level(c, adds[0])
        if current == inputs_name and adds and first_add_conditional:
            seed = [*input_stmt, Statement(f"{x_name} = {inputs_name}")]
            input_stmt = []
            holder = self._block_statement(c, adds[0])
            if ctor_parts or list_layers:
                ctor_parts += seed
            else:
                edits.append(Edit("before", holder, seed, indent_from=c.line))
            current = x_name

        if not adds:
            ctor_parts.append(Statement(model_code))
        if ctor_parts or list_layers or c.target is None:
            edits.append(Edit("replace", c.statement, ctor_parts))
        else:
            edits.append(self._delete_line(c.line))

        for n, add in enumerate(adds):
            applied: cst.BaseExpression | str = add.arg  # type: ignore[assignment]
            if n == 0 and not list_layers and first_list_layer == 0 and spec.first_layer:
                applied = spec.first_layer
            parts: list[Part] = [Verbatim(cm.value) for cm in self._lost_comments_add(add)]
            if n == 0:
                parts += input_stmt
            parts.append(Statement(f"{x_name} = {_apply(an, applied, current)}"))
            current = x_name
            expr = add.line.body[0]  # type: ignore[union-attr]
            edits.append(Edit("replace", expr, parts))
        if adds:
            edits.append(Edit("after", last_stmt, [Statement(model_code)], indent_from=c.line))
        if build is not None:
            edits.append(self._delete_line(build.line))  # type: ignore[arg-type]

        self._claimed.append((c.scope, span, {inputs_name, x_name}))
        removed = [c.call] + ([spec.replaced] if spec.replaced is not None else [])
        return Plan(
            c, edits, len(list_layers) + len(adds), spec.source, (inputs_name, x_name), span, removed=removed
        )

    def _layer_elements(
        self, c: Construction
    ) -> tuple[cst.List | cst.Tuple | None, list[str], list[cst.Element]]:
        layers_arg, model_kwargs = self._call_arguments(c)
        elements = list(layers_arg.elements) if layers_arg is not None else []
        for element in elements:
            if isinstance(element, cst.StarredElement):
                raise SkipConstruction(
                    element,
                    "dynamic-layers",
                    "the layer list is unpacked with *; its length is not known statically",
                )
        return layers_arg, model_kwargs, elements  # type: ignore[return-value]

    def _call_arguments(self, c: Construction) -> tuple[cst.List | cst.Tuple | None, list[str]]:
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
                model_kwargs.append(f"{key}={self.analysis.code(arg.value)}")
            else:
                raise SkipConstruction(
                    arg, "unsupported-argument", f"Sequential({key}=...) has no functional Model equivalent"
                )
        if layers is None or (isinstance(layers, cst.Name) and layers.value == "None"):
            return None, model_kwargs
        if not isinstance(layers, cst.List | cst.Tuple):
            raise SkipConstruction(
                layers,
                "dynamic-layers",
                "the layers are not a literal list, so they cannot be unrolled statically",
            )
        return layers, model_kwargs

    def _collect_adds(self, c: Construction, refs: list[Ref]) -> tuple[list[Ref], int, Ref | None]:
        an = self.analysis
        block = c.block
        adds: list[Ref] = []
        last = c.index
        ctor_range = an.range(c.line)
        by_statement: dict[int, list[Ref]] = {}  # block index -> the refs in that statement
        for r in refs:
            where = an.holder_index(block, r.range) if not r.nested_scope else None
            if where is not None and where > c.index:
                by_statement.setdefault(where, []).append(r)
        for i in sorted(by_statement):
            stmt = block[i]
            inside = by_statement[i]
            if not any(r.kind == "add" for r in inside):
                self._check_stop(c, stmt, inside, i, refs)
                break
            for r in inside:
                if r.kind == "assign":
                    raise SkipConstruction(
                        r.node, "reassigned", "the model variable is reassigned among its add() calls"
                    )
                if r.kind != "add":
                    raise SkipConstruction(
                        r.node,
                        "used-between-adds",
                        "the model is used before its last add(), while it is still incomplete",
                    )
                if r.line is None or (r.line is not stmt and not isinstance(stmt, cst.BaseCompoundStatement)):
                    raise SkipConstruction(
                        r.node, "unsupported-form", "add() shares its line with other statements"
                    )
                if isinstance(r.line, cst.SimpleStatementLine) and r.line is not stmt:
                    self._check_control_flow(r.line, stmt)
            adds.extend(r for r in inside)
            last = i
        end = an.range(block[last]).end
        build = None
        after = [r for r in refs if r.nested_scope or _before(end, r.range.start)]
        following = [r for r in after if not r.nested_scope]
        if following and following[0].kind == "build" and following[0].line in block:
            build = following[0]
            after = [r for r in after if r is not build]
        for r in [*after, *(r for r in refs if _before(r.range.start, ctor_range.start))]:
            if r.kind in ("add", "add-other"):
                raise SkipConstruction(
                    r.node,
                    "add-outside-block",
                    "add() is called on the model outside the block that builds it",
                )
            if r.kind == "pop":
                raise SkipConstruction(
                    r.node, "pop", "pop() is called on the model; a functional Model has no pop()"
                )
            if r.kind == "layers-index":
                raise SkipConstruction(
                    r.node,
                    "layers-indexed",
                    "model.layers is indexed; a functional Model lists its InputLayer first, "
                    "so the indices would shift",
                )
            if r.kind == "build" and r is not build:
                raise SkipConstruction(
                    r.node, "build-elsewhere", "build() is called away from the block that builds the model"
                )
        if any(isinstance(self.analysis.parent(r.node), cst.Return) for r in after):
            self._check_callers(c)
        return adds, last, build

    def _check_callers(self, c: Construction) -> None:
        """A factory returns the model: callers must not add(), pop() or index .layers either."""
        an = self.analysis
        func = enclosing_function(an, c.statement)
        if func is None:
            return
        for _, var in caller_variables(an, func):
            var_scope = an.scope(var) if var is not None else None
            if var is None or var_scope is None:
                continue
            for use in binding_uses(an, var):
                kind = _classify(an, use, var_scope).kind
                if kind in ("add", "add-other", "pop", "layers-index"):
                    what = "layers[...]" if kind == "layers-index" else kind.split("-")[0] + "()"
                    raise SkipConstruction(
                        use,
                        "add-outside-block",
                        f"the model returned by {func.name.value}() is changed by its caller ({var.value}.{what})",
                    )

    def _check_stop(
        self, c: Construction, stmt: cst.BaseStatement, inside: list[Ref], index: int, refs: list[Ref]
    ) -> None:
        """The adds stop at `stmt`; refuse if adds to the same name still follow it in the block
        (before a plain `name = ...` there starts a new model)."""
        all_refs = _all_name_refs(self.analysis, c)
        rebinds = [
            self.analysis.range(a.node)
            for a in (assignments_of(c.binding, c.target.value) if isinstance(c.target, cst.Name) else [])
            if isinstance(a.node, cst.Name) and isinstance(self.analysis.parent(a.node), cst.AssignTarget)
        ]
        an = self.analysis
        end = len(c.block)
        for r in rebinds:
            where = an.holder_index(c.block, r)
            if where is not None and where > index and isinstance(c.block[where], cst.SimpleStatementLine):
                end = min(end, where + 1)  # a new model from here; its own line may still read the old one
        later_adds = [
            r
            for r in all_refs
            if r.kind in ("add", "add-other") and index < (an.holder_index(c.block, r.range) or -1) < end
        ]
        if not later_adds:
            return
        plain_reassignment = isinstance(stmt, cst.SimpleStatementLine) and all(
            r.kind == "assign" for r in inside
        )
        if plain_reassignment:
            return  # a new model starts here
        first = inside[0]
        if any(r.kind == "assign" for r in inside):
            raise SkipConstruction(
                first.node,
                "reassigned",
                "the model variable is reassigned in a branch before later add() calls",
            )
        raise SkipConstruction(
            first.node,
            "used-between-adds",
            "the model is used before its last add(), while it is still incomplete",
        )

    def _check_control_flow(self, line: cst.CSTNode, holder: cst.CSTNode) -> None:
        node: cst.CSTNode | None = self.analysis.parent(line)
        while node is not None and node is not holder:
            if not isinstance(node, CONTROL_FLOW):
                raise SkipConstruction(
                    line,
                    "unsupported-control-flow",
                    f"add() sits inside {type(node).__name__}, which cannot be kept as it is",
                )
            node = self.analysis.parent(node)

    def _top_level(self, c: Construction, add: Ref) -> bool:
        return self.analysis.in_block(c.block, add.line)

    def _block_statement(self, c: Construction, add: Ref) -> cst.BaseStatement:
        rng = add.range
        where = self.analysis.holder_index(c.block, rng)
        assert where is not None
        return c.block[where]

    def _input_spec(
        self,
        c: Construction,
        elements: list[cst.Element],
        adds: list[Ref],
        build: Ref | None,
        refs: list[Ref],
    ) -> tuple[InputSpec, int]:
        """The model's input, and the index of the first list element that is a layer."""
        an = self.analysis
        if elements:
            spec = _input_element(an, elements[0].value, c.scope, self.refs)
            if spec is not None:
                return spec, 1
            first = elements[0].value
        elif adds and self._top_level(c, adds[0]):
            spec = _input_element(an, adds[0].arg, c.scope, self.refs)  # type: ignore[arg-type]
            if spec is not None:  # Keras 3's own pattern: model.add(keras.Input(shape=...))
                arg = adds[0].arg
                what = an.code(arg) if isinstance(arg, cst.Name) else f"{an.code(arg.func)}(...)"  # type: ignore[union-attr]
                return replace(spec, source=f"the add({what}) call", from_add=True), 0
            first = adds[0].arg  # type: ignore[assignment]
        else:
            first = None
        if first is not None:
            keras2 = any(name.startswith(KERAS2_FAMILIES) for name in an.qualified_names(c.call.func))
            spec = _first_layer_input(an, first, self.refs, keras2) or self._preceding_model_input(c, first)
            if spec is not None:
                return spec, 0
        if build is not None and build.arg is not None and not _is_none(build.arg):
            self._require_stable(c, build.arg, build)
            return InputSpec(
                f"{self.refs.input}({_batch_shape_arg(an, build.arg)})", "the later build() call"
            ), 0
        applied = self._applied_input(c, refs)
        if applied is not None:
            return applied, 0
        if self.options.input_shape is not None:
            dims = ", ".join("None" if d is None else str(d) for d in self.options.input_shape)
            trailing = "," if len(self.options.input_shape) == 1 else ""
            return InputSpec(f"{self.refs.input}(shape=({dims}{trailing}))", "--input-shape"), 0
        where = (
            "the first layer is added conditionally"
            if adds and first is None
            else ("no Input, input_shape=, input_dim= or build() gives it")
        )
        hint = "--input-shape"
        if isinstance(first, cst.Call) and an.resolves_to(first.func, EMBEDDING):
            hint = "--input-shape with the sequence length (None for any length)"
        raise SkipConstruction(
            c.call, "input-shape-unknown", f"the input shape is unknown ({where}); pass {hint}"
        )

    def _applied_input(self, c: Construction, refs: list[Ref]) -> InputSpec | None:
        """The model is applied to `Input(...)` tensors (`z = encoder(inputs)`): Keras builds it
        with their shape, so the new Input takes it too. All must agree and be literal."""
        an = self.analysis
        found: dict[str, str] = {}  # Input(...) arguments -> the tensor that had them
        for node in self._applications(c, refs):
            call = an.parent(node)
            if not (
                isinstance(call, cst.Call)
                and call.func is node
                and call.args
                and isinstance(call.args[0].value, cst.Name)
                and call.args[0].keyword is None
            ):
                continue
            tensor = call.args[0].value
            created = self._input_call(tensor)
            if created is None:
                return None  # applied to something else too: its shape may differ
            args = [a for a in created.args if a.keyword is None or a.keyword.value in _INPUT_ARGS]
            if not all(_literal(a.value) for a in args) or any(a.star for a in args):
                return None
            found.setdefault(
                ", ".join(
                    an.code(a.value) if a.keyword is None else f"{a.keyword.value}={an.code(a.value)}"
                    for a in args
                ),
                tensor.value,
            )
        if len(found) != 1:
            return None
        [(input_args, tensor_name)] = found.items()
        return InputSpec(f"{self.refs.input}({input_args})", f"the Input {tensor_name} it is applied to")

    def _applications(self, c: Construction, refs: list[Ref]) -> list[cst.CSTNode]:
        """The nodes that denote the model where it may be applied: its references, and when a
        function returns it, the variables its callers keep it in (`m = build(); m(inputs)`)."""
        an = self.analysis
        nodes = [ref.node for ref in refs]
        returned = c.target is None or any(
            isinstance(an.parent(ref.node), cst.Return) and not ref.nested_scope for ref in refs
        )
        func = enclosing_function(an, c.statement) if returned else None
        for _, var in caller_variables(an, func) if func is not None else []:
            if var is not None:
                nodes += binding_uses(an, var)
        return nodes

    def _input_call(self, name: cst.Name) -> cst.Call | None:
        """The `Input(...)` call that is the only binding of `name`, if it is one."""
        call = self._only_call(name)
        return call if call is not None and self.analysis.resolves_to(call.func, INPUT) else None

    def _only_call(self, name: cst.Name) -> cst.Call | None:
        """The call whose result is the only binding of `name` (`base = f(...)`), if it is one."""
        scope = self.analysis.scope(name)
        assignments = (
            list(assignments_of(scope, name.value))
            if scope is not None and name.value in scope.assignments
            else []
        )
        if len(assignments) != 1 or not isinstance(assignments[0].node, cst.Name):
            return None
        assign = self.analysis.parent(self.analysis.parent(assignments[0].node) or assignments[0].node)
        if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.value, cst.Call):
            return assign.value
        return None

    def _preceding_model_input(self, c: Construction, first: cst.BaseExpression) -> InputSpec | None:
        """The first layer is a model made with `input_shape=` (transfer learning:
        `base = keras.applications.MobileNetV2(input_shape=IMG_SHAPE, ...)`): the Input takes it."""
        if not isinstance(first, cst.Name):
            return None
        made = self._only_call(first)
        if made is None or not self.analysis.is_keras(made.func):
            return None
        shape = keyword_args(made).get("input_shape")
        an = self.analysis
        if shape is None or self._changed_name(c, shape.value, an.range(made).start, an.range(c.line).start):
            return None
        return InputSpec(
            f"{self.refs.input}(shape={self.analysis.code(shape.value)})",
            f"the input_shape= of {first.value}",
        )

    def _require_stable(self, c: Construction, expr: cst.BaseExpression, build: Ref) -> None:
        """The build() shape moves up to the constructor; its names must not change in between."""
        name = self._changed_name(c, expr, self.analysis.range(c.line).start, build.range.start)
        if name is not None:
            raise SkipConstruction(
                build.node,
                "input-shape-unknown",
                f"the build() shape uses {name}, which is assigned after the model is created",
            )

    def _changed_name(
        self, c: Construction, expr: cst.BaseExpression, start: CodePosition, end: CodePosition
    ) -> str | None:
        """A name in `expr` that is assigned between `start` and `end`, if there is one."""
        if _literal(expr):
            return None
        for name in _names_in(expr):
            for a in assignments_of(c.scope, name):
                if isinstance(a.node, cst.CSTNode):
                    pos = self.analysis.range(a.node).start
                    if _before(start, pos) and _before(pos, end):
                        return name
        return None

    def _names(self, c: Construction, span: tuple[int, int], spec: InputSpec) -> tuple[str, str]:
        base = "model" if c.target is None else (dotted_name(c.target) or "model").rsplit(".", 1)[-1]
        taken = {
            n
            for scope, (a, b), names in self._claimed
            if scope is c.scope and not (b < span[0] or span[1] < a)
            for n in names
        }
        inputs = spec.tensor or self._free(c.scope, ("inputs", f"{base}_inputs"), taken)
        x = self._free(c.scope, ("x", f"{base}_x"), taken | {inputs})
        return inputs, x

    def _free(self, scope: Scope, candidates: Sequence[str], taken: set[str]) -> str:
        return free_name(self.analysis, scope, candidates, taken)

    def _model_code(self, c: Construction, inputs: str, outputs: str, kwargs: list[str]) -> str:
        args = ", ".join([f"inputs={inputs}", f"outputs={outputs}", *kwargs])
        call = f"{self.refs.model}({args})"
        if c.target is None:
            return f"return {call}"
        return f"{self.analysis.code(c.target)} = {call}"

    def _lost_comments(self, call: cst.Call, kept: list[cst.Element]) -> list[cst.Comment]:
        """Comments in the constructor that no kept layer expression or list slot carries."""
        keep = {id(cm) for element in kept for cm in comments_in(element.value)}
        layers = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "layers"), None)
        harvested = (
            {id(cm) for cm in _list_whitespace_comments(layers)}
            if isinstance(layers, cst.List | cst.Tuple)
            else set()
        )
        return [cm for cm in comments_in(call) if id(cm) not in keep and id(cm) not in harvested]

    def _lost_comments_add(self, add: Ref) -> list[cst.Comment]:
        expr = add.line.body[0]  # type: ignore[union-attr]
        keep = {id(cm) for cm in comments_in(add.arg)}  # type: ignore[arg-type]
        return [cm for cm in comments_in(expr) if id(cm) not in keep]

    def _delete_line(self, line: cst.SimpleStatementLine, kept: list[Part] | None = None) -> Edit:
        """Remove a statement line, leaving `kept` parts and its trailing comment in its place."""
        comment = line.trailing_whitespace.comment
        parts = list(kept or [])
        if (
            comment is not None
            and parts
            and isinstance(parts[-1], Statement)
            and not parts[-1].trailing_comment
        ):
            parts[-1] = replace(parts[-1], trailing_comment=comment.value)
        elif comment is not None:
            parts.append(Verbatim(comment.value))
        return Edit("replace-line", line, parts) if parts else Edit("delete", line)


class _Names(cst.CSTVisitor):
    """Names read by an expression; attribute names (`.attr`) are not names."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.found.append(node.value)


def _names_in(expr: cst.CSTNode) -> Iterator[str]:
    visitor = _Names()
    expr.visit(visitor)
    yield from visitor.found


# -- comments inside a layer list -------------------------------------------


def _slots(seq: cst.List | cst.Tuple) -> list[cst.BaseParenthesizableWhitespace]:
    """The whitespace before the first element, after each comma, and before the closer."""
    opener = (
        seq.lbracket.whitespace_after
        if isinstance(seq, cst.List)
        else (seq.lpar[0].whitespace_after if seq.lpar else cst.SimpleWhitespace(""))
    )
    slots: list[cst.BaseParenthesizableWhitespace] = [opener]
    for element in seq.elements:
        comma = element.comma
        slots.append(comma.whitespace_after if isinstance(comma, cst.Comma) else cst.SimpleWhitespace(""))
    closer = (
        seq.rbracket.whitespace_before
        if isinstance(seq, cst.List)
        else (seq.rpar[-1].whitespace_before if seq.rpar else cst.SimpleWhitespace(""))
    )
    slots.append(closer)
    return slots


def _list_whitespace_comments(seq: cst.List | cst.Tuple) -> list[cst.Comment]:
    found: list[cst.Comment] = []
    for ws in _slots(seq):
        found += comments_in(ws)
    return found


def element_comments(seq: cst.List | cst.Tuple) -> list[tuple[list[str], str | None]]:
    """Per element: the comment lines above it and the comment at the end of its line.

    One extra entry at the end holds the comment lines left after the last element.
    """
    n = len(seq.elements)
    leading: list[list[str]] = [[] for _ in range(n + 1)]
    trailing: list[str | None] = [None] * (n + 1)
    slots = _slots(seq)
    # slot k sits after element k-1 and before element k; the closer's slot too
    for k, ws in enumerate(slots[: n + 1] if len(slots) > n + 1 else slots):
        if not isinstance(ws, cst.ParenthesizedWhitespace):
            continue
        before = k - 1 if k > 0 else None
        first = ws.first_line.comment
        if first is not None:
            if before is not None:
                trailing[before] = first.value
            else:
                leading[min(k, n)].append(first.value)
        leading[min(k, n)] += [line.comment.value for line in ws.empty_lines if line.comment]
    closer = slots[-1]
    if isinstance(closer, cst.ParenthesizedWhitespace) and len(slots) > n + 1:
        if closer.first_line.comment is not None and n:
            trailing[n - 1] = trailing[n - 1] or closer.first_line.comment.value
        leading[n] += [line.comment.value for line in closer.empty_lines if line.comment]
    return list(zip(leading, trailing, strict=True))


__all__ = ["Edit", "Plan", "Planner", "References", "Statement", "Verbatim"]
