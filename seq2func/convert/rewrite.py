"""Convert one module's text: find, plan, render, splice, then fix the imports."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter

from seq2func.analysis.find import Analysis, find_constructions
from seq2func.analysis.narrow import Widen, check_untouched
from seq2func.analysis.parse import analyse, deep_recursion
from seq2func.convert.comments import keep_comments
from seq2func.convert.imports import ImportPlan, alias_binding, import_edits, plan_imports, unused_aliases
from seq2func.convert.plan import Planner
from seq2func.convert.plan_types import Plan
from seq2func.convert.render import render, render_imports, splice_parsed
from seq2func.types import Conversion, ConvertError, Options, Result, Site, Skip


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
    imports = plan_imports(analysis)
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
def survey_sites(source: str, options: Options, analysis: Analysis | None = None) -> list[Site]:
    """Each construction with what can be done to it (both styles); no rendering."""
    analysis = analysis or analyse(source, keras_modules=options.keras_modules)
    constructions, skips = find_constructions(analysis)
    refs = plan_imports(analysis).references
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
    return sites


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
    spliced = splice_parsed(source, edits, "the conversion", analysis.statements)
    lost = _comments(spliced.old) - _comments(spliced.new)  # what is not in `old` is untouched
    if lost:  # the promise: nothing the user wrote disappears
        raise ConvertError(f"internal error: the conversion would drop the comment {next(iter(lost))!r}")
    return spliced.code


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
    """The conversions and skips (no rule findings: `source` adds those) of `source`;
    `analysis` may be passed in when the same text was analysed before (an editor's buffer)."""
    try:
        return _convert(source, options, analysis or analyse(source, keras_modules=options.keras_modules))
    except Widen:
        notebook = analysis.notebook if analysis is not None else None
        return _convert(
            source,
            options,
            analyse(source, narrow=False, keras_modules=options.keras_modules, notebook=notebook),
        )


def _convert(source: str, options: Options, analysis: Analysis) -> Result:
    analysis, imports, plans, skips = _planned(source, options, analysis)
    if options.line is not None:
        plans = [p for p in plans if p.span[0] <= options.line <= p.span[1]]
        skips = [s for s in skips if s.span[0] <= options.line <= s.span[1]]
    skips.sort(key=lambda s: (s.location.line, s.location.column))
    if not plans:
        return Result(source, source, skips=skips)

    try:
        code = _apply(source, analysis, imports, plans, options)
    except ConvertError:  # a bug: find the plans that cause it, convert the others
        good: list[Plan] = []
        for plan in plans:
            try:
                _apply(source, analysis, imports, [*good, plan], options)
                good.append(plan)
            except ConvertError as own:
                skips.append(_internal_skip(analysis, plan, own.message))
        skips.sort(key=lambda s: (s.location.line, s.location.column))
        if not good:
            return Result(source, source, skips=skips)
        plans = good
        code = _apply(source, analysis, imports, plans, options)
    conversions = [
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
    return Result(source, code, conversions, skips)
