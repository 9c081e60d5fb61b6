"""Convert one module's text: find, plan, render, splice, then fix the imports."""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from seq2func.analysis.find import Analysis, find_constructions
from seq2func.analysis.narrow import Widen, check_untouched
from seq2func.analysis.parse import analyse, deep_recursion
from seq2func.convert.comments import keep_comments
from seq2func.convert.facts import Claims
from seq2func.convert.plan import Planner
from seq2func.edits.imports import (
    ImportItem,
    ImportPlan,
    alias_binding,
    aliases_at,
    import_edits,
    module_alias_uses,
    plan_imports,
    unused_aliases,
)
from seq2func.edits.parts import Plan
from seq2func.edits.render import SourceLines, render, render_imports, splice_parsed
from seq2func.types import Conversion, ConvertError, Location, Options, Result, Site, Skip, TextEdit


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
    source: str, options: Options, analysis: Analysis | None, module: Claims | None = None
) -> tuple[Analysis, ImportPlan, list[Plan], list[Skip]]:
    analysis = analysis or analyse(source, keras_modules=options.keras_modules)
    constructions, skips = find_constructions(analysis)
    imports = plan_imports(analysis)
    planner = Planner(analysis, options, imports.references, module)
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
        why_not = str(not_shared) if not_shared else sharing.message if isinstance(sharing, Skip) else None
        named = not_shared.lines if not_shared else sharing.lines if isinstance(sharing, Skip) else ()
        if isinstance(outcome, Plan):
            sites.append(
                Site(
                    outcome.span[0],
                    outcome.span[1],
                    analysis.location(c.call),
                    c.model_name,
                    None,
                    why_not,
                    named,
                )
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
                    named,
                )
            )
    sites.sort(key=lambda s: (s.start_line, s.location.column))
    return sites


@dataclass(frozen=True)
class Applied:
    """Plans turned into checked edits of the source."""

    edits: list[TextEdit]
    code: str  # the source with them
    generated: str  # the text of the new code, imports aside
    regions: list[list[TextEdit]]  # each plan's edits within its construction's lines (`new_spans`)


def _apply(
    source: str,
    analysis: Analysis,
    imports: ImportPlan,
    plans: list[Plan],
    options: Options,
    *,
    module_imports: bool = True,
) -> Applied:
    """`plans` applied, with the import changes they need (`module_imports` False: those of
    module-level imports are left to the caller: a window of a large file); ConvertError when
    the text would not parse or would lose a comment (a bug, never handed back)."""
    newline = analysis.module.default_newline
    edits = render((e for p in plans for e in p.edits), analysis, source, options.line_length, newline)
    regions = _regions(source, plans, edits)
    generated = "".join(e.text for e in edits)
    removed = [call for p in plans for call in p.removed]
    wanted = wanted_imports(imports, generated) if module_imports else []
    unused = [  # a name the new code calls stays imported, even if the old code never used it
        alias
        for alias in unused_aliases(analysis, removed, module=module_imports)
        if not _mentions(generated, alias_binding(alias))
    ]
    edits += render_imports(import_edits(analysis, wanted, unused), analysis, source, newline)
    return Applied(edits, checked_splice(source, analysis, edits, "the conversion"), generated, regions)


def _regions(source: str, plans: list[Plan], edits: list[TextEdit]) -> list[list[TextEdit]]:
    """Each plan's edits (`render` gives one per plan edit, in order) that lie within the lines
    of its construction: what replaces it (uses of the model rewritten elsewhere aside)."""
    lines = SourceLines(source)
    found, at = [], 0
    for plan in plans:
        own, at = edits[at : at + len(plan.edits)], at + len(plan.edits)
        first, last = lines.offset(plan.span[0], 0), lines.line_end(plan.span[1])
        found.append([e for e in own if e.start >= first and e.end <= last])
    return found


def new_spans(
    conversions: list[Conversion], regions: list[list[TextEdit]], edits: list[TextEdit], new_text: str
) -> list[Conversion]:
    """`conversions` with the lines their new code takes in `new_text` (`edits` spliced into the
    source: `regions` holds each conversion's own edits among them)."""
    placed, shift = {}, 0
    for _, edit in sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, -item[0])):
        placed[id(edit)] = edit.start + shift  # as `splice` places them
        shift += len(edit.text) - (edit.end - edit.start)
    lines = SourceLines(new_text)

    def line_of(offset: int) -> int:
        return max(1, bisect.bisect_right(lines.starts, offset) - (offset >= len(new_text) > 0))

    out = []
    for conversion, region in zip(conversions, regions, strict=True):
        if not region or any(id(e) not in placed for e in region):
            out.append(conversion)
            continue
        start = min(placed[id(e)] for e in region)
        end = max(placed[id(e)] + len(e.text) for e in region)
        first, last = line_of(start), line_of(max(start, end - 1))
        out.append(replace(conversion, new_start=Location(first, 1), new_end=Location(last, 1)))
    return out


def wanted_imports(imports: ImportPlan, generated: str) -> list[ImportItem]:
    """The imports the plan adds that the new code (`generated`) uses."""
    return [
        item
        for key, item in imports.add.items()
        if _mentions(generated, imports.references.input if key == "input" else imports.references.model)
    ]


def checked_splice(source: str, analysis: Analysis, edits: list[TextEdit], what: str) -> str:
    """`source` with `edits`; ConvertError when that would reach into a stood-in statement,
    not parse, or lose a comment."""
    check_untouched(source, analysis.hidden, edits)
    spliced = splice_parsed(source, edits, what, analysis.statements)
    lost = _comments(spliced.old) - _comments(spliced.new)  # what is not in `old` is untouched
    if lost:  # the promise: nothing the user wrote disappears
        raise ConvertError(f"internal error: {what} would drop the comment {next(iter(lost))!r}")
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
    plans, skips, applied = _applied(source, options, analysis, imports, plans, skips)
    if applied is None:
        return Result(source, source, skips=skips)
    conversions = new_spans(_conversions(analysis, plans), applied.regions, applied.edits, applied.code)
    return Result(source, applied.code, conversions, skips)


def _applied(
    source: str,
    options: Options,
    analysis: Analysis,
    imports: ImportPlan,
    plans: list[Plan],
    skips: list[Skip],
    *,
    module_imports: bool = True,
) -> tuple[list[Plan], list[Skip], Applied | None]:
    """The plans that apply (those the options' line picks), the skips (with those that did
    not apply: a bug), in order, and what applying them made (None: nothing)."""
    if options.line is not None:
        plans = [p for p in plans if p.span[0] <= options.line <= p.span[1]]
        skips = [s for s in skips if s.span[0] <= options.line <= s.span[1]]
    skips.sort(key=lambda s: (s.location.line, s.location.column))
    if not plans:
        return plans, skips, None

    def apply(chosen: list[Plan]) -> Applied:
        return _apply(source, analysis, imports, chosen, options, module_imports=module_imports)

    try:
        return plans, skips, apply(plans)
    except ConvertError:  # a bug: find the plans that cause it, convert the others
        good: list[Plan] = []
        for plan in plans:
            try:
                apply([*good, plan])
                good.append(plan)
            except ConvertError as own:
                skips.append(_internal_skip(analysis, plan, own.message))
        skips.sort(key=lambda s: (s.location.line, s.location.column))
        if not good:
            return good, skips, None
        return good, skips, apply(good)


def _conversions(analysis: Analysis, plans: list[Plan]) -> list[Conversion]:
    return [
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


@dataclass(frozen=True)
class Window:
    """What converting one window of a large file made (see `windowed`): its part of the
    result, its edits (module-level imports aside), and what those imports depend on."""

    conversions: list[Conversion]
    skips: list[Skip]
    edits: list[TextEdit]
    generated: str
    imports: ImportPlan
    alias_uses: dict[tuple[int, int], tuple[int, int]]  # see `module_alias_uses`
    local_aliases: list[str]  # the names of the function-level imports the edits remove
    regions: list[list[TextEdit]]  # each conversion's own edits (see `new_spans`)


def convert_window(
    source: str, options: Options, analysis: Analysis, module: Claims, owned: Callable[[int], bool]
) -> Window:
    """Convert the models of a window of `source` (its statements analysed, the rest stood in
    for): `module` holds the module-level names the windows before it handed out, and takes
    those this one does; `owned`, the lines whose findings and uses this window reports."""
    analysis, imports, plans, skips = _planned(source, options, analysis, module)
    skips = [s for s in skips if owned(s.location.line)]
    plans, skips, applied = _applied(source, options, analysis, imports, plans, skips, module_imports=False)
    removed = [call for p in plans for call in p.removed]
    local = [] if applied is None else unused_aliases(analysis, removed, module=False)
    return Window(
        _conversions(analysis, plans),
        skips,
        [] if applied is None else applied.edits,
        "" if applied is None else applied.generated,
        imports,
        module_alias_uses(analysis, removed, owned),
        [alias_binding(alias) for alias in local if not _mentions(applied.generated, alias_binding(alias))]
        if applied is not None
        else [],
        [] if applied is None else applied.regions,
    )


def module_imports(source: str, analysis: Analysis, windows: Sequence[Window]) -> list[TextEdit] | None:
    """The module-level import changes of a large file converted in `windows`, checked
    (`analysis`: the file's imports, the rest stood in for); None when a window removed a
    function's import that another window's new code names."""
    generated = "".join(w.generated for w in windows)
    if any(_mentions(generated, name) for w in windows for name in w.local_aliases):
        return None
    imports = plan_imports(analysis)
    uses: dict[tuple[int, int], tuple[int, int]] = {}
    for window in windows:
        for place, (used, removed) in window.alias_uses.items():
            before = uses.get(place, (0, 0))
            uses[place] = (before[0] + used, before[1] + removed)
    gone = {place for place, (used, removed) in uses.items() if used and used == removed}
    unused = [alias for alias in aliases_at(analysis, gone) if not _mentions(generated, alias_binding(alias))]
    newline = analysis.module.default_newline
    planned = import_edits(analysis, wanted_imports(imports, generated), unused)
    edits = render_imports(planned, analysis, source, newline)
    if edits:  # (with none, the check would read the whole text)
        checked_splice(source, analysis, edits, "the conversion")
    return edits
