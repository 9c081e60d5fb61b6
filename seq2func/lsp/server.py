"""`seq2func lsp`: a language server (pygls 2.x) over the library API.

Code actions convert the Sequential under the cursor (or all of them, or fix an
S2F finding); their edits are computed in codeAction/resolve, as the minimal
line edits that turn the buffer into exactly what `seq2func convert` prints.
Diagnostics (S2F findings, and constructions left as they are) follow the
buffer, debounced. `seq2func.verify` proves a conversion in a child process
with $/progress and can be cancelled. The server never imports TensorFlow and
never runs user code.

This module registers the handlers (`create_server`); the server's state is in
`lsp.state`, resolve and the commands in `lsp.commands`, what the editor shows in
`lsp.editor`, notebooks (their cells read as one script) in `lsp.notebooks`, the transport
in `lsp.transport`, and the LibCST work runs in the child process of `lsp.analyser` (driven
through `lsp.worker`).
"""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcContentModified, JsonRpcInvalidParams

from seq2func.core.line_map import LineChange
from seq2func.lsp.commands import apply_command, infer_command, resolve, verify_command
from seq2func.lsp.editor import (
    APPLY_COMMAND,
    INFER_COMMAND,
    KINDS,
    VERIFY_COMMAND,
    actions_at,
    as_command,
    check_range,
)
from seq2func.lsp.notebooks import NotebookView
from seq2func.lsp.state import Seq2FuncServer
from seq2func.lsp.transport import MALFORMED
from seq2func.lsp.worker import AnalysisProcess

log = logging.getLogger("seq2func.lsp")


def stop_verifications(ls: Seq2FuncServer, params: Any = None) -> None:
    """No verifier child outlives the server, even when the client exits without shutdown."""
    for cancel in list(ls.verifications):
        cancel.set()
    ls.analyser.close()


def malformed(ls: Seq2FuncServer, method: str) -> None:
    raise JsonRpcInvalidParams(f"seq2func: the params of {method} do not match the LSP specification")


def editor_settings(given: Any) -> Any:
    """The seq2func settings in what a client sends: `{"settings": {...}}` (as ruff's server
    takes them), `{"seq2func": {...}}` (a section, as VS Code sends it), or the keys themselves."""
    if isinstance(given, dict):
        for key in ("settings", "seq2func"):
            if isinstance(given.get(key), dict):
                return given[key]
    return given


def initialize(ls: Seq2FuncServer, params: lsp.InitializeParams) -> None:
    ls.projects.configure(editor_settings(params.initialization_options))


async def initialized(ls: Seq2FuncServer, params: lsp.InitializedParams) -> None:
    """Ask the client to tell when a pyproject.toml changes, where it can be asked."""
    capabilities = ls.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities is not None else None
    if watched is not None and watched.dynamic_registration:
        options = lsp.DidChangeWatchedFilesRegistrationOptions(
            watchers=[lsp.FileSystemWatcher(glob_pattern="**/pyproject.toml")]
        )
        registration = lsp.Registration(
            id="seq2func-pyproject", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
        )
        try:
            await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[registration]))
        except Exception as error:  # a client that says it can and cannot: didSave still serves
            log.info("the client did not take the pyproject.toml watcher: %s", error)


async def reanalyse(ls: Seq2FuncServer) -> None:
    """Every open buffer analysed again (with the settings as they are now)."""
    ls.snapshots.clear()
    for uri in [*ls.workspace.text_documents, *ls.workspace.notebook_documents]:
        if ls.workspace.get_notebook_document(cell_uri=uri) is None:  # a cell: with its notebook
            await ls.publish(uri, refresh=True)


async def did_change_configuration(ls: Seq2FuncServer, params: lsp.DidChangeConfigurationParams) -> None:
    """New editor settings: every open buffer is analysed again with them."""
    ls.projects.configure(editor_settings(params.settings))
    await reanalyse(ls)


async def did_change_watched_files(ls: Seq2FuncServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    """A pyproject.toml changed on disk: its settings apply to every open buffer at once."""
    if any(change.uri.endswith("pyproject.toml") for change in params.changes):
        ls.projects.known.clear()
        await reanalyse(ls)


async def did_open(ls: Seq2FuncServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.snapshots.pop(params.text_document.uri, None)  # opened again: a new text and history
    ls.changes.pop(params.text_document.uri, None)
    await ls.publish(params.text_document.uri)


def did_change(ls: Seq2FuncServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.changed(params)
    ls.schedule(params.text_document.uri)


async def did_save(ls: Seq2FuncServer, params: lsp.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri.endswith("pyproject.toml"):  # an editor that watches nothing for us
        ls.projects.known.clear()
        await reanalyse(ls)
        return
    ls.schedule(params.text_document.uri)


def did_close(ls: Seq2FuncServer, params: lsp.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


# A notebook's code cells are analysed as one script under the notebook's URI (`lsp.notebooks`);
# pygls keeps the notebook and its cells' texts before these run.


async def did_open_notebook(ls: Seq2FuncServer, params: lsp.DidOpenNotebookDocumentParams) -> None:
    ls.snapshots.pop(params.notebook_document.uri, None)
    ls.changes.pop(params.notebook_document.uri, None)
    await ls.publish(params.notebook_document.uri)


def did_change_notebook(ls: Seq2FuncServer, params: lsp.DidChangeNotebookDocumentParams) -> None:
    # the script is read again: an edit in one cell can move the lines of every later one
    uri, version = params.notebook_document.uri, params.notebook_document.version
    ls.changes.setdefault(uri, []).append((version, LineChange.whole()))
    ls.schedule(uri)


def did_save_notebook(ls: Seq2FuncServer, params: lsp.DidSaveNotebookDocumentParams) -> None:
    ls.schedule(params.notebook_document.uri)


def did_close_notebook(ls: Seq2FuncServer, params: lsp.DidCloseNotebookDocumentParams) -> None:
    ls.forget(params.notebook_document.uri)


async def code_action(ls: Seq2FuncServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    doc = ls.document(params.text_document.uri)
    wrong = check_range(doc, params.range)
    if wrong is not None:
        raise JsonRpcInvalidParams(f"seq2func: {wrong}")
    view = ls.notebook_of_cell(doc.uri)
    if view is not None:
        return await cell_actions(ls, view, doc.uri, params)
    actions = actions_at(await ls.snapshot(doc), doc, params.range, params.context)
    return offered(ls, actions)


async def cell_actions(
    ls: Seq2FuncServer, view: NotebookView, cell: str, params: lsp.CodeActionParams
) -> list[lsp.CodeAction]:
    """The actions for a range of a notebook cell: those of the same range of the script."""
    where = view.script_range(cell, params.range)
    if where is None:
        return []  # a cell the kernel does not run as Python
    context = lsp.CodeActionContext(
        diagnostics=[
            lsp.Diagnostic(range=moved, message=d.message, source=d.source, code=d.code)
            for d in params.context.diagnostics
            if (moved := view.script_range(cell, d.range)) is not None
        ],
        only=params.context.only,
        trigger_kind=params.context.trigger_kind,
    )
    actions = actions_at(await ls.snapshot(view.document), view.document, where, context)
    if view.masked(where):  # IPython lines (a %%bash cell): only what acts on the whole notebook
        actions = [
            a for a in actions if isinstance(a.data, dict) and a.data.get("action") in ("all", "fixall")
        ]
    return offered(ls, [view.action(a, ls.support.document_changes) for a in actions])


def offered(ls: Seq2FuncServer, actions: list[lsp.CodeAction]) -> list[lsp.CodeAction]:
    """The actions as this client can take them."""
    if not ls.support.disabled:
        actions = [a for a in actions if a.disabled is None]
    if not ls.support.resolve:  # edits computed when chosen, not for every action listed
        actions = [as_command(a) if a.data is not None and a.disabled is None else a for a in actions]
    return actions


async def pull_diagnostics(
    ls: Seq2FuncServer, params: lsp.DocumentDiagnosticParams
) -> lsp.RelatedFullDocumentDiagnosticReport:
    """textDocument/diagnostic: what a push would send, for a buffer or one notebook cell."""
    uri = ls.document(params.text_document.uri).uri
    view = ls.notebook_of_cell(uri)
    ls.start_pulling(view.uri if view is not None else uri)
    found = await ls.diagnostics(view.uri if view is not None else uri)
    if found is None:  # edited meanwhile: the client asks again for the newer text
        raise JsonRpcContentModified("seq2func: the document changed; ask again")
    return lsp.RelatedFullDocumentDiagnosticReport(items=found.get(uri, (None, []))[1])


def create_server(analyser: AnalysisProcess | None = None) -> Seq2FuncServer:
    """A new server with every feature registered; nothing is built at import time."""
    server = Seq2FuncServer(analyser)
    server.feature(lsp.SHUTDOWN)(stop_verifications)
    server.feature(lsp.EXIT)(stop_verifications)
    server.feature(MALFORMED)(malformed)
    server.feature(lsp.INITIALIZE)(initialize)
    server.feature(lsp.INITIALIZED)(initialized)
    server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)(did_change_configuration)
    server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)(did_change_watched_files)
    server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)(did_open)
    server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)(did_change)
    server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)(did_save)
    server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)(did_close)
    server.feature(lsp.NOTEBOOK_DOCUMENT_DID_OPEN)(did_open_notebook)
    server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CHANGE)(did_change_notebook)
    server.feature(lsp.NOTEBOOK_DOCUMENT_DID_SAVE)(did_save_notebook)
    server.feature(lsp.NOTEBOOK_DOCUMENT_DID_CLOSE)(did_close_notebook)
    options = lsp.CodeActionOptions(code_action_kinds=KINDS, resolve_provider=True)
    server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, options)(code_action)
    server.feature(lsp.CODE_ACTION_RESOLVE)(resolve)
    pull = lsp.DiagnosticOptions(
        identifier="seq2func", inter_file_dependencies=False, workspace_diagnostics=False
    )
    server.feature(lsp.TEXT_DOCUMENT_DIAGNOSTIC, pull)(pull_diagnostics)
    server.command(VERIFY_COMMAND)(verify_command)
    server.command(APPLY_COMMAND)(apply_command)
    server.command(INFER_COMMAND)(infer_command)
    return server


def serve(tcp: str | None = None, analyser: AnalysisProcess | None = None) -> None:
    """Serve over stdio, or over TCP (`HOST:PORT` or `PORT`, loopback unless a host is given)."""
    server = create_server(analyser)
    if tcp is None:
        server.start_io()
        return
    host, _, port = tcp.rpartition(":")
    server.start_tcp(host or "127.0.0.1", int(port))
