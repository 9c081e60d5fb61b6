"""How to build a model the program never leaves at module level: the calls of its model
factories that the program itself makes (inside `main()`, under `if __name__ == ...`),
found statically, so that a verification can make the same call in both programs.

    def build_model(width):            # the Sequential is made here
        ...
    def main():
        model = build_model(64)        # -> the entry "build_model(64)"

Only calls whose arguments the module's namespace can evaluate are kept (literals, and
names bound at module level); a factory without required parameters is also called bare.
"""

from __future__ import annotations

import ast


def factory_calls(source: str) -> list[str]:
    """Calls that build a model, in the order the file makes them, each once."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    factories = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and _returns(node) and "Sequential" in _text(source, node)
    }
    module_names = _bound_at_module_level(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in factories:
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if all(_evaluable(a, module_names) for a in arguments) and not any(
                isinstance(a, ast.Starred) for a in node.args
            ):
                found.append(_text(source, node))
    for name, node in factories.items():
        required = len(node.args.posonlyargs) + len(node.args.args) - len(node.args.defaults)
        required += sum(1 for d in node.args.kw_defaults if d is None)
        if required == 0:
            found.append(f"{name}()")
    return list(dict.fromkeys(call for call in found if call))


def _returns(function: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(function))


def _text(source: str, node: ast.AST) -> str:
    return ast.get_source_segment(source, node) or ""


def _bound_at_module_level(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in statement.names}
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
    return names


def _evaluable(node: ast.AST, module_names: set[str]) -> bool:
    """Whether the module's namespace, after the program ran, can evaluate `node`."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and part.id not in module_names:
            return False
        if isinstance(part, ast.Call | ast.Lambda | ast.NamedExpr | ast.Await | ast.Yield | ast.YieldFrom):
            return False  # runs code, or is not an expression the namespace holds
    return True
