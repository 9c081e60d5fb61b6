"""Convert one module's text: find, plan, render, splice, then fix the imports."""

from __future__ import annotations

import ast
import re

import libcst as cst

from seq2func.find import Analysis, find_constructions
from seq2func.imports import ImportPlan, import_edits, plan_imports, unused_aliases
from seq2func.plan import Plan, Planner
from seq2func.render import render, render_imports, splice
from seq2func.shared import SharedPlanner
from seq2func.types import Conversion, ConvertError, Location, Options, Result, Site, Skip, Survey


def parse(source: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise ConvertError(
            f"cannot parse: {error.message}", Location(error.raw_line, error.raw_column + 1)
        ) from None


def _mentions(code: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", code) is not None


def _planned(
    source: str, options: Options, analysis: Analysis | None
) -> tuple[Analysis, ImportPlan, list[Plan], list[Skip]]:
    analysis = analysis or Analysis(parse(source))
    constructions, skips = find_constructions(analysis)
    imports = plan_imports(analysis, constructions)
    planner = (SharedPlanner if options.style == "shared" else Planner)(analysis, options, imports.references)
    plans: list[Plan] = []
    for construction in constructions:
        outcome = planner.plan(construction)
        if isinstance(outcome, Skip):
            skips.append(outcome)
        else:
            plans.append(outcome)
    return analysis, imports, plans, skips


def survey_text(source: str, options: Options, analysis: Analysis | None = None) -> Survey:
    """Each construction with what can be done to it (both styles), and the rule findings; no rendering."""
    from seq2func.check import check_text

    analysis = analysis or Analysis(parse(source))
    constructions, skips = find_constructions(analysis)
    refs = plan_imports(analysis, constructions).references
    model, shared = Planner(analysis, options, refs), SharedPlanner(analysis, options, refs)
    sites = [Site(s.span[0], s.span[1], s.location, "<model>", s, "it cannot be converted") for s in skips]
    for c in constructions:
        outcome = model.plan(c)
        sharing = shared.plan(c)
        why_not = shared.reason or (sharing.message if isinstance(sharing, Skip) else None)
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
    return Survey(sites, check_text(source, analysis=analysis).findings)


def convert_text(source: str, options: Options, analysis: Analysis | None = None) -> Result:
    """`analysis` may be passed in when the same text was analysed before (an editor's buffer)."""
    analysis, imports, plans, skips = _planned(source, options, analysis)
    module = analysis.module
    if options.line is not None:
        plans = [p for p in plans if p.span[0] <= options.line <= p.span[1]]
        skips = [s for s in skips if s.span[0] <= options.line <= s.span[1]]
    skips.sort(key=lambda s: (s.location.line, s.location.column))
    result = Result(source, source, skips=skips)
    if options.lint:
        from seq2func.check import check_text

        result.findings = check_text(source, analysis=analysis).findings
    if not plans:
        return result

    edits = render(
        (e for p in plans for e in p.edits), analysis, source, options.line_length, module.default_newline
    )
    generated = "".join(e.text for e in edits)
    wanted = [
        item
        for key, item in imports.add.items()
        if _mentions(generated, imports.references.input if key == "input" else imports.references.model)
    ]
    unused = unused_aliases(analysis, [call for p in plans for call in p.removed])
    edits += render_imports(import_edits(analysis, wanted, unused), analysis, source, module.default_newline)
    code = splice(source, edits)
    try:
        ast.parse(code)
    except SyntaxError as error:  # never hand back code that does not parse
        raise ConvertError(
            f"internal error: the conversion did not parse ({error.msg}); nothing was changed",
            Location(error.lineno or 1, error.offset or 1),
        ) from None
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
        )
        for p in plans
    ]
    return result
