"""The language server's state: open buffers and their analyses (in the analysis process,
one job per document at a time), debounced diagnostics, what the client supports, and
verifications running in the background with $/progress."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcContentModified, JsonRpcInternalError, JsonRpcInvalidParams
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from seq2func import __version__
from seq2func.config import ProjectSettings, Settings
from seq2func.core.line_map import LineChange, LineMap
from seq2func.drivers.data_files import data_files
from seq2func.lsp.editor import ClientSupport, Snapshot, carried, diagnostics_for, line_change
from seq2func.lsp.notebooks import NotebookView, ScriptDocument
from seq2func.lsp.transport import ResyncingServer
from seq2func.lsp.worker import AnalysisProcess, AnalysisProcessGone
from seq2func.types import InferredShapes, Options

T = TypeVar("T")
DEBOUNCE_SECONDS = 0.3


class Seq2FuncServer(ResyncingServer):
    def __init__(self, analyser: AnalysisProcess | None = None) -> None:
        super().__init__(
            "seq2func",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            # every notebook's Python cells, as ruff's server takes them
            notebook_document_sync=lsp.NotebookDocumentSyncOptions(
                notebook_selector=[
                    lsp.NotebookDocumentFilterWithCells(cells=[lsp.NotebookCellLanguage(language="python")])
                ],
                save=True,
            ),
        )
        self.views: dict[str, NotebookView] = {}  # notebook URI -> its last version read as a script
        self.cells_shown: dict[str, set[str]] = {}  # notebook URI -> cells sent diagnostics
        # buffers and notebooks whose diagnostics the client asks for (textDocument/diagnostic)
        self.pulled: set[str] = set()
        self.pushed: set[str] = set()  # documents sent diagnostics, to clear when they are pulled
        self.snapshots: dict[str, Snapshot] = {}
        # each buffer's changes, in lines, with the version they made: those since its
        # snapshot move that snapshot's positions to the buffer as it is now
        self.changes: dict[str, list[tuple[int, LineChange]]] = {}
        self.analysing: dict[str, tuple[int | None, str, asyncio.Future[Snapshot]]] = {}
        # several documents side by side, each one job at a time
        self.analyser = analyser or AnalysisProcess()
        self.locks: dict[str, asyncio.Lock] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.verifications: set[threading.Event] = set()  # set one to stop that verifier child
        self.background: set[asyncio.Future[None]] = set()  # running verifications (kept alive)
        self.inferred: dict[str, tuple[str, InferredShapes]] = {}  # uri -> (text run, what it showed)
        self.projects = ProjectSettings(
            lambda error: self.window_show_message(
                lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"seq2func: {error}")
            )
        )

    def document(self, uri: Any) -> TextDocument:
        """An open buffer; anything else is the client's mistake, answered with an LSP error."""
        doc = self.open_document(uri)
        if doc is None:
            raise JsonRpcInvalidParams(f"seq2func: no open document {uri!r}")
        return doc

    def open_document(self, uri: Any) -> TextDocument | None:
        """An open buffer, or an open notebook's code cells as one script (`ScriptDocument`)."""
        if not isinstance(uri, str):
            return None
        view = self.notebook(uri)
        if view is not None:
            return view.document
        # pygls keys its buffers by the unquoted URI; clients quote spaces and drive colons
        if unquote(uri) not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri)

    def notebook(self, uri: str) -> NotebookView | None:
        """The open notebook with this URI, as it is now."""
        notebook = self.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None:
            return None
        view = self.views.get(notebook.uri)
        if view is None or view.version != notebook.version:
            view = self.views[notebook.uri] = NotebookView.of(self.workspace, notebook)
        return view

    def notebook_of_cell(self, uri: str) -> NotebookView | None:
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return None if notebook is None else self.notebook(notebook.uri)

    def version_now(self, doc: TextDocument) -> int | None:
        if isinstance(doc, ScriptDocument):
            notebook = self.workspace.get_notebook_document(notebook_uri=doc.uri)
            return None if notebook is None else notebook.version
        return doc.version

    def settings(self, uri: str) -> Settings:
        """The project's settings for this buffer, with the editor's own on top."""
        path = to_fs_path(uri)
        return self.projects.settings(Path(path).parent if path else Path.cwd())

    def options(self, uri: str, text: str | None = None) -> Options:
        options = self.settings(uri).options
        if uri in self.inferred and text is not None:
            options = replace(options, inferred_shapes=self._still_there(uri, text))
        path = to_fs_path(uri) if text is not None else None
        if path and text is not None:  # the data files beside it, as the CLI reads them
            options = replace(options, data_files=data_files(text, Path(path).parent))
        return options

    def _still_there(self, uri: str, text: str) -> tuple[tuple[int, tuple[int | None, ...]], ...]:
        """The shapes a run of the program showed, for the models still created on the same line."""
        ran, found = self.inferred[uri]
        old, new = ran.splitlines(), text.splitlines()
        return tuple(
            (line, shape)
            for line, shape in found.shapes
            if line <= min(len(old), len(new)) and old[line - 1] == new[line - 1]
        )

    async def snapshot(self, doc: TextDocument) -> Snapshot:
        """The analysis of the buffer as it is now: the last one with its lines moved, when
        the edits since cannot change it (`editor.carried`), else a new one. That runs in the
        analysis process, so a large document never holds up the event loop (other documents,
        code actions, cancellations, progress); requests for the same version share one."""
        text, version = doc.source, doc.version
        kept = self.snapshots.get(doc.uri)
        if kept is not None and kept.version == version and kept.text == text:
            return kept
        options = self.options(doc.uri, text)
        moved = self._carried(doc.uri, kept, version, text, options)
        if moved is not None:
            self._keep(doc.uri, moved)
            return moved
        running = self.analysing.get(doc.uri)
        if running is None or running[0] != version or running[1] != text:
            python = doc.language_id in (None, "", "python") or doc.uri.endswith((".py", ".pyi"))

            async def analyse() -> Snapshot:
                survey, titles, outline = await self.on_analyser(
                    doc,
                    "survey",
                    text,
                    python,
                    still=lambda: self.version_now(doc) == version,
                    options=options,
                )
                return Snapshot(version, text, survey, titles, outline=outline, options=options)

            running = (version, text, asyncio.ensure_future(analyse()))
            self.analysing[doc.uri] = running
        try:
            snap = await running[2]
        finally:
            if self.analysing.get(doc.uri) is running:
                del self.analysing[doc.uri]
        self._keep(doc.uri, snap)
        return snap

    def _carried(
        self, uri: str, kept: Snapshot | None, version: int | None, text: str, options: Options
    ) -> Snapshot | None:
        if kept is None or kept.version is None or version is None or kept.options != options:
            return None
        edits = LineMap()
        for changed, change in self.changes.get(uri, []):
            if kept.version < changed <= version:
                edits.add(change)
        return carried(kept, version, text, edits)

    def changed(self, params: lsp.DidChangeTextDocumentParams) -> None:
        """Note a buffer's changes (pygls has applied them), to move its analysis through."""
        uri, version = params.text_document.uri, params.text_document.version
        log = self.changes.setdefault(uri, [])
        log += [(version, line_change(change)) for change in params.content_changes]

    def _keep(self, uri: str, snap: Snapshot) -> None:
        """Keep `snap` as the buffer's analysis (unless a newer one is kept already), and
        only the changes made after it."""
        kept = self.snapshots.get(uri)
        if kept and kept.version is not None and snap.version is not None and kept.version > snap.version:
            return
        self.snapshots[uri] = snap
        if snap.version is not None and uri in self.changes:
            self.changes[uri] = [(v, c) for v, c in self.changes[uri] if v > snap.version]

    async def on_analyser(
        self,
        doc: TextDocument,
        method: str,
        text: str,
        *args: Any,
        still: Callable[[], bool] | None = None,
        options: Options | None = None,
    ) -> Any:
        """What the analysis process's `method` (`lsp.analyser.Documents`) gives for `text`
        of `doc`. One document's jobs run one at a time; a job whose text was edited while
        it waited its turn is dropped (`still` says whether it is wanted)."""
        lock = self.locks.setdefault(doc.uri, asyncio.Lock())
        async with lock:
            if still is not None and not still():  # edited while queued: the newer text is what counts
                raise JsonRpcContentModified("seq2func: the document changed; ask again")
            try:
                options = options or self.options(doc.uri, text)
                notebook = doc.facts if isinstance(doc, ScriptDocument) else None
                return await self.analyser.call(method, doc.uri, text, options, notebook, *args)
            except AnalysisProcessGone as error:
                raise JsonRpcInternalError(f"seq2func: {error}") from None

    async def diagnostics(self, uri: str) -> dict[str, tuple[int | None, list[lsp.Diagnostic]]] | None:
        """What the editor shows for a buffer, or for each code cell of a notebook (by URI,
        with the version it is about); None when the document closed or changed meanwhile."""
        doc = self.open_document(uri)
        if doc is None:
            return None
        try:
            snap = await self.snapshot(doc)
        except JsonRpcContentModified:
            return None  # edited while waiting: the next request has the newer text
        now = self.open_document(uri)
        if now is None or now.version != snap.version:
            return None  # closed or edited meanwhile
        view = self.notebook(uri)
        if view is None:
            return {uri: (now.version, diagnostics_for(snap, now))}
        found = diagnostics_for(snap, now, view.place)
        versions = {cell.uri: cell.version for cell in view.cells}
        return {cell: (versions[cell], items) for cell, items in view.diagnostics(found).items()}

    async def publish(self, uri: str, refresh: bool = False) -> None:
        """Send a document's diagnostics, unless the client pulls them; then, with `refresh`
        (a verdict arrived, not an edit), ask it to pull again."""
        self.pending.pop(uri, None)
        found = await self.diagnostics(uri)
        if found is None:
            return
        if uri in self.pulled:
            if refresh and self.support.refresh:
                self.workspace_diagnostic_refresh(None)
            return
        gone = self.cells_shown.get(uri, set()) - set(found)  # a notebook's cells deleted, or no longer code
        if self.notebook(uri) is not None:
            self.cells_shown[uri] = set(found)
        for cell in sorted(gone):
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=cell, diagnostics=[]))
        for target, (version, items) in found.items():
            if items:
                self.pushed.add(target)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=target, version=version, diagnostics=items)
            )

    def start_pulling(self, uri: str) -> None:
        """The client asked for a buffer's (or a notebook cell's) diagnostics: from now on it
        pulls that document's, and what was pushed to it before is cleared, so that no stale
        copy stays beside what it pulls. A document never pulled is still pushed to."""
        if uri in self.pulled:
            return
        self.pulled.add(uri)
        for target in sorted(self.pushed & (self.cells_shown.get(uri) or {uri})):
            self.pushed.discard(target)
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=target, diagnostics=[]))

    def schedule(self, uri: str) -> None:
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().call_later(
            DEBOUNCE_SECONDS, lambda: asyncio.ensure_future(self.publish(uri))
        )

    def forget(self, uri: str) -> None:
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self.snapshots.pop(uri, None)
        self.changes.pop(uri, None)
        self.analysing.pop(uri, None)
        self.inferred.pop(uri, None)
        self.analyser.forget(uri)
        cells = self.cells_shown.pop(uri, None)
        if self.views.pop(uri, None) is None and cells is None:
            cells = {uri}  # a buffer; a notebook's diagnostics are its cells'
        pulled = uri in self.pulled
        self.pulled.discard(uri)
        for shown in sorted(cells or ()):
            self.pushed.discard(shown)
            if not pulled:
                self.text_document_publish_diagnostics(
                    lsp.PublishDiagnosticsParams(uri=shown, diagnostics=[])
                )

    @property
    def support(self) -> ClientSupport:
        return ClientSupport.of(self.client_capabilities)

    def in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the request that started it is answered (kept alive until done)."""
        task = asyncio.ensure_future(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    async def with_progress(
        self, what: str, prove: Callable[..., T], title: str = "seq2func: verifying"
    ) -> T:
        """Run a verification (or a run of the program) on a thread, with $/progress when the
        client shows it; the client's cancel, a $/cancelRequest or shutdown stops the child."""
        cancel = threading.Event()
        self.verifications.add(cancel)
        token = str(uuid.uuid4())
        progress = self.support.progress
        if progress:
            await self.work_done_progress.create_async(token)
            begin = lsp.WorkDoneProgressBegin(title=title, message=what, cancellable=True)
            self.work_done_progress.begin(token, begin)
            self.work_done_progress.tokens[token].add_done_callback(lambda future: cancel.set())
        job = asyncio.get_running_loop().run_in_executor(None, partial(prove, cancelled=cancel.is_set))
        started = time.monotonic()
        try:
            while not (await asyncio.wait({job}, timeout=1.0))[0]:
                if progress:
                    elapsed = f"{what} ({time.monotonic() - started:.0f} s)"
                    self.work_done_progress.report(token, lsp.WorkDoneProgressReport(message=elapsed))
            return job.result()
        except asyncio.CancelledError:  # $/cancelRequest: stop the child too
            cancel.set()
            raise
        finally:
            self.verifications.discard(cancel)
            if progress:
                self.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message="done"))
