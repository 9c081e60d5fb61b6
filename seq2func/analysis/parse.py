"""Reading a module: Python's own check that it compiles, then LibCST's tree, narrowed to
the statements a conversion can depend on (`narrow`), under a recursion limit deep enough
for what CPython accepts."""

from __future__ import annotations
import __future__

import ast
import contextlib
import functools
import re
import sys
import tokenize
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import ParamSpec, TypeVar

import libcst as cst

from seq2func.analysis.find import Analysis, WholeModule
from seq2func.analysis.narrow import LINE, Unit, module_names, outline_of, relevant, standing_in, units
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


def python_syntax(source: str, flags: int = 0) -> ast.Module:
    """Python's own tree of `source`; ConvertError unless CPython would compile it (syntax,
    scopes, nesting limits). `flags`: `__future__` features in force (from a part before)."""
    with _refused():
        with _default_recursion():
            tree = _parsed(source, flags) if flags else ast.parse(source)
        with _deep_recursion():  # the tree goes back to C one level a frame; CPython's own limits held above
            # what only the compiler refuses: `return` outside a function, `nonlocal` at module
            # level, a name used before its `global`... (a notebook may await at top level)
            flags |= ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
            compile(tree, "<source>", "exec", flags=flags, dont_inherit=True)
        return tree


def outside_functions(tree: ast.Module, source: str) -> None:
    """ConvertError for `await` (or `async for`, `async with`) outside a function: IPython
    runs it in a notebook, CPython refuses it in a module (`python_syntax` lets it through
    for notebooks)."""
    if "await" not in source and "async" not in source:
        return
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack += [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            stack += getattr(node, "decorator_list", [])
            continue
        asynchronous = isinstance(node, ast.comprehension) and node.is_async
        if isinstance(node, ast.Await | ast.AsyncFor | ast.AsyncWith) or asynchronous:
            where: ast.expr | ast.stmt = node.iter if isinstance(node, ast.comprehension) else node  # type: ignore[assignment]
            word = (
                "await"
                if isinstance(node, ast.Await)
                else "asynchronous comprehension"
                if asynchronous
                else "async"
            )
            raise ConvertError(
                f"cannot parse: '{word}' outside function", Location(where.lineno, where.col_offset + 1)
            )
        stack += ast.iter_child_nodes(node)


def _parsed(source: str, flags: int) -> ast.Module:
    tree: ast.Module = compile(source, "<source>", "exec", flags=flags | ast.PyCF_ONLY_AST, dont_inherit=True)
    return tree


def compiles_in_parts(source: str, size: int = 5_000) -> None:
    """ConvertError unless CPython compiles `source`; a long one is read `size` lines at a
    time (see `read_in_chunks`): Python's own tree of 20 MB of code takes 4 GB."""
    lines = LINE.findall(source)
    if len(lines) > size:
        read_in_chunks(lines, size)
    else:
        python_syntax(source)


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


_LONE = re.compile(r"([ \t\f]*)\\(\r\n|\r|\n)")  # a line that is only a continuation


def _lone_continuations_blank(source: str) -> str:
    """`source` with each line that holds only a backslash, joined to a statement on the next
    line at its indentation, made blank: Python reads both alike, and LibCST's positions of
    the first are one line off from there on (it neither keeps nor counts such a line). One
    joined to a line indented otherwise is refused: no blank line reads like it."""
    if "\\\n" not in source and "\\\r" not in source:
        return source
    lines = LINE.findall(source)
    inside = _in_brackets_or_strings(source)
    for number, text in enumerate(lines, 1):
        lone = _LONE.fullmatch(text)
        after = lines[number] if number < len(lines) else ""
        if lone is None or number in inside or not after.strip() or after.lstrip().startswith("#"):
            continue
        if after[: len(after) - len(after.lstrip(" \t\f"))] != lone.group(1):
            raise ConvertError(
                "cannot read: this line holds only a backslash that joins the next line at another "
                "indentation, which LibCST does not place right; write the statement on one line",
                Location(number, 1),
            )
        lines[number - 1] = f"{lone.group(1)} {lone.group(2)}"  # a space: after a lone \r, no \r\n
    return "".join(lines)


def _in_brackets_or_strings(source: str) -> set[int]:
    """The lines within brackets or a string that spans lines (where a backslash is no
    statement's continuation)."""
    depth, inside = 0, set[int]()
    # Python's lines (a lone \r ends one too), each ended by \n for the tokenizer
    lines = iter([line.rstrip("\r\n") + "\n" for line in LINE.findall(source)])
    try:
        for token in tokenize.generate_tokens(lambda: next(lines, "")):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            if token.start[0] != token.end[0]:
                inside.update(range(token.start[0], token.end[0] + 1))
            if depth > 0:
                inside.add(token.start[0])
    except (tokenize.TokenError, SyntaxError):
        pass
    return inside


def libcst_module(source: str) -> cst.Module:
    try:
        return cst.parse_module(_lone_continuations_blank(source))
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
    if notebook is None:
        outside_functions(tree, source)
    if not narrow:
        whole = WholeModule(statements=statement_spans(tree))
        return Analysis(libcst_module(source), keras_modules=keras_modules, notebook=notebook, whole=whole)
    found = units(tree)
    keep = relevant(found)
    whole = WholeModule(
        outline_of(found, keep), tuple(found), statement_spans(tree), names=module_names(found)
    )
    return analyse_part(
        LINE.findall(source), found, keep, whole, keras_modules=keras_modules, notebook=notebook
    )


def analyse_part(
    lines: Sequence[str],
    found: Sequence[Unit],
    keep: Sequence[bool],
    whole: WholeModule,
    *,
    binds: bool = True,
    reads: bool = True,
    keras_modules: Sequence[str] = (),
    notebook: NotebookFacts | None = None,
) -> Analysis:
    """The one way to analyse part of a text (`lines`, Python's, ends kept): the top-level
    statements `found` that `keep` picks, each run of the others stood in for by a
    statement over the same lines (`narrow.standing_in`; `binds`, `reads`: the stand-ins bind,
    and read, the module-level names their statements do, else none), told what `whole`
    says of the module. Narrowing (every statement that can matter), a window of a large
    text (`drivers.windowed`) and an edited text's statements (`drivers.incremental`) are
    analysed so; each is held to the whole text's analysis by its own oracle test."""
    text, hidden = standing_in(lines, found, keep, binds=binds, reads=reads)
    return Analysis(libcst_module(text), hidden, keras_modules, notebook, whole)


# A boundary between top-level statements can only be a line that starts at column 0 with code
# that can begin one (not a comment, a closing bracket or a compound statement's next clause).
_STARTS = re.compile(r"(?!(?:else|elif|except|finally)\b|from\s+__future__\b)[^\s#)\]}]")


def read_in_chunks(lines: Sequence[str], size: int) -> tuple[list[Unit], tuple[tuple[int, int], ...]]:
    """The units and top-level statement spans of the module of `lines` (Python's lines, ends
    kept), read about `size` lines at a time: Python's tree of a large module costs 4 KB a
    line and its compilation 3 KB, a chunk's is let go before the next is read. ConvertError
    unless CPython compiles the module.

    A chunk ends before a line where a statement can start, and holds whole statements when
    it compiles on its own: the tokens it ends with close every bracket and string, so the
    next line starts a statement of the whole module too. One that does not compile grows
    (twice as long each time) until it does, or until it is the rest of the module, whose
    error is Python's."""
    found: list[Unit] = []
    spans: list[tuple[int, int]] = []
    flags = 0  # the `__future__` features of the first chunk hold for every chunk
    start, total = 0, len(lines)
    while start < total:
        end = _boundary(lines, min(start + size, total))
        while True:
            try:
                tree = python_syntax("".join(lines[start:end]), flags)
                break
            except ConvertError as error:
                if end >= total:
                    raise _shifted(error, start) from None
                end = _boundary(lines, min(end + (end - start), total))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                if start:
                    raise ConvertError(
                        "cannot parse: from __future__ imports must occur at the beginning of the file",
                        Location(node.lineno + start, node.col_offset + 1),
                    )
                for name in node.names:
                    feature = getattr(__future__, name.name, None)
                    flags |= getattr(feature, "compiler_flag", 0)
        for unit in units(tree):
            unit.first, unit.last = unit.first + start, unit.last + start
            found.append(unit)
        spans += [(first + start, last + start) for first, last in statement_spans(tree)]
        del tree
        start = end
    return found, tuple(spans)


def _boundary(lines: Sequence[str], at: int) -> int:
    """The first line from index `at` where a top-level statement can start (or the end)."""
    while at < len(lines) and not _STARTS.match(lines[at]):
        at += 1
    return at


def _shifted(error: ConvertError, lines: int) -> ConvertError:
    where = error.location
    if where is None or not lines:
        return error
    return ConvertError(error.message, Location(where.line + lines, where.column))


def statement_spans(tree: ast.Module) -> tuple[tuple[int, int], ...]:
    """Each top-level statement's first line (its decorators' included) and last line."""
    spans = []
    for node in tree.body:
        decorators = getattr(node, "decorator_list", None) or []
        first = min([node.lineno, *(d.lineno for d in decorators)])
        spans.append((first, node.end_lineno or node.lineno))
    return tuple(spans)
