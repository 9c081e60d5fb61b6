"""Small questions about LibCST nodes that the planners and the rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis


def before(a: CodePosition, b: CodePosition) -> bool:
    return (a.line, a.column) < (b.line, b.column)


class _Comments(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[cst.Comment] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.found.append(node)


class _Found(cst.CSTVisitor):
    def __init__(self, test: Callable[[cst.CSTNode], bool]) -> None:
        self.test = test
        self.found: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.test(node):
            self.found.append(node)
        return True


def find_all(root: cst.CSTNode, test: Callable[[cst.CSTNode], bool]) -> list[cst.CSTNode]:
    """Every node under `root` (itself included) that passes `test`, in source order. A
    visitor, not `libcst.matchers`: importing those takes as long as LibCST and black together."""
    visitor = _Found(test)
    root.visit(visitor)
    return visitor.found


def comments_in(node: cst.CSTNode) -> list[cst.Comment]:
    collector = _Comments()
    node.visit(collector)
    return collector.found


def has_comments(node: cst.CSTNode | cst.MaybeSentinel) -> bool:
    return isinstance(node, cst.CSTNode) and bool(comments_in(node))


def needs_parens(expr: cst.BaseExpression) -> bool:
    """Whether `expr(x)` would call something else than `expr` without parentheses."""
    if expr.lpar:
        return False
    return not isinstance(expr, cst.Name | cst.Attribute | cst.Call | cst.Subscript | cst.List | cst.Tuple)


def applied(analysis: Analysis, layer: cst.BaseExpression | str, tensor: str) -> str:
    """The code that applies `layer` (an expression, or code already) to `tensor`."""
    code = layer if isinstance(layer, str) else analysis.code(layer)
    if not isinstance(layer, str) and needs_parens(layer):
        code = f"({code})"
    return f"{code}({tensor})"


def is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def is_literal(expr: cst.BaseExpression) -> bool:
    """Only constants: safe to evaluate anywhere."""
    if isinstance(expr, cst.Integer | cst.Float | cst.SimpleString):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in ("None", "True", "False")
    if isinstance(expr, cst.Tuple | cst.List):
        return all(is_literal(e.value) for e in expr.elements)
    if isinstance(expr, cst.UnaryOperation):
        return is_literal(expr.expression)
    return False


def drop_args(call: cst.Call, names: set[str]) -> cst.Call:
    """`call` without the keyword arguments in `names`, its closing style kept."""
    kept = [arg for arg in call.args if arg.keyword is None or arg.keyword.value not in names]
    if kept and len(kept) < len(call.args) and call.args[-1] not in kept and not has_comments(kept[-1].comma):
        # the old last argument carried the closing style; the new last one must not dangle a comma
        # (unless a comment follows that comma: a trailing comma keeps it in its place)
        kept[-1] = kept[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=kept)


class _ReadNames(cst.CSTVisitor):
    """Names read by an expression; attribute names (`.attr`) are not names."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.found.append(node.value)


def names_in(expr: cst.CSTNode) -> Iterator[str]:
    visitor = _ReadNames()
    expr.visit(visitor)
    yield from visitor.found


def own_statements(owner: cst.CSTNode) -> list[cst.BaseSmallStatement]:
    """The simple statements of a module or function body in source order, nested defs left out."""
    found: list[cst.BaseSmallStatement] = []

    class Visitor(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is owner

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
            found.extend(node.body)

        def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
            found.extend(node.body)

    owner.visit(Visitor())
    return found


def own_returns(func: cst.FunctionDef) -> list[cst.Return]:
    """The `return` statements of `func` itself (not of the functions it defines)."""
    return [s for s in own_statements(func) if isinstance(s, cst.Return)]
