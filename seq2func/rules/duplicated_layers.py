"""S2F101: a function creates Keras layers on every call, and several calls feed one model.

This is the seed's bug. `create_base_network(input_k)` built its own Conv2D...
Reshape stack on each of six calls, so the model held six copies of the
weights instead of one shared set. The fix moves the layer constructors out of
the function, so they run once, and leaves the calls as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ClassScope, Scope

from seq2func.analysis.find import INPUT, INPUT_LAYER, SEQUENTIAL, Analysis, assignments_of, keras_names
from seq2func.analysis.names import free_name, layer_name
from seq2func.analysis.nodes import names_in, own_statements
from seq2func.edits.parts import Edit, Part, Statement, Verbatim
from seq2func.rules.base import Invalid, Rule, RuleContext, Violation

MODEL = keras_names("Model")
NOT_LAYERS = SEQUENTIAL | INPUT | INPUT_LAYER | MODEL
# Layers without weights: duplicating them costs nothing, so they alone never make a finding.
WEIGHTLESS = frozenset(
    {
        "Activation",
        "ActivityRegularization",
        "Add",
        "AlphaDropout",
        "Average",
        "AveragePooling1D",
        "AveragePooling2D",
        "AveragePooling3D",
        "Concatenate",
        "Cropping1D",
        "Cropping2D",
        "Cropping3D",
        "Dot",
        "Dropout",
        "ELU",
        "Flatten",
        "GaussianDropout",
        "GaussianNoise",
        "GlobalAveragePooling1D",
        "GlobalAveragePooling2D",
        "GlobalAveragePooling3D",
        "GlobalMaxPooling1D",
        "GlobalMaxPooling2D",
        "GlobalMaxPooling3D",
        "Identity",
        "Lambda",
        "LeakyReLU",
        "Masking",
        "MaxPooling1D",
        "MaxPooling2D",
        "MaxPooling3D",
        "Maximum",
        "Minimum",
        "Multiply",
        "Permute",
        "ReLU",
        "RepeatVector",
        "Rescaling",
        "Reshape",
        "Softmax",
        "SpatialDropout1D",
        "SpatialDropout2D",
        "SpatialDropout3D",
        "Subtract",
        "UpSampling1D",
        "UpSampling2D",
        "UpSampling3D",
        "ZeroPadding1D",
        "ZeroPadding2D",
        "ZeroPadding3D",
    }
)
_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_MUTATORS = ("append", "extend", "insert")


@dataclass
class Creation:
    call: cst.Call  # `Conv2D(...)`, the constructor
    weighted: bool
    top_level: bool  # a statement of the function body itself, not under control flow


@dataclass
class CallSite:
    call: cst.Call
    line: int
    in_loop: bool  # runs once per iteration with an argument that changes per iteration
    arguments: str  # the arguments as written: calls on the same tensor are meant to differ
    after: set[int] = field(default_factory=set)  # ids of calls whose results feed this one's arguments


@dataclass
class Meeting:
    sites: list[CallSite]  # the calls whose results meet in one Keras call
    loop: bool


class DuplicatedLayers(Rule):
    code = "S2F101"
    name = "duplicated-layers"
    summary = "a function creates layers on every call, and several calls feed one model"
    fix_title = "Share layers across calls"
    proof = "sharing"

    VALID = (
        # a chain in a loop: each block feeds the next and is meant to have its own layers
        """
import keras
def block(t, i):
    return keras.layers.Dense(8, name=f"d{i}")(t)
x = keras.Input((8,))
for i in range(3):
    x = block(x, i)
model = keras.Model(x, x)
""",
        # the layers are created once and reapplied: the fixed form
        """
from keras.layers import Dense, Input, Concatenate
from keras.models import Model
dense = Dense(8)
def branch(t):
    return dense(t)
a, b = Input((4,)), Input((4,))
model = Model([a, b], Concatenate()([branch(a), branch(b)]))
""",
        # called once
        """
from keras.layers import Dense, Input
def branch(t):
    return Dense(8)(t)
a = Input((4,))
y = branch(a)
""",
        # a helper that only takes layers as arguments
        """
from keras.layers import Dense, Input, Concatenate
def apply(layer, t):
    return layer(t)
d = Dense(4)
a, b = Input((4,)), Input((4,))
y = Concatenate()([apply(d, a), apply(d, b)])
""",
        # only weightless layers: nothing to share
        """
from keras.layers import Flatten, Dropout, Input, Concatenate
def prep(t):
    return Dropout(0.1)(Flatten()(t))
a, b = Input((4, 2)), Input((4, 2))
y = Concatenate()([prep(a), prep(b)])
""",
        # two calls that build two separate models
        """
from keras.layers import Dense, Input
from keras.models import Model
def head(t):
    return Dense(3)(t)
a = Input((4,))
m1 = Model(a, head(a))
m2 = Model(a, head(a))
""",
        # suppressed: separate weights are intended
        """
from keras.layers import Dense, Input, Concatenate
def tower(t):  # seq2func: ignore[S2F101]
    return Dense(8)(t)
a, b = Input((4,)), Input((4,))
y = Concatenate()([tower(a), tower(b)])
""",
        # a chain of blocks: each call is meant to have its own layers
        """
import keras
from keras import layers
def res_block(x, filters):
    y = layers.Conv2D(filters, 3, padding="same")(x)
    return layers.Add()([x, y])
inputs = keras.Input((8, 8, 4))
x = res_block(inputs, 4)
x = res_block(x, 4)
skip = x
x = res_block(x, 4)
outputs = layers.Concatenate()([x, skip])
""",
        # heads on the same input: sharing would make them identical, so they are meant to differ
        """
import keras
from keras import layers
def head(x):
    return layers.Dense(8)(x)
inputs = keras.Input((16,))
both = layers.Concatenate()([head(inputs), head(inputs)])
many = layers.Concatenate()([head(inputs) for _ in range(4)])
""",
        # torch modules are not Keras layers
        """
import torch
def block(t):
    return torch.nn.Linear(4, 4)(t)
y = torch.cat([block(torch.ones(1, 4)), block(torch.ones(1, 4))])
""",
    )

    INVALID = (
        Invalid(
            """
from keras.layers import Conv2D, Dense, Flatten, Input, Concatenate
from keras.models import Model


def tower(t):
    x = Conv2D(8, 3)(t)
    x = Flatten()(x)
    return Dense(4, name='out4')(x)


a = Input((8, 8, 1))
b = Input((8, 8, 1))
model = Model([a, b], Concatenate()([tower(a), tower(b)]))
""",
            fixed="""
from keras.layers import Conv2D, Dense, Flatten, Input, Concatenate
from keras.models import Model


conv2d = Conv2D(8, 3)
flatten = Flatten()
out4 = Dense(4, name='out4')


def tower(t):
    x = conv2d(t)
    x = flatten(x)
    return out4(x)


a = Input((8, 8, 1))
b = Input((8, 8, 1))
model = Model([a, b], Concatenate()([tower(a), tower(b)]))
""",
            message="tower() creates 3 layers on every call; it is called 2 times (line 14), "
            "so the model holds 2 separate copies",
            range=(6, 1, 9, 36),
        ),
        # results collected in a comprehension, then concatenated
        Invalid(
            """
import keras
def encode(t, width):
    h = keras.layers.Dense(width)(t)
    return h
inputs = [keras.Input((4,)) for _ in range(3)]
merged = keras.layers.concatenate([encode(t, 8) for t in inputs])
""",
            fixed=None,
            message="called in a loop (line 7)",
            range=(3, 1, 5, 13),
        ),
        # the seed's six calls, written as a comprehension: fixed like the calls written out
        Invalid(
            """
import keras
def encode(t):
    h = keras.layers.Dense(8)(t)
    return h
inputs = [keras.Input((4,)) for _ in range(6)]
merged = keras.layers.concatenate([encode(t) for t in inputs])
""",
            fixed="""
import keras


dense = keras.layers.Dense(8)


def encode(t):
    h = dense(t)
    return h
inputs = [keras.Input((4,)) for _ in range(6)]
merged = keras.layers.concatenate([encode(t) for t in inputs])
""",
            message="called in a loop (line 7)",
            range=(3, 1, 5, 13),
        ),
        # layers made in a loop of the helper: more than are written, so no count is claimed
        Invalid(
            """
import keras
def tower(x):
    for n in (8, 4):
        x = keras.layers.Dense(n)(x)
    return x
a = keras.Input((3,))
b = keras.Input((3,))
merged = keras.layers.concatenate([tower(a), tower(b)])
""",
            fixed=None,
            message="tower() creates layers (1 written, 1 of them under control flow) on every call",
            range=(3, 1, 6, 13),
        ),
        # layers bound to names inside the helper, applied later
        Invalid(
            """
from keras import layers
import keras
def block(t):
    d = layers.Dense(16)
    return d(t)
x1 = keras.Input((4,))
x2 = keras.Input((4,))
h1 = block(x1)
h2 = block(x2)
out = layers.Add()([h1, h2])
""",
            fixed="""
from keras import layers
import keras


dense = layers.Dense(16)


def block(t):
    d = dense
    return d(t)
x1 = keras.Input((4,))
x2 = keras.Input((4,))
h1 = block(x1)
h2 = block(x2)
out = layers.Add()([h1, h2])
""",
            range=(4, 1, 6, 16),
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Violation]:
        analysis = context.analysis
        for func in analysis.index().functions:
            creations = _creations(analysis, func)
            if not any(c.weighted for c in creations) or not _applied_to_parameter(analysis, func, creations):
                continue
            sites = _call_sites(analysis, func)
            meeting = _largest_meeting(analysis, sites)
            if meeting is None:
                continue
            yield self._violation(context, func, creations, sites, meeting)

    def _violation(
        self,
        context: RuleContext,
        func: cst.FunctionDef,
        creations: list[Creation],
        sites: list[CallSite],
        meeting: Meeting,
    ) -> Violation:
        name = func.name.value
        n = len(creations)
        layers = f"{n} layer{'s' if n != 1 else ''}"
        looped = sum(1 for c in creations if not c.top_level)
        if looped:  # a loop may make more than are written
            layers = f"layers ({n} written, {looped} of them under control flow)"
        if meeting.loop:
            called = sorted({s.line for s in meeting.sites if s.in_loop})
            how = (
                f"it is called in a loop ({_lines(called)}), so the model holds a separate copy per iteration"
            )
        else:
            k = len(meeting.sites)
            called = sorted({s.line for s in meeting.sites})
            how = f"it is called {k} times ({_lines(called)}), so the model holds {k} separate copies"
        message = (
            f"{name}() creates {layers} on every call; {how} (weights not shared). "
            "Instantiate the layers once to share them."
        )
        fix, no_fix, named, binds = self._fix(context, func, creations, sites, meeting)
        return Violation(func, message, fix, no_fix, lines=(*called, *named), binds=binds)

    def _fix(
        self,
        context: RuleContext,
        func: cst.FunctionDef,
        creations: list[Creation],
        sites: list[CallSite],
        meeting: Meeting,
    ) -> tuple[list[Edit], str | None, tuple[int, ...], tuple[tuple[Scope, str], ...]]:
        """Bind each layer once, just above the function, and use the bindings inside it; or
        why not, with the lines that says."""
        analysis = context.analysis
        outer = analysis.scope(func)
        inner = analysis.scope(func.body)
        if outer is None or inner is None or isinstance(outer, ClassScope):
            return [], f"{func.name.value}() is a method; its layers would become class attributes", (), ()
        outside = [s for s in sites if all(s.call is not m.call for m in meeting.sites)]
        if outside:
            return (
                [],
                f"{func.name.value}() is also called at line {outside[0].line}, outside the model "
                "whose copies would be merged",
                (outside[0].line,),
                (),
            )
        for creation in creations:
            line = analysis.range(creation.call).start.line
            if not creation.top_level:
                return [], f"a layer is created under control flow at line {line}", (line,), ()
            reason = _unmovable(analysis, creation.call, func, outer, inner)
            if reason:
                return [], reason, (line,), ()
        taken = context.fixed_names.get(outer, set()) | {a.name for a in inner.assignments}
        bindings: list[Part] = []
        edits: list[Edit] = []
        binds: list[tuple[Scope, str]] = []
        for creation in creations:
            binding = free_name(analysis, outer, (layer_name(creation.call),), taken, first_suffix=1)
            taken.add(binding)
            binds.append((outer, binding))
            bindings.append(Statement(f"{binding} = {analysis.code(creation.call)}"))
            edits.append(Edit("replace", creation.call, [Verbatim(binding)]))
        blank = 1 if analysis.range(func).start.column else 2
        edits.append(
            Edit(
                "before",
                func,
                bindings,
                at_line=_first_line(context, func),
                blank_before=blank,
                blank_after=blank,
            )
        )
        return edits, None, (), tuple(binds)


# -- what a function creates ----------------------------------------------------


def _layer_class(analysis: Analysis, func: cst.BaseExpression) -> str | None:
    """The class name when `func` names a Keras layer class."""
    if not analysis.is_keras(func) or analysis.resolves_to(func, NOT_LAYERS):
        return None
    leaf = min(analysis.qualified_names(func)).rsplit(".", 1)[-1]
    return leaf if leaf[:1].isupper() else None


def _creations(analysis: Analysis, func: cst.FunctionDef) -> list[Creation]:
    """Layer constructors that run on every call: `Conv2D(...)(x)` and `d = Dense(...)` applied later."""
    inner = analysis.scope(func.body)
    found: list[Creation] = []
    for call in analysis.index().calls_in[id(func)]:
        cls = _layer_class(analysis, call.func)
        if cls is None:
            continue
        parent = analysis.parent(call)
        applied = isinstance(parent, cst.Call) and parent.func is call
        if not applied and isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0].target
            applied = isinstance(target, cst.Name) and inner is not None and _called(analysis, inner, target)
        if applied:
            found.append(
                Creation(call, cls not in WEIGHTLESS, _statement_of(analysis, call, func) is not None)
            )
    return found


def _called(analysis: Analysis, scope: Scope, name: cst.Name) -> bool:
    for assignment in assignments_of(scope, name.value):
        if assignment.node is name:
            return any(
                isinstance(analysis.parent(a.node), cst.Call) and analysis.parent(a.node).func is a.node  # type: ignore[union-attr]
                for a in assignment.references
            )
    return False


def _statement_of(analysis: Analysis, node: cst.CSTNode, func: cst.FunctionDef) -> cst.CSTNode | None:
    """The statement of func's own body that holds `node`, if no loop or branch is in between."""
    child: cst.CSTNode = node
    parent = analysis.parent(node)
    while parent is not None and parent is not func.body:
        if isinstance(
            parent, (*_LOOPS, cst.BaseCompoundStatement, cst.IfExp, cst.Lambda, cst.BooleanOperation)
        ):
            return None
        child, parent = parent, analysis.parent(parent)
    return child if parent is func.body else None


def _applied_to_parameter(analysis: Analysis, func: cst.FunctionDef, creations: list[Creation]) -> bool:
    """The layers run on what the caller passes in: some parameter feeds some layer call."""
    params = {
        p.name.value for p in [*func.params.params, *func.params.posonly_params, *func.params.kwonly_params]
    }
    creation_calls = {id(c.call) for c in creations}
    for call in analysis.index().calls_in[id(func)]:
        applies_layer = id(call.func) in creation_calls or (
            isinstance(call.func, cst.Name) and any(_bound_to(analysis, call.func, c.call) for c in creations)
        )
        if applies_layer and any(name in params for arg in call.args for name in names_in(arg.value)):
            return True
    return False


def _bound_to(analysis: Analysis, name: cst.Name, creation: cst.Call) -> bool:
    parent = analysis.parent(creation)
    return isinstance(parent, cst.Assign) and any(
        isinstance(t.target, cst.Name) and t.target.value == name.value for t in parent.targets
    )


# -- where the calls go -----------------------------------------------------------


def _call_sites(analysis: Analysis, func: cst.FunctionDef) -> list[CallSite]:
    outer = analysis.scope(func)
    if outer is None or func.name.value not in outer.assignments:
        return []
    sites = []
    for assignment in assignments_of(outer, func.name.value):
        if assignment.node is not func:
            continue
        for access in assignment.references:
            call = analysis.parent(access.node)
            if isinstance(call, cst.Call) and call.func is access.node:
                arguments = ", ".join(analysis.code(arg.value) for arg in call.args)
                read = {n for arg in call.args for n in names_in(arg.value)}
                varies = bool(_loop_targets(analysis, call) & read) and not _feeds_itself(
                    analysis, call, read
                )
                sites.append(CallSite(call, analysis.range(call).start.line, varies, arguments))
    return sites


def _feeds_itself(analysis: Analysis, call: cst.Call, read: set[str]) -> bool:
    """`x = block(x, i)` in a loop: a chain of blocks, each meant to have its own layers."""
    statement = analysis.parent(call)
    if isinstance(statement, cst.Assign) and statement.value is call:
        return bool(read & {n for t in statement.targets for n in names_in(t.target)})
    if isinstance(statement, cst.AugAssign | cst.AnnAssign) and statement.value is call:
        return bool(read & set(names_in(statement.target)))
    return False


def _loop_targets(analysis: Analysis, node: cst.CSTNode) -> set[str]:
    """Names that the loops and comprehensions around `node` bind on each iteration."""
    found: set[str] = set()
    parent = analysis.parent(node)
    while parent is not None and not isinstance(parent, cst.FunctionDef | cst.Module | cst.ClassDef):
        if isinstance(parent, cst.For):
            found |= set(names_in(parent.target))
        elif isinstance(parent, cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp):
            comp: cst.CompFor | None = parent.for_in
            while comp is not None:
                found |= set(names_in(comp.target))
                comp = comp.inner_for_in
        parent = analysis.parent(parent)
    return found


def _owner(analysis: Analysis, node: cst.CSTNode) -> cst.CSTNode | None:
    parent = analysis.parent(node)
    while parent is not None and not isinstance(parent, cst.FunctionDef | cst.Module):
        parent = analysis.parent(parent)
    return parent


class _Reads(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.calls: list[cst.Call] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


def _targets(statement: cst.BaseSmallStatement) -> set[str]:
    """Names a statement binds, and lists it fills (`outs.append(...)`)."""
    found: set[str] = set()
    if isinstance(statement, cst.Assign):
        for target in statement.targets:
            found |= set(names_in(target.target))
    elif isinstance(statement, cst.AugAssign | cst.AnnAssign):
        found |= set(names_in(statement.target))
    elif isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        func = statement.value.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _MUTATORS
            and isinstance(func.value, cst.Name)
        ):
            found.add(func.value.value)
    return found


def _largest_meeting(analysis: Analysis, sites: list[CallSite]) -> Meeting | None:
    """The Keras call that the results of the most call sites reach, following assignments in order."""
    by_owner: dict[int, tuple[cst.CSTNode, list[CallSite]]] = {}
    for site in sites:
        owner = _owner(analysis, site.call)
        if owner is not None:
            by_owner.setdefault(id(owner), (owner, []))[1].append(site)
    best: Meeting | None = None
    for owner, owned in by_owner.values():
        site_of = {id(s.call): s for s in owned}
        taint: dict[str, set[int]] = {}
        for statement in own_statements(owner):
            reads = _Reads()
            statement.visit(reads)
            here = [c for c in reads.calls if id(c) in site_of]
            for call in here:  # what each call's arguments were computed from
                inner = _Reads()
                for arg in call.args:
                    arg.value.visit(inner)
                site_of[id(call)].after = {id(c) for c in inner.calls if id(c) in site_of}.union(
                    *(taint.get(name, set()) for name in inner.names)
                )
            reach = {id(c) for c in here}.union(*(taint.get(name, set()) for name in reads.names))
            if not reach:
                continue
            keras_call = any(
                analysis.is_keras(c.func) or (isinstance(c.func, cst.Call) and analysis.is_keras(c.func.func))
                for c in reads.calls
            )
            copies = _parallel([site_of[i] for i in sorted(reach, key=lambda i: site_of[i].line)])
            loop = any(s.in_loop for s in copies)
            if keras_call and (len(copies) >= 2 or loop):
                meeting = Meeting(copies, loop)
                if best is None or len(meeting.sites) > len(best.sites):
                    best = meeting
            for name in _targets(statement):
                taint[name] = taint.get(name, set()) | reach
    return best


def _parallel(sites: list[CallSite]) -> list[CallSite]:
    """The calls that are copies side by side: none feeds another (a chain of blocks is meant to
    have its own layers per block), and no two run on the same arguments (that would give
    the same result twice, so separate weights must be intended)."""
    chosen: list[CallSite] = []
    for site in sites:
        if all(
            id(site.call) not in other.after
            and id(other.call) not in site.after
            and site.arguments != other.arguments
            for other in chosen
        ):
            chosen.append(site)
    return chosen


# -- moving constructors out ---------------------------------------------------------


def _unmovable(
    analysis: Analysis, call: cst.Call, func: cst.FunctionDef, outer: Scope, inner: Scope
) -> str | None:
    """Why `call` cannot run once above the function instead of on every call, if it cannot."""
    def_line = analysis.range(func).start.line
    for arg in call.args:
        for name in names_in(arg.value):
            if name in inner.assignments:
                return (
                    f"{analysis.code(call.func)}(...) at line {analysis.range(call).start.line} uses {name}, "
                    "which is only known inside the function"
                )
            for assignment in assignments_of(outer, name):
                node = assignment.node
                if isinstance(node, cst.CSTNode) and analysis.range(node).start.line >= def_line:
                    return (
                        f"{analysis.code(call.func)}(...) at line {analysis.range(call).start.line} uses {name}, "
                        f"which is assigned after {func.name.value}() is defined"
                    )
    return None


def _first_line(context: RuleContext, func: cst.FunctionDef) -> int:
    """The first line of the function's decorators and the comment lines right above them."""
    analysis = context.analysis
    line = (
        analysis.range(func.decorators[0]).start.line if func.decorators else analysis.range(func).start.line
    )
    while line > 1 and context.lines[line - 2].lstrip().startswith("#"):
        line -= 1
    return line


def _lines(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"line {lines[0]}"
    if lines == list(range(lines[0], lines[-1] + 1)):
        return f"lines {lines[0]}-{lines[-1]}"
    return "lines " + ", ".join(map(str, lines))
