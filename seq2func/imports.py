"""How generated code names `Input` and `Model`, and the import changes that makes.

The spelling follows the file: `from keras.models import Sequential` brings
`from keras.models import Model`; `tf.keras.Sequential` brings `tf.keras.Model`.
Import statements are never written by hand: LibCST's Add/RemoveImportsVisitor
apply the changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.helpers
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.metadata import GlobalScope, ImportAssignment

from seq2func.find import KERAS_FAMILIES, SEQUENTIAL, Analysis, Construction
from seq2func.plan import References


@dataclass(frozen=True)
class ImportItem:
    module: str
    obj: str
    asname: str | None = None


@dataclass
class ImportPlan:
    references: References
    add: dict[str, ImportItem]  # keyed by "input"/"model": added only if used
    remove: list[ImportItem]


def _sequential_qualname(analysis: Analysis, func: cst.BaseExpression) -> str:
    return next(name for name in analysis.qualified_names(func) if name in SEQUENTIAL)


def _family(qualname: str) -> str:
    return max((f for f in KERAS_FAMILIES if qualname.startswith(f + ".")), key=len)


def _global_imports(analysis: Analysis) -> dict[str, str]:
    """Binding name -> what it imports, for module-level imports."""
    found: dict[str, str] = {}
    for scope in analysis.scopes():
        if not isinstance(scope, GlobalScope):
            continue
        for assignment in scope.assignments:
            if isinstance(assignment, ImportAssignment):
                found.setdefault(assignment.name, _imported(assignment))
    return found


def _imported(assignment: ImportAssignment) -> str:
    node = assignment.node
    for alias in node.names if not isinstance(node.names, cst.ImportStar) else ():
        bound = alias.evaluated_alias or alias.evaluated_name.split(".")[0]
        if bound != assignment.name:
            continue
        if isinstance(node, cst.Import):
            # `import tensorflow as tf` binds tf to tensorflow; `import a.b` binds a to a
            return alias.evaluated_name if alias.asname else bound
        module = cst.helpers.get_absolute_module_for_import(None, node) or ""
        return f"{module}.{alias.evaluated_name}"
    return ""


def _bound_elsewhere(analysis: Analysis, name: str, allowed: str | None) -> bool:
    """Some scope binds `name` to something other than the import we would use."""
    for scope in analysis.scopes():
        if name in scope.assignments:
            for assignment in scope.assignments[name]:
                if not isinstance(assignment, ImportAssignment) or allowed is None:
                    return True
                if _global_imports(analysis).get(name) != allowed:
                    return True
    return False


def plan_imports(analysis: Analysis, constructions: list[Construction]) -> ImportPlan:
    if not constructions:
        return ImportPlan(References("Input", "Model"), {}, [])
    func = constructions[0].call.func
    seq_qualname = _sequential_qualname(analysis, func)
    family = _family(seq_qualname)
    seq_module = seq_qualname.rsplit(".", 1)[0]
    bindings = _global_imports(analysis)
    remove: list[ImportItem] = []
    for c in constructions:
        if isinstance(c.call.func, cst.Name):
            q = _sequential_qualname(analysis, c.call.func)
            mod = q.rsplit(".", 1)[0]
            item = ImportItem(mod, "Sequential", c.call.func.value if c.call.func.value != "Sequential" else None)
            if item not in remove:
                remove.append(item)

    add: dict[str, ImportItem] = {}

    def reference(key: str, leaf: str, submodule: str) -> str:
        targets = (f"{family}.{submodule}.{leaf}", f"{family}.{leaf}")
        for bound, qualified in bindings.items():
            if qualified in targets:
                return bound  # already imported by name
        if isinstance(func, cst.Attribute):
            base = analysis.code(func.value)
            if seq_module == family or leaf == "Model":
                return f"{base}.{leaf}"
            if isinstance(func.value, cst.Attribute):  # tf.keras.models -> tf.keras.layers
                return f"{analysis.code(func.value.value)}.{submodule}.{leaf}"
        module = seq_module if (seq_module == family or leaf == "Model") else f"{family}.{submodule}"
        if isinstance(func, cst.Attribute) and leaf == "Input" and seq_module != family:
            module = family
        name = leaf
        if _bound_elsewhere(analysis, name, None):
            name = f"Keras{leaf}"
        add[key] = ImportItem(module, leaf, None if name == leaf else name)
        return name

    refs = References(reference("input", "Input", "layers"), reference("model", "Model", "models"))
    return ImportPlan(refs, add, remove)


def apply_imports(code: str, add: list[ImportItem], remove: list[ImportItem]) -> str:
    if not add and not remove:
        return code
    context = CodemodContext()
    for item in add:
        AddImportsVisitor.add_needed_import(context, item.module, item.obj, item.asname)
    for item in remove:
        RemoveImportsVisitor.remove_unused_import(context, item.module, item.obj, item.asname)
    module = cst.parse_module(code)
    if add:
        module = AddImportsVisitor(context).transform_module(module)
    if remove:
        module = RemoveImportsVisitor(context).transform_module(module)
    return module.code
