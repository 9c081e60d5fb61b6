"""How generated code names `Input` and `Model`, and the import changes that makes.

The spelling follows the file: `from keras.models import Sequential` brings
`from keras.models import Model`; `tf.keras.Sequential` brings `tf.keras.Model`.
Edits are minimal and textual, like the rest of the rewrite: a name joins an
existing from-import of its module, or takes the place of the `Sequential` it
replaces. (LibCST's Add/RemoveImportsVisitor would need a second parse and
metadata pass, which tripled the cost of a conversion.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import libcst as cst
import libcst.helpers
from libcst.metadata import GlobalScope, ImportAssignment, Scope

from seq2func.analysis.find import (
    INPUT,
    INPUT_LAYER,
    KERAS_IMPORTABLE,
    SEQUENTIAL,
    Analysis,
    keras_family,
)
from seq2func.analysis.module_facts import module_facts_of
from seq2func.edits.parts import ImportEdit, References


@dataclass(frozen=True)
class ImportItem:
    module: str
    obj: str
    asname: str | None = None

    @property
    def code(self) -> str:
        return self.obj if self.asname is None else f"{self.obj} as {self.asname}"


@dataclass
class ImportPlan:
    references: References
    add: dict[str, ImportItem]  # keyed by "input"/"model": added only if used


def _family(qualname: str) -> str:
    return keras_family(qualname) or "keras"


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
    if not isinstance(node, cst.Import | cst.ImportFrom):
        return ""
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


def plan_imports(analysis: Analysis) -> ImportPlan:
    """How new code names `Input` and `Model`, from the module's facts (the first Sequential's
    spelling, every family) and its module-level imports.

    A new name is reached the way the file reaches Keras: a binding that imports it already;
    an attribute of what the first Sequential is an attribute of; a from-import of a module the
    file imports from, or of a Keras package; else an attribute of a name bound to the family
    (`keras.Input` where `from keras2onnx.proto import keras`, which is no package). Where none
    serves, `References.unreachable` says which import would not run."""
    facts = module_facts_of(analysis)
    if not facts.constructions:
        return ImportPlan(References("Input", "Model"), {})
    first = facts.constructions[0][2]
    read = _family(first.qualname)
    # as the file spells it: a project's own `keras-modules` entry is read as `keras`
    family = first.written[: len(first.written) - len(first.qualname) + len(read)]
    seq_module = first.written.rsplit(".", 1)[0]
    if not first.attribute and seq_module not in (family, f"{family}.models"):
        seq_module = f"{family}.models"  # imported from an internal path: bring Model from the public one
    bindings = _global_imports(analysis)
    imported_from = {_module_of(s) for s in _from_imports(analysis)}
    bound = {name for _, name in facts.bindings}
    add: dict[str, ImportItem] = {}
    unreachable: list[tuple[str, str]] = []

    def reference(key: str, leaf: str, submodule: str) -> str:
        targets = (f"{family}.{submodule}.{leaf}", f"{family}.{leaf}")
        for name, qualified in bindings.items():
            if qualified in targets:
                return name  # already imported by name
        if first.attribute:
            if seq_module == family or leaf == "Model":
                return f"{first.base}.{leaf}"
            if first.outer is not None:  # tf.keras.models -> tf.keras.layers
                return f"{first.outer}.{submodule}.{leaf}"
        module = seq_module if (seq_module == family or leaf == "Model") else f"{family}.{submodule}"
        if first.attribute and leaf == "Input" and seq_module != family:
            module = family
        if module not in imported_from and module not in KERAS_IMPORTABLE:
            through = _attribute_of(bindings, family, submodule, leaf)
            if through is None:
                unreachable.append((module, leaf))
            return through or leaf
        name = f"Keras{leaf}" if leaf in bound else leaf  # some scope binds it to something else
        add[key] = ImportItem(module, leaf, None if name == leaf else name)
        return name

    families = tuple(sorted({_family(spelling.qualname) for _, _, spelling in facts.constructions}))
    refs = References(
        reference("input", "Input", "layers"),
        reference("model", "Model", "models"),
        read,
        families,
        _unreachable_reason(family, unreachable),
    )
    return ImportPlan(refs, add)


def _attribute_of(bindings: dict[str, str], family: str, submodule: str, leaf: str) -> str | None:
    """`leaf` as an attribute of a module-level name bound to `family` or its `submodule`."""
    for name, qualified in sorted(bindings.items()):
        if qualified in (family, f"{family}.{submodule}"):
            return f"{name}.{leaf}"
    return None


def _unreachable_reason(family: str, imports: list[tuple[str, str]]) -> str | None:
    """Why the new names `imports` ((module, name) pairs) cannot be reached, and what to do."""
    if not imports:
        return None
    parent, _, leaf = family.rpartition(".")
    how = f"`from {parent} import {leaf}`" if parent else f"`import {family}`"
    needed = " and ".join(f"`from {module} import {name}`" for module, name in imports)
    modules = " or ".join(sorted({module for module, _ in imports}))
    return (
        f"the new code would need {needed}, which may not run: {family} is not a Keras package "
        f"seq2func knows (a re-export may be a name a module binds, not a module), and this file "
        f"imports nothing from {modules}; bind it once ({how}) and new names are reached as its "
        "attributes"
    )


def _from_imports(analysis: Analysis) -> list[cst.ImportFrom]:
    """Module-level `from X import a, b` statements in order, with those in the first branch
    of an import-only `try:`/`if` block."""
    found = []
    for statement in analysis.module.body:
        lines: list[cst.CSTNode] = [statement]
        if isinstance(statement, cst.Try | cst.If) and _imports_only(statement):
            lines = _suite_statements(statement.body)
        for line in lines:
            if isinstance(line, cst.SimpleStatementLine):
                found += [s for s in line.body if isinstance(s, cst.ImportFrom) and not s.relative]
    return found


def _module_of(node: cst.ImportFrom) -> str:
    return cst.helpers.get_full_name_for_node(node.module) or "" if node.module else ""


_REMOVABLE = SEQUENTIAL | INPUT | INPUT_LAYER  # imports a conversion can make unused


def _removable(analysis: Analysis) -> Iterator[tuple[Scope, cst.ImportAlias, ImportAssignment]]:
    """`Sequential`/`InputLayer`/`Input` from-import aliases, with their scope and binding."""
    for scope in analysis.scopes():  # function-local imports too
        for assignment in scope.assignments:
            if not isinstance(assignment, ImportAssignment) or not isinstance(
                assignment.node, cst.ImportFrom
            ):
                continue
            node = assignment.node
            if isinstance(node.names, cst.ImportStar):
                continue
            for alias in node.names:
                bound = alias.evaluated_alias or alias.evaluated_name
                qualified = analysis.as_read(f"{_module_of(node)}.{alias.evaluated_name}")
                if qualified in _REMOVABLE and bound == assignment.name:
                    yield scope, alias, assignment


def unused_aliases(
    analysis: Analysis, removed: list[cst.Call], *, module: bool = True
) -> list[cst.ImportAlias]:
    """`Sequential`/`InputLayer`/`Input` from-import aliases whose every use was converted away
    (`module`: those of module-level imports too, else only those inside functions)."""
    funcs = {id(call.func) for call in removed}
    return [
        alias
        for scope, alias, assignment in _removable(analysis)
        if (module or not isinstance(scope, GlobalScope))
        and assignment.references  # an import unused before is not ours to remove
        and all(id(ref.node) in funcs for ref in assignment.references)
    ]


def module_alias_uses(
    analysis: Analysis, removed: list[cst.Call], owned: Callable[[int], bool]
) -> dict[tuple[int, int], tuple[int, int]]:
    """For each module-level alias `unused_aliases` could remove, by where it stands: how many
    of its uses lie on the lines `owned` picks, and how many of those were converted away
    (a window of a large file tells its own; the file's are their sums)."""
    funcs = {id(call.func) for call in removed}
    uses = {}
    for scope, alias, assignment in _removable(analysis):
        if isinstance(scope, GlobalScope):
            mine = [ref for ref in assignment.references if owned(analysis.range(ref.node).start.line)]
            where = analysis.range(alias).start
            uses[(where.line, where.column)] = (len(mine), sum(id(ref.node) in funcs for ref in mine))
    return uses


def aliases_at(analysis: Analysis, places: set[tuple[int, int]]) -> list[cst.ImportAlias]:
    """The module-level aliases `unused_aliases` could remove that stand at `places`."""
    found = []
    for scope, alias, _ in _removable(analysis):
        where = analysis.range(alias).start
        if isinstance(scope, GlobalScope) and (where.line, where.column) in places:
            found.append(alias)
    return found


def alias_binding(alias: cst.ImportAlias) -> str:
    """The name an import alias binds: `b` for `a as b`, `a` for `a.c`."""
    return alias.evaluated_alias or alias.evaluated_name.split(".")[0]


def import_edits(
    analysis: Analysis, wanted: list[ImportItem], unused: list[cst.ImportAlias]
) -> list[ImportEdit]:
    """Minimal edits: add names to an existing from-import of the module, else a new line
    after the last import. A one-line import whose names are sorted (as isort or ruff sort
    them) stays sorted; otherwise a removed `Sequential`'s slot is reused, and other names
    go after the last."""
    edits: list[ImportEdit] = []
    statements = _from_imports(analysis)
    freed: dict[int, cst.ImportFrom] = {}
    for alias in unused:
        statement = analysis.parent(alias)
        if isinstance(statement, cst.ImportFrom):
            freed[id(alias)] = statement
    new_lines: dict[str, list[str]] = {}
    joining: dict[int, tuple[cst.ImportFrom, list[ImportItem]]] = {}  # names joining a statement
    for item in wanted:
        target = next(
            (
                s
                for s in statements
                if _module_of(s) == item.module and not isinstance(s.names, cst.ImportStar)
            ),
            None,
        )
        if target is None:
            new_lines.setdefault(item.module, []).append(item.code)
        else:
            joining.setdefault(id(target), (target, []))[1].append(item)
    handled: set[int] = set()  # removed aliases whose statement's edit removes them
    for target, items in joining.values():
        names: list[cst.ImportAlias] = list(target.names)  # type: ignore[arg-type]
        way = _sorted_way([a.evaluated_name for a in names])
        range_ = analysis.range(target)
        if way is not None and range_.start.line == range_.end.line:
            kept = [(a.evaluated_name, _alias_code(a)) for a in names if id(a) not in freed]
            final = sorted(
                [*kept, *((i.obj, i.code) for i in items)], key=lambda pair: _sort_keys(pair[0])[way]
            )
            edits.append(ImportEdit("replace-names", target, ", ".join(code for _, code in final)))
            handled |= {id(a) for a in names if id(a) in freed}
            continue
        slots, rest = [a for a in names if id(a) in freed], []
        for item in items:
            if slots:  # a removed Sequential's place
                handled.add(id(slots[0]))
                edits.append(ImportEdit("replace", slots.pop(0), item.code))
            else:
                rest.append(item)
        if rest:
            last = names[-1]
            edits.append(
                ImportEdit("insert-after", last.asname or last.name, "".join(f", {i.code}" for i in rest))
            )
    for alias in unused:
        if id(alias) not in handled:
            edits.append(ImportEdit("remove-alias", alias, statement=freed.get(id(alias))))
    if new_lines:
        anchor = _last_import(analysis)
        text = "".join(f"from {module} import {', '.join(names)}\n" for module, names in new_lines.items())
        edits.append(ImportEdit("new-line", anchor, text))
    return edits


def _alias_code(alias: cst.ImportAlias) -> str:
    return (
        alias.evaluated_name if alias.asname is None else f"{alias.evaluated_name} as {alias.evaluated_alias}"
    )


def _sort_keys(name: str) -> tuple[tuple[str, ...], tuple[int, str]]:
    """How import sorters order the names of a from-import: by name, case aside (isort's
    profile black, ruff with order-by-type off), or constants, classes, then the rest
    (isort's and ruff's default, order-by-type)."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return (name.lower(), name), (kind, name)


def _sorted_way(names: list[str]) -> int | None:
    """Which of `_sort_keys`'s orders `names` follow (None: neither); where both fit (a lone
    name, names all in lower case), isort's and ruff's default: by type."""
    for way in (1, 0):
        keys = [_sort_keys(name)[way] for name in names]
        if keys == sorted(keys):
            return way
    return None


def _last_import(analysis: Analysis) -> cst.CSTNode | None:
    """Where new imports go: after the file's first run of imports, counting a module
    docstring and `try:`/`if` blocks that only import (`except ImportError:` fallbacks)."""
    last = None
    for i, statement in enumerate(analysis.module.body):
        if _imports_only(statement) or (i == 0 and _is_docstring(statement)):
            last = statement
        elif last is not None:
            break
    return last


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _imports_only(statement: cst.CSTNode, nested: bool = False) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        allowed = (cst.Import, cst.ImportFrom) + ((cst.Pass, cst.Assign) if nested else ())
        return all(isinstance(s, allowed) for s in statement.body)
    if isinstance(statement, cst.Try | cst.If):
        suites: list[cst.CSTNode] = [statement.body]
        if isinstance(statement, cst.Try):
            suites += [h.body for h in statement.handlers]
        if statement.orelse is not None:
            suites.append(
                statement.orelse.body if isinstance(statement.orelse, cst.Else) else statement.orelse
            )
        return any(_imports_only(s) for suite in suites[:1] for s in _suite_statements(suite)) and all(
            _imports_only(s, nested=True) for suite in suites for s in _suite_statements(suite)
        )
    return False


def _suite_statements(suite: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(suite, cst.IndentedBlock):
        return list(suite.body)
    if isinstance(suite, cst.If):  # an elif
        return [suite]
    return [cst.SimpleStatementLine(list(suite.body))] if isinstance(suite, cst.SimpleStatementSuite) else []
