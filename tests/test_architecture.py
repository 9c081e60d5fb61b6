"""The package's structure, read from its imports: stages import only downwards, no import
cycles, no imports hidden in functions (except heavy dependencies loaded when used), and
every third-party import is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from seq2func.cli import COMMANDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "seq2func"

# loaded only where used: TensorFlow/Keras in the verifier's children, pygls in the server, black
# where code is formatted; pathspec and a process pool where a folder is walked; ctypes in a
# folder's workers; hashlib (OpenSSL's binding) where a notebook is read
LAZY = {
    "tensorflow",
    "keras",
    "numpy",
    "pygls",
    "lsprotocol",
    "black",
    "pathspec",
    "concurrent.futures",
    "ctypes",
    "hashlib",
    "IPython",
    "traitlets",
}
# modules of ours loaded where first needed, so that `seq2func convert` on a small file starts
# within the time of `import libcst, black`: the verifier's process machinery and report, and
# an edit's survey (the editor's). Their imports still count for the stages' order.
LAZY_OWN = {"seq2func.verify.runner", "seq2func.verify.report", "seq2func.drivers.incremental"}

# a stage may import only the stages after it in this order (and the infrastructure)
LAYERS = [
    ("cli",),  # the shells: `seq2func lsp` starts the language server
    ("lsp",),
    ("api",),
    ("drivers",),  # one text, many files, windows of a large text, an edited text
    ("config",),
    ("rules",),
    ("convert",),
    ("edits",),  # what conversions and rule fixes both produce: below both
    ("shapes",),  # the shapes of data, a registry of sources
    ("verify",),
    ("analysis",),
    ("notebook",),
    ("types",),
    ("core",),  # the writer, diffs, line maps, Keras's API as data
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _submodule(package: str, name: str) -> str | None:
    """`package.name` when that is a module of ours (imported with `from package import name`)."""
    if not package.startswith("seq2func"):
        return None
    where = ROOT.joinpath(*package.split("."), name)
    return f"{package}.{name}" if where.with_suffix(".py").is_file() or where.is_dir() else None


def imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function, line) for every import of `path`."""
    tree = ast.parse(path.read_text())
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, nested: bool, type_checking: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            checking = type_checking or (
                isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test)
            )
            if isinstance(child, ast.Import) and not checking:
                found.extend((alias.name, inner, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module and not checking:
                # `from seq2func import api`, `from seq2func.verify import runner`: the module
                found.extend(
                    (_submodule(child.module, alias.name) or child.module, inner, child.lineno)
                    for alias in child.names
                )
            visit(child, inner, checking)

    visit(tree, False, False)
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))
GRAPH = {
    module_name(path): {
        name for name, _, _ in imports(path) if name.startswith("seq2func.") or name == "seq2func"
    }
    for path in SOURCES
}
# the CLI imports each command's module by name when the command runs (`cli.COMMANDS`)
GRAPH["seq2func.cli"] |= {module for module, _ in COMMANDS.values()}


def own(name: str) -> str:
    """The package module `name` refers to (a name imported from a module is that module)."""
    while name not in GRAPH and "." in name:
        name = name.rpartition(".")[0]
    return name


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_no_import_cycles() -> None:
    """Should find no module that reaches itself through its imports (a package's
    `__init__` counts as imported with any of its modules)."""
    edges = {m: {own(n) for n in names} - {m} for m, names in GRAPH.items()}
    cycles = []
    state: dict[str, int] = {}

    def walk(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                walk(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            walk(module, [module])
    assert not cycles, "\n".join(cycles)


def _loads_lazily(name: str, importer: str) -> bool:
    """A heavy dependency, or a module of ours that imports one at its top (the language
    server needs pygls, an extra: the CLI loads it when `seq2func lsp` runs); and the API,
    which the package's face hands out when first asked (LibCST and black load then)."""
    if name.split(".")[0] in LAZY or name in LAZY or (importer == "seq2func" and name == "seq2func.api"):
        return True
    if name in LAZY_OWN:
        return True
    path = next((p for p in SOURCES if module_name(p) == own(name)), None)
    return path is not None and any(not nested and n.split(".")[0] in LAZY for n, nested, _ in imports(path))


def test_no_imports_inside_functions() -> None:
    """Should import everything at the top of a module, except the heavy dependencies a
    child process or the server loads when it needs them."""
    hidden = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in SOURCES
        for name, nested, line in imports(path)
        if nested and not _loads_lazily(name, module_name(path))
    ]
    assert not hidden, "\n".join(hidden)


def test_stages_import_only_downwards() -> None:
    """Should let a stage import only the stages below it (`LAYERS`): the analysis never
    knows the conversion, the conversion never knows the rules, nothing knows the shells."""
    rank = {name: i for i, names in enumerate(LAYERS) for name in names}
    upward = []
    for module, names in GRAPH.items():
        here = stage(module)
        if here not in rank:
            continue
        for name in names:
            there = stage(own(name))
            if there == here or there not in rank:
                continue
            if rank[there] < rank[here]:
                upward.append(f"{module} -> {own(name)}")
    assert not upward, "\n".join(upward)


def test_every_module_has_a_stage() -> None:
    """Should place each module of the package in a stage of `LAYERS` (a new one is placed
    on purpose, not by accident)."""
    rank = {name for names in LAYERS for name in names} | {"seq2func", "__main__"}
    assert sorted({stage(m) for m in GRAPH} - rank) == []


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [
        *project["dependencies"],
        *(r for group in project["optional-dependencies"].values() for r in group),
    ]
    return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower().replace("-", "_") for r in requirements}


# what a distribution is imported as, where the names differ
DISTRIBUTION = {
    "tensorflow": "tensorflow_cpu",
    "lsprotocol": "pygls",
    "tomli": "tomli",
    "IPython": "ipython",
    "traitlets": "ipython",
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_third_party_imports_are_declared(path: Path) -> None:
    """Should declare in pyproject.toml every package the code imports (click and pathspec
    come with black today, but seq2func imports them itself)."""
    declared = _declared()
    missing = []
    for name, _, line in imports(path):
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top in {"seq2func", "__future__"}:
            continue
        if top == "keras" or top == "numpy":  # installed with TensorFlow (the verify extra)
            top = "tensorflow"
        if top not in declared and DISTRIBUTION.get(top) not in declared:
            missing.append(f"{line}: {name}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(("line_length", "formats"), [(88, False), (30, True)])
def test_black_is_loaded_only_to_format_a_long_statement(line_length: int, formats: bool) -> None:
    """Should not import black (a third of `import libcst, black`) for a conversion whose new
    statements each fit on one line, as most do: pre-commit users wait for it."""
    source = "import keras\nmodel = keras.Sequential([keras.layers.Dense(8, input_shape=(4,), activation='relu')])\n"
    probe = (
        "import sys; from seq2func.api import convert_source; "
        f"new = convert_source({source!r}, line_length={line_length}).new_text; "
        "print('Model(' in new, 'black' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", str(formats)]
