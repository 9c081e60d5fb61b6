"""What the shells print: one line per conversion, skip, finding and verdict (in the
`path:line:col: ...` form editors and CI logs link), the closing summary, and the JSON
report. Text only: writing files belongs to `paths`, printing to the shells."""

from __future__ import annotations

from seq2func.api import FileReport, Report
from seq2func.diff import unified_diff
from seq2func.notebook import cell_diff, is_notebook
from seq2func.types import Conversion, Finding, Hint, Location, Result
from seq2func.verify.report import format_verdict

# what to do about a model left as is, or a verification with nothing to compare: the flags
WORDS: dict[Hint, str] = {
    "input-shape": "pass --input-shape",
    "sequence-length": "pass --input-shape with the sequence length (None for any length)",
    "infer-shapes": "--infer-shapes to learn it by running the program",
    "shared-style": "use --style shared: its layers need no input shape",
    "bind-model": "pass --model NAME or --entry 'factory(args)'",
    "python": "pass --python with the project's interpreter, which has the packages the program imports",
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


def conversion_lines(report: FileReport, check: bool) -> list[str]:
    """The models converted (or that would be), those left as they are, with why, and the
    findings: in line order (cell by cell in a notebook)."""
    result = report.result
    if not isinstance(result, Result):
        return []
    lines: list[tuple[Location, int, str]] = [
        (skip.location, 0, f"{report.path}:{skip.location}: left as is [{skip.code}] {skip.explained(WORDS)}")
        for skip in result.skips
    ]
    lines += [(finding.location, 0, finding_line(report.path, finding)) for finding in result.findings]
    for conversion in result.conversions:
        where = f"{report.path}:{conversion.location}"
        lines.append((conversion.location, 0, f"{where}: {conversion_message(conversion, check)}"))
        if conversion.note:
            lines.append((conversion.location, 1, f"{where}: note: {conversion.note}"))
    lines.sort(key=lambda item: (item[0].cell or 0, item[0].line, item[0].column, item[1]))
    return [text for _, _, text in lines]


def conversion_message(conversion: Conversion, check: bool) -> str:
    """`converted seq (8 layers; input from ...)`, or `would convert ...` under --check."""
    how = (
        "to shared layers, applied to the tensors it is called on"
        if conversion.style == "shared"
        else f"input from {conversion.input_source}"
    )
    verb = "would convert" if check else "converted"
    return f"{verb} {conversion.model} ({layers_in_words(conversion)}; {how})"


def layers_in_words(conversion: Conversion) -> str:
    count = f"{conversion.layers} layer{'' if conversion.layers == 1 else 's'}"
    if not conversion.comprehension:
        return count
    return "the layers of a comprehension" + (f" and {count}" if conversion.layers else "")


def verdict_lines(report: FileReport) -> list[str]:
    lines = [format_verdict(report.verdict, report.path, WORDS)] if report.verdict is not None else []
    if report.held_back is not None:
        lines.append(f"{report.path}: not written: {report.held_back}")
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def convert_summary(report: Report, in_place: bool) -> str:
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
    held = sum(1 for r in report.files if r.held_back)
    if held:
        parts.append(
            f"{_plural(held, 'file')} not written ({report.different} different, {report.unverified} unverified)"
        )
    if skips:
        parts.append(f"{skips} left as they are (see above)")
    if report.failed:
        parts.append(f"{_plural(report.failed, 'file')} failed")
    return ", ".join(parts) + "."


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
