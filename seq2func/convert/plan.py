"""Turn one Sequential construction into a conversion plan, or a Skip with a reason.

A plan is data: which statements are replaced, inserted or deleted, and with
which parts (statements and comment lines). `render` turns it into text.

The steps, each in its module: `facts` gathers what the construction is made of
and refuses what no style can convert; `inputs` finds where the input comes
from; `comments` keeps every comment. Two small planners read those facts:
`model_style` and `shared_style`. `Planner` runs the one asked for, and falls
back from shared layers to a Model when the layers cannot be shared.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from seq2func.analysis.find import Analysis, Construction
from seq2func.analysis.refs import model_refs
from seq2func.convert.facts import MODULE, Claims, ConstructionFacts, PlanContext, gather
from seq2func.convert.model_style import plan_model
from seq2func.convert.shared_style import NotShareable, plan_shared
from seq2func.edits.parts import Plan, References, SkipConstruction
from seq2func.types import Hint, Options, Skip, Style


class Planner:
    """Plans the constructions of one module in one style; gathers each one's facts once."""

    def __init__(
        self, analysis: Analysis, options: Options, references: References, module: Claims | None = None
    ) -> None:
        """`module`: the module-level names handed out before (by a window of the same file)."""
        self.context = PlanContext(analysis, options, references, {} if module is None else {MODULE: module})
        self._facts: dict[int, ConstructionFacts | SkipConstruction] = {}

    def in_style(self, style: Style) -> Planner:
        """A planner for the same module in another style, sharing the facts already gathered."""
        other = Planner(
            self.context.analysis, replace(self.context.options, style=style), self.context.references
        )
        other._facts = self._facts
        return other

    def facts(self, c: Construction) -> ConstructionFacts:
        """The construction's facts; raises the same SkipConstruction each time if there are none."""
        key = id(c.call)
        if key not in self._facts:
            try:
                self._same_family(c)
                self._read_everywhere(c)
                self._facts[key] = gather(self.context.analysis, c)
            except SkipConstruction as refusal:
                self._facts[key] = refusal
        found = self._facts[key]
        if isinstance(found, SkipConstruction):
            raise found
        return found

    def _same_family(self, c: Construction) -> None:
        """A file's new `Input`/`Model` come from one Keras package: in a file whose
        Sequentials come from two (`tf_keras` beside `keras`), none is converted, which
        would mix them (and the next run would convert the others)."""
        families = self.context.references.families
        if len(families) > 1:
            raise SkipConstruction(
                c.call,
                "mixed-keras",
                f"this file builds models with {' and '.join(families)}; seq2func converts a file "
                "whose models come from one Keras package, so that new Inputs and Models match their layers",
            )

    def _read_everywhere(self, c: Construction) -> None:
        """A notebook cell seq2func cannot read that names the model may add to it or read
        its layers: converting the rest would leave that cell's uses behind."""
        root: cst.BaseExpression | None = c.target
        while isinstance(root, cst.Attribute):  # `self.model`: the cell may name `self`
            root = root.value
        name = root.value if isinstance(root, cst.Name) else None
        cell = self.context.analysis.unread.get(name) if name else None
        if cell is not None:
            raise SkipConstruction(
                c.call,
                "cell-syntax",
                f"cell[{cell}] names {name} and is not Python that seq2func can read, so what it does "
                "with the model cannot be followed; fix that cell and run again",
            )

    def plan(self, c: Construction) -> Plan | Skip:
        return self.plan_explained(c)[0]

    def plan_explained(self, c: Construction) -> tuple[Plan | Skip, NotShareable | None]:
        """The outcome in the options' style, and why the shared style did not apply, if it did not."""
        try:
            if self.context.options.style != "shared":
                try:
                    return plan_model(self.context, self.facts(c)), None
                except SkipConstruction as refusal:
                    shared: Hint = "shared-style"
                    if (
                        refusal.code in ("input-shape-unknown", "import-unreachable")
                        and shared not in refusal.hints
                        and self._shareable(c)
                    ):
                        refusal.hints = (*refusal.hints, shared)
                    raise
            try:
                return plan_shared(self.context, c, self.facts), None
            except NotShareable as why:
                return self._fallback(c, why), why
        except SkipConstruction as refusal:
            return self.skip(c, refusal), None

    def _shareable(self, c: Construction) -> bool:
        """Whether the shared style would convert `c` (tried aside: no names are claimed)."""
        aside = PlanContext(self.context.analysis, self.context.options, self.context.references)
        try:
            plan_shared(aside, c, self.facts)
        except (NotShareable, SkipConstruction):
            return False
        return True

    def _fallback(self, c: Construction, why: NotShareable) -> Plan | Skip:
        """The Model style, with a note that says why the layers are not shared."""
        try:
            plan = plan_model(self.context, self.facts(c))
            notes = [f"kept as a Model, not shared layers: {why}", *([plan.note] if plan.note else [])]
            return replace(plan, note="; ".join(notes))
        except SkipConstruction as refusal:
            skip = self.skip(c, refusal)
            return replace(
                skip, message=f"{skip.message} (shared layers: {why})", lines=(*skip.lines, *why.lines)
            )

    def skip(self, c: Construction, refusal: SkipConstruction) -> Skip:
        start, end = extent(self.context.analysis, c)
        analysis = self.context.analysis
        return Skip(
            analysis.location(refusal.node),
            refusal.code,
            refusal.message,
            end_line=end,
            start_line=start,
            hints=refusal.hints,
            lines=refusal.lines,
        )


def extent(analysis: Analysis, c: Construction) -> tuple[int, int]:
    """The lines a construction covers: its statement and the add()/build() calls on it that follow."""
    rng = analysis.range(c.statement)
    ends = [rng.end.line]
    if c.target is not None:
        ends += [
            r.range.end.line
            for r in model_refs(analysis, c)
            if r.kind in ("add", "add-other", "build")
            and not r.nested_scope
            and r.range.start.line > rng.start.line
            and analysis.holder_index(c.block, r.range) is not None
        ]
    return rng.start.line, max(ends)
