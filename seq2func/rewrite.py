"""Convert one module's text: find, plan, render, splice, then fix the imports."""

from __future__ import annotations

import ast
import re

import libcst as cst

from seq2func.find import Analysis, find_constructions
from seq2func.imports import import_edits, plan_imports, unused_sequential_aliases
from seq2func.plan import Plan, Planner
from seq2func.render import render, render_imports, splice
from seq2func.shared import SharedPlanner
from seq2func.types import Conversion, ConvertError, Location, Options, Result, Skip


def parse(source: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise ConvertError(
            f"cannot parse: {error.message}", Location(error.raw_line, error.raw_column + 1)
        ) from None


def _mentions(code: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", code) is not None


def convert_text(source: str, options: Options) -> Result:
    module = parse(source)
    analysis = Analysis(module)
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

    if options.line is not None:
        plans = [p for p in plans if p.span[0] <= options.line <= p.span[1]]
        skips = [s for s in skips if s.location.line <= options.line <= (s.end_line or s.location.line)]
    skips.sort(key=lambda s: (s.location.line, s.location.column))
    result = Result(source, source, skips=skips)
    if options.lint:
        from seq2func.check import check_text

        result.findings = check_text(source, analysis=analysis).findings
    if not plans:
        return result

    edits = render((e for p in plans for e in p.edits), analysis, source, options.line_length, module.default_newline)
    generated = "".join(e.text for e in edits)
    wanted = [item for key, item in imports.add.items()
              if _mentions(generated, imports.references.input if key == "input" else imports.references.model)]
    unused = unused_sequential_aliases(analysis, [p.construction.call for p in plans])
    edits += render_imports(import_edits(analysis, wanted, unused), analysis, source, module.default_newline)
    code = splice(source, edits)
    try:
        ast.parse(code)
    except SyntaxError as error:  # never hand back code that does not parse
        raise ConvertError(f"internal error: the conversion did not parse ({error.msg}); nothing was changed",
                           Location(error.lineno or 1, error.offset or 1)) from None
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
