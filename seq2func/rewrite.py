"""Convert one module's text: find, plan, render, splice, then fix the imports."""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import re
import sys
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import ParamSpec, TypeVar

import libcst as cst

from seq2func.comments import keep_comments
from seq2func.find import Analysis, find_constructions
from seq2func.imports import ImportPlan, alias_binding, import_edits, plan_imports, unused_aliases
from seq2func.narrow import Widen, check_untouched, narrowed
from seq2func.plan import Planner
from seq2func.render import render, render_imports, splice_parsed
from seq2func.types import Conversion, ConvertError, Location, Options, Plan, Result, Site, Skip, Survey


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
    try:
        with _default_recursion():
            tree = ast.parse(source)
        with _deep_recursion():  # the tree goes back to C one level a frame; CPython's own limits held above
            # what only the compiler refuses: `return` outside a function, `nonlocal` at module
            # level, a name used before its `global`... (a notebook may await at top level)
            compile(tree, "<source>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
        return tree
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
    return _libcst(source)


def _libcst(source: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise ConvertError(
            f"cannot parse: {error.message}", Location(error.raw_line, error.raw_column + 1)
        ) from None


@deep_recursion
def analyse(source: str, *, narrow: bool = True, keras_modules: Sequence[str] = ()) -> Analysis:
    """The analysis of `source`; narrowed (see `narrow`) to the statements that can matter,
    unless `narrow` is False. `keras_modules`: a project's modules that are Keras."""
    tree = python_syntax(source)
    if not narrow:
        return Analysis(_libcst(source), keras_modules=keras_modules)
    text, hidden, outline = narrowed(source, tree)
    analysis = Analysis(_libcst(text), hidden, keras_modules)
    analysis.outline = outline
    return analysis


P = ParamSpec("P")
R = TypeVar("R")


def _comments(code: str) -> Counter[str]:
    """Every comment of `code`, counted (comments are tokens: strings that look like one are not)."""
    found: Counter[str] = Counter()
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                found[token.string.rstrip()] += 1
    except (tokenize.TokenError, SyntaxError):
        pass  # ast.parse already accepted it; a tokenizer quirk must not block the conversion
    return found


def _mentions(code: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", code) is not None


def _planned(
    source: str, options: Options, analysis: Analysis | None
) -> tuple[Analysis, ImportPlan, list[Plan], list[Skip]]:
    analysis = analysis or analyse(source, keras_modules=options.keras_modules)
    constructions, skips = find_constructions(analysis)
    imports = plan_imports(analysis, constructions)
    planner = Planner(analysis, options, imports.references)
    plans: list[Plan] = []
    for construction in constructions:
        try:
            outcome = planner.plan(construction)
        except Exception as error:  # a bug: leave this model as it is, convert the others
            outcome = Skip(
                analysis.location(construction.call),
                "internal-error",
                f"seq2func failed on this model ({type(error).__name__}: {error}); it was left as it is. "
                "Please report it.",
            )
        if isinstance(outcome, Skip):
            skips.append(outcome)
        else:
            keep_comments(outcome, analysis)
            plans.append(outcome)
    return analysis, imports, plans, skips


@deep_recursion
def survey_text(source: str, options: Options, analysis: Analysis | None = None) -> Survey:
    """Each construction with what can be done to it (both styles), and the rule findings; no rendering."""
    from seq2func.check import check_text, select_rules

    analysis = analysis or analyse(source, keras_modules=options.keras_modules)
    constructions, skips = find_constructions(analysis)
    refs = plan_imports(analysis, constructions).references
    model = Planner(analysis, options, refs).in_style("model")
    shared = model.in_style("shared")
    sites = [Site(s.span[0], s.span[1], s.location, "<model>", s, "it cannot be converted") for s in skips]
    for c in constructions:
        outcome = model.plan(c)
        sharing, not_shared = shared.plan_explained(c)
        why_not = not_shared or (sharing.message if isinstance(sharing, Skip) else None)
        if isinstance(outcome, Plan):
            sites.append(
                Site(outcome.span[0], outcome.span[1], analysis.location(c.call), c.model_name, None, why_not)
            )
        else:
            sites.append(
                Site(
                    outcome.span[0],
                    outcome.span[1],
                    analysis.location(c.call),
                    c.model_name,
                    outcome,
                    why_not,
                )
            )
    sites.sort(key=lambda s: (s.start_line, s.location.column))
    rules = select_rules(options.select or None, options.ignore)
    findings = check_text(
        source, analysis=analysis, keras_modules=options.keras_modules, rules=rules
    ).findings
    return Survey(sites, findings)


def _apply(source: str, analysis: Analysis, imports: ImportPlan, plans: list[Plan], options: Options) -> str:
    """The text with `plans` applied; ConvertError when that text would not parse or would
    lose a comment (a bug, never handed back)."""
    newline = analysis.module.default_newline
    edits = render((e for p in plans for e in p.edits), analysis, source, options.line_length, newline)
    generated = "".join(e.text for e in edits)
    wanted = [
        item
        for key, item in imports.add.items()
        if _mentions(generated, imports.references.input if key == "input" else imports.references.model)
    ]
    unused = [  # a name the new code calls stays imported, even if the old code never used it
        alias
        for alias in unused_aliases(analysis, [call for p in plans for call in p.removed])
        if not _mentions(generated, alias_binding(alias))
    ]
    edits += render_imports(import_edits(analysis, wanted, unused), analysis, source, newline)
    check_untouched(source, analysis.hidden, edits)
    code = splice_parsed(source, edits, "the conversion")
    if "comments" not in analysis.cache:  # the same source for every model an editor converts
        analysis.cache["comments"] = _comments(source)
    lost = analysis.cache["comments"] - _comments(code)
    if lost:  # the promise: nothing the user wrote disappears
        raise ConvertError(f"internal error: the conversion would drop the comment {next(iter(lost))!r}")
    return code


def _internal_skip(analysis: Analysis, plan: Plan, message: str) -> Skip:
    why = message.removeprefix("internal error: ").removesuffix("; nothing was changed")
    return Skip(
        analysis.location(plan.construction.call),
        "internal-error",
        f"seq2func could not convert this model safely ({why}); it was left as it is. Please report it.",
        end_line=plan.span[1],
        start_line=plan.span[0],
    )


@deep_recursion
def convert_text(source: str, options: Options, analysis: Analysis | None = None) -> Result:
    """`analysis` may be passed in when the same text was analysed before (an editor's buffer)."""
    try:
        return _convert(source, options, analysis or analyse(source, keras_modules=options.keras_modules))
    except Widen:
        return _convert(source, options, analyse(source, narrow=False, keras_modules=options.keras_modules))


def _convert(source: str, options: Options, analysis: Analysis) -> Result:
    analysis, imports, plans, skips = _planned(source, options, analysis)
    if options.line is not None:
        plans = [p for p in plans if p.span[0] <= options.line <= p.span[1]]
        skips = [s for s in skips if s.span[0] <= options.line <= s.span[1]]
    skips.sort(key=lambda s: (s.location.line, s.location.column))
    result = Result(source, source, skips=skips)
    if options.lint:
        from seq2func.check import check_text, select_rules

        rules = select_rules(options.select or None, options.ignore)
        result.findings = check_text(
            source, analysis=analysis, keras_modules=options.keras_modules, rules=rules
        ).findings
    if not plans:
        return result

    try:
        code = _apply(source, analysis, imports, plans, options)
    except ConvertError:  # a bug: find the plans that cause it, convert the others
        good: list[Plan] = []
        for plan in plans:
            try:
                _apply(source, analysis, imports, [*good, plan], options)
                good.append(plan)
            except ConvertError as own:
                result.skips.append(_internal_skip(analysis, plan, own.message))
        result.skips.sort(key=lambda s: (s.location.line, s.location.column))
        if not good:
            return result
        plans = good
        code = _apply(source, analysis, imports, plans, options)
    result.code = code
    result.conversions = [
        Conversion(
            location=analysis.location(p.construction.call),
            end_line=p.span[1],
            model=p.construction.model_name,
            layers=p.layers,
            input_source=p.input_source,
            style=p.style,
            note=p.note,
            comprehension=p.comprehension,
        )
        for p in plans
    ]
    return result
