"""Run the lint rules over one source text: findings, suppressions, fixes.

A finding is silenced by `# seq2func: ignore[S2F101]` (or a bare
`# seq2func: ignore`) on the line it is reported at, on the line above, or at the end of
the statement line it lies in (after backslash continuations and brackets, where Python
keeps a comment: `comment_line`), as ruff reads `# noqa`.
"""

from __future__ import annotations

import bisect
import functools
import io
import re
import sys
import tokenize
from collections.abc import Sequence

from seq2func.analysis.find import Analysis
from seq2func.analysis.narrow import LINE, Widen, check_untouched
from seq2func.analysis.parse import analyse, deep_recursion
from seq2func.edits.imports import ImportItem, import_edits
from seq2func.edits.render import render, render_imports, splice_parsed
from seq2func.rules import select_rules
from seq2func.rules.base import Rule, RuleContext
from seq2func.types import CheckResult, Finding, Location

_IGNORE = re.compile(r"#\s*seq2func:\s*ignore(?:\[([A-Z0-9,\s]+)\])?")


def comment_line(source: str, line: int, statements: Sequence[tuple[int, int]] = ()) -> int:
    """The last physical line of the logical line that holds `line`: where a comment about it
    may go (a comment after a backslash, or inside a string, would break the code).
    `statements`: the line spans of the module's top-level statements (`Analysis.statements`),
    when known: only the one that holds `line` is read, not the whole text."""
    i = bisect.bisect_right(statements, (line, sys.maxsize)) - 1
    if i >= 0 and statements[i][0] <= line <= statements[i][1]:
        first, last = statements[i]
        starts = _line_starts(source)
        part = source[starts[first - 1] : starts[min(last, len(starts) - 1)]]
        return _logical_ends(part).get(line - first + 1, line - first + 1) + first - 1
    return _logical_ends(source).get(line, line)


@functools.lru_cache(maxsize=1)
def _line_starts(source: str) -> list[int]:
    """The offset where each of Python's lines of `source` starts, and its length last."""
    return [m.start() for m in LINE.finditer(source)] + [len(source)]


@functools.lru_cache(maxsize=8)
def _logical_ends(source: str) -> dict[int, int]:
    """Each physical line of a logical line that spans several -> its last line."""
    ends: dict[int, int] = {}
    first: int | None = None
    blank = (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING)
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if first is None:
                if token.type in blank:
                    continue
                first = token.start[0]
            if token.type == tokenize.NEWLINE:
                ends.update({n: token.start[0] for n in range(first, token.start[0])})
                first = None
    except (tokenize.TokenError, SyntaxError):
        pass
    return ends


def suppressed(lines: Sequence[str], line: int, code: str, end: int | None = None) -> bool:
    """Whether a comment silences `code` at `line` (`end`: the last line of its statement line)."""
    for n in (line, line - 1, *((end,) if end not in (None, line) else ())):
        if not 1 <= n <= len(lines):
            continue
        text = lines[n - 1]
        if n == line - 1 and not text.lstrip().startswith("#"):
            continue  # the line above counts only when it is a comment of its own
        match = _IGNORE.search(text)
        if match and (match.group(1) is None or code in {c.strip() for c in match.group(1).split(",")}):
            return True
    return False


@deep_recursion
def check_text(
    source: str,
    *,
    fix: bool = False,
    line_length: int = 88,
    rules: Sequence[Rule] | None = None,
    analysis: Analysis | None = None,
    line: int | None = None,
    keras_modules: Sequence[str] = (),
) -> CheckResult:
    """Findings of every rule on `source`; with fix=True, `code` has the fixes applied
    (only the fix of the finding reported at `line`, when given)."""
    try:
        analysis = analysis or analyse(source, keras_modules=keras_modules)
        return _check(source, fix, line_length, rules, analysis, line)
    except Widen:
        analysis = analyse(source, narrow=False, keras_modules=keras_modules)
        return _check(source, fix, line_length, rules, analysis, line)


def _check(
    source: str,
    fix: bool,
    line_length: int,
    rules: Sequence[Rule] | None,
    analysis: Analysis,
    line: int | None,
) -> CheckResult:
    lines = source.splitlines()
    context = RuleContext(analysis, lines)
    findings: list[Finding] = []
    edits = []
    imports: list[ImportItem] = []
    for rule in rules if rules is not None else select_rules():
        for violation in rule.check(context):
            rng = analysis.range(violation.node)
            location = Location(rng.start.line, rng.start.column + 1)
            end = comment_line(source, location.line, analysis.statements)
            if suppressed(lines, location.line, rule.code, end):
                continue
            findings.append(
                Finding(
                    location,
                    rule.code,
                    violation.message,
                    Location(rng.end.line, rng.end.column + 1),
                    fixable=bool(violation.fix),
                    no_fix=violation.no_fix,
                    fixed=fix and bool(violation.fix) and line in (None, location.line),
                    lines=violation.lines,
                )
            )
            if findings[-1].fixed:
                for scope, name in violation.binds:
                    context.fixed_names.setdefault(scope, set()).add(name)
                edits += violation.fix
                imports += [item for item in violation.imports if item not in imports]
    findings.sort(key=lambda f: (f.location.line, f.location.column, f.code))
    if not edits:
        return CheckResult(source, source, findings)
    newline = analysis.module.default_newline
    text_edits = render(edits, analysis, source, line_length, newline)
    text_edits += render_imports(import_edits(analysis, imports, []), analysis, source, newline)
    check_untouched(source, analysis.hidden, text_edits)
    return CheckResult(source, splice_parsed(source, text_edits, "a fix", analysis.statements).code, findings)
