"""What an editor shows: seq2func's results as LSP diagnostics, code actions and edits.

Plain functions over lsprotocol types and pygls's TextDocument, so the server in
`lsp` only receives requests, runs these and the library API, and answers.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types as lsp
from pygls.workspace import TextDocument

from seq2func import REASONS_TABLE, RULES_TABLE
from seq2func.analysis.narrow import Outline, carried_outline
from seq2func.core.line_map import LineChange, LineMap
from seq2func.drivers.incremental import named_lines, shifted
from seq2func.notebook import in_cells
from seq2func.rules.engine import comment_line
from seq2func.types import Conversion, Finding, Hint, Location, Options, Site, Survey, with_hints
from seq2func.verify.report import format_verdict
from seq2func.verify.verdict import ModelVerdict, Verdict

CONVERT_ALL_KIND = "source.convertAll.seq2func"
FIX_ALL_KIND = "source.fixAll.seq2func"
TITLE_FIX_ALL = "seq2func: Fix all findings"
VERIFY_COMMAND = "seq2func.verify"
APPLY_COMMAND = "seq2func.applyAction"  # a code action for a client that cannot resolve one
VERIFY_KIND = "source.verify.seq2func"
TITLE_CONVERT = "seq2func: Convert Sequential to Functional API"
TITLE_SHARED = "seq2func: Convert Sequential to Functional API (shared layers)"
TITLE_ALL = "seq2func: Convert all Sequential models in file"
TITLE_VERIFY = "seq2func: Verify the conversion with TensorFlow"
TITLE_INFER = "seq2func: Learn the input shape by running the program"
INFER_COMMAND = "seq2func.inferShapes"
INFER_KIND = "source.inferShapes.seq2func"
KINDS = [
    lsp.CodeActionKind.RefactorRewrite,
    lsp.CodeActionKind.QuickFix,
    CONVERT_ALL_KIND,
    FIX_ALL_KIND,
    VERIFY_KIND,
    INFER_KIND,
]


@dataclass(frozen=True)
class ClientSupport:
    """What the client can take: disabled actions (shown greyed, with why), resolving edits
    later, versioned document changes, and $/progress."""

    disabled: bool
    resolve: bool
    document_changes: bool
    progress: bool
    refresh: bool = False  # workspace/diagnostic/refresh: ask a pulling client to pull again

    @classmethod
    def of(cls, caps: lsp.ClientCapabilities) -> ClientSupport:
        action = caps.text_document.code_action if caps.text_document else None
        edit = caps.workspace.workspace_edit if caps.workspace else None
        resolve = action.resolve_support if action else None
        return cls(
            disabled=bool(action and action.disabled_support),
            resolve=bool(resolve and "edit" in resolve.properties),
            document_changes=bool(edit and edit.document_changes),
            progress=bool(caps.window and caps.window.work_done_progress),
            refresh=bool(
                caps.workspace and caps.workspace.diagnostics and caps.workspace.diagnostics.refresh_support
            ),
        )


@dataclass
class Snapshot:
    """What the server knows about one version of a buffer (analysed in `lsp.analyser`)."""

    version: int | None
    text: str
    survey: Survey | None  # None: the text does not parse (half-typed code)
    fix_titles: dict[str, str] = field(default_factory=dict)  # rule code -> its fix, in words
    verified: list[lsp.Diagnostic] = field(default_factory=list)  # a verdict about this version
    outline: Outline | None = None  # what narrowing found, to tell which edits change nothing
    options: Options | None = None  # what it was analysed with


def carried(snap: Snapshot, version: int | None, text: str, edits: LineMap) -> Snapshot | None:
    """The analysis of `text` (the buffer after `edits`) without running one, when it is
    exactly `snap`'s with its lines moved: every edit since lies in code that no analysis
    depends on (see `narrow.carried_outline`). None when that cannot be shown: the caller
    waits for the analysis of the new text."""
    if snap.survey is None or snap.outline is None:
        return None
    outline = carried_outline(snap.outline, split_lines(snap.text), split_lines(text), edits)
    if outline is None:
        return None

    def line(n: int) -> int:
        moved = edits.line(n)
        assert moved is not None, "a line the analysis speaks of was edited"
        return moved

    if edits.moves_lines and any(named_lines(snap.survey)):
        return None  # a message names a line, and lines moved: it must be written anew
    return Snapshot(
        version,
        text,
        shifted(snap.survey, line),
        snap.fix_titles,
        outline=outline,
        options=snap.options,
    )


def line_change(change: lsp.TextDocumentContentChangeEvent) -> LineChange:
    """An editor's content change, in lines."""
    if isinstance(change, lsp.TextDocumentContentChangePartial):
        start, end = change.range.start.line, change.range.end.line
        return LineChange(start, max(start, end), len(LINE_BREAK.findall(change.text)))
    return LineChange.whole()


LINE_BREAK = re.compile(r"\r\n|\r|\n")  # LSP's line breaks, and Python's tokenizer's


def split_lines(text: str) -> list[str]:
    return LINE_BREAK.split(text)


# -- positions -----------------------------------------------------------------------


def line_range(doc: TextDocument, line: int, column: int = 1) -> lsp.Range:
    """From (1-based line, 1-based column in code points) to the end of that line, in client units."""
    lines = doc.lines
    index = min(max(line - 1, 0), max(len(lines) - 1, 0))
    text = lines[index].rstrip("\r\n") if lines else ""
    start = lsp.Position(line=index, character=min(column - 1, len(text)))
    end = lsp.Position(line=index, character=len(text))
    return doc.position_codec.range_to_client_units(lines, lsp.Range(start=start, end=end))


def minimal_edits(doc: TextDocument, old: str, new: str) -> list[lsp.TextEdit]:
    """Line-level edits that turn `old` (the buffer) into `new`: only the changed hunks."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits = []
    head, tail = common_ends(old_lines, new_lines)
    old_middle, new_middle = old_lines[head : len(old_lines) - tail], new_lines[head : len(new_lines) - tail]
    # difflib's exact matching is quadratic in repeated lines (blank ones): a large middle
    # treats the commonest lines as junk, which keeps the edits correct and nearly as small
    large = max(len(old_middle), len(new_middle)) > 2000
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=large)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        i1, i2, j1, j2 = i1 + head, i2 + head, j1 + head, j2 + head
        start, end = doc.client_position_at_offset(starts[i1]), doc.client_position_at_offset(starts[i2])
        edits.append(lsp.TextEdit(range=lsp.Range(start=start, end=end), new_text="".join(new_lines[j1:j2])))
    return edits


def common_ends(old: list[str], new: list[str]) -> tuple[int, int]:
    """How many lines the two texts share at their start, and then at their end."""
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


# -- diagnostics -------------------------------------------------------------------------


def diagnostics_for(
    snap: Snapshot, doc: TextDocument, place: Callable[[int], Location] | None = None
) -> list[lsp.Diagnostic]:
    """What the editor shows of a survey; `place`: a notebook's script line -> its cell and
    line, for the lines messages name (the CLI names them so)."""

    def said(message: str, lines: Sequence[int]) -> str:
        return message if place is None else in_cells(message, lines, place)

    if snap.survey is None:
        return list(snap.verified)
    out = [*snap.verified]
    for f in snap.survey.findings:
        out.append(finding_diagnostic(doc, dataclasses.replace(f, message=said(f.message, f.lines))))
    for site in snap.survey.sites:
        if site.skip is None:
            continue
        skip = site.skip
        where = (
            "" if site.start_line <= skip.location.line <= site.end_line else f" (line {skip.location.line})"
        )
        message = f"Sequential left as is: {skip.explained(WORDS)}{where}"
        out.append(
            lsp.Diagnostic(
                range=line_range(doc, site.location.line, site.location.column),
                message=said(message, (*skip.lines, skip.location.line)),
                severity=lsp.DiagnosticSeverity.Information,
                code=skip.code,
                code_description=lsp.CodeDescription(href=REASONS_TABLE),
                source="seq2func",
            )
        )
    return out


# what to do about a model left as is, in an editor: the setting in pyproject.toml, or the action
WORDS: dict[Hint, str] = {
    "input-shape": "set input-shape under [tool.seq2func] in pyproject.toml",
    "sequence-length": "set input-shape (with the sequence length, None for any) under [tool.seq2func] "
    "in pyproject.toml",
    "infer-shapes": f"use '{TITLE_INFER}'",
    "shared-style": f"use '{TITLE_SHARED}': its layers need no input shape",
    "bind-model": 'set verify-entry under [tool.seq2func] to the call that builds it ("build_model(64)"), '
    "or bind the model at module level (model = build_model(...)), where the verifier reads it",
    "python": "set python under [tool.seq2func] in pyproject.toml to the project's interpreter, which has "
    "the packages the program imports",
    "install-there": "install the package it names in the interpreter that python under [tool.seq2func] "
    "gives",
    "keras2": "install tf_keras in the interpreter that verifies (pip install tf_keras --no-deps; it is "
    "Keras 2) so that Keras 2 code is verified on Keras 2",
}


def finding_diagnostic(doc: TextDocument, finding: Finding) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=line_range(doc, finding.location.line, finding.location.column),
        message=finding.message,
        severity=lsp.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=lsp.CodeDescription(href=RULES_TABLE),
        source="seq2func",
        data={"fixable": finding.fixable, "line": finding.location.line},
    )


def site_actions(site: Site, data: dict[str, Any], style: str = "model") -> list[lsp.CodeAction]:
    """Convert (the settings' style preferred, as `seq2func convert --line` converts), or the
    other style; or why not."""
    where = {**data, "line": site.start_line}
    if site.skip is not None:
        reason = f"{site.skip.explained(WORDS)} [{site.skip.code}]"
        refused = lsp.CodeAction(
            title=TITLE_CONVERT,
            kind=lsp.CodeActionKind.RefactorRewrite,
            disabled=lsp.CodeActionDisabled(reason=reason),
        )
        if site.shared is not None:
            return [refused]
        # no input shape for a Model, but shared layers need none: that action is offered
        shared = lsp.CodeAction(
            title=TITLE_SHARED,
            kind=lsp.CodeActionKind.RefactorRewrite,
            is_preferred=True,
            data={**where, "action": "convert", "style": "shared"},
        )
        return [refused, shared]
    convert = lsp.CodeAction(
        title=TITLE_CONVERT,
        kind=lsp.CodeActionKind.RefactorRewrite,
        is_preferred=True,
        data={**where, "action": "convert", "style": "model"},
    )
    shared = lsp.CodeAction(
        title=TITLE_SHARED,
        kind=lsp.CodeActionKind.RefactorRewrite,
        data={**where, "action": "convert", "style": "shared"},
    )
    if site.shared is not None:
        shared.data = None
        shared.disabled = lsp.CodeActionDisabled(reason=site.shared)
    elif style == "shared":
        convert.is_preferred, shared.is_preferred = None, True
    return [convert, shared]


def disable_action(doc: TextDocument, finding: Finding, text: str) -> lsp.CodeAction:
    """A quick fix that silences the finding with the documented comment where Python keeps
    it: at the end of its statement line (after backslash continuations and brackets), beside
    a comment already there. `text`: what the finding was computed on (the buffer's lines)."""
    line = comment_line(text, finding.location.line)
    end = line_range(doc, line).end
    comment = f"  # seq2func: ignore[{finding.code}]"
    edit = workspace_edit(doc, [lsp.TextEdit(range=lsp.Range(start=end, end=end), new_text=comment)], False)
    return lsp.CodeAction(
        title=f"seq2func ({finding.code}): Disable for this line",
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[finding_diagnostic(doc, finding)],
        edit=edit,
    )


def fix_action(
    doc: TextDocument, finding: Finding, title: str | None, data: dict[str, Any]
) -> lsp.CodeAction:
    action = lsp.CodeAction(
        title=f"seq2func ({finding.code}): {title or 'Fix'}",
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[finding_diagnostic(doc, finding)],
    )
    if finding.fixable:
        action.data = {**data, "action": "fix", "code": finding.code, "line": finding.location.line}
        action.is_preferred = True
    else:
        action.disabled = lsp.CodeActionDisabled(reason=finding.no_fix or "no automatic fix")
    return action


def actions_at(
    snap: Snapshot, doc: TextDocument, rng: lsp.Range, context: lsp.CodeActionContext
) -> list[lsp.CodeAction]:
    """The actions for a range: convert (or why not) per model it touches, verify, convert
    all, and the fixes of findings on those lines or named in the request's diagnostics."""
    if snap.survey is None:
        return []
    first, last = rng.start.line + 1, rng.end.line + 1
    data = {"uri": doc.uri, "version": doc.version}
    actions: list[lsp.CodeAction] = []
    touched = [site for site in snap.survey.sites if site.touches(first, last)]
    style = snap.options.style if snap.options is not None else "model"
    for site in touched:
        actions += site_actions(site, data, style)
    if any(site.skip is None for site in touched):  # the verify command, where an editor lists actions
        command = lsp.Command(title=TITLE_VERIFY, command=VERIFY_COMMAND, arguments=[doc.uri])
        actions.append(lsp.CodeAction(title=TITLE_VERIFY, kind=VERIFY_KIND, command=command))
    if any(site.skip is not None and site.skip.code == "input-shape-unknown" for site in touched):
        command = lsp.Command(title=TITLE_INFER, command=INFER_COMMAND, arguments=[doc.uri])
        actions.append(lsp.CodeAction(title=TITLE_INFER, kind=INFER_KIND, command=command))
    if any(site.skip is None for site in snap.survey.sites):
        actions.append(lsp.CodeAction(title=TITLE_ALL, kind=CONVERT_ALL_KIND, data={**data, "action": "all"}))
    wanted_lines = {d.range.start.line + 1 for d in context.diagnostics if d.source == "seq2func"}
    for finding in snap.survey.findings:
        if first <= finding.location.line <= last or finding.location.line in wanted_lines:
            actions.append(fix_action(doc, finding, snap.fix_titles.get(finding.code), data))
            actions.append(disable_action(doc, finding, snap.text))
    if any(f.fixable for f in snap.survey.findings):
        actions.append(
            lsp.CodeAction(title=TITLE_FIX_ALL, kind=FIX_ALL_KIND, data={**data, "action": "fixall"})
        )
    only = context.only
    if only:
        actions = [
            a for a in actions if a.kind and any(a.kind == k or a.kind.startswith(f"{k}.") for k in only)
        ]
    return actions


def check_range(doc: TextDocument, rng: lsp.Range) -> str | None:
    """Why a requested range is not in the document, if it is not."""
    if (rng.start.line, rng.start.character) <= (
        rng.end.line,
        rng.end.character,
    ) and 0 <= rng.start.line <= len(doc.lines):
        return None
    return f"range {rng.start.line}:{rng.start.character}-{rng.end.line}:{rng.end.character} is not in the document"


def workspace_edit(doc: TextDocument, edits: list[lsp.TextEdit], document_changes: bool) -> lsp.WorkspaceEdit:
    if document_changes:
        identifier = lsp.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
        return lsp.WorkspaceEdit(
            document_changes=[lsp.TextDocumentEdit(text_document=identifier, edits=edits)]
        )
    return lsp.WorkspaceEdit(changes={doc.uri: edits})


def verdict_message(verdict: Verdict, label: str) -> tuple[str, lsp.MessageType]:
    """The verdict in words, and how loud: equivalent is news, different a warning."""
    kind = {"equivalent": lsp.MessageType.Info, "different": lsp.MessageType.Warning}.get(
        verdict.word, lsp.MessageType.Error
    )
    return format_verdict(verdict, label, WORDS), kind


def bound_at(text: str) -> dict[str, int]:
    """The line of each module-level variable's last plain assignment (where the verifier
    reads the models it compares)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    lines: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        lines[node.id] = statement.lineno
    return lines


def verdict_diagnostics(
    doc: TextDocument, text: str, verdict: Verdict, conversions: Sequence[Conversion] = ()
) -> list[lsp.Diagnostic]:
    """What verifying found, where it applies: each conversion's own verdict on its first line
    (one compared by name, on the line that binds it); what could not be verified at all, and
    what the program does differently, at the top."""
    if verdict.status != "ok" or verdict.program:
        said = with_hints(verdict.message or "", verdict.hints, WORDS)
        if verdict.status == "ok":
            said = "; ".join(verdict.program)
        return [_verified(doc, 1, f"seq2func verify: {verdict.word}. {said}", verdict.word)]
    lines = bound_at(text)

    def line_of(m: ModelVerdict) -> int:
        """A conversion's verdict on its first line; a model compared by name where it is bound."""
        if m.site is not None and m.site < len(conversions):
            return conversions[m.site].location.line
        return lines.get(m.name.split(" (")[0], 1)

    def words(m: ModelVerdict) -> str:
        if m.verdict == "unproven":
            why = with_hints(m.reasons[0], m.hints, WORDS) if m.reasons else ""
            return f"seq2func verify: could not verify {m.name}" + (f": {why}" if why else "")
        head = f"seq2func verify: {m.name}: {m.verdict} ({m.original.params:,} parameters)"
        if m.verdict == "equivalent":
            return head + (f"; {m.shape}" if m.shape_confirmed is False else "")
        return f"{head}: {'; '.join(m.reasons[:2])}"

    return [_verified(doc, line_of(m), words(m), m.verdict) for m in verdict.models]


def _verified(doc: TextDocument, line: int, message: str, word: str) -> lsp.Diagnostic:
    severity = lsp.DiagnosticSeverity.Information if word == "equivalent" else lsp.DiagnosticSeverity.Warning
    return lsp.Diagnostic(
        range=line_range(doc, line), message=message, severity=severity, code="verified", source="seq2func"
    )


def as_command(action: lsp.CodeAction) -> lsp.CodeAction:
    """The same action, carrying a command that computes and applies its edit when chosen."""
    command = lsp.Command(title=action.title, command=APPLY_COMMAND, arguments=[action.data])
    return lsp.CodeAction(
        title=action.title,
        kind=action.kind,
        diagnostics=action.diagnostics,
        is_preferred=action.is_preferred,
        command=command,
    )
