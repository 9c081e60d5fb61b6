"""`seq2func lsp`: a language server (pygls 2.x) over the library API.

Code actions convert the Sequential under the cursor (or all of them, or fix an
S2F finding); their edits are computed in codeAction/resolve, as the minimal
line edits that turn the buffer into exactly what `seq2func convert` prints.
Diagnostics (S2F findings, and constructions left as they are) follow the
buffer, debounced. `seq2func.verify` proves a conversion in a child process
with $/progress and can be cancelled. The server never imports TensorFlow and
never runs user code. What the editor shows is built in `editor`.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from seq2func import __version__
from seq2func.config import ProjectOptions
from seq2func.editor import (
    KINDS,
    VERIFY_COMMAND,
    ClientSupport,
    Snapshot,
    action_job,
    actions_at,
    analyse,
    check_range,
    diagnostics_for,
    minimal_edits,
    verdict_diagnostics,
    verdict_message,
    workspace_edit,
)
from seq2func.lsp_io import MALFORMED, ResyncingServer
from seq2func.types import ConvertError, Options, Verdict

T = TypeVar("T")
DEBOUNCE_SECONDS = 0.3


class Seq2FuncServer(ResyncingServer):
    def __init__(self) -> None:
        super().__init__(
            "seq2func",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
        )
        self.snapshots: dict[str, Snapshot] = {}
        self.analysing: dict[str, tuple[int | None, str, asyncio.Future[Snapshot]]] = {}
        # several documents analyse side by side; one document's work runs one job at a time
        self.analyser = ThreadPoolExecutor(max_workers=4, thread_name_prefix="seq2func-analysis")
        self.locks: dict[str, asyncio.Lock] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.verifications: set[threading.Event] = set()  # set one to stop that verifier child
        self.background: set[asyncio.Future[None]] = set()  # running verifications (kept alive)
        self.projects = ProjectOptions(
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
        # pygls keys its buffers by the unquoted URI; clients quote spaces and drive colons
        if not isinstance(uri, str) or unquote(uri) not in self.workspace.text_documents:
            return None
        return self.workspace.get_text_document(uri)

    def options(self, uri: str) -> Options:
        path = to_fs_path(uri)
        return self.projects.options(Path(path).parent if path else Path.cwd())

    async def snapshot(self, doc: TextDocument) -> Snapshot:
        """The analysis of the buffer as it is now. It runs on the analysis thread, so a large
        document never holds up the event loop (other documents, cancellations, progress);
        requests for the same version share one analysis."""
        text, version = doc.source, doc.version
        cached = self.snapshots.get(doc.uri)
        if cached is not None and cached.version == version and cached.text == text:
            return cached
        running = self.analysing.get(doc.uri)
        if running is None or running[0] != version or running[1] != text:
            python = doc.language_id in (None, "", "python") or doc.uri.endswith((".py", ".pyi"))
            job = partial(analyse, doc.uri, version, text, self.options(doc.uri), python)
            running = (version, text, asyncio.ensure_future(self.on_analyser(doc.uri, job)))
            self.analysing[doc.uri] = running
        snap = await running[2]
        if self.analysing.get(doc.uri) is running:
            del self.analysing[doc.uri]
        self.snapshots[doc.uri] = snap
        return snap

    async def on_analyser(self, uri: str, work: Callable[[], T]) -> T:
        """Run LibCST work (an analysis, a conversion, a fix) off the event loop; work on one
        document runs one job at a time, so its Document is never used by two threads."""
        lock = self.locks.setdefault(uri, asyncio.Lock())
        async with lock:
            return await asyncio.get_running_loop().run_in_executor(self.analyser, work)

    async def publish(self, uri: str) -> None:
        self.pending.pop(uri, None)
        doc = self.open_document(uri)
        if doc is None:
            return
        snap = await self.snapshot(doc)
        if self.open_document(uri) is None or doc.version != snap.version:
            return  # closed or edited meanwhile: the next publish has the newer text
        diagnostics = diagnostics_for(snap, doc)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=diagnostics)
        )

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
        self.analysing.pop(uri, None)
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @property
    def support(self) -> ClientSupport:
        return ClientSupport.of(self.client_capabilities)

    async def with_progress(self, what: str, prove: Callable[..., Verdict]) -> Verdict:
        """Run a verification on a thread, with $/progress when the client shows it; the
        client's cancel, a $/cancelRequest or shutdown stops the verifier's child."""
        cancel = threading.Event()
        self.verifications.add(cancel)
        token = str(uuid.uuid4())
        progress = self.support.progress
        if progress:
            await self.work_done_progress.create_async(token)
            begin = lsp.WorkDoneProgressBegin(title="seq2func: verifying", message=what, cancellable=True)
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


def stop_verifications(ls: Seq2FuncServer, params: Any = None) -> None:
    """No verifier child outlives the server, even when the client exits without shutdown."""
    for cancel in list(ls.verifications):
        cancel.set()


def malformed(ls: Seq2FuncServer, method: str) -> None:
    raise JsonRpcInvalidParams(f"seq2func: the params of {method} do not match the LSP specification")


async def did_open(ls: Seq2FuncServer, params: lsp.DidOpenTextDocumentParams) -> None:
    await ls.publish(params.text_document.uri)


def did_change(
    ls: Seq2FuncServer, params: lsp.DidChangeTextDocumentParams | lsp.DidSaveTextDocumentParams
) -> None:
    ls.schedule(params.text_document.uri)


def did_close(ls: Seq2FuncServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


async def code_action(ls: Seq2FuncServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    doc = ls.document(params.text_document.uri)
    wrong = check_range(doc, params.range)
    if wrong is not None:
        raise JsonRpcInvalidParams(f"seq2func: {wrong}")
    actions = actions_at(await ls.snapshot(doc), doc, params.range, params.context)
    if not ls.support.disabled:
        actions = [a for a in actions if a.disabled is None]
    if not ls.support.resolve:
        actions = [await resolve(ls, a) if a.disabled is None and a.command is None else a for a in actions]
    return actions


async def resolve(ls: Seq2FuncServer, action: lsp.CodeAction) -> lsp.CodeAction:
    if action.command is not None and action.data is None:
        return action  # the Verify action: nothing to resolve, the client runs its command
    data = action.data if isinstance(action.data, dict) else None
    if data is None or data.get("action") not in ("convert", "all", "fix"):
        raise JsonRpcInvalidParams("seq2func: this code action carries no seq2func data")
    doc = ls.document(data.get("uri"))
    if data.get("version") != doc.version:
        raise JsonRpcContentModified("seq2func: the document changed; ask for code actions again")
    snap = await ls.snapshot(doc)
    try:
        new = await ls.on_analyser(doc.uri, action_job(snap.document, data))
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise JsonRpcInvalidParams(f"seq2func: malformed code action data ({error})") from None
    action.edit = workspace_edit(doc, minimal_edits(doc, snap.text, new), ls.support.document_changes)
    return action


async def verify_command(ls: Seq2FuncServer, *args: Any) -> dict[str, Any]:
    """Arguments: the document URI, and optionally "model" or "shared". Answers at once (a
    client's request timeout is shorter than a verification); the verdict follows through
    $/progress, window/showMessage and an information diagnostic on each converted model."""
    from seq2func.verify.runner import verify_programs

    uri = args[0] if args else None
    style = args[1] if len(args) > 1 else "model"
    if style not in ("model", "shared"):
        raise JsonRpcInvalidParams(f"seq2func: style must be 'model' or 'shared', not {style!r}")
    doc = ls.document(uri)
    snap = await ls.snapshot(doc)
    try:
        converted = await ls.on_analyser(doc.uri, partial(snap.document.convert, style=style))
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    name = Path(to_fs_path(doc.uri) or "untitled.py")
    if not converted.changed:
        message = f"seq2func: {name.name} has no Sequential model to convert and verify"
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=message))
        return {"started": False, "message": message}
    prove = partial(verify_programs, name, converted_source=converted.code, original_source=snap.text)

    async def report() -> None:
        verdict = await ls.with_progress(f"building both versions of {name.name}", prove)
        message, kind = verdict_message(verdict, name.name)
        ls.window_show_message(lsp.ShowMessageParams(type=kind, message=message))
        snap.verified = verdict_diagnostics(doc, converted.conversions, verdict)
        await ls.publish(doc.uri)

    task = asyncio.ensure_future(report())
    ls.background.add(task)
    task.add_done_callback(ls.background.discard)
    return {"started": True, "message": f"seq2func: verifying {name.name}; the verdict follows as a message"}


def create_server() -> Seq2FuncServer:
    """A new server with every feature registered; nothing is built at import time."""
    server = Seq2FuncServer()
    server.feature(lsp.SHUTDOWN)(stop_verifications)
    server.feature(lsp.EXIT)(stop_verifications)
    server.feature(MALFORMED)(malformed)
    server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)(did_change)
    server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    options = lsp.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True)
    server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, options)(code_action)
    server.feature(lsp.CODE_ACTION_RESOLVE)(resolve)
    server.command(VERIFY_COMMAND)(verify_command)
    return server


def serve(tcp: str | None = None) -> None:
    """Serve over stdio, or over TCP (`HOST:PORT` or `PORT`, loopback unless a host is given)."""
    server = create_server()
    if tcp is None:
        server.start_io()
        return
    host, _, port = tcp.rpartition(":")
    server.start_tcp(host or "127.0.0.1", int(port))
