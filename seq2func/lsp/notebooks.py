"""Notebooks in the editor (LSP 3.17 `notebookDocument/*`): a notebook's code cells are read
as one script, exactly as `seq2func convert nb.ipynb` reads them (`notebook.script_of`), so a
model whose `add()` calls span cells is one construction. The script is analysed like a
buffer under the notebook's URI and version; positions move between the script and its
cells here, so diagnostics, code actions and edits land in the cells the user sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as lsp
from pygls.workspace import TextDocument, Workspace

from seq2func.lsp.editor import minimal_edits
from seq2func.notebook import Script, cell_location, script_of, unmasked_cells
from seq2func.types import Location, NotebookFacts


class ScriptDocument(TextDocument):
    """A notebook's code cells as one script: a buffer under the notebook's URI and version."""

    facts: NotebookFacts


@dataclass(frozen=True)
class NotebookView:
    """One version of an open notebook: its script, and where each script line is in a cell."""

    uri: str
    version: int
    cells: tuple[TextDocument, ...]  # every cell the client synced, in the notebook's order
    script: Script
    document: ScriptDocument

    @classmethod
    def of(cls, workspace: Workspace, notebook: lsp.NotebookDocument) -> NotebookView:
        docs = tuple(workspace.get_text_document(cell.document) for cell in notebook.cells)
        kinds = [cell.kind for cell in notebook.cells]
        script = script_of(
            {
                "cells": [
                    {"cell_type": "code" if is_code(kind, doc) else "markdown", "source": doc.source}
                    for kind, doc in zip(kinds, docs, strict=True)
                ]
            }
        )
        document = ScriptDocument(notebook.uri, script.text, version=notebook.version, language_id="python")
        document.facts = script.facts
        return cls(notebook.uri, notebook.version, docs, script, document)

    # -- positions: 0-based lines, as LSP counts them -------------------------------------------

    def to_cell(self, line: int) -> tuple[TextDocument, int] | None:
        """Script line -> (the cell, its line there); a cell's marker line is that cell's first."""
        starts = self.script.starts
        k = next((i for i in range(len(starts) - 1, -1, -1) if starts[i] - 2 <= line), None)
        if k is None:
            return None
        cell = self.cells[self.script.cells[k]]
        return cell, min(max(line - (starts[k] - 1), 0), max(len(cell.lines) - 1, 0))

    def place(self, line: int) -> Location:
        """A script line (1-based) -> its cell (numbered from 1, as the CLI names it) and its
        line there: where a message that names the line sends the reader."""
        return cell_location(Location(line, 1), self.script)

    def to_script(self, uri: str, line: int) -> int | None:
        """A code cell's line -> the script's; None for a cell that is not in the script."""
        k = self._code_cell(uri)
        return None if k is None else self.script.starts[k] - 1 + line

    def _code_cell(self, uri: str) -> int | None:
        for k, index in enumerate(self.script.cells):
            if self.cells[index].uri == uri:
                return k
        return None

    def shift(self, cell: TextDocument) -> int:
        """How many characters IPython strips from the start of this cell's lines."""
        number = next(i for i, doc in enumerate(self.cells) if doc is cell) + 1
        return len(self.script.indents.get(number, ""))

    def cell_range(self, rng: lsp.Range) -> tuple[TextDocument, lsp.Range] | None:
        """A range of the script -> the cell holding its start, and the range there (cut at
        the end of that cell's line when it runs on)."""
        start = self.to_cell(rng.start.line)
        if start is None:
            return None
        cell, line = start
        end = self.to_cell(rng.end.line)
        shift = self.shift(cell)
        width = len(cell.lines[line].rstrip("\r\n")) if cell.lines else 0
        begin = lsp.Position(line=line, character=min(rng.start.character + shift, width))
        if end is not None and end[0] is cell:
            finish = lsp.Position(line=end[1], character=rng.end.character + shift)
            if end[1] < len(cell.lines):
                finish.character = min(finish.character, len(cell.lines[end[1]].rstrip("\r\n")))
        else:
            finish = lsp.Position(line=line, character=width)
        return cell, lsp.Range(start=begin, end=finish)

    def script_range(self, uri: str, rng: lsp.Range) -> lsp.Range | None:
        cell = next((doc for doc in self.cells if doc.uri == uri), None)
        start, end = self.to_script(uri, rng.start.line), self.to_script(uri, rng.end.line)
        if cell is None or start is None or end is None:
            return None
        shift = self.shift(cell)
        return lsp.Range(
            start=lsp.Position(line=start, character=max(rng.start.character - shift, 0)),
            end=lsp.Position(line=end, character=max(rng.end.character - shift, 0)),
        )

    def masked(self, rng: lsp.Range) -> bool:
        """Whether every line of a script range is an IPython line (or blank)."""
        lines = self.document.lines[rng.start.line : rng.end.line + 1]
        return all(not line.strip() or line.rstrip("\r\n") in self.script.masks for line in lines)

    # -- what the editor is sent ---------------------------------------------------------------

    def diagnostics(self, found: list[lsp.Diagnostic]) -> dict[str, list[lsp.Diagnostic]]:
        """Diagnostics of the script -> those of each code cell (every code cell listed, so a
        cell whose diagnostics went away is cleared)."""
        out: dict[str, list[lsp.Diagnostic]] = {self.cells[i].uri: [] for i in self.script.cells}
        for diagnostic in found:
            moved = self.cell_diagnostic(diagnostic)
            if moved is not None:
                out[moved[0]].append(moved[1])
        return out

    def cell_diagnostic(self, diagnostic: lsp.Diagnostic) -> tuple[str, lsp.Diagnostic] | None:
        where = self.cell_range(diagnostic.range)
        if where is None:
            return None
        cell, rng = where
        return cell.uri, lsp.Diagnostic(
            range=rng,
            message=diagnostic.message,
            severity=diagnostic.severity,
            code=diagnostic.code,
            code_description=diagnostic.code_description,
            source=diagnostic.source,
            data=diagnostic.data,
        )

    def action(self, action: lsp.CodeAction, document_changes: bool) -> lsp.CodeAction:
        """A code action over the script -> the same over the cells (its diagnostics and edit)."""
        if action.diagnostics:
            action.diagnostics = [d for _, d in filter(None, map(self.cell_diagnostic, action.diagnostics))]
        if action.edit is not None:
            edits: dict[str, list[lsp.TextEdit]] = {}
            for edit in script_edits(action.edit):
                where = self.cell_range(edit.range)
                if where is not None:
                    edits.setdefault(where[0].uri, []).append(
                        lsp.TextEdit(range=where[1], new_text=edit.new_text)
                    )
            action.edit = self.workspace_edit(edits, document_changes)
        return action

    def edit(self, new_script: str, document_changes: bool) -> lsp.WorkspaceEdit:
        """The edit that turns each code cell into what it is in `new_script` (the converted
        script): minimal line edits, in every cell that changed and only there."""
        edits: dict[str, list[lsp.TextEdit]] = {}
        for number, text in unmasked_cells(
            self.script, new_script, [doc.source for doc in self.cells]
        ).items():
            cell = self.cells[number - 1]
            edits[cell.uri] = minimal_edits(cell, cell.source, text)
        return self.workspace_edit(edits, document_changes)

    def workspace_edit(
        self, edits: dict[str, list[lsp.TextEdit]], document_changes: bool
    ) -> lsp.WorkspaceEdit:
        if not document_changes:
            return lsp.WorkspaceEdit(changes=edits)
        versions = {doc.uri: doc.version for doc in self.cells}
        return lsp.WorkspaceEdit(
            document_changes=[
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=versions[uri]),
                    edits=list(cell_edits),
                )
                for uri, cell_edits in edits.items()
            ]
        )


def is_code(kind: lsp.NotebookCellKind, doc: TextDocument) -> bool:
    """A cell the kernel runs as Python (VS Code may tag a code cell with another language)."""
    return kind == lsp.NotebookCellKind.Code and (doc.language_id or "python").startswith("python")


def script_edits(edit: lsp.WorkspaceEdit) -> list[lsp.TextEdit]:
    if edit.document_changes:
        changes = [c for c in edit.document_changes if isinstance(c, lsp.TextDocumentEdit)]
        return [e for change in changes for e in change.edits if isinstance(e, lsp.TextEdit)]
    return [e for edits in (edit.changes or {}).values() for e in edits]
