"""Where the user's comments go when the code around them is rewritten.

The promise is that no comment disappears: a comment on a layer stays with that
layer's statement, and one with no obvious home goes on a line of its own above
the new code. `keep_comments` is the safety net that checks a whole plan.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst

from seq2func.analysis.find import Analysis
from seq2func.analysis.nodes import comments_in
from seq2func.edits.parts import Edit, Part, Plan, Statement, Verbatim


def keep_comments(plan: Plan, analysis: Analysis) -> None:
    """Every comment in text that the plan replaces or deletes must reappear in what the plan
    writes; one that would not (inside a dropped argument, say) goes on a line of its own above."""
    written = "\n".join(
        part.code + (part.trailing_comment or "") if isinstance(part, Statement) else part.text
        for edit in plan.edits
        for part in edit.parts
    )
    for edit in plan.edits:
        if edit.kind not in ("replace", "replace-line", "delete"):
            continue
        rng = analysis.range(edit.node)
        lost = [
            cm.value
            for cm in comments_in(edit.node)
            if rng.start.line <= analysis.range(cm).start.line <= rng.end.line and cm.value not in written
        ]
        if lost:
            edit.parts[:0] = [Verbatim(text) for text in lost]
            written += "\n" + "\n".join(lost)
            if edit.kind == "delete":
                edit.kind = "replace-line"


def lost_in_call(call: cst.Call, kept: list[cst.Element]) -> list[Verbatim]:
    """Comments in the constructor that no kept layer expression or list slot carries."""
    found = comments_in(call)
    if not found:  # as most calls: the parts need no walk of their own
        return []
    keep = {id(cm) for element in kept for cm in comments_in(element.value)}
    layers = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "layers"), None)
    harvested = (
        {id(cm) for cm in _list_whitespace_comments(layers)}
        if isinstance(layers, cst.List | cst.Tuple)
        else set()
    )
    return [Verbatim(cm.value) for cm in found if id(cm) not in keep and id(cm) not in harvested]


def lost_in_statement(
    line: cst.SimpleStatementLine | cst.SimpleStatementSuite, kept: cst.CSTNode
) -> list[Verbatim]:
    """Comments in the line's statement (`m.add(  # ...`) that the kept expression does not carry."""
    found = comments_in(line.body[0])
    if not found:  # the kept expression is part of the statement: it has none either
        return []
    keep = {id(cm) for cm in comments_in(kept)}
    return [Verbatim(cm.value) for cm in found if id(cm) not in keep]


def delete_line(
    line: cst.SimpleStatementLine | cst.SimpleStatementSuite, kept: list[Part] | None = None
) -> Edit:
    """Remove a statement line, leaving `kept` parts and its trailing comment in its place."""
    comment = line.trailing_whitespace.comment
    parts = list(kept or [])
    if comment is not None and parts and isinstance(parts[-1], Statement) and not parts[-1].trailing_comment:
        parts[-1] = replace(parts[-1], trailing_comment=comment.value)
    elif comment is not None:
        parts.append(Verbatim(comment.value))
    return Edit("replace-line", line, parts) if parts else Edit("delete", line)


# -- comments inside a layer list -------------------------------------------


def _slots(seq: cst.List | cst.Tuple) -> list[cst.BaseParenthesizableWhitespace]:
    """The whitespace before the first element, after each comma, and before the closer."""
    opener = (
        seq.lbracket.whitespace_after
        if isinstance(seq, cst.List)
        else (seq.lpar[0].whitespace_after if seq.lpar else cst.SimpleWhitespace(""))
    )
    slots: list[cst.BaseParenthesizableWhitespace] = [opener]
    for element in seq.elements:
        comma = element.comma
        slots.append(comma.whitespace_after if isinstance(comma, cst.Comma) else cst.SimpleWhitespace(""))
    closer = (
        seq.rbracket.whitespace_before
        if isinstance(seq, cst.List)
        else (seq.rpar[-1].whitespace_before if seq.rpar else cst.SimpleWhitespace(""))
    )
    slots.append(closer)
    return slots


def _list_whitespace_comments(seq: cst.List | cst.Tuple) -> list[cst.Comment]:
    found: list[cst.Comment] = []
    for ws in _slots(seq):
        found += comments_in(ws)
    return found


ElementComments = tuple[list[str], str | None]


def element_comments(seq: cst.List | cst.Tuple | None) -> list[ElementComments]:
    """Per element: the comment lines above it and the comment at the end of its line.

    One extra entry at the end holds the comment lines left after the last element.
    No list, no comments: an empty list.
    """
    if seq is None:
        return []
    n = len(seq.elements)
    leading: list[list[str]] = [[] for _ in range(n + 1)]
    trailing: list[str | None] = [None] * (n + 1)
    slots = _slots(seq)
    # slot k sits after element k-1 and before element k; the closer's slot too
    for k, ws in enumerate(slots[: n + 1] if len(slots) > n + 1 else slots):
        if not isinstance(ws, cst.ParenthesizedWhitespace):
            continue
        first = ws.first_line.comment
        if first is not None:
            if k > 0:
                trailing[k - 1] = first.value
            else:
                leading[min(k, n)].append(first.value)
        leading[min(k, n)] += [line.comment.value for line in ws.empty_lines if line.comment]
    closer = slots[-1]
    if isinstance(closer, cst.ParenthesizedWhitespace) and len(slots) > n + 1:
        if closer.first_line.comment is not None and n:
            trailing[n - 1] = trailing[n - 1] or closer.first_line.comment.value
        leading[n] += [line.comment.value for line in closer.empty_lines if line.comment]
    return list(zip(leading, trailing, strict=True))
