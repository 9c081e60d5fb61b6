"""Reading a module: Python's own check that it compiles, then LibCST's tree, narrowed to
the statements a conversion can depend on (`narrow`), under a recursion limit deep enough
for what CPython accepts."""

from __future__ import annotations

import ast
import contextlib
import functools
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import ParamSpec, TypeVar

import libcst as cst

from seq2func.analysis.find import Analysis
from seq2func.analysis.narrow import narrowed, units
from seq2func.types import ConvertError, Location, NotebookFacts

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def _deep_recursion(limit: int = 20_000) -> Iterator[None]:
    """LibCST's visitors recurse once per nesting level of the code; valid Python nests
    deeper than the default limit (a 300-term sum, 150 nested calls)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@contextlib.contextmanager
def _default_recursion() -> Iterator[None]:
    """The limit CPython compiles a file under, counted from where we stand in the stack."""
    previous = sys.getrecursionlimit()
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back  # type: ignore[assignment]
    sys.setrecursionlimit(depth + 1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def deep_recursion(function: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _deep_recursion():
            return function(*args, **kwargs)

    return wrapper


def python_syntax(source: str) -> ast.Module:
    """Python's own tree of `source`; ConvertError unless CPython would compile it (syntax,
    scopes, nesting limits)."""
    with _refused():
        with _default_recursion():
            tree = ast.parse(source)
        with _deep_recursion():  # the tree goes back to C one level a frame; CPython's own limits held above
            # what only the compiler refuses: `return` outside a function, `nonlocal` at module
            # level, a name used before its `global`... (a notebook may await at top level)
            compile(tree, "<source>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        return tree


def compiles(source: str) -> None:
    """`python_syntax` without the tree (half its cost): ConvertError unless CPython compiles `source`."""
    with _refused(), _default_recursion():
        compile(source, "<source>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)


@contextlib.contextmanager
def _refused() -> Iterator[None]:
    """Python's refusals of a source, as ConvertError; its warnings (an invalid escape, a
    literal called) are the user's business, not a refusal under `-W error`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    except SyntaxError as error:
        raise ConvertError(
            f"cannot parse: {error.msg}", Location(error.lineno or 1, error.offset or 1)
        ) from None
    except (RecursionError, MemoryError):
        raise ConvertError("cannot parse: the code nests deeper than Python itself can compile") from None
    except ValueError as error:  # NUL bytes
        raise ConvertError(f"cannot parse: {error}") from None


def parse(source: str) -> cst.Module:
    """LibCST's tree of `source`, if CPython accepts it: what CPython cannot compile (nesting
    beyond its limits) is refused first rather than taking LibCST's recursion too deep."""
    python_syntax(source)
    return libcst_module(source)


def libcst_module(source: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise ConvertError(
            f"cannot parse: {error.message}", Location(error.raw_line, error.raw_column + 1)
        ) from None


@deep_recursion
def analyse(
    source: str,
    *,
    narrow: bool = True,
    keras_modules: Sequence[str] = (),
    notebook: NotebookFacts | None = None,
) -> Analysis:
    """The analysis of `source`; narrowed (see `narrow`) to the statements that can matter,
    unless `narrow` is False. `keras_modules`: a project's modules that are Keras;
    `notebook`: what a notebook tells beyond its script."""
    tree = python_syntax(source)
    if not narrow:
        analysis = Analysis(libcst_module(source), keras_modules=keras_modules, notebook=notebook)
    else:
        found = units(tree)
        text, hidden, outline = narrowed(source, found)
        analysis = Analysis(libcst_module(text), hidden, keras_modules, notebook)
        analysis.outline = outline
        analysis.units = tuple(found)
    analysis.statements = statement_spans(tree)
    return analysis


def statement_spans(tree: ast.Module) -> tuple[tuple[int, int], ...]:
    """Each top-level statement's first line (its decorators' included) and last line."""
    spans = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", None) or []
        first = min([node.lineno, *(d.lineno for d in decorators)])
        spans.append((first, node.end_lineno or node.lineno))
    return tuple(spans)
