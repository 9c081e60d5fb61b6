"""Where a model is referenced, and what each reference does to it.

Every reference of a construction's target is classified once: an `add(...)`,
a `build(...)`, a `pop()`, an index into `.layers`, a rebinding, or any other use.
The planners and the S2F rules read these, never the raw scope data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import libcst as cst
from libcst.metadata import Scope
from libcst.metadata.position_provider import CodeRange

from seq2func.analysis.find import Analysis, Construction, assignments_of, bound_at, dotted_name
from seq2func.analysis.nodes import before

StatementLine = cst.SimpleStatementLine | cst.SimpleStatementSuite
RefKind = Literal[
    "add",
    "add-other",
    "build",
    "pop",
    "layers-index",
    "layers-read",  # `m.layers` read whole: len(), a loop, a list
    "get-layer",  # `m.get_layer(...)`
    "method-value",  # `m.add` or `m.pop` taken as a value
    "isinstance",  # `isinstance(m, ...)`
    "assign",
    "output-shape",
    "other",
]
SEQUENTIAL_ONLY = ("add", "pop")  # methods a functional Model does not have


@dataclass
class Ref:
    node: cst.CSTNode  # the Name or Attribute that denotes the model
    range: CodeRange
    kind: RefKind
    line: StatementLine | None = None  # the statement line of an add/build
    arg: cst.BaseExpression | None = None  # the layer of an add, the shape of a build
    nested_scope: bool = False


def add_parts(add: Ref) -> tuple[StatementLine, cst.BaseExpression]:
    """An add()'s line and layer; the facts keep only adds that have both."""
    assert add.line is not None and add.arg is not None
    return add.line, add.arg


def method_call(analysis: Analysis, ref: cst.CSTNode) -> tuple[str, cst.Call | cst.Subscript] | None:
    """`m.name(...)` as ("name", the call), or `m.layers[...]` as ("layers-index", the subscript)."""
    attr = analysis.parent(ref)
    if not isinstance(attr, cst.Attribute) or attr.value is not ref:
        return None
    call = analysis.parent(attr)
    if isinstance(call, cst.Call) and call.func is attr:
        return attr.attr.value, call
    if attr.attr.value == "layers" and isinstance(call, cst.Subscript):
        return "layers-index", call
    return None


def statement_line(analysis: Analysis, call: cst.Call) -> StatementLine | None:
    """The line a call stands alone on as an expression statement, if it does."""
    expr = analysis.parent(call)
    line = analysis.parent(expr) if isinstance(expr, cst.Expr) else None
    if isinstance(line, cst.SimpleStatementLine | cst.SimpleStatementSuite) and len(line.body) == 1:
        return line
    return None


def classify(analysis: Analysis, node: cst.CSTNode, own_scope: Scope) -> Ref:
    rng = analysis.range(node)
    nested = analysis.scope(node) is not own_scope
    parent = analysis.parent(node)
    if isinstance(parent, cst.AssignTarget | cst.AugAssign | cst.AnnAssign | cst.Del):
        return Ref(node, rng, "assign", nested_scope=nested)
    if _reads_output_shape(analysis, node, parent):
        return Ref(node, rng, "output-shape", nested_scope=nested)
    method = method_call(analysis, node)
    if method is None:
        return Ref(node, rng, _other_use(analysis, node, parent), nested_scope=nested)
    name, call = method
    if name == "pop":
        return Ref(node, rng, "pop", nested_scope=nested)
    if name == "get_layer":
        return Ref(node, rng, "get-layer", nested_scope=nested)
    if name == "layers-index":
        return Ref(node, rng, "layers-index", nested_scope=nested)
    if name == "add" and isinstance(call, cst.Call):
        arg = _only_argument(call, "layer")
        if arg is not None:
            return Ref(node, rng, "add", line=statement_line(analysis, call), arg=arg, nested_scope=nested)
        return Ref(node, rng, "add-other", nested_scope=nested)
    if name == "build" and isinstance(call, cst.Call):
        # a bare build(): nothing to keep once the model has its Input
        arg = _only_argument(call, "input_shape") if call.args else cst.Name("None")
        line = statement_line(analysis, call)
        if arg is not None and line is not None:
            return Ref(node, rng, "build", line=line, arg=arg, nested_scope=nested)
    return Ref(node, rng, "other", nested_scope=nested)


def _other_use(analysis: Analysis, node: cst.CSTNode, parent: cst.CSTNode | None) -> RefKind:
    """What a reference that calls no method of the model does with it."""
    if isinstance(parent, cst.Attribute) and parent.value is node:
        outer = analysis.parent(parent)
        if isinstance(outer, cst.AssignTarget | cst.AugAssign | cst.Del):
            return "other"
        if parent.attr.value in SEQUENTIAL_ONLY:
            return "method-value"
        if parent.attr.value == "layers":
            return "layers-read"
    if isinstance(parent, cst.Arg):
        call = analysis.parent(parent)
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value == "isinstance"
            and call.args
            and call.args[0] is parent
        ):
            return "isinstance"
    return "other"


def _reads_output_shape(analysis: Analysis, node: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
    """`model.output_shape`, read (not assigned, not called)."""
    if not (
        isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value == "output_shape"
    ):
        return False
    outer = analysis.parent(parent)
    return not isinstance(outer, cst.AssignTarget | cst.AugAssign | cst.Del) and not (
        isinstance(outer, cst.Call) and outer.func is parent
    )


def _only_argument(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    """The value of a call's single argument, given by position or as `keyword=`."""
    if len(call.args) != 1 or call.args[0].star:
        return None
    arg = call.args[0]
    if arg.keyword is None or arg.keyword.value == keyword:
        return arg.value
    return None


class _AttributeRefs(cst.CSTVisitor):
    def __init__(self, dotted: str) -> None:
        self.dotted = dotted
        self.found: list[cst.Attribute] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if dotted_name(node) == self.dotted:
            self.found.append(node)
            return False
        return True


def all_name_refs(analysis: Analysis, c: Construction) -> list[Ref]:
    """References to the target under any of its assignments (attribute targets: as found)."""
    if not isinstance(c.target, cst.Name):
        return model_refs(analysis, c)
    found: dict[int, Ref] = {}
    for assignment in assignments_of(c.binding, c.target.value):
        for access in assignment.references:
            found.setdefault(id(access.node), classify(analysis, access.node, c.scope))
    return list(found.values())


def model_refs(analysis: Analysis, c: Construction) -> list[Ref]:
    """Every place that may denote the model built by `c`, in source order."""
    target = c.target
    assert target is not None
    ctor = analysis.range(c.statement).start
    if isinstance(target, cst.Name):
        name = target.value
        own = next(a for a in assignments_of(c.binding, name) if a.node is target)
        later = [
            bound_at(analysis, a.node)
            for a in assignments_of(c.binding, name)
            if a is not own and isinstance(a.node, cst.CSTNode) and before(ctor, analysis.range(a.node).start)
        ]
        next_assignment = min(later, key=lambda p: (p.line, p.column), default=None)
        refs = []
        for access in own.references:
            ref = classify(analysis, access.node, c.scope)
            if not ref.nested_scope and next_assignment and not before(ref.range.start, next_assignment):
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
        refs = [classify(analysis, n, c.scope) for n in collector.found if n is not target]
    refs.sort(key=lambda r: (r.range.start.line, r.range.start.column))
    return refs
