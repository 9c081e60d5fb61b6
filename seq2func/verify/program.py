"""Which top-level statements of a user program to run so that its models exist.

Pure `ast`, no TensorFlow: training, saving and plotting after the model is
built are skipped, so a script that trains after building verifies offline.
"""

from __future__ import annotations

import ast

from seq2func.keras_facts import FEED_METHODS
from seq2func.records import record

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
# Of those, the calls that feed a model data: run with training stood in for (see
# `verify.child.feed_only`), they build an unbuilt original from the program's own data
# and fail where a conversion gave the model an input the data does not fit.


@record
class Step:
    node: ast.stmt
    kind: (
        str  # "run" | "feed" (run, training stood in for) | "use" (skipped: uses a model, never defines one)
    )
    assigns: frozenset[str]
    loads: frozenset[str]


def _call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
    return None


def _is_use(stmt: ast.stmt) -> bool:
    value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign | ast.AnnAssign) else None
    name = _call_name(value) if value is not None else None
    if name in USE_METHODS or (isinstance(stmt, ast.Expr) and name in USE_FUNCTIONS):
        return True
    if isinstance(stmt, ast.For | ast.While | ast.AsyncFor):  # a training loop
        return any(_call_name(n) in USE_METHODS for n in ast.walk(stmt))
    return False


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


def _is_feed(stmt: ast.stmt) -> bool:
    value = stmt.value if isinstance(stmt, ast.Expr | ast.Assign | ast.AnnAssign) else None
    return value is not None and isinstance(value, ast.Call) and _call_name(value) in FEED_METHODS


def plan_program(tree: ast.Module) -> list[Step]:
    return [
        Step(
            stmt,
            "feed" if _is_feed(stmt) else "use" if _is_use(stmt) else "run",
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
