"""What the shells print: one located message per conversion, skip and finding (`Message`,
behind every output format), the text lines (in the `path:line:col: ...` form editors and
CI logs link), verdicts and the closing summary. Text only: writing files belongs to
`paths`, printing to the shells, the machine formats to `formats`."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from seq2func.api import FileReport, Report
from seq2func.core.diff import unified_diff
from seq2func.notebook import cell_diff, is_notebook, split_cells
from seq2func.types import CheckResult, Conversion, Finding, Hint, Location, Result

# what to do about a model left as is, or a verification with nothing to compare: the flags
WORDS: dict[Hint, str] = {
    "input-shape": "pass --input-shape",
    "sequence-length": "pass --input-shape with the sequence length (None for any length)",
    "infer-shapes": "--infer-shapes to learn it by running the program",
    "shared-style": "use --style shared: its layers need no input shape",
    "bind-model": 'set verify-entry under [tool.seq2func] to the call that builds it ("build_model(64)"), '
    "or, with seq2func verify, pass --model NAME or --entry 'factory(args)'",
    "python": "pass --python with the project's interpreter, which has the packages the program imports",
    "install-there": "install the package it names in the interpreter that --python (or python under "
    "[tool.seq2func]) gives",
    "keras2": "install tf_keras (pip install tf_keras --no-deps; it is Keras 2) so that Keras 2 code is verified on Keras 2",
}


def diff(report: FileReport) -> str:
    """What --diff prints for one file: a unified diff; for a notebook, one per changed cell."""
    result = report.result
    if result is None or not report.changed:
        return ""
    if is_notebook(report.path):
        return cell_diff(result.source, result.new_text, report.path)
    return unified_diff(result.source, result.new_text, report.path)


def finding_line(path: str, finding: Finding) -> str:
    return f"{path}:{finding.location}: {finding.code} {finding.message}"


def conversion_lines(report: FileReport, check: bool, skips: bool = True) -> list[str]:
    """The models converted (or that would be), those left as they are, with why (unless
    not `skips`), and the findings: in line order (cell by cell in a notebook)."""
    if not isinstance(report.result, Result):
        return []
    lines = []
    for m in messages(report, check):
        if m.kind == "skip" and not skips:
            continue
        where = f"{report.path}:{place(m)}"
        lines.append(f"{where}: {said(m)}")
        if m.kind == "conversion" and m.extra["note"]:
            lines.append(f"{where}: note: {m.extra['note']}")
    return lines


def conversion_message(conversion: Conversion, check: bool) -> str:
    """`converted seq (8 layers; input from ...)`, or `would convert ...` under --check."""
    how = (
        "to shared layers, applied to the tensors it is called on"
        if conversion.style == "shared"
        else f"input from {conversion.input_source}"
    )
    verb = "would convert" if check else "converted"
    return f"{verb} {conversion.model} ({layers_in_words(conversion)}; {how})"


Kind = Literal["conversion", "skip", "finding", "error"]
# how loud each kind is in an annotation or a code-scanning alert
LEVELS: dict[Kind, str] = {"conversion": "note", "skip": "note", "finding": "warning", "error": "error"}


@dataclass(frozen=True)
class Message:
    """One thing a run found, located: a conversion, a model left as is, a finding, or a
    file that could not be read."""

    kind: Kind
    path: str
    cell: int | None  # in a notebook: the cell (from 1, markdown cells counted); lines are the cell's
    line: int
    column: int
    end_line: int
    end_column: int  # one past the last character, as LSP and SARIF count
    code: str  # a rule (S2F101), a reason a model is left (input-shape-unknown), `converted` or `error`
    message: str
    extra: dict[str, Any] = field(default_factory=dict)  # what only this kind has

    def as_json(self) -> dict[str, Any]:
        fields = {k: v for k, v in asdict(self).items() if k != "extra"}
        return {**fields, **self.extra}


def messages(report: FileReport, check: bool) -> list[Message]:
    """Everything about one file, in line order (cell by cell in a notebook)."""
    if report.error is not None:
        return [Message("error", report.path, None, 1, 1, 1, 1, "error", report.error)]
    result = report.result
    if result is None:
        return []
    lines = _Lines(result, report.path)
    found: list[Message] = []
    if isinstance(result, Result):
        proofs = report.conversion_proofs()
        for k, conversion in enumerate(result.conversions):
            extra = asdict(conversion)
            del extra["location"], extra["end_line"]
            if proofs is not None:
                extra["verification"] = proofs[k]
            message = conversion_message(conversion, check)
            found.append(
                lines.message(
                    "conversion",
                    report.path,
                    conversion.location,
                    conversion.end_line,
                    "converted",
                    message,
                    extra,
                )
            )
    for skip in result.skips:
        end = max(skip.end_line or skip.location.line, skip.location.line)
        extra = {"hints": list(skip.hints), "explained": skip.explained(WORDS)}
        found.append(lines.message("skip", report.path, skip.location, end, skip.code, skip.message, extra))
    for finding in result.findings:
        extra = {"fixable": finding.fixable, "fixed": finding.fixed, "no_fix": finding.no_fix}
        end = finding.end.line if finding.end else finding.location.line
        found.append(
            lines.message("finding", report.path, finding.location, end, finding.code, finding.message, extra)
        )
    return sorted(found, key=lambda m: (m.cell or 0, m.line, m.column))


class _Lines:
    """The text of a file's lines (a notebook's, by cell), to say where a line ends."""

    def __init__(self, result: Result | CheckResult, path: str) -> None:
        if is_notebook(path):
            self.cells = {n: text.splitlines() for n, text in split_cells(result.source).items()}
        else:
            self.cells = {0: result.source.splitlines()}

    def message(
        self,
        kind: Kind,
        path: str,
        where: Location,
        end_line: int,
        code: str,
        text: str,
        extra: dict[str, Any],
    ) -> Message:
        lines = self.cells.get(where.cell or 0, [])
        end_column = len(lines[end_line - 1]) + 1 if 0 < end_line <= len(lines) else where.column
        return Message(
            kind, path, where.cell, where.line, where.column, end_line, end_column, code, text, extra
        )


def place(m: Message) -> str:
    return str(Location(m.line, m.column, m.cell))


def said(m: Message) -> str:
    """The message as the text output says it (a skip with what to do about it)."""
    if m.kind == "conversion":
        return m.message
    if m.kind == "skip":
        return f"left as is [{m.code}] {m.extra['explained']}"
    return f"{m.code} {m.message}"


def layers_in_words(conversion: Conversion) -> str:
    count = f"{conversion.layers} layer{'' if conversion.layers == 1 else 's'}"
    if not conversion.comprehension:
        return count
    # a comprehension's, or a list's built before the model: how many is known only when it runs
    return "the layers a loop applies" + (f" and {count}" if conversion.layers else "")


def verdict_lines(report: FileReport, detail: bool = True) -> list[str]:
    """A file's verdict (`detail` False: each equivalent model's comparisons left out), and
    why it was not written."""
    lines = []
    if report.verdict is not None:
        from seq2func.verify.report import format_verdict  # see `LAZY_OWN` in tests/test_architecture.py

        lines.append(format_verdict(report.verdict, report.path, WORDS, detail=detail))
    if report.held_back is not None:
        lines.append(f"{report.path}: not written: {report.held_back}")
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def convert_summary(report: Report, in_place: bool, grouped: bool = False) -> str:
    results = [r.result for r in report.files if isinstance(r.result, Result)]
    conversions = sum(len(r.conversions) for r in results)
    skips = sum(len(r.skips) for r in results)
    parts = [f"{_plural(conversions, 'model')} {'to convert' if report.check else 'converted'}"]
    if report.check:
        parts.append(f"{_plural(report.changed, 'file')} would change")
    elif in_place:
        parts.append(f"{_plural(len(report.written), 'file')} written")
    else:
        parts.append(f"{_plural(report.changed, 'file')} changed")
    proofs = report.proofs()
    if proofs is not None and conversions:
        unconfirmed = (
            f" ({proofs['unconfirmed']} on a shape not confirmed by running)" if proofs["unconfirmed"] else ""
        )
        parts.append(
            f"{proofs['equivalent']} proven{unconfirmed}, {proofs['different']} different, "
            f"{proofs['unproven']} not proven"
        )
    held = sum(1 for r in report.files if r.held_back)
    if held:
        parts.append(
            f"{_plural(held, 'file')} not written ({report.different} different, {report.unverified} unverified)"
        )
    if skips:
        parts.append(f"{skips} left as they are ({'by reason below' if grouped else 'see above'})")
    if report.failed:
        parts.append(f"{_plural(report.failed, 'file')} failed")
    return ", ".join(parts) + "."


def skips_by_reason(report: Report) -> list[str]:
    """The models left as they are, counted by reason, commonest first, with what to do."""
    counts: Counter[str] = Counter()
    hints: dict[str, list[Hint]] = {}
    for file in report.files:
        for skip in file.result.skips if isinstance(file.result, Result) else []:
            counts[skip.code] += 1
            known = hints.setdefault(skip.code, [])
            known += [hint for hint in skip.hints if hint not in known]
    if not counts:
        return []
    lines = ["Left as they are, by reason (-v lists each):"]
    for code, count in counts.most_common():
        todo = ", or ".join(WORDS[hint] for hint in hints[code])
        lines.append(f"  {count:>5}  {code}" + (f": {todo}" if todo else ""))
    return lines


def check_summary(report: Report, fix: bool) -> str:
    findings = report.findings
    fixed = len(findings) - report.remaining_findings
    words = [f"Found {_plural(len(findings), 'finding')}" if findings else "No findings"]
    fixable = sum(1 for f in findings if f.fixable and not f.fixed)
    if fixed or fix:
        words.append(f"({fixed} fixed, {report.remaining_findings} remaining)")
    elif fixable:
        words.append(f"({fixable} fixable with --fix)")
    return " ".join(words) + "."
