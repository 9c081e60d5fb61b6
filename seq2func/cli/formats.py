"""The machine-readable reports (`--output-format json|github|sarif`), all made from one
list of messages: every conversion, skip and finding with the same fields
(`path, cell, line, column, end_line, end_column, code, message`), in line order per file.

`json` is seq2func's own schema (`seq2func schema`, installed with the package, checked by the tests); `github`
prints GitHub Actions workflow commands (annotations on the diff of a pull request), as
`ruff --output-format github` does; `sarif` is SARIF 2.1.0 for code scanning.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from seq2func import DOCUMENTATION, REASONS_TABLE, RULES_TABLE, __version__
from seq2func.api import FileReport, Report, all_rules
from seq2func.cli.output import LEVELS, Message, messages, place, said
from seq2func.types import Result

FORMATS = ("text", "json", "github", "sarif")
SCHEMA_VERSION = 1


# -- json --------------------------------------------------------------------------------------


def summary(report: Report) -> dict[str, Any]:
    """What `convert` and `check` both count, under the same keys."""
    results = [r.result for r in report.files if r.result is not None]
    findings = [f for r in results for f in r.findings]
    return {
        "files": len(report.files),
        "changed": report.changed,
        "unchanged": len(report.files) - report.changed - report.failed,
        "failed": report.failed,
        "written": len(report.written),
        "conversions": sum(len(r.conversions) for r in results if isinstance(r, Result)),
        "skips": sum(len(r.skips) for r in results),
        "findings": len(findings),
        "fixed": sum(1 for f in findings if f.fixed),
        "remaining": report.remaining_findings,
        **({"verification": proofs} if (proofs := report.proofs()) is not None else {}),
    }


def json_report(report: Report, command: str, check: bool) -> dict[str, Any]:
    files = []
    for file in report.files:
        found = messages(file, check)
        if command == "check" and not (found or file.changed):
            continue  # as ruff: a lint report lists what it found, not every file it read
        entry: dict[str, Any] = {
            "path": file.path,
            "changed": file.changed,
            "written": file.written,
            "error": file.error,
            "conversions": [m.as_json() for m in found if m.kind == "conversion"],
            "skips": [m.as_json() for m in found if m.kind == "skip"],
            "findings": [m.as_json() for m in found if m.kind == "finding"],
        }
        if file.verdict is not None:
            entry["verification"] = {"verdict": file.verdict.word, **asdict(file.verdict)}
        files.append(entry)
    return {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "seq2func", "version": __version__},
        "command": command,
        "files": files,
        "summary": summary(report),
    }


# -- github ------------------------------------------------------------------------------------

_GITHUB_LEVELS = {"note": "notice", "warning": "warning", "error": "error"}


def github_lines(report: FileReport, check: bool) -> list[str]:
    """GitHub Actions workflow commands, one per message: `::warning file=...,line=...::...`.
    A notebook's lines are its cells', so there the annotation is on the file, the cell in the text."""
    out = []
    for m in messages(report, check):
        level = _GITHUB_LEVELS[_level(m, check)]
        where: list[tuple[str, str | int]] = [("title", f"seq2func ({_rule(m, check)})"), ("file", m.path)]
        if m.cell is None:
            where += [
                ("line", m.line),
                ("col", m.column),
                ("endLine", m.end_line),
                ("endColumn", m.end_column),
            ]
        properties = ",".join(f"{key}={_escape(str(value), True)}" for key, value in where)
        location = f"{m.path}:{place(m)}"
        out.append(f"::{level} {properties}::{_escape(f'{location}: {said(m)}', False)}")
    return out


def _escape(text: str, property_value: bool) -> str:
    """As GitHub's toolkit escapes workflow command data (and, in properties, `:` and `,`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _rule(m: Message, check: bool) -> str:
    """A message's rule: a model `--check` finds still to convert is `would-convert`, not
    `converted`."""
    return "would-convert" if m.kind == "conversion" and check else m.code


def _level(m: Message, check: bool) -> str:
    """A conversion still to make fails `convert --check`: a warning there, a note elsewhere."""
    return "warning" if m.kind == "conversion" and check else LEVELS[m.kind]


# -- sarif -------------------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif_report(report: Report, check: bool) -> dict[str, Any]:
    """SARIF 2.1.0: one run, every rule and reason code described, one result per message."""
    found = [m for file in report.files for m in messages(file, check)]
    rules = {rule.code: (rule.name, rule.summary) for rule in all_rules()}
    for m in found:
        if _rule(m, check) not in rules:
            text = (
                _RULE_TEXT["would-convert"]
                if _rule(m, check) == "would-convert"
                else _RULE_TEXT.get(m.kind, m.code)
            )
            rules[_rule(m, check)] = (_rule(m, check), text)
    codes = sorted(rules)
    results = []
    for m in found:
        location: dict[str, Any] = {"artifactLocation": {"uri": _uri(m.path)}}
        if m.cell is None:  # a notebook's lines are a cell's, not the file's: the file only
            location["region"] = {
                "startLine": m.line,
                "startColumn": m.column,
                "endLine": m.end_line,
                "endColumn": m.end_column,
            }
        result: dict[str, Any] = {
            "ruleId": _rule(m, check),
            "ruleIndex": codes.index(_rule(m, check)),
            "level": _level(m, check),
            "message": {"text": f"{place(m)}: {said(m)}" if m.cell is not None else said(m)},
            "locations": [{"physicalLocation": location}],
        }
        if m.cell is not None:
            result["properties"] = {"cell": m.cell, "line": m.line, "column": m.column}
        results.append(result)
    driver = {
        "name": "seq2func",
        "version": __version__,
        "informationUri": DOCUMENTATION,
        "rules": [
            {
                "id": code,
                "name": rules[code][0],
                "shortDescription": {"text": rules[code][1]},
                "helpUri": RULES_TABLE if code.startswith("S2F") else REASONS_TABLE,
            }
            for code in codes
        ],
    }
    return {
        "version": "2.1.0",
        "$schema": SARIF_SCHEMA,
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


_RULE_TEXT = {
    "conversion": "A Sequential model converted to the Functional API",
    "would-convert": "A Sequential model seq2func convert would convert to the Functional API",
    "skip": "A Sequential model left as it is",
    "error": "A file that could not be read, parsed or written",
}


def _uri(path: str) -> str:
    """A path as SARIF wants it: relative to the working directory where it can be, with `/`."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.resolve().as_uri()
