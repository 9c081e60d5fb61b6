"""Pull diagnostics (LSP 3.17 `textDocument/diagnostic`): answered where the client asks for
them, the same as what is pushed otherwise; once a client pulls, nothing pushed is left
beside what it pulls, and a change it cannot see (new settings, a verdict) makes the server
ask it to pull again."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from lsp_client import SERVER
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities
from test_lsp import WRONG, open_text, until
from test_lsp_notebooks import Notebook, read_notebook_selectors, with_notebooks

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")


@pytest_lsp.fixture(config=SERVER)
async def puller(lsp_client: LanguageClient):
    """A client that pulls diagnostics and takes refresh requests (as VS Code 1.9x does)."""
    read_notebook_selectors(lsp_client)
    capabilities = with_notebooks(client_capabilities("visual-studio-code"))
    assert capabilities.text_document is not None and capabilities.workspace is not None
    capabilities.text_document.diagnostic = lsp.DiagnosticClientCapabilities(related_document_support=False)
    capabilities.workspace.diagnostics = lsp.DiagnosticWorkspaceClientCapabilities(refresh_support=True)
    result = await lsp_client.initialize_session(lsp.InitializeParams(capabilities=capabilities))
    provider = result.capabilities.diagnostic_provider
    assert isinstance(provider, lsp.DiagnosticOptions) and provider.identifier == "seq2func"
    assert not provider.inter_file_dependencies and not provider.workspace_diagnostics
    yield
    await lsp_client.shutdown_session()


async def pull(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    report = await asyncio.wait_for(
        client.text_document_diagnostic_async(
            lsp.DocumentDiagnosticParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
        ),
        30,
    )
    assert isinstance(report, lsp.RelatedFullDocumentDiagnosticReport)
    return list(report.items)


async def test_a_pull_answers_what_a_push_sent_and_clears_it(puller: LanguageClient) -> None:
    text = WRONG.read_text()
    uri = open_text(puller, text, "wrong.py")
    await until(lambda: bool(puller.diagnostics.get(uri)), 15)
    pushed = list(puller.diagnostics[uri])
    pulled = await pull(puller, uri)
    assert pulled == pushed and [d.code for d in pulled] == ["S2F101"]
    await until(lambda: not puller.diagnostics.get(uri, [1]), 5)  # the pushed copy cleared
    puller.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                lsp.TextDocumentContentChangeWholeDocument(text="\n" + text)  # every line moves down
            ],
        )
    )
    [moved] = await pull(puller, uri)
    assert moved.range.start.line == pulled[0].range.start.line + 1
    await asyncio.sleep(0.6)  # past the debounce: an edit is pulled, never pushed
    assert not puller.diagnostics.get(uri)
    puller.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"seq2func": {"ignore": ["S2F101"]}})
    )
    await until(lambda: puller.diagnostic_refresh_count > 0, 15)
    assert await pull(puller, uri) == []  # what the refresh asked it to pull: S2F101 ignored


async def test_a_notebook_cell_is_pulled_on_its_own(puller: LanguageClient) -> None:
    notebook = Notebook(
        puller,
        [("code", "import keras"), ("code", "net = keras.Sequential()\nnet.add(keras.layers.Dense(3))")],
    )
    [left] = await pull(puller, notebook.uris[1])
    assert left.code == "input-shape-unknown" and left.range.start.line == 0
    assert await pull(puller, notebook.uris[0]) == []


async def test_a_document_never_pulled_is_still_pushed_to(puller: LanguageClient) -> None:
    """Should keep pushing to a document the client does not pull (a client may pull files
    and not notebook cells), while it stops pushing to the one it pulls."""
    text = WRONG.read_text()
    pulled, pushed = open_text(puller, text, "pulled.py"), open_text(puller, text, "pushed.py")
    await until(lambda: bool(puller.diagnostics.get(pulled)) and bool(puller.diagnostics.get(pushed)), 15)
    assert [d.code for d in await pull(puller, pulled)] == ["S2F101"]
    await until(lambda: not puller.diagnostics.get(pulled, [1]), 5)
    for uri in (pulled, pushed):
        puller.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="\n" + text)],
            )
        )
    await until(lambda: [d.range.start.line for d in puller.diagnostics.get(pushed, [])] == [9], 15)
    assert not puller.diagnostics.get(pulled)
