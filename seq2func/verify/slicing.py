"""Which statements of a program build each of its converted models: its slice. Pure `ast`
and `symtable`, no TensorFlow; the child runs what this picks.

A verification proves each conversion (a *site*) where its model is made: the object of
the original's `Sequential(...)` call, and the object the converted code binds in the same
place (its `Model(...)`, its function in the shared style, what it returns), are caught by a
probe wrapped around them (`instrument`). The program's top-level statements then run in
order, but only those a site needs (`plan`):

- the statement that holds the probe; for a model made in a function or method, the
  program's own first call of it (a top-level statement, else a call the file makes
  elsewhere whose arguments the module can evaluate, else a statement that reaches it
  through other functions, else its defaults, else `verify-entry`), said as `Trigger.how`;
- the statements after it that use the model (adds, compile, freezing layers, applying it),
  which must behave alike in both programs;
- the statements that feed it data (`fit`, `predict`): the data path that confirms its input
  shape; they and what only they need are optional: when one fails, the shape is unconfirmed;
- everything those read: the writers of every module-level name they read (imports,
  constants, functions and classes, data), by Python's own scoping (`symtable`), a call on a
  name or a name passed to a call counting as a write of it.

Everything else (downloads of data no model needs, training loops, plots, unrelated imports)
is left out. `plan(..., whole=True)` keeps every statement but those that only use a model
(plots, saving, printing), for people who want the whole program run.
"""

from __future__ import annotations

import ast
import symtable
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from seq2func.verify.program import StepKind, call_name, executed, step_kind

PROBE = "__seq2func_probe__"  # the function the child binds: probe(site, value) -> value
TEST = "__seq2func_test__"  # the child's: run a unittest method as unittest runs it (setUp, the test)


@dataclass(frozen=True)
class Probe:
    """Where one program's model of a site is caught.

    `call`: the `Sequential(...)` call at `line`, `column` (1-based, in characters).
    `binding`: the statement that binds `target` last among the lines `first`..`line` (the
    converted code): an assignment or `return` whose value is caught, or a function (shared
    style) caught once defined."""

    site: int
    kind: Literal["call", "binding"]
    line: int
    column: int = 1
    first: int = 0
    target: str = ""  # the code that names the model; "<return>" for a returned one


@dataclass
class Step:
    """One top-level statement (a main block's statements count as top-level)."""

    node: ast.stmt
    kind: StepKind  # run; feed (run with training stood in: optional); use (never run)
    reads: frozenset[str]  # module-level names it reads (functions: when called)
    binds: frozenset[str]  # module-level names it binds (a function's `global` ones included)
    writes: frozenset[str]  # those, and the names it may change (`x.append(...)`, `shuffle(x)`)
    calls: frozenset[str]  # module-level names it calls as it runs (`f(...)`, `.m(...)` as ".m")
    defines: str | None = None  # the function or class a `def`/`class` statement binds
    sites: frozenset[int] = frozenset()  # the probes it holds
    synthetic: str | None = None  # a call added to build a model (see `Trigger`), in words

    @property
    def line(self) -> int:
        return self.node.lineno


@dataclass(frozen=True)
class Trigger:
    """How a model made in a function is built: the step that calls it, and how in words."""

    step: int | None  # None: nothing calls it (`how` says what to do)
    how: str
    fallbacks: tuple[tuple[str, str], ...] = ()  # calls to try when it does not build it, and how


@dataclass
class Slice:
    """A program's steps and, per site, the steps it needs to make its model, those that use
    the model after (and what they need), and those that feed it data."""

    steps: list[Step]
    needed: dict[int, frozenset[int]] = field(default_factory=dict)
    uses: dict[int, frozenset[int]] = field(default_factory=dict)
    feeds: dict[int, frozenset[int]] = field(default_factory=dict)
    derived: dict[int, frozenset[str]] = field(default_factory=dict)  # names the uses bind from the model
    triggers: dict[int, Trigger] = field(default_factory=dict)
    missing: dict[int, str] = field(default_factory=dict)  # sites whose probe could not be placed

    def of(self, site: int) -> frozenset[int]:
        """Every step that runs for a site."""
        return (
            self.needed.get(site, frozenset())
            | self.uses.get(site, frozenset())
            | self.feeds.get(site, frozenset())
        )

    @property
    def kept(self) -> set[int]:
        """The steps that run: what any site needs, uses or feeds it."""
        return {
            i for found in (*self.needed.values(), *self.uses.values(), *self.feeds.values()) for i in found
        }


# -- probes ---------------------------------------------------------------------------------------


def _byte_column(source_lines: Sequence[str], line: int, column: int) -> int:
    """A 1-based character column -> `ast`'s 0-based UTF-8 byte offset."""
    text = source_lines[line - 1] if 0 < line <= len(source_lines) else ""
    return len(text[: column - 1].encode())


def _probe_call(site: int, value: ast.expr) -> ast.Call:
    call = ast.Call(ast.Name(PROBE, ast.Load()), [ast.Constant(site), value], [])
    return ast.copy_location(call, value)


class _WrapCall(ast.NodeTransformer):
    """Wraps the call at each (line, byte column) in a probe."""

    def __init__(self, calls: dict[tuple[int, int], int]) -> None:
        self.calls = calls
        self.done: set[int] = set()

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        site = self.calls.get((node.lineno, node.col_offset))
        if site is None or site in self.done:
            return node
        self.done.add(site)
        return _probe_call(site, node)


def _statements(tree: ast.AST) -> Iterator[tuple[list[ast.stmt], int, ast.stmt]]:
    """Every statement with the body that holds it and its index there."""
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(node, name, None)
            if isinstance(block, list):
                for index, statement in enumerate(block):
                    if isinstance(statement, ast.stmt):
                        yield block, index, statement
        if isinstance(node, ast.Match):
            for case in node.cases:
                for index, statement in enumerate(case.body):
                    yield case.body, index, statement


def _bind(probe: Probe, tree: ast.Module) -> str | None:
    """Catch what the converted code binds last in its lines; why not, when it cannot."""
    inside = [
        (block, index, s)
        for block, index, s in _statements(tree)
        if s.lineno >= probe.first and (s.end_lineno or s.lineno) <= probe.line
    ]
    if not inside:
        return f"no statement lies on lines {probe.first}-{probe.line} of the converted program"
    last = max(s.end_lineno or s.lineno for _, _, s in inside)
    block, index, statement = min(
        ((b, i, s) for b, i, s in inside if (s.end_lineno or s.lineno) == last),
        key=lambda item: item[2].lineno,
    )
    if probe.target == "<return>":
        if isinstance(statement, ast.Return) and statement.value is not None:
            statement.value = _probe_call(probe.site, statement.value)
            return None
    elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        if ast.unparse(statement.targets[0]) == probe.target:
            statement.value = _probe_call(probe.site, statement.value)
            return None
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        if ast.unparse(statement.target) == probe.target:
            statement.value = _probe_call(probe.site, statement.value)
            return None
    elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef) and statement.name == probe.target:
        caught = ast.Expr(_probe_call(probe.site, ast.Name(statement.name, ast.Load())))
        ast.copy_location(caught, statement)
        caught.lineno = caught.end_lineno = statement.end_lineno or statement.lineno
        block.insert(index + 1, caught)
        return None
    return f"line {statement.lineno} of the converted program does not bind {probe.target}"


def instrument(tree: ast.Module, source: str, probes: Iterable[Probe]) -> dict[int, str]:
    """Put each probe in `tree` (changed in place); why a site's probe could not be placed."""
    missing: dict[int, str] = {}
    lines = source.splitlines()
    calls = {(p.line, _byte_column(lines, p.line, p.column)): p.site for p in probes if p.kind == "call"}
    wrapper = _WrapCall(calls)
    wrapper.visit(tree)
    for p in probes:
        if p.kind == "call" and p.site not in wrapper.done:
            missing[p.site] = f"no Sequential(...) call at line {p.line}, column {p.column}"
        elif p.kind == "binding":
            why = _bind(p, tree)
            if why is not None:
                missing[p.site] = why
    ast.fix_missing_locations(tree)
    return missing


# -- steps ----------------------------------------------------------------------------------------


def _main_guard(statement: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either way round)."""
    if not isinstance(statement, ast.If) or statement.orelse:
        return False
    test = statement.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = {ast.unparse(test.left), ast.unparse(test.comparators[0])}
    return sides == {"__name__", "'__main__'"}


def top_level(tree: ast.Module) -> list[ast.stmt]:
    """The module's statements, a main block's run as the script runs them."""
    found: list[ast.stmt] = []
    for statement in tree.body:
        found += statement.body if isinstance(statement, ast.If) and _main_guard(statement) else [statement]
    return found


def _scoped_names(statement: ast.stmt) -> tuple[set[str], set[str]]:
    """Module-level names the statement reads (its functions' bodies included) and binds (a
    function's `global` assignments included), by Python's own scoping."""
    try:
        table = symtable.symtable(ast.unparse(statement), "<step>", "exec")
    except SyntaxError:  # `return` or `yield` outside a function (a main block's), and the like
        names = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
        return names, names
    reads: set[str] = set()
    writes: set[str] = set()
    for symbol in table.get_symbols():
        if symbol.is_referenced():
            reads.add(symbol.get_name())
        if symbol.is_assigned() or symbol.is_imported():
            writes.add(symbol.get_name())
    stack = list(table.get_children())
    while stack:
        inner = stack.pop()
        stack += inner.get_children()
        for symbol in inner.get_symbols():
            if symbol.is_global() and symbol.is_referenced():
                reads.add(symbol.get_name())
            if symbol.is_declared_global() and symbol.is_assigned():
                writes.add(symbol.get_name())
    return reads, writes


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _changed(statement: ast.stmt, modules: set[str]) -> set[str]:
    """Names the statement may change without binding them: `x.append(...)`, `x[0] = ...`,
    `x.attr = ...`, `shuffle(x)`; a module's own functions (`np.random.seed`) aside."""
    found: set[str] = set()
    for node in executed(statement):
        if isinstance(node, ast.Attribute | ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
            found.add(_root(node) or "")
        elif isinstance(node, ast.AugAssign):
            found.add(_root(node.target) or "")
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                found.add(_root(node.func.value) or "")
            found |= {a.id for a in node.args if isinstance(a, ast.Name)}
            found |= {k.value.id for k in node.keywords if isinstance(k.value, ast.Name)}
    return found - modules - {""}


def _calls(nodes: Iterable[ast.AST]) -> set[str]:
    """The names among `nodes` that are called: `f(...)` as "f", `x.m(...)` as ".m"."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                found.add(node.func.id)
            elif isinstance(node.func, ast.Attribute):
                found.add(f".{node.func.attr}")
    return found


def _imported(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in statement.names if a.name != "*"}
    return set()


ANY = "*"  # what a statement may bind that no reading of it can name


def _binds_unseen(statement: ast.stmt) -> bool:
    """`from m import *`, `exec(...)`, `globals()[...] = ...`, `setattr(module, ...)`: names bound
    where the code does not name them (such a statement is a writer of every name)."""
    if isinstance(statement, ast.ImportFrom) and any(a.name == "*" for a in statement.names):
        return True
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("exec", "globals", "setattr", "vars")
        for node in executed(statement)
    )


def steps_of(tree: ast.Module) -> list[Step]:
    statements = top_level(tree)
    modules = set().union(*(_imported(s) for s in statements)) if statements else set()
    steps = []
    for statement in statements:
        kind = step_kind(statement)
        reads, binds = _scoped_names(statement)
        writes = set(binds)
        if kind == "run" and not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            writes |= _changed(statement, modules)
        if _binds_unseen(statement):
            writes.add(ANY)
        defines = (
            statement.name
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            else None
        )
        sites = frozenset(
            node.args[0].value
            for node in ast.walk(statement)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == PROBE
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, int)
        )
        steps.append(
            Step(
                statement,
                kind,
                frozenset(reads),
                frozenset(binds),
                frozenset(writes),
                frozenset(_calls(executed(statement))),
                defines,
                sites,
            )
        )
    return _calls_bind(steps)


def _calls_bind(steps: list[Step]) -> list[Step]:
    """A statement that calls a function binds what the function binds with `global` (what
    the functions it calls bind too)."""
    own = {s.defines: s.binds - {s.defines} for s in steps if s.defines is not None}
    if not any(own.values()):
        return steps
    reach = _reaches(steps)
    out = []
    for step in steps:
        if step.defines is None:
            called = {name for name in step.calls if name in own}
            called |= {far for name in called for far in reach.get(name, ()) if far in own}
            bound = set().union(*(own[name] for name in called)) if called else set()
            if bound:
                step = replace(step, binds=step.binds | bound, writes=step.writes | bound)
        out.append(step)
    return out


# -- the slice ------------------------------------------------------------------------------------


def _closure(steps: list[Step], seeds: Iterable[int], horizon: dict[int, int] | None = None) -> set[int]:
    """The seeds and every step they read from: for each module-level name a step reads,
    the writers of it before that step (a function's, before the step that calls it)."""
    horizon = dict(horizon or {})
    found: set[int] = set()
    work = [(i, horizon.get(i, i)) for i in seeds]
    while work:
        i, until = work.pop()
        if i in found:
            continue
        found.add(i)
        step = steps[i]
        for j in range(until - 1, -1, -1):
            other = steps[j]
            if j in found or other.kind != "run" or not (other.writes & step.reads or ANY in other.writes):
                continue
            # a function body reads its globals when called: its writers count up to the call
            work.append((j, until if other.defines is not None else j))
        if step.defines is not None:  # what its body calls, defined later but before the call
            for j in range(i + 1, until):
                other = steps[j]
                if other.defines is not None and other.defines in step.reads and j not in found:
                    work.append((j, until))
    return found


def _reaches(steps: list[Step]) -> dict[str, set[str]]:
    """For each module-level function or class, the module-level functions and classes its
    body may call, directly or through others (methods by their `.name`)."""
    defs = {s.defines: s for s in steps if s.defines is not None}
    direct = {
        name: _calls(ast.walk(s.node)) & (set(defs) | {f".{m}" for m in _methods(defs)})
        for name, s in defs.items()
    }
    reach = {name: set(calls) for name, calls in direct.items()}
    changed = True
    while changed:
        changed = False
        for found in reach.values():
            more = set().union(*(reach.get(other, set()) for other in found)) - found
            if more:
                found |= more
                changed = True
    return reach


def _methods(defs: dict[str, Step]) -> set[str]:
    return {
        item.name
        for step in defs.values()
        if isinstance(step.node, ast.ClassDef)
        for item in step.node.body
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _owner(step: Step, site: int) -> tuple[str, str | None]:
    """The top-level function or class that holds a site's probe, and the method, if in one."""
    assert step.defines is not None
    if isinstance(step.node, ast.ClassDef):
        for item in step.node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and any(
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Name)
                and n.func.id == PROBE
                and n.args
                and isinstance(n.args[0], ast.Constant)
                and n.args[0].value == site
                for n in ast.walk(item)
            ):
                return step.defines, item.name
    return step.defines, None


def _evaluable(node: ast.AST, module_names: set[str]) -> bool:
    """Whether the module's namespace can evaluate `node` (literals and module-level names)."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id not in module_names:
            return False
        if isinstance(part, ast.Call | ast.Lambda | ast.NamedExpr | ast.Await | ast.Yield | ast.YieldFrom):
            return False
    return True


def _synthetic(steps: list[Step], code: str, how: str, line: int) -> int:
    """Append a step that makes the call `code` (built the way the program would)."""
    node = ast.parse(code).body[0]
    for part in ast.walk(node):
        if isinstance(part, ast.expr | ast.stmt):
            part.lineno, part.end_lineno, part.col_offset, part.end_col_offset = line, line, 0, 0
    reads, _ = _scoped_names(node)
    steps.append(
        Step(
            node,
            "run",
            frozenset(reads),
            frozenset(),
            frozenset(),
            frozenset(_calls(executed(node))),
            None,
            frozenset(),
            how,
        )
    )
    return len(steps) - 1


def _trigger(
    steps: list[Step], holder: int, site: int, tree: ast.Module, entry: str | None, at: Callable[[int], str]
) -> Trigger:
    """How the model of a site made inside a function or method gets built (see the module):
    the first of the ways the program offers; the calls among the later ones are tried when it
    does not build the model (a wrapper whose package is not installed, say)."""
    ways = list(_ways(steps, holder, site, tree, entry, at))
    if not ways:
        function, method = _owner(steps[holder], site)
        label = function if method is None else f"{function}.{method}"
        return Trigger(
            None,
            f"nothing in the program calls {label} with arguments seq2func can evaluate; set "
            "verify-entry (a call that builds the model) to prove it",
        )
    (first, how), later = ways[0], ways[1:]
    fallbacks = tuple((code, said) for code, said in later if isinstance(code, str))
    if isinstance(first, str):
        return Trigger(_synthetic(steps, first, how, steps[holder].line), how, fallbacks)
    return Trigger(first, how, fallbacks)


def _ways(
    steps: list[Step], holder: int, site: int, tree: ast.Module, entry: str | None, at: Callable[[int], str]
) -> Iterator[tuple[int | str, str]]:
    """The ways a model made in a function can be built, best first: a step of the program
    (its index) or a call to make (its code), each with how, in words."""
    function, method = _owner(steps[holder], site)
    wanted = {function} if method is None or method == "__init__" else {f".{method}"}
    label = function if method is None else f"{function}.{method}"
    executed = [
        i for i in range(holder + 1, len(steps)) if steps[i].defines is None and steps[i].kind != "use"
    ]
    for i in executed:  # the program's own call, at top level
        if steps[i].calls & wanted:
            yield i, f"built by the program's own call at {at(steps[i].line)}"
            break
    if method is None:  # a call the file makes elsewhere, whose arguments the module can evaluate
        module_names = set().union(*(s.writes for s in steps))
        calls = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == function
            and not any(isinstance(a, ast.Starred) for a in node.args)
            and all(_evaluable(a, module_names) for a in [*node.args, *(k.value for k in node.keywords)])
        ]
        for call in sorted(calls, key=lambda c: (c.lineno, c.col_offset))[:1]:
            code = ast.unparse(call)
            yield code, f"built by calling {code}, as {at(call.lineno)} does"
    reach = _reaches(steps)
    for i in executed:  # a top-level statement that reaches it through other functions
        if any(
            wanted & reach.get(name, set()) or function in reach.get(name, set()) for name in steps[i].calls
        ):
            yield i, f"built by the program's own call at {at(steps[i].line)}"
            break
    if method is None:  # handed to a call that may call it (a tuner, a scikit-learn wrapper)
        for i in executed:
            if function in steps[i].reads and function not in steps[i].calls:
                yield i, f"built when {at(steps[i].line)} hands {function} to a call"
                break
    node = steps[holder].node
    if (
        method is None
        and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and _takes_nothing(node.args)
    ):
        yield (
            f"{function}()",
            f"built by calling {function}() with its defaults (nothing in the file calls it)",
        )
    if method is not None and isinstance(node, ast.ClassDef):
        if any(ast.unparse(base).endswith("TestCase") for base in node.bases):
            yield f"{TEST}({function}, {method!r})", f"built by running the test {label} (its setUp too)"
        else:
            made = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == method), None)
            init = next(
                (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None
            )
            if (
                made is not None
                and _takes_nothing(made.args, 1)
                and (init is None or _takes_nothing(init.args, 1))
            ):
                yield (
                    f"{function}().{method}()",
                    f"built by calling {function}().{method}() (nothing in the file calls it)",
                )
    if entry:
        yield entry, f"built by verify-entry {entry}"


def _takes_nothing(arguments: ast.arguments, bound: int = 0) -> bool:
    """Whether a function can be called with no arguments (`bound`: `self` is given)."""
    required = len(arguments.posonlyargs) + len(arguments.args) - len(arguments.defaults) - bound
    return required <= 0 and all(d is not None for d in arguments.kw_defaults)


def _caught(step: Step, site: int) -> set[str]:
    """The name a probe statement of its own catches (a function the shared style defines)."""
    node = step.node
    if (
        isinstance(node, ast.Expr)
        and call_name(node.value) == PROBE
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.args[1], ast.Name)
        and site in step.sites
    ):
        return {node.value.args[1].id}
    return set()


def _line(line: int) -> str:
    return f"line {line}"


def plan(
    tree: ast.Module,
    sites: Iterable[int],
    *,
    whole: bool = False,
    entry: str | None = None,
    at: Callable[[int], str] = _line,
) -> Slice:
    """The slice of an instrumented program for each of `sites` (see the module); `at` says a
    line of it as its user sees it (a notebook's cell)."""
    steps = steps_of(tree)
    found = Slice(steps)
    for site in sites:
        holders = [i for i, s in enumerate(steps) if site in s.sites]
        if not holders:
            continue
        holder = holders[0]
        seeds, horizon = [holder], {}
        model_at = holder
        if steps[holder].defines is not None:
            trigger = _trigger(steps, holder, site, tree, entry, at)
            found.triggers[site] = trigger
            if trigger.step is None:
                continue
            seeds.append(trigger.step)
            horizon[holder] = trigger.step
            model_at = trigger.step
        models = steps[model_at].binds | _caught(steps[model_at], site)
        readers = _readers(steps, models)  # functions that use the model when called
        derived, uses, feeding = set(models), [], []
        for i in range(model_at + 1, len(steps)):
            step = steps[i]
            if step.defines is not None or step.synthetic is not None:
                continue
            if not step.reads & derived and not step.calls & readers:
                continue
            if step.kind == "run":
                uses.append(i)
                derived |= step.binds
            elif step.kind == "feed":
                feeding.append(i)
        # its adds and builds make the model: what they need, it needs; and the settings the
        # program gives Keras, TensorFlow or NumPy before it (float type, policy, seeds)
        building = [i for i in uses if _builds(steps[i], models)]
        settings = [i for i in range(model_at) if _configures(steps[i])]
        needed = _closure(steps, [*seeds, *building, *settings], horizon)
        used = _closure(steps, uses) - needed
        feeds = _closure(steps, feeding) - needed - used
        if whole:
            everything = {i for i, s in enumerate(steps) if s.kind != "use" and s.synthetic is None}
            used |= everything - needed - feeds
        found.needed[site] = frozenset(needed)
        found.uses[site] = frozenset(used)
        found.feeds[site] = frozenset(feeds)
        found.derived[site] = frozenset(derived - models)
    return found


def _readers(steps: list[Step], models: Collection[str]) -> set[str]:
    """The module-level functions whose bodies read one of `models`, directly or through the
    functions they call (a model applied inside the function that builds the whole network)."""
    direct = {s.defines for s in steps if s.defines is not None and s.reads & set(models)}
    if not direct:
        return set()
    reach = _reaches(steps)
    return {name for name, far in reach.items() if name in direct or far & direct} | direct


def _configures(step: Step) -> bool:
    """A statement that only sets a library's global setting: `keras.config.set_floatx(...)`,
    `mixed_precision.set_global_policy(...)`, `tf.random.set_seed(...)`, `np.random.seed(...)`."""
    node = step.node
    if (
        step.kind != "run"
        or step.binds
        or not isinstance(node, ast.Expr)
        or not isinstance(node.value, ast.Call)
    ):
        return False
    func = node.value.func
    return isinstance(func, ast.Attribute) and (func.attr.startswith("set_") or func.attr == "seed")


def _builds(step: Step, models: Collection[str]) -> bool:
    """Whether a statement adds layers to, or builds, one of `models` (`model.add(...)`,
    `model.build(...)`, in a loop or a branch too)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("add", "build", "pop")
        and _root(node.func.value) in models
        for node in executed(step.node)
    )
