"""docs/design.md against the code: the house it draws holds every module of the package and
no other, and every module, file and name of ours it cites exists (a rename that forgets the
map fails here)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "seq2func"
DESIGN = (ROOT / "docs" / "design.md").read_text()


def _house() -> set[str]:
    """The modules the house block lists, as paths relative to the package."""
    block = DESIGN.split("## The house", 1)[1].split("```\n", 2)[1]
    found: set[str] = set()
    package = ""
    for line in block.splitlines():
        if not line.strip() or line.startswith("    "):  # a description's second line
            continue
        word = line.split()[0]
        if not line.startswith(" "):
            package = word if word.endswith("/") else ""
            if not package:
                found.add(word)
        else:
            assert package, f"a module outside a package: {line!r}"
            found.add(f"{package}{word}.py")
    return found


def _modules() -> set[str]:
    return {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")}


def test_the_house_lists_every_module_and_no_other() -> None:
    """Should list each module of the package under its package, and none that is gone."""
    house, modules = _house(), _modules()
    assert sorted(modules - house) == [], "modules the house leaves out"
    assert sorted(house - modules) == [], "modules the house names that do not exist"


def _defined(module: Path) -> set[str]:
    tree = ast.parse(module.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def _resolves(dotted: str) -> bool:
    """Whether `a.b.c` names a module of ours, or a name defined in one (or in a class of one)."""
    parts = dotted.removeprefix("seq2func.").split(".")
    for cut in range(len(parts), 0, -1):
        where = PACKAGE.joinpath(*parts[:cut])
        module = where.with_suffix(".py") if where.with_suffix(".py").is_file() else where / "__init__.py"
        if module.is_file():
            rest = parts[cut:]
            return not rest or rest[0] in _defined(module)
    return False


def test_every_name_it_cites_exists() -> None:
    """Should cite only files that exist and modules and names the code defines: `drivers/paths.py`,
    `analysis.narrow.carried_outline`, `verify.prove`."""
    tops = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if not p.name.startswith("_")}
    missing = []
    for path in re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", DESIGN):
        if not (PACKAGE / path).is_file() and not (ROOT / path).is_file():
            missing.append(path)
    for dotted in re.findall(r"`([a-z_]+(?:\.[A-Za-z_]+)+)(?:\(\))?`", DESIGN):
        if dotted.endswith(".py"):
            continue
        if dotted.split(".")[0] in tops | {"seq2func"} and not _resolves(dotted):
            missing.append(dotted)
    assert missing == []
