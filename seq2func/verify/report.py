"""A verdict in words: the lines both shells print or show (the CLI's report, the editor's
messages), and the side-by-side layer table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import get_args

from seq2func.types import Hint, with_hints
from seq2func.verify.verdict import LayerRow, ModelVerdict, Verdict

# a hint by its name, where no shell gave its own words for it
NAMED: Mapping[Hint, str] = {hint: f"see {hint}" for hint in get_args(Hint)}


def format_verdict(
    verdict: Verdict, label: str, words: Mapping[Hint, str] = NAMED, *, detail: bool = True
) -> str:
    """The verdict in lines; what to do when something could not be compared in the shell's
    `words`. Without `detail`, a model found equivalent takes two lines (its verdict, and how
    its input shape was proven), the comparisons only where they found something."""
    if verdict.status != "ok":
        where = f"{verdict.where}: " if verdict.where else ""
        return f"{where}could not verify {label}: {with_hints(verdict.message or '', verdict.hints, words)}"
    lines = [
        f"{label}: the program behaves differently after the conversion: {difference}"
        for difference in verdict.program
    ]
    for model in verdict.models:
        o = model.original
        reasons = list(model.reasons)
        head = f"{label}: {model.name}: {model.verdict}"
        if model.mode == "sharing":
            c = model.converted
            head = f"{label}: {model.name}: weights now shared, {o.params:,} -> {c.params:,} parameters" + (
                "; outputs agree when every copy holds the shared weights"
                if model.verdict == "equivalent"
                else "; NOT only a sharing fix"
            )
        elif model.verdict == "equivalent":
            head += f" ({o.params:,} parameters, {o.trainable:,} trainable; outputs agree)"
        elif model.verdict == "unproven":
            why = with_hints(reasons.pop(0), model.hints, words) if reasons else ""
            head = f"{label}: could not verify {model.name}" + (f": {why}" if why else "")
        lines.append(head)
        proven = "; ".join(part for part in (model.shape, model.built) if part)
        if proven:
            lines.append(f"  {proven}")
        lines += [f"  {reason}" for reason in reasons]
        if detail or model.verdict != "equivalent":
            for comparison in model.comparisons:
                mark = "ok  " if comparison.ok else "FAIL"
                lines.append(f"  {mark} {comparison.what}: {comparison.detail}")
            lines += [f"  note: {note}" for note in model.notes]
    lines += [f"  note: {note}" for note in verdict.notes]
    return "\n".join(lines)


def format_table(model: ModelVerdict) -> str:
    """Layers side by side: name, output shape, parameters, never cut short; '*' marks the
    rows whose output shape or parameters differ."""
    left, right = model.rows.original, model.rows.converted
    rows = [*left, *right]
    name = max([len(r.layer) for r in rows] + [5])
    shape = max([len(r.output_shape) for r in rows] + [5])
    width = name + shape + 12

    def cell(row: LayerRow | None) -> str:
        text = "" if row is None else f"{row.layer:<{name}} {row.output_shape:<{shape}} {row.params:>10,}"
        return f"{text:<{width}}"

    out = [f"  {'':1} {'original':<{width}} converted"]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else None
        b = right[i] if i < len(right) else None
        same = a is not None and b is not None and (a.output_shape, a.params) == (b.output_shape, b.params)
        out.append(f"  {' ' if same else '*'} {cell(a)} {cell(b)}".rstrip())
    return "\n".join(out)
