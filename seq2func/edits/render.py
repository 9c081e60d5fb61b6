"""Turn plans into text edits: generated statements are formatted by black, placed
with the indentation and newlines of the lines they replace, and nothing else moves."""

from __future__ import annotations

import ast
import bisect
import functools
import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from seq2func.analysis.find import Analysis
from seq2func.analysis.narrow import LINE
from seq2func.edits.parts import Edit, ImportEdit, Statement, Verbatim
from seq2func.types import ConvertError, Location, TextEdit

if TYPE_CHECKING:
    import black

_MARK = "# @@seq2func-split@@"


_LEADING_SPACES = re.compile(r"^((?:    )+)", re.MULTILINE)


class SourceLines:
    def __init__(self, source: str) -> None:
        self.source = source
        self.lines = source.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def line_end(self, line: int) -> int:
        """Offset just past the newline of `line` (or the end of the text)."""
        return self.starts[min(line, len(self.lines))]

    def indent(self, line: int) -> str:
        text = self.lines[line - 1]
        return text[: len(text) - len(text.lstrip(" \t"))]

    def ends_with_newline(self) -> bool:
        return self.source.endswith(("\n", "\r"))

    @functools.cached_property
    def indents_with_tabs(self) -> bool:
        """Whether the file's first indented block is indented with a tab."""
        if "\t" not in self.source:
            return False
        try:
            for token in tokenize.generate_tokens(io.StringIO(self.source).readline):
                if token.type == tokenize.INDENT:
                    return token.string.startswith("\t")
        except (tokenize.TokenError, SyntaxError):
            pass
        return False

    def own_indentation(self, code: str) -> str:
        """Black's code indented the file's way: four spaces a level become a tab in a
        file indented with tabs."""
        if not self.indents_with_tabs or "\n    " not in code:
            return code
        return _LEADING_SPACES.sub(lambda m: "\t" * (len(m.group(1)) // 4), code)


def format_statements(codes: list[str], line_length: int) -> list[str]:
    """Format many independent statements with one black call."""
    import black  # here: most conversions' new statements fit on a line, and need no black

    mode = black.Mode(line_length=max(line_length, 20), string_normalization=False)
    # user text from a CRLF file carries \r\n; the pieces are rejoined with the file's newline later
    codes = [code.replace("\r\n", "\n") for code in codes]
    joined = f"\n{_MARK}\n".join(codes) + "\n"
    try:
        out = black.format_str(joined, mode=mode)
    except Exception:  # black cannot parse it (e.g. a newer syntax); keep it as written
        return codes
    chunks = [chunk.strip("\n") for chunk in out.split(_MARK)]
    if len(chunks) != len(codes):
        return codes
    return [_wrap_the_layer(code, chunk, mode) for code, chunk in zip(codes, chunks, strict=True)]


def _wrap_the_layer(code: str, chunk: str, mode: black.Mode) -> str:
    """`x = Layer(long, args)(inputs)`: black splits the last brackets, leaving `(` / `inputs`
    / `)`; a person wraps the layer's own arguments and keeps `)(inputs)` together."""
    lines = chunk.split("\n")
    if not (len(lines) == 3 and lines[0].endswith(")(") and lines[2] == ")"):
        return chunk
    try:
        statement = ast.parse(code).body[0]
    except (SyntaxError, IndexError):
        return chunk
    call = statement.value if isinstance(statement, ast.Assign) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Call) and len(code.splitlines()) == 1):
        return chunk
    import black

    end = call.func.end_col_offset or 0
    head, trailer = code[:end], code[end:]
    narrower = black.Mode(line_length=max(mode.line_length - len(trailer), 20), string_normalization=False)
    try:
        wrapped = black.format_str(head + "\n", mode=narrower).rstrip("\n")
    except Exception:
        return chunk
    return wrapped + trailer


def render(
    edits: Iterable[Edit], analysis: Analysis, source: str, line_length: int, newline: str
) -> list[TextEdit]:
    text = SourceLines(source)
    placed = [_place(edit, analysis, text) for edit in edits]  # edit, start, end, indent, own line

    # black only the statements that do not fit on one line as written, once per indentation
    # width: elsewhere the user's own text (spacing, quotes) stays as it was
    pending: dict[int, list[str]] = defaultdict(list)
    for edit, _, _, indent, _ in placed:
        for part in edit.parts:
            if isinstance(part, Statement) and not _fits(part, indent, line_length):
                pending[_width(indent, line_length)].append(part.code)
    formatted = {width: iter(format_statements(codes, width)) for width, codes in pending.items()}

    out: list[TextEdit] = []
    for edit, start, end, indent, own_line in placed:
        lines: list[str] = []
        for part in edit.parts:
            if isinstance(part, Verbatim):
                lines.append(part.text)
                continue
            code = (
                part.code
                if _fits(part, indent, line_length)
                else next(formatted[_width(indent, line_length)])
            )
            moved = _final_comment(code) if code is not part.code else None
            if moved is not None:  # black joined lines and moved a comment to the end: put it above,
                lines.append(moved)  # where it cannot run into a comment that follows the statement
                code = code[: code.rindex(moved)].rstrip()
            if part.trailing_comment and _has_comment(code):
                lines.append(part.trailing_comment)
            elif part.trailing_comment:
                code = f"{code}  {part.trailing_comment}"
            lines.extend(text.own_indentation(code).split("\n"))
        if edit.kind in ("before", "after"):
            lines = _blank_margins(edit, text, start, indent, lines)
            body = newline.join(indent + line if line else "" for line in lines)
            prefix = (
                newline
                if (edit.kind == "after" and end == len(source) and not text.ends_with_newline())
                else ""
            )
            out.append(TextEdit(start, end, f"{prefix}{body}{newline}"))
        else:
            body = (newline + indent).join(lines)
            body = newline.join(
                line.rstrip(" \t") if not line.strip() else line for line in body.split(newline)
            )
            out.append(TextEdit(start, end, body if own_line or edit.kind != "delete" else ""))
    return out


def _blank_margins(edit: Edit, text: SourceLines, at: int, indent: str, body: list[str]) -> list[str]:
    """Blank lines around inserted text, as many as wanted minus those already there;
    none where the text opens or closes its block."""
    if not (edit.blank_before or edit.blank_after):
        return body
    line = (
        text.starts.index(at) + 1 if at in text.starts else len(text.lines) + 1
    )  # the line the text goes above
    lines = text.lines

    def blank(n: int) -> bool:
        return 1 <= n <= len(lines) and not lines[n - 1].strip()

    above, n = 0, line - 1
    while blank(n):
        above, n = above + 1, n - 1
    opens_block = (
        n < 1
        or len(text.indent(n).expandtabs(4)) < len(indent.expandtabs(4))
        or lines[n - 1].rstrip().endswith(":")
    )
    below, n = 0, line
    while blank(n):
        below, n = below + 1, n + 1
    closes_block = n > len(lines) or len(text.indent(n).expandtabs(4)) < len(indent.expandtabs(4))
    head = [] if opens_block else [""] * max(0, edit.blank_before - above)
    tail = [] if closes_block else [""] * max(0, edit.blank_after - below)
    return head + body + tail


def _has_comment(code: str) -> bool:
    try:
        return any(t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return "#" in code


def _final_comment(code: str) -> str | None:
    """The comment that ends the last line of `code`, if one does."""
    last = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                last = token
    except (tokenize.TokenError, SyntaxError):
        return None
    lines = code.splitlines()
    return last.string if last is not None and last.start[0] == len(lines) else None


def _fits(part: Statement, indent: str, line_length: int) -> bool:
    """A one-line statement within the limit stands as written."""
    if "\n" in part.code or "\r" in part.code:
        return False
    return len(indent.expandtabs(4)) + len(part.code) <= line_length


def _width(indent: str, line_length: int) -> int:
    return line_length - len(indent.expandtabs(4))


def _place(edit: Edit, analysis: Analysis, text: SourceLines) -> tuple[Edit, int, int, str, bool]:
    rng = analysis.range(edit.node)
    indent_line = (
        analysis.range(edit.indent_from).start.line if edit.indent_from is not None else rng.start.line
    )
    indent = text.indent(indent_line)
    if edit.kind == "replace":
        return (
            edit,
            text.offset(rng.start.line, rng.start.column),
            text.offset(rng.end.line, rng.end.column),
            indent,
            True,
        )
    if edit.kind == "replace-line":  # the statement and its trailing comment, not the newline
        end = text.line_end(rng.end.line)
        stripped = text.source[:end].rstrip("\r\n")
        return edit, text.offset(rng.start.line, rng.start.column), len(stripped), indent, True
    if edit.kind == "before":
        start = text.offset(edit.at_line or rng.start.line, 0)
        return edit, start, start, indent, True
    if edit.kind == "after":
        end = text.line_end(rng.end.line)
        return edit, end, end, indent, True
    # delete: the whole physical lines of the statement
    return edit, text.offset(rng.start.line, 0), text.line_end(rng.end.line), indent, False


def render_imports(edits: list[ImportEdit], analysis: Analysis, source: str, newline: str) -> list[TextEdit]:
    text = SourceLines(source)

    def start(node: cst.CSTNode) -> int:
        pos = analysis.range(node).start
        return text.offset(pos.line, pos.column)

    def end(node: cst.CSTNode) -> int:
        pos = analysis.range(node).end
        return text.offset(pos.line, pos.column)

    def alias_end(alias: cst.ImportAlias) -> int:
        return end(alias.asname.name if alias.asname else alias.name)

    out: list[TextEdit] = []
    for edit in edits:
        node = edit.node
        if edit.kind == "replace" and isinstance(node, cst.ImportAlias):
            out.append(TextEdit(start(node.name), alias_end(node), edit.text))
        elif edit.kind == "insert-after" and node is not None:
            out.append(TextEdit(end(node), end(node), edit.text))
        elif edit.kind == "replace-names" and isinstance(node, cst.ImportFrom):
            names = list(node.names)  # type: ignore[arg-type]
            out.append(TextEdit(start(names[0].name), alias_end(names[-1]), edit.text))
        elif edit.kind == "remove-alias" and isinstance(node, cst.ImportAlias) and edit.statement is not None:
            names = list(edit.statement.names)  # type: ignore[arg-type]
            i = next(k for k, a in enumerate(names) if a is node)
            if len(names) == 1:
                line = analysis.parent(edit.statement)
                assert line is not None
                rng = analysis.range(line)
                if (
                    isinstance(line, cst.SimpleStatementLine)
                    and line.trailing_whitespace.comment
                    and len(line.body) == 1
                ):
                    comment = line.trailing_whitespace.comment  # the import goes, its comment stays
                    out.append(TextEdit(start(line), end(comment), comment.value))
                else:
                    out.append(TextEdit(text.offset(rng.start.line, 0), text.line_end(rng.end.line), ""))
            elif i + 1 < len(names):
                out.append(TextEdit(start(node.name), start(names[i + 1].name), ""))
            else:
                out.append(TextEdit(alias_end(names[i - 1]), alias_end(node), ""))
        elif edit.kind == "new-line":
            # no import to follow: below the file's opening comments (shebang, license, coding)
            at = (
                text.starts[len(analysis.module.header)]
                if node is None
                else text.line_end(analysis.range(node).end.line)
            )
            prefix = newline if at == len(source) and source and not text.ends_with_newline() else ""
            body = edit.text.replace("\n", newline)
            if node is None and at < len(source) and source[at:].lstrip(" \t")[:1] not in ("\r", "\n"):
                # a new import block of its own: set apart from the code below, as isort would
                follows = source[at:].lstrip()
                body += newline * (2 if follows.startswith(("def ", "class ", "@", "async def ")) else 1)
            out.append(TextEdit(at, at, prefix + body))
    return out


@dataclass(frozen=True)
class Spliced:
    """A text with edits applied, and the part of it they changed: the top-level statements
    the edits touch, as they were (`old`) and as they are (`new`), from line `first`."""

    code: str
    old: str
    new: str
    first: int


def splice_parsed(
    source: str, edits: list[TextEdit], what: str, statements: Sequence[tuple[int, int]] = ()
) -> Spliced:
    """`splice`, refusing text that does not parse: such output is a bug, never handed back.
    `statements`: the line spans of the source's top-level statements; then only those the
    edits touch are parsed again (the rest of the text is as it was, and parsed before)."""
    code = splice(source, edits)
    spliced = changed_region(source, code, edits, statements)
    try:
        try:
            ast.parse(spliced.new)
        except SyntaxError:
            if spliced.new == code:
                raise
            # the region alone is not the module (a line continued into the next region):
            # the whole text decides
            spliced = Spliced(code, source, code, 1)
            ast.parse(code)
    except SyntaxError as error:
        raise ConvertError(
            f"internal error: {what} did not parse ({error.msg}); nothing was changed",
            Location((error.lineno or 1) + spliced.first - 1, error.offset or 1),
        ) from None
    return spliced


def changed_region(
    source: str, code: str, edits: list[TextEdit], statements: Sequence[tuple[int, int]]
) -> Spliced:
    """The top-level statements `edits` touch, before and after: their text starts and ends
    at top level (outside brackets and strings), so it parses and tokenizes on its own, as
    it does within the whole text. Without `statements`, the whole text."""
    if not edits or not statements:
        return Spliced(code, source, code, 1)
    starts = [0]
    for line in LINE.findall(source):
        starts.append(starts[-1] + len(line))

    def line_of(offset: int) -> int:  # 1-based; the end of the text is on its last line
        return min(bisect.bisect_right(starts, offset), max(len(starts) - 1, 1))

    low = line_of(min(e.start for e in edits))
    high = line_of(max(max(e.end - 1, e.start) for e in edits))
    for first, last in statements:  # widen to the statements those lines lie in
        if first <= high and last >= low:
            low, high = min(low, first), max(high, last)
    begin, end = starts[low - 1], starts[min(high, len(starts) - 1)]
    old, new = source[begin:end], code[begin : len(code) - (len(source) - end)]
    if end < len(source) and not new.endswith(("\n", "\r")):
        return Spliced(code, source, code, 1)  # the code after it would join its last line
    return Spliced(code, old, new, low)


def splice(source: str, edits: list[TextEdit]) -> str:
    """`source` with `edits` made; edits at one place go in the reverse of their order (as
    if made one by one from the last). Linear in the text: a file of 20,000 models has
    40,000 edits, and cutting the text once per edit was quadratic."""
    ordered = sorted(enumerate(edits), key=lambda item: (item[1].start, item[1].end, -item[0]))
    pieces, at = [], 0
    for _, edit in ordered:
        if edit.start < at:  # overlapping edits: made one by one, as they always were
            return _splice_one_by_one(source, edits)
        pieces += [source[at : edit.start], edit.text]
        at = edit.end
    pieces.append(source[at:])
    return "".join(pieces)


def _splice_one_by_one(source: str, edits: list[TextEdit]) -> str:
    out = source
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end :]
    return out
