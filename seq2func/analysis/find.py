"""Find Keras Sequential constructions by resolved name, never by spelling."""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import libcst as cst
import libcst.helpers
from libcst.metadata import (
    Access,
    Assignment,
    ClassScope,
    QualifiedName,
    QualifiedNameSource,
    Scope,
)
from libcst.metadata.position_provider import CodePosition, CodeRange

from seq2func.analysis.narrow import Outline, Unit
from seq2func.analysis.scopes import resolve
from seq2func.types import Location, NotebookFacts, Skip

# Packages that export the Keras API under the same names: `from F.layers import Input` and
# `from F.models import Model` run.
KERAS_PACKAGES = (
    "keras",
    "tensorflow.keras",
    "tf_keras",
    "tensorflow.python.keras",
    "tensorflow.compat.v1.keras",
    "tensorflow.compat.v2.keras",
    "keras.api._v2.keras",
    "tensorflow.python.keras.api._v2.keras",
)
# ... and well-known re-exports of the whole Keras API, seen in public code, which are not
# packages: names a module binds, reached only as its attributes (keras2onnx's
# `proto/__init__.py` binds `keras`, TF Model Optimization's `compat.py` too), or a module whose
# `layers` and `models` are attributes (KerasTuner's `backend/keras.py` star-imports Keras).
KERAS_FAMILIES = (
    *KERAS_PACKAGES,
    "tensorflow_model_optimization.python.core.keras.compat.keras",
    "keras2onnx.proto.keras",
    "keras_tuner.backend.keras",
)
# the module paths of a Keras family an import statement can name
KERAS_IMPORTABLE = frozenset(
    (
        *KERAS_PACKAGES,
        "keras_tuner.backend.keras",
        *(f"{package}.{sub}" for package in KERAS_PACKAGES for sub in ("layers", "models")),
    )
)
KERAS2_FAMILIES = (
    "tf_keras.",
    "tensorflow.python.keras.",
    "keras.api._v2.keras.",  # TensorFlow 2.x's tf.keras, as Keras 2 spelled it inside
    "tensorflow_model_optimization.python.core.keras.compat.keras.",  # tf_keras under Keras 3
)  # Keras 2 whatever TensorFlow is installed

T = TypeVar("T")


def assignments_of(scope: Scope, name: str) -> list[Assignment]:
    """The bindings of `name` in `scope` that are nodes of this module (not builtins)."""
    if name not in scope.assignments:
        return []
    return [a for a in scope.assignments[name] if isinstance(a, Assignment)]


def keras_family(qualname: str) -> str | None:
    """The Keras package a qualified name lies in (the longest match), if any."""
    found = [f for f in KERAS_FAMILIES if qualname == f or qualname.startswith(f + ".")]
    return max(found, key=len) if found else None


@dataclass(frozen=True)
class KerasNames:
    """The qualified names of Keras objects called `leaves`, public or internal
    (`keras.models.Sequential`, `keras.src.models.sequential.Sequential`, `tf_keras.engine...`)."""

    leaves: frozenset[str]

    def __contains__(self, qualname: object) -> bool:
        if not isinstance(qualname, str):
            return False
        module, _, leaf = qualname.rpartition(".")
        return leaf in self.leaves and keras_family(module) is not None

    def __or__(self, other: KerasNames) -> KerasNames:
        return KerasNames(self.leaves | other.leaves)


def keras_names(*leaves: str) -> KerasNames:
    return KerasNames(frozenset(leaves))


SEQUENTIAL = keras_names("Sequential")
INPUT = keras_names("Input")
INPUT_LAYER = keras_names("InputLayer")
MODEL = keras_names("Model", "Functional")
EMBEDDING = keras_names("Embedding")
# Keras 2's recurrent layers read input_dim= / input_length= as their input (input_length, input_dim)
RECURRENT = keras_names("SimpleRNN", "LSTM", "GRU", "RNN", "CuDNNLSTM", "CuDNNGRU")


@dataclass(frozen=True)
class WholeModule:
    """What an analysis of part of a module is told of the whole (`parse.analyse_part`); an
    analysis of a whole text, not narrowed, is told only its statements' spans."""

    outline: Outline | None = None  # what narrowing found (None: not narrowed)
    units: tuple[Unit, ...] = ()  # the top-level statements narrowing read (if it did)
    # the line spans of the module's top-level statements (decorators included), where
    # Python's tree was read: a text cut at their bounds parses and tokenizes on its own
    statements: tuple[tuple[int, int], ...] = ()
    # what the module as a whole says (see `ModuleFacts`), when it comes from elsewhere: an
    # analysis of part of a text is given its whole text's
    facts: ModuleFacts | None = None
    # what the module scope binds and reads in statements LibCST did not see (narrowing's
    # stand-ins, a window's other statements): new module-level names avoid them
    names: frozenset[str] = frozenset()
    # the Sequential models the whole module builds at module level, when this analysis
    # holds only part of it (a window of a large file; see `drivers.windowed`)
    models: frozenset[str] | None = None


class Analysis:
    """A parsed module with the metadata every later step needs.

    Qualified names are asked of the scope for the few nodes that need them, instead of
    QualifiedNameProvider computing them for every node (a third of the metadata cost).
    """

    def __init__(
        self,
        module: cst.Module,
        hidden: Sequence[tuple[int, int]] = (),
        keras_modules: Sequence[str] = (),
        notebook: NotebookFacts | None = None,
        whole: WholeModule | None = None,
    ) -> None:
        self.module = module
        self.whole = whole or WholeModule()
        self.notebook = notebook or NotebookFacts()
        self.observed = self.notebook.observed  # shapes a notebook's saved outputs show
        self.unread = dict(self.notebook.unread)  # names cells seq2func cannot read mention -> cell
        self.hidden = hidden  # line spans stood in for (see `narrow`): no edit may touch them
        self.keras_modules = tuple(keras_modules)  # a project's own Keras re-exports, read as `keras`
        self._scopes_of, self._ranges = resolve(module)
        self._qualified: dict[int, Collection[QualifiedName]] = {}  # as read (`_names`)
        self._spelled: dict[int, Collection[QualifiedName]] = {}  # as written (`_written`)
        self._scopes: list[Scope] | None = None
        self._index: Index | None = None
        self._once: dict[Callable[[Analysis], Any], Any] = {}
        self._block_ranges: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        self._block_ids: dict[int, set[int]] = {}
        self._accesses: dict[int, dict[int, list[Access]]] = {}  # by scope, then by node (`accesses_at`)

    # what the analysis was told of the whole module: read-only, set once (`told` makes
    # another analysis of the same parse when there is more to tell)
    @property
    def outline(self) -> Outline | None:
        return self.whole.outline

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.whole.units

    @property
    def statements(self) -> tuple[tuple[int, int], ...]:
        return self.whole.statements

    @property
    def module_facts(self) -> ModuleFacts | None:
        return self.whole.facts

    @property
    def module_names(self) -> frozenset[str]:
        return self.whole.names

    @property
    def module_models(self) -> frozenset[str] | None:
        return self.whole.models

    def told(self, facts: ModuleFacts, models: frozenset[str] | None) -> Analysis:
        """This analysis told the whole module's facts, and the models it builds at module
        level, learnt after it was made (a window's, an edited text's, from the analysis
        itself): another analysis of the same parse, sharing what is read of the text alone
        (scopes, positions, names, the index), with a cache of its own for every answer that
        may read the facts (`once`)."""
        other = copy.copy(self)
        other.whole = replace(self.whole, facts=facts, models=models)
        other._once = {}
        return other

    def once(self, compute: Callable[[Analysis], T]) -> T:
        """compute(self), computed once for this analysis and shared by every later step
        (keyed by the function itself: no two steps can mix up their results)."""
        if compute not in self._once:
            self._once[compute] = compute(self)
        result: T = self._once[compute]
        return result

    def range(self, node: cst.CSTNode) -> CodeRange:
        return self._ranges[node]

    def location(self, node: cst.CSTNode) -> Location:
        start = self.range(node).start
        return Location(start.line, start.column + 1)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.index().parents.get(id(node))

    def scope(self, node: cst.CSTNode) -> Scope | None:
        return self._scopes_of.get(node)

    def _names(self, node: cst.CSTNode) -> Collection[QualifiedName]:
        """What `node` names, a project's own Keras re-exports read as `keras`."""
        if not self.keras_modules:
            return self._written(node)
        key = id(node)
        if key not in self._qualified:
            self._qualified[key] = {self._as_keras(q) for q in self._written(node)}
        return self._qualified[key]

    def _written(self, node: cst.CSTNode, depth: int = 0) -> Collection[QualifiedName]:
        """What `node` names, as the module's imports spell it."""
        key = id(node)
        if key not in self._spelled:
            scope = self.scope(node)
            names = scope.get_qualified_names_for(node) if scope is not None else set()
            if (
                scope is not None
                and depth < 4
                and not any(q.source is QualifiedNameSource.IMPORT for q in names)
            ):
                names = set(names) | self._aliased(node, scope, depth)
            self._spelled[key] = names
        return self._spelled[key]

    def _aliased(self, node: cst.CSTNode, scope: Scope, depth: int) -> set[QualifiedName]:
        """Imported names reached another way than an import statement: through a module-level
        alias assigned once (`keras = tf.keras`, `Sequential = keras.models.Sequential`), or a
        `from keras.layers import *`."""
        dotted = dotted_name(node) if isinstance(node, cst.Name | cst.Attribute) else None
        if dotted is None:
            return set()
        root, _, rest = dotted.partition(".")
        suffix = f".{rest}" if rest else ""
        bound = list(scope[root]) if root in scope else []
        if not bound:
            return {
                QualifiedName(f"{module}.{root}{suffix}", QualifiedNameSource.IMPORT)
                for module in self.star_modules()
            }
        if len(bound) != 1 or not isinstance(bound[0], Assignment):
            return set()
        target = bound[0].node
        assign = self.parent(self.parent(target) or target) if isinstance(target, cst.Name) else None
        if not (
            isinstance(assign, cst.Assign) and len(assign.targets) == 1 and assign.targets[0].target is target
        ):
            return set()
        if not isinstance(assign.value, cst.Name | cst.Attribute):
            return set()
        return {
            QualifiedName(f"{q.name}{suffix}", QualifiedNameSource.IMPORT)
            for q in self._written(assign.value, depth + 1)
            if q.source is QualifiedNameSource.IMPORT
        }

    def _as_keras(self, name: QualifiedName) -> QualifiedName:
        return QualifiedName(self.as_read(name.name), name.source)

    def as_read(self, qualname: str) -> str:
        """`mypkg.compat.keras.Sequential` as `keras.Sequential` when the project says
        `mypkg.compat.keras` is Keras ([tool.seq2func] keras-modules)."""
        for module in self.keras_modules:
            if qualname == module or qualname.startswith(module + "."):
                return "keras" + qualname[len(module) :]
        return qualname

    def star_modules(self) -> list[str]:
        """The Keras modules this file imports everything from (`from keras.layers import *`)."""
        return self.once(_star_modules)

    def resolves_to(self, node: cst.CSTNode, names: KerasNames) -> bool:
        """True when `node` names an imported object known as one of `names`."""
        return any(q.source is QualifiedNameSource.IMPORT and q.name in names for q in self._names(node))

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self._names(node) if q.source is QualifiedNameSource.IMPORT}

    def written_name(self, node: cst.CSTNode, qualname: str) -> str:
        """The name `node` imports that reads as `qualname`, as the module's imports spell it
        (`mypkg.compat.keras.Sequential` for `keras.Sequential` when `mypkg.compat.keras` is
        one of the project's `keras-modules`)."""
        for q in self._written(node):
            if q.source is QualifiedNameSource.IMPORT and self._as_keras(q).name == qualname:
                return q.name
        return qualname

    def is_keras(self, node: cst.CSTNode) -> bool:
        """True when `node` names something imported from a Keras package."""
        return any(keras_family(name) is not None for name in self.qualified_names(node))

    def holder_index(self, block: Sequence[cst.CSTNode], inner: CodeRange) -> int | None:
        """The index of the statement of `block` that contains `inner`, by bisection."""
        if id(block) not in self._block_ranges:
            ranges = [self.range(statement) for statement in block]
            self._block_ranges[id(block)] = (
                [(r.start.line, r.start.column) for r in ranges],
                [(r.end.line, r.end.column) for r in ranges],
            )
        starts, ends = self._block_ranges[id(block)]
        i = bisect.bisect_right(starts, (inner.start.line, inner.start.column)) - 1
        return i if i >= 0 and (inner.end.line, inner.end.column) <= ends[i] else None

    def accesses_at(self, name: cst.Name) -> list[Access]:
        """The accesses of the scope of `name` made by that very node. (`scope.accesses[name]`
        lists every access of the same name in the scope: asked for each of thousands of
        `keras.` prefixes of a module, that is quadratic.)"""
        scope = self.scope(name)
        if scope is None:
            return []
        if id(scope) not in self._accesses:
            by_node: dict[int, list[Access]] = {}
            for access in scope.accesses:
                by_node.setdefault(id(access.node), []).append(access)
            self._accesses[id(scope)] = by_node
        return self._accesses[id(scope)].get(id(name), [])

    def in_block(self, block: Sequence[cst.CSTNode], node: cst.CSTNode | None) -> bool:
        """`node in block` by identity, without comparing nodes one by one."""
        if id(block) not in self._block_ids:
            self._block_ids[id(block)] = {id(statement) for statement in block}
        return id(node) in self._block_ids[id(block)]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def scopes(self) -> list[Scope]:
        if self._scopes is None:
            seen: dict[int, Scope] = {}
            for scope in self._scopes_of.values():
                if isinstance(scope, Scope):
                    seen.setdefault(id(scope), scope)
            self._scopes = list(seen.values())
        return self._scopes

    def index(self) -> Index:
        """Parents, calls, attributes, assignment targets, functions and classes of the
        module, found in one pass (instead of a pass for each, ParentNodeProvider's too)."""
        if self._index is None:
            indexer = _Indexer()
            self.module.visit(indexer)
            self._index = indexer.index
        return self._index


@dataclass
class Index:
    parents: dict[int, cst.CSTNode] = field(default_factory=dict)  # by id of the child
    calls: list[cst.Call] = field(default_factory=list)
    functions: list[cst.FunctionDef] = field(default_factory=list)
    classes: list[cst.ClassDef] = field(default_factory=list)
    calls_in: dict[int, list[cst.Call]] = field(default_factory=dict)  # by id of the innermost function
    calls_and_attributes: list[cst.Call | cst.Attribute] = field(default_factory=list)  # in source order
    targets: list[cst.BaseAssignTargetExpression] = field(default_factory=list)  # of =, += and x: T = ...


class _Indexer(cst.CSTVisitor):
    def __init__(self) -> None:
        self.index = Index()
        self._nodes: list[cst.CSTNode] = []
        self._functions: list[cst.FunctionDef] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        index = self.index
        if self._nodes:
            index.parents[id(node)] = self._nodes[-1]
        self._nodes.append(node)
        if isinstance(node, cst.Call):
            index.calls.append(node)
            index.calls_and_attributes.append(node)
            if self._functions:
                index.calls_in[id(self._functions[-1])].append(node)
        elif isinstance(node, cst.Attribute):
            index.calls_and_attributes.append(node)
        elif isinstance(node, cst.AssignTarget | cst.AugAssign | cst.AnnAssign):
            index.targets.append(node.target)
        elif isinstance(node, cst.FunctionDef):
            index.functions.append(node)
            index.calls_in[id(node)] = []
            self._functions.append(node)
        elif isinstance(node, cst.ClassDef):
            index.classes.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self._nodes.pop()
        if isinstance(original_node, cst.FunctionDef):
            self._functions.pop()


@dataclass
class Construction:
    """`target = Sequential(...)` or `return Sequential(...)` as a whole statement."""

    call: cst.Call
    statement: cst.Assign | cst.Return
    line: cst.SimpleStatementLine
    block: Sequence[cst.BaseStatement]  # the suite that holds `line`
    index: int  # position of `line` in `block`
    target: cst.Name | cst.Attribute | None  # None for `return Sequential(...)`
    scope: Scope  # where the statement runs (and generated names are bound)
    binding: Scope  # where the target name is bound: another scope under `global`/`nonlocal`

    @property
    def model_name(self) -> str:
        if self.target is None:
            return "<return>"
        return dotted_name(self.target) or "<model>"


def dotted_name(node: cst.BaseExpression) -> str | None:
    """`self.model` for an attribute chain of plain names, else None."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def block_statements(node: cst.CSTNode) -> Sequence[cst.BaseStatement] | None:
    if isinstance(node, cst.Module | cst.IndentedBlock):
        return node.body
    return None


def is_nested_layer(analysis: Analysis, call: cst.Call) -> bool:
    """A Sequential written inline as a layer: an element of another Sequential's layers,
    the argument of an `add()`, or applied to a tensor at once (`Sequential([...])(x)`)."""
    parent = analysis.parent(call)
    if isinstance(parent, cst.Call) and parent.func is call:
        return True
    if isinstance(parent, cst.Arg):
        add = analysis.parent(parent)
        return (
            isinstance(add, cst.Call)
            and isinstance(add.func, cst.Attribute)
            and add.func.attr.value == "add"
            and len(add.args) == 1
        )
    if not isinstance(parent, cst.Element):
        return False
    seq = analysis.parent(parent)
    arg = analysis.parent(seq) if seq is not None else None
    while isinstance(arg, cst.BinaryOperation) and isinstance(arg.operator, cst.Add):
        arg = analysis.parent(arg)  # `[..., Sequential([...])] + [Dense(n) for n in sizes]`
    outer = analysis.parent(arg) if arg is not None else None
    return isinstance(outer, cst.Call) and analysis.resolves_to(outer.func, SEQUENTIAL)


def _star_modules(analysis: Analysis) -> list[str]:
    found = []
    for statement in analysis.module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar) and small.module:
                module = cst.helpers.get_full_name_for_node(small.module) or ""
                if not small.relative and keras_family(module) is not None:
                    found.append(module)
    return found


def find_constructions(analysis: Analysis) -> tuple[list[Construction], list[Skip]]:
    """Every Sequential construction, and the Skips of those that cannot even be planned.

    The lists are fresh copies; the search itself runs once per analysis."""
    found, skips = analysis.once(_find)
    return list(found), list(skips)


@dataclass(frozen=True)
class Spelling:
    """How a Sequential call is written: new `Input`/`Model` are spelled like the first."""

    qualname: str  # what it resolves to: keras.models.Sequential
    written: str  # the same, as the module's imports spell it (see `Analysis.written_name`)
    attribute: bool  # `keras.Sequential(...)`, not `Sequential(...)`
    base: str | None  # the code before `.Sequential`
    outer: str | None  # the code before the last dot of `base` (`tf.keras` in `tf.keras.models`)


@dataclass(frozen=True)
class ModuleFacts:
    """What the whole module tells every conversion in it: the Sequential calls, in order, and
    where any scope binds the names new code would take. Each fact has its line, so the
    summary of an edited text is the old one's outside the edit and the edit's own inside."""

    constructions: tuple[tuple[int, int, Spelling], ...] = ()  # (line, column, spelling)
    bindings: tuple[tuple[int, str], ...] = ()  # (line, name) for the names in BOUND
    # reads a functional Model answers differently (`module_facts.sensitive_reads`)
    sensitive: tuple[tuple[int, int, str], ...] = ()  # (line, column, what)
    attributes: tuple[tuple[int, str], ...] = ()  # attribute names assigned (`shapes.attributes_assigned`)
    models: tuple[tuple[int, str], ...] = ()  # (line, name) of each model: one naming scheme a file

    BOUND = ("Input", "Model")


def model_names(facts: ModuleFacts) -> int:
    """How many names the module binds Sequential models to (more than one: each model's
    tensors are named for it, `convert.model_style`)."""
    return len({name for _, name in facts.models})


def _find(analysis: Analysis) -> tuple[list[Construction], list[Skip]]:
    index = analysis.index()
    found: list[Construction] = []
    skips: list[Skip] = [
        Skip(
            analysis.location(cls),
            "subclassed",
            f"class {cls.name.value} subclasses Sequential; a functional Model cannot stand in for it",
        )
        for cls in index.classes
        if any(analysis.resolves_to(base.value, SEQUENTIAL) for base in cls.bases)
    ]
    for call in index.calls:
        if not analysis.resolves_to(call.func, SEQUENTIAL):
            unknown = _unknown_keras(analysis, call)
            if unknown is not None:
                skips.append(unknown)
            continue
        if is_nested_layer(analysis, call):
            continue  # stays a Sequential layer inside the converted outer model
        construction = _as_construction(analysis, call)
        if construction is not None and isinstance(construction.scope, ClassScope):
            skips.append(
                Skip(
                    analysis.location(call),
                    "class-body",
                    "the model is built in a class body; its helper names would become class attributes",
                )
            )
        elif construction is None:
            skips.append(
                Skip(
                    analysis.location(call),
                    "unsupported-form",
                    "Sequential(...) is not the whole value of an assignment or return statement",
                )
            )
        else:
            found.append(construction)
    return found, skips


def _unknown_keras(analysis: Analysis, call: cst.Call) -> Skip | None:
    """A `Sequential` reached through a module spelled like Keras that is not one seq2func
    knows (`from mypkg.compat import keras`): said, never passed over in silence."""
    spelled = dotted_name(call.func) if isinstance(call.func, cst.Name | cst.Attribute) else None
    if spelled is None or spelled.rpartition(".")[2] != "Sequential":
        return None
    imported = sorted(analysis.qualified_names(call.func))
    module = (imported[0] if imported else spelled).rpartition(".")[0]
    if not any("keras" in part.lower() for part in module.split(".")):
        return None
    if imported:
        why = f"{spelled} comes from {module}, which seq2func does not know as Keras"
        hint = f'add keras-modules = ["{module}"]'
    else:
        root = spelled.partition(".")[0]
        why = f"{spelled}: {root} is not bound by an import here (nor by a module-level alias of one)"
        hint = "import it where it is used, or add its module to keras-modules"
    return Skip(
        analysis.location(call),
        "unknown-keras-module",
        f"{why}; if it is Keras, {hint} under [tool.seq2func] in pyproject.toml",
    )


def _as_construction(analysis: Analysis, call: cst.Call) -> Construction | None:
    statement = analysis.parent(call)
    if isinstance(statement, cst.Assign):
        if len(statement.targets) != 1:
            return None
        target = statement.targets[0].target
        if dotted_name(target) is None:
            return None
    elif isinstance(statement, cst.Return):
        target = None
    else:
        return None
    line = analysis.parent(statement)
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    owner = analysis.parent(line)
    block = block_statements(owner) if owner is not None else None
    scope = analysis.scope(statement)
    if block is None or scope is None:
        return None
    index = analysis.holder_index(block, analysis.range(line))  # by bisection: a module holds thousands
    assert index is not None and block[index] is line
    binding = _binding_scope(scope, target) if isinstance(target, cst.Name) else scope
    if binding is None:
        return None
    return Construction(call, statement, line, block, index, target, scope, binding)  # type: ignore[arg-type]


def _binding_scope(scope: Scope, target: cst.Name) -> Scope | None:
    """The scope whose assignments hold `target` (`global`/`nonlocal` move it outward)."""
    current: Scope | None = scope
    while current is not None:
        if target.value in current.assignments and any(
            a.node is target for a in assignments_of(current, target.value)
        ):
            return current
        parent = current.parent
        current = None if parent is current else parent
    return None


def binding_uses(analysis: Analysis, var: cst.Name) -> list[cst.CSTNode]:
    """The accesses that may read what `var` is bound to: all of them, less those of its own
    scope that follow a plain rebinding of the name in the same block (`m = f(); ...; m = g()`)."""
    scope = analysis.scope(var)
    if scope is None or var.value not in scope.assignments:
        return []
    own = [a for a in assignments_of(scope, var.value) if a.node is var]
    if not own:
        return []
    cut = _rebound(analysis, scope, var.value, var)
    uses: list[cst.CSTNode] = []
    for access in own[0].references:
        where = analysis.range(access.node).start
        if cut is not None and analysis.scope(access.node) is scope and (where.line, where.column) > cut:
            continue
        uses.append(access.node)
    # in source order: references are a set, and a message names the first use
    uses.sort(key=lambda node: (analysis.range(node).start.line, analysis.range(node).start.column))
    return uses


def other_binding(analysis: Analysis, var: cst.Name, use: cst.CSTNode) -> cst.CSTNode | None:
    """Another binding of `var`'s name that `use` may read instead of `var`'s: a plain
    assignment whose uses hold it (`if a: m = f() else: m = g()`), or one of any other kind
    (a loop, a `with`, a `global` elsewhere: not followed). None when only `var`'s reaches it."""
    scope = analysis.scope(var)
    if scope is None:
        return None
    for assignment in assignments_of(scope, var.value):
        node = assignment.node
        if node is var:
            continue
        if (
            isinstance(node, cst.Name)
            and isinstance(analysis.parent(node), cst.AssignTarget)
            and analysis.scope(node) is scope
        ):
            if any(u is use for u in binding_uses(analysis, node)):
                return node
        elif node is not None:
            return node  # not followed: it may be what `use` reads
    return None


def bound_at(analysis: Analysis, node: cst.CSTNode) -> CodePosition:
    """Where the binding `node` makes takes hold: after the value of its assignment, which
    reads the old binding (`m = wrap(m)`); at the node, for any other kind."""
    target = analysis.parent(node)
    statement = analysis.parent(target) if isinstance(target, cst.AssignTarget) else None
    return analysis.range(statement).end if statement is not None else analysis.range(node).start


def _rebound(analysis: Analysis, scope: Scope, name: str, binder: cst.CSTNode) -> tuple[int, int] | None:
    """Where, after `binder`, a plain statement of its block binds `name` again (an
    assignment to the bare name or a def or class, from its end: its value, decorators,
    defaults and bases read the old one): the accesses of `scope` past it read that
    binding, not `binder`'s. None if none does."""
    start = analysis.range(binder).start
    block = _block_of(analysis, binder)
    later = []
    for assignment in assignments_of(scope, name):
        node = assignment.node
        if node is binder or _block_of(analysis, node) is not block:
            continue
        if isinstance(node, cst.Name) and isinstance(analysis.parent(node), cst.AssignTarget):
            where = bound_at(analysis, node)
        elif isinstance(node, cst.FunctionDef | cst.ClassDef):
            where = analysis.range(node).end
        else:
            continue
        if (where.line, where.column) > (start.line, start.column):
            later.append((where.line, where.column))
    return min(later, default=None)


def enclosing_function(analysis: Analysis, node: cst.CSTNode) -> cst.FunctionDef | None:
    current: cst.CSTNode | None = node
    while current is not None and not isinstance(current, cst.FunctionDef):
        current = analysis.parent(current)
    return current


def caller_variables(analysis: Analysis, func: cst.FunctionDef) -> list[tuple[cst.CSTNode, cst.Name | None]]:
    """Where the function's name is used in the scope that defines it (before a later
    definition of the name in its block), and for each use that is a call assigned to a
    plain name (`m = build()`), that name."""
    outer = analysis.scope(func)
    name = func.name.value
    if outer is None or name not in outer.assignments:
        return []
    found: list[tuple[cst.CSTNode, cst.Name | None]] = []
    cut = _rebound(analysis, outer, name, func)  # `def build` again: later calls are the new one's
    for assignment in assignments_of(outer, name):
        if assignment.node is not func:
            continue
        for access in assignment.references:
            where = analysis.range(access.node).start
            if cut is not None and analysis.scope(access.node) is outer and (where.line, where.column) > cut:
                continue
            call = analysis.parent(access.node)
            holder = (
                analysis.parent(call) if isinstance(call, cst.Call) and call.func is access.node else None
            )
            var = None
            if isinstance(holder, cst.Assign) and len(holder.targets) == 1:
                target = holder.targets[0].target
                var = target if isinstance(target, cst.Name) else None
            found.append((access.node, var))
    return found


def _block_of(analysis: Analysis, node: cst.CSTNode) -> cst.CSTNode | None:
    """The block (module or indented suite) whose statement holds `node`."""
    current = analysis.parent(node)
    while current is not None and not isinstance(current, cst.Module | cst.IndentedBlock):
        current = analysis.parent(current)
    return current


def keyword_args(call: cst.Call) -> Mapping[str, cst.Arg]:
    return {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
