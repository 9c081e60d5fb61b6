"""`seq2func lsp`: a language server (pygls 2.x) over the library API.

Code actions convert the Sequential under the cursor (or all of them, or fix an
S2F finding); their edits are computed in codeAction/resolve, as the minimal
line edits that turn the buffer into exactly what `seq2func convert` prints.
Diagnostics (S2F findings, and constructions left as they are) follow the
buffer, debounced. `seq2func.verify` proves a conversion in a child process
with $/progress and can be cancelled. The server never imports TensorFlow and
never runs user code.
"""

from __future__ import annotations

import asyncio
import difflib
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCRequestMessage
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from seq2func import __version__
from seq2func.api import Document
from seq2func.config import ConfigError, settings_for
from seq2func.types import ConvertError, Finding, Options, Site, Survey

log = logging.getLogger("seq2func.lsp")
T = TypeVar("T")

CONVERT_ALL_KIND = "source.convertAll.seq2func"
VERIFY_COMMAND = "seq2func.verify"
MALFORMED = "seq2func/malformedRequest"  # internal: answers a request whose params did not deserialize
DEBOUNCE_SECONDS = 0.3
TITLE_CONVERT = "Convert Sequential to Functional API"
TITLE_SHARED = "Convert Sequential to Functional API (shared layers)"
TITLE_ALL = "Convert all Sequential models in file"
TITLE_VERIFY = "Verify the conversion with TensorFlow (seq2func)"
VERIFY_KIND = "source.verify.seq2func"
KINDS = [lsp.CodeActionKind.RefactorRewrite, lsp.CodeActionKind.QuickFix, CONVERT_ALL_KIND, VERIFY_KIND]


@dataclass
class Snapshot:
    """What the server knows about one version of a buffer."""

    version: int | None
    text: str
    document: Document  # analysed once; resolves reuse it
    survey: Survey | None  # None: the text does not parse (half-typed code)


class Protocol(LanguageServerProtocol):
    """pygls drops a request whose params do not fit the method's type, and the client waits
    forever; route it to a handler that answers with InvalidParams instead."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if isinstance(data, dict) and "id" in data and isinstance(data.get("method"), str):
                return JsonRPCRequestMessage(
                    id=data["id"], method=MALFORMED, jsonrpc="2.0", params=data["method"]
                )
            raise


class Seq2FuncServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "seq2func",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=Protocol,
        )
        self.snapshots: dict[str, Snapshot] = {}
        self.analysing: dict[str, tuple[int | None, str, asyncio.Future[Snapshot]]] = {}
        # several documents analyse side by side; one document's work runs one job at a time
        self.analyser = ThreadPoolExecutor(max_workers=4, thread_name_prefix="seq2func-analysis")
        self.locks: dict[str, asyncio.Lock] = {}
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.verifications: set[threading.Event] = set()  # set one to stop that verifier child
        self._configs: dict[Path, Options] = {}

    def _start_io_async(self, stdin: Any = None, stdout: Any = None) -> None:
        """pygls's stdio loop, with a reader that survives a frame of the wrong length."""
        import sys

        from pygls.io_ import StdinAsyncReader, StdoutWriter

        from seq2func.lsp_io import run_resyncing

        self._stop_event = threading.Event()
        reader = StdinAsyncReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(run_resyncing(self._stop_event, reader, self.protocol, log, self.report_server_error))
        except BrokenPipeError:
            log.error("connection to the client lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    # -- documents --------------------------------------------------------------

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
        """[tool.seq2func] / [tool.black] settings of the file's project, read once per directory."""
        path = to_fs_path(uri)
        folder = Path(path).parent if path else Path.cwd()
        if folder not in self._configs:
            try:
                self._configs[folder] = settings_for([str(folder)]).options
            except ConfigError as error:  # say it once per project, then work with the defaults
                self.window_show_message(
                    lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"seq2func: {error}")
                )
                self._configs[folder] = Options()
        return self._configs[folder]

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
            job = partial(_analyse, doc.uri, version, text, self.options(doc.uri), python)
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

    # -- diagnostics -------------------------------------------------------------

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

    # -- client capabilities ---------------------------------------------------------

    def supports_disabled(self) -> bool:
        action = _code_action_capabilities(self)
        return bool(action and action.disabled_support)

    def supports_resolve(self) -> bool:
        action = _code_action_capabilities(self)
        support = action.resolve_support if action else None
        return bool(support and "edit" in support.properties)

    def supports_document_changes(self) -> bool:
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        return bool(edit and edit.document_changes)

    def supports_progress(self) -> bool:
        window = self.client_capabilities.window
        return bool(window and window.work_done_progress)


def _code_action_capabilities(ls: Seq2FuncServer) -> lsp.CodeActionClientCapabilities | None:
    text = ls.client_capabilities.text_document
    return text.code_action if text else None


def _analyse(uri: str, version: int | None, text: str, options: Options, python: bool) -> Snapshot:
    """One buffer version, parsed and surveyed (on the analysis thread)."""
    document = Document(text, options)
    try:
        survey: Survey | None = document.survey() if python else Survey()
    except ConvertError:
        survey = None
    except Exception:  # a bug in seq2func must not take the server down
        log.exception("survey failed for %s", uri)
        survey = None
    return Snapshot(version, text, document, survey)


server = Seq2FuncServer()


# -- positions -----------------------------------------------------------------------


def _line_range(doc: TextDocument, line: int, column: int = 1) -> lsp.Range:
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
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = doc.client_position_at_offset(starts[i1]), doc.client_position_at_offset(starts[i2])
        edits.append(lsp.TextEdit(range=lsp.Range(start=start, end=end), new_text="".join(new_lines[j1:j2])))
    return edits


# -- diagnostics -------------------------------------------------------------------------


def diagnostics_for(snap: Snapshot, doc: TextDocument) -> list[lsp.Diagnostic]:
    if snap.survey is None:
        return []
    out = [_finding_diagnostic(doc, f) for f in snap.survey.findings]
    for site in snap.survey.sites:
        if site.skip is None:
            continue
        skip = site.skip
        where = (
            "" if site.start_line <= skip.location.line <= site.end_line else f" (line {skip.location.line})"
        )
        out.append(
            lsp.Diagnostic(
                range=_line_range(doc, site.location.line, site.location.column),
                message=f"Sequential left as is: {_for_editor(skip.message)}{where}",
                severity=lsp.DiagnosticSeverity.Information,
                code=skip.code,
                source="seq2func",
            )
        )
    return out


def _for_editor(message: str) -> str:
    """Skip messages name CLI flags; an editor user sets the same thing in pyproject.toml."""
    return message.replace("pass --input-shape", "set input-shape under [tool.seq2func] in pyproject.toml")


def _finding_diagnostic(doc: TextDocument, finding: Finding) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=_line_range(doc, finding.location.line, finding.location.column),
        message=finding.message,
        severity=lsp.DiagnosticSeverity.Warning,
        code=finding.code,
        source="seq2func",
        data={"fixable": finding.fixable, "line": finding.location.line},
    )


@server.feature(lsp.SHUTDOWN)
@server.feature(lsp.EXIT)
def stop_verifications(ls: Seq2FuncServer, params: Any = None) -> None:
    """No verifier child outlives the server, even when the client exits without shutdown."""
    for cancel in list(ls.verifications):
        cancel.set()


@server.feature(MALFORMED)
def malformed(ls: Seq2FuncServer, method: str) -> None:
    raise JsonRpcInvalidParams(f"seq2func: the params of {method} do not match the LSP specification")


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: Seq2FuncServer, params: lsp.DidOpenTextDocumentParams) -> None:
    await ls.publish(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_change(
    ls: Seq2FuncServer, params: lsp.DidChangeTextDocumentParams | lsp.DidSaveTextDocumentParams
) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: Seq2FuncServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


# -- code actions ----------------------------------------------------------------------------


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True),
)
async def code_action(ls: Seq2FuncServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    doc = ls.document(params.text_document.uri)
    rng = params.range
    if (
        (rng.start.line, rng.start.character) > (rng.end.line, rng.end.character)
        or rng.start.line < 0
        or rng.start.line > len(doc.lines)
    ):
        raise JsonRpcInvalidParams(
            f"seq2func: range {rng.start.line}:{rng.start.character}-"
            f"{rng.end.line}:{rng.end.character} is not in the document"
        )
    snap = await ls.snapshot(doc)
    if snap.survey is None:
        return []
    first, last = rng.start.line + 1, rng.end.line + 1
    data = {"uri": doc.uri, "version": doc.version}
    actions: list[lsp.CodeAction] = []
    touched = [site for site in snap.survey.sites if site.touches(first, last)]
    for site in touched:
        actions += _site_actions(site, data)
    if any(site.skip is None for site in touched):  # the verify command, where an editor lists actions
        actions.append(
            lsp.CodeAction(
                title=TITLE_VERIFY,
                kind=VERIFY_KIND,
                command=lsp.Command(title=TITLE_VERIFY, command=VERIFY_COMMAND, arguments=[doc.uri]),
            )
        )
    if any(site.skip is None for site in snap.survey.sites):
        actions.append(lsp.CodeAction(title=TITLE_ALL, kind=CONVERT_ALL_KIND, data={**data, "action": "all"}))
    wanted_lines = {d.range.start.line + 1 for d in params.context.diagnostics if d.source == "seq2func"}
    for finding in snap.survey.findings:
        if first <= finding.location.line <= last or finding.location.line in wanted_lines:
            actions.append(_fix_action(doc, finding, data))

    only = params.context.only
    if only:
        actions = [
            a for a in actions if a.kind and any(a.kind == k or a.kind.startswith(f"{k}.") for k in only)
        ]
    if not ls.supports_disabled():
        actions = [a for a in actions if a.disabled is None]
    if not ls.supports_resolve():
        actions = [await resolve(ls, a) if a.disabled is None and a.command is None else a for a in actions]
    return actions


def _site_actions(site: Site, data: dict[str, Any]) -> list[lsp.CodeAction]:
    where = {**data, "line": site.start_line}
    if site.skip is not None:
        reason = f"{_for_editor(site.skip.message)} [{site.skip.code}]"
        return [
            lsp.CodeAction(
                title=TITLE_CONVERT,
                kind=lsp.CodeActionKind.RefactorRewrite,
                disabled=lsp.CodeActionDisabled(reason=reason),
            )
        ]
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
    return [convert, shared]


def _fix_action(doc: TextDocument, finding: Finding, data: dict[str, Any]) -> lsp.CodeAction:
    from seq2func.rules import all_rules

    title = next((r.fix_title for r in all_rules() if r.code == finding.code and r.fix_title), None)
    action = lsp.CodeAction(
        title=f"{title or 'Fix'} ({finding.code})",
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[_finding_diagnostic(doc, finding)],
    )
    if finding.fixable:
        action.data = {**data, "action": "fix", "code": finding.code, "line": finding.location.line}
        action.is_preferred = True
    else:
        action.disabled = lsp.CodeActionDisabled(reason=finding.no_fix or "no automatic fix")
    return action


@server.feature(lsp.CODE_ACTION_RESOLVE)
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
    text = snap.text
    try:
        if data["action"] == "fix":
            check = partial(
                snap.document.check, fix=True, select=[str(data.get("code"))], line=int(data["line"])
            )
            new = (await ls.on_analyser(doc.uri, check)).code
        else:
            overrides: dict[str, Any] = {"line": int(data["line"]) if data["action"] == "convert" else None}
            if data.get("style") in ("model", "shared"):
                overrides["style"] = data["style"]  # the two per-model actions; "all" follows the config
            new = (await ls.on_analyser(doc.uri, partial(snap.document.convert, **overrides))).code
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    except (KeyError, TypeError, ValueError) as error:
        raise JsonRpcInvalidParams(f"seq2func: malformed code action data ({error})") from None
    edits = minimal_edits(doc, text, new)
    if ls.supports_document_changes():
        identifier = lsp.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version)
        action.edit = lsp.WorkspaceEdit(
            document_changes=[lsp.TextDocumentEdit(text_document=identifier, edits=edits)]
        )
    else:
        action.edit = lsp.WorkspaceEdit(changes={doc.uri: edits})
    return action


# -- verification ---------------------------------------------------------------------------------


@server.command(VERIFY_COMMAND)
async def verify_command(ls: Seq2FuncServer, *args: Any) -> dict[str, Any]:
    """Arguments: the document URI, and optionally "model" or "shared". Returns the verdict."""
    from seq2func.verify.runner import COULD_NOT, EQUIVALENT, format_verdict, verify_programs

    uri = args[0] if args else None
    style = args[1] if len(args) > 1 else "model"
    if style not in ("model", "shared"):
        raise JsonRpcInvalidParams(f"seq2func: style must be 'model' or 'shared', not {style!r}")
    doc = ls.document(uri)
    snap = await ls.snapshot(doc)
    text = snap.text
    try:
        converted = await ls.on_analyser(doc.uri, partial(snap.document.convert, style=style))
    except ConvertError as error:
        raise JsonRpcInvalidRequest(f"seq2func: {error.message}") from None
    name = Path(to_fs_path(doc.uri) or "untitled.py")
    if not converted.changed:
        message = f"seq2func: {name.name} has no Sequential model to convert and verify"
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=message))
        return {"exit_code": None, "message": message}

    cancel = threading.Event()
    ls.verifications.add(cancel)
    token = str(uuid.uuid4())
    progress = ls.supports_progress()
    if progress:
        await ls.work_done_progress.create_async(token)
        ls.work_done_progress.begin(
            token,
            lsp.WorkDoneProgressBegin(
                title="seq2func: verifying",
                message=f"building both versions of {name.name}",
                cancellable=True,
            ),
        )
        ls.work_done_progress.tokens[token].add_done_callback(lambda future: cancel.set())
    job = asyncio.get_running_loop().run_in_executor(
        None,
        partial(
            verify_programs,
            name,
            converted_source=converted.code,
            original_source=text,
            cancelled=cancel.is_set,
        ),
    )
    started = time.monotonic()
    try:
        while True:
            done, _ = await asyncio.wait({job}, timeout=1.0)
            if done:
                break
            if progress:
                ls.work_done_progress.report(
                    token,
                    lsp.WorkDoneProgressReport(
                        message=f"building both versions of {name.name} ({time.monotonic() - started:.0f} s)"
                    ),
                )
        verdict = job.result()
    except asyncio.CancelledError:  # $/cancelRequest: stop the child too
        cancel.set()
        raise
    finally:
        ls.verifications.discard(cancel)
        if progress:
            ls.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message="done"))
    summary = format_verdict(verdict, name.name)
    kind = {EQUIVALENT: lsp.MessageType.Info, COULD_NOT: lsp.MessageType.Error}.get(
        verdict.exit_code, lsp.MessageType.Warning
    )
    ls.window_show_message(lsp.ShowMessageParams(type=kind, message=summary))
    return {"exit_code": verdict.exit_code, "message": summary}


def serve(tcp: str | None = None) -> None:
    """Serve over stdio, or over TCP (`HOST:PORT` or `PORT`, loopback unless a host is given)."""
    if tcp is None:
        server.start_io()
        return
    host, _, port = tcp.rpartition(":")
    server.start_tcp(host or "127.0.0.1", int(port))
