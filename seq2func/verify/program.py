"""Which top-level statements of a user program to run so that its models exist: what each
statement does for a verification (`step_kind`, which `slicing` shares), and, for a whole
program run (`seq2func verify A B`), which failures may be passed over.

Pure `ast`, no TensorFlow: training, saving and plotting after the model is
built are skipped, so a script that trains after building verifies offline.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from seq2func.core.keras_api import FEED_METHODS_ANY_VERSION

# Methods whose calls use a finished model rather than build it.
USE_METHODS = frozenset(
    {
        "fit",
        "fit_generator",
        "evaluate",
        "evaluate_generator",
        "predict",
        "predict_generator",
        "predict_on_batch",
        "train_on_batch",
        "test_on_batch",
        "save",
        "save_weights",
        "load_weights",
        "summary",
        "show",
        "savefig",
        "plot",
        "to_json",
        "export",
    }
)
USE_FUNCTIONS = frozenset({"print", "plot_model", "exit", "quit"})

# "run"; "feed": it feeds a model data, run with training stood in for (see
# `verify.standins.feed_only`): an unbuilt original is built from the program's own data, and
# a conversion that gave the model an input the data does not fit fails there; "use": it only
# uses a finished model (plots, saving, printing, training loops), never run
StepKind = Literal["run", "feed", "use"]


@dataclass
class Step:
    node: ast.stmt
    kind: StepKind
    assigns: frozenset[str]
    loads: frozenset[str]


def call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
    return None


def executed(statement: ast.stmt) -> Iterator[ast.AST]:
    """The nodes of a statement that run when it runs (not the bodies of functions it defines)."""
    stack: list[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            stack += [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]
            continue
        if isinstance(node, ast.Lambda):
            stack += [*node.args.defaults, *(d for d in node.args.kw_defaults if d)]
            continue
        stack += list(ast.iter_child_nodes(node))


def step_kind(statement: ast.stmt) -> StepKind:
    """`use`: a statement that only uses a finished model (plots, saving, printing, training
    loops); `feed`: one that feeds a model data; else `run`."""
    value = statement.value if isinstance(statement, ast.Expr | ast.Assign | ast.AnnAssign) else None
    name = call_name(value) if value is not None else None
    if name in USE_METHODS - FEED_METHODS_ANY_VERSION or (
        isinstance(statement, ast.Expr) and name in USE_FUNCTIONS
    ):
        return "use"
    if isinstance(statement, ast.For | ast.While | ast.AsyncFor) and any(
        call_name(n) in USE_METHODS for n in ast.walk(statement)
    ):
        return "use"  # a training or plotting loop
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return "run"
    if any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr in FEED_METHODS_ANY_VERSION
        for n in executed(statement)
    ):
        return "feed"
    return "run"


def _assigned(stmt: ast.stmt) -> frozenset[str]:
    names = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return frozenset(names)


def _loaded(stmt: ast.stmt) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))


def plan_program(tree: ast.Module) -> list[Step]:
    return [
        Step(
            stmt,
            step_kind(stmt),
            _assigned(stmt),
            _loaded(stmt),
        )
        for stmt in tree.body
    ]


def skippable(steps: list[Step], index: int, depth: int = 0) -> bool:
    """A failing statement may be passed over when only training-type code reads what it defines
    (a dataset download, say), directly or through statements that are themselves only read so
    (`x_train = x_train / 255.0`); never an import, and never something that may be a model."""
    step = steps[index]
    if isinstance(step.node, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.ClassDef) or depth > 20:
        return False
    if not step.assigns:
        return True
    readers = [i for i in range(index + 1, len(steps)) if steps[i].loads & step.assigns]
    read_by_use = any(steps[i].kind in ("use", "feed") for i in readers)
    runs = [i for i in readers if steps[i].kind == "run"]
    # what nothing reads may be a model the verifier reads at the end: needed; a run
    # statement that reads it without defining anything (model.compile(...)) needs it too
    return (read_by_use or bool(runs)) and all(
        steps[i].assigns and skippable(steps, i, depth + 1) for i in runs
    )


def optional_import(steps: list[Step], index: int) -> bool:
    """An import that fails (a package this environment lacks, matplotlib say) may be passed
    over when what it binds is read only by statements that define nothing (plots, prints:
    passed over in turn), or by functions that are themselves read only so."""
    return isinstance(steps[index].node, ast.Import | ast.ImportFrom) and _only_shown(steps, index, 0)


def _only_shown(steps: list[Step], index: int, depth: int) -> bool:
    step = steps[index]
    if not step.assigns or depth > 8:
        return False
    for later in range(index + 1, len(steps)):
        reader = steps[later]
        if not reader.loads & step.assigns or not reader.assigns:
            continue
        if not (isinstance(reader.node, ast.FunctionDef) and _only_shown(steps, later, depth + 1)):
            return False
    return True
