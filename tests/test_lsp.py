"""`seq2func lsp` end to end: a real LSP client (pytest-lsp) drives the server over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from textwrap import dedent

import pytest
import pytest_lsp
from lsp_client import SERVER
from lsprotocol import types as lsp
from processes import MARK, marked, new_mark
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from seq2func.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SEED = SAMPLES / "seed_sequential.py"
WRONG = SAMPLES / "seed_wrong_rewrite.py"
pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")


@pytest_lsp.fixture(config=SERVER, params=["visual-studio-code", "neovim"])
async def client(lsp_client: LanguageClient, request):
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities(request.param)))
    yield
    await lsp_client.shutdown_session()


# -- helpers ------------------------------------------------------------------------------


def open_text(client: LanguageClient, text: str, name: str = "model.py") -> str:
    uri = (SAMPLES / name).as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    return uri


async def diagnostics_after(client: LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    await asyncio.wait_for(client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 10)
    return list(client.diagnostics.get(uri, []))


async def actions_at(
    client: LanguageClient,
    uri: str,
    line: int,
    end_line: int | None = None,
    only: list[str] | None = None,
    diagnostics: list[lsp.Diagnostic] | None = None,
) -> list[lsp.CodeAction]:
    """Code actions for a cursor on 1-based `line` (or a selection through `end_line`)."""
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=line - 1, character=4),
                end=lsp.Position(line=(end_line or line) - 1, character=4),
            ),
            context=lsp.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    return [a for a in result or [] if isinstance(a, lsp.CodeAction)]


def edits_of(action: lsp.CodeAction) -> list[lsp.TextEdit]:
    assert action.edit is not None
    if action.edit.document_changes:
        return [e for change in action.edit.document_changes for e in change.edits]  # type: ignore[union-attr]
    return [e for edits in (action.edit.changes or {}).values() for e in edits]


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos: lsp.Position) -> int:
        return starts[pos.line] + pos.character if pos.line < len(lines) else len(text)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


async def raw_request(client: LanguageClient, method: str, params: object) -> object:
    """Send params as they are, bypassing the client's typing (which would refuse them)."""
    msg_id = str(uuid.uuid4())
    future: Future = Future()
    client.protocol._request_futures[msg_id] = future
    client.protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
    return await asyncio.wait_for(asyncio.wrap_future(future), 10)


def cli(args: list[str], capsys) -> str:
    capsys.readouterr()
    main(args)
    return capsys.readouterr().out


async def resolved(client: LanguageClient, action: lsp.CodeAction) -> lsp.CodeAction:
    if action.edit is None:
        action = await client.code_action_resolve_async(action)
    return action


# -- tests ---------------------------------------------------------------------------------------


async def test_initialize() -> None:
    """Should advertise resolvable code actions of the three kinds and the verify command."""
    client = await SERVER.start()
    try:
        result = await client.initialize_session(
            lsp.InitializeParams(capabilities=client_capabilities("neovim"))
        )
        caps = result.capabilities
        assert result.server_info.name == "seq2func"
        assert caps.code_action_provider.resolve_provider is True
        assert set(caps.code_action_provider.code_action_kinds) == {
            "refactor.rewrite",
            "quickfix",
            "source.convertAll.seq2func",
            "source.fixAll.seq2func",
            "source.verify.seq2func",
            "source.inferShapes.seq2func",
        }
        assert list(caps.execute_command_provider.commands) == [
            "seq2func.verify",
            "seq2func.applyAction",
            "seq2func.inferShapes",
        ]
        await client.shutdown_session()
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()  # a failed assertion must not leave the server waiting for exit
        await client.stop()


async def test_convert_actions_equal_cli(client: LanguageClient, capsys) -> None:
    """At the Sequential() line and at an add line: convert lazily, with minimal edits equal to the CLI."""
    text = SEED.read_text()
    uri = open_text(client, text)
    assert await diagnostics_after(client, uri) == []
    for line in (10, 14):  # `seq = Sequential()` and `seq.add(Conv2D(64, 1, ...))`
        titles = [a.title for a in await actions_at(client, uri, line)]
        assert titles[:2] == [
            "seq2func: Convert Sequential to Functional API",
            "seq2func: Convert Sequential to Functional API (shared layers)",
        ]
        assert "seq2func: Convert all Sequential models in file" in titles
        # raw JSON: the test client's typing would read a CodeAction with a command as a Command
        raw = await raw_request(
            client,
            lsp.TEXT_DOCUMENT_CODE_ACTION,
            {
                "textDocument": {"uri": uri},
                "context": {"diagnostics": []},
                "range": {
                    "start": {"line": line - 1, "character": 4},
                    "end": {"line": line - 1, "character": 4},
                },
            },
        )
        [verify] = [a for a in raw if a["title"].startswith("seq2func: Verify")]
        assert (verify["kind"], verify["command"]["command"], verify["command"]["arguments"]) == (
            "source.verify.seq2func",
            "seq2func.verify",
            [uri],
        )
    actions = [a for a in await actions_at(client, uri, 14) if isinstance(a, lsp.CodeAction)]
    if client.capabilities.text_document.code_action.resolve_support:
        assert all(a.edit is None for a in actions)  # computed in codeAction/resolve
    for action, args in zip(
        actions, (["convert", str(SEED)], ["convert", "--style", "shared", str(SEED)]), strict=False
    ):
        edits = edits_of(await resolved(client, action))
        assert apply(text, edits) == cli(args, capsys)
        changed = sum(e.range.end.line - e.range.start.line for e in edits)
        assert 0 < changed < len(text.splitlines()) // 2  # hunks, not the whole document
    assert await actions_at(client, uri, 30) == [
        a
        for a in await actions_at(client, uri, 30)
        if a.title == "seq2func: Convert all Sequential models in file"
    ]


@pytest_lsp.fixture(config=SERVER)
async def emacs(lsp_client: LanguageClient):
    """Emacs 29.1's eglot: no codeAction/resolve support."""
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("emacs")))
    yield
    await lsp_client.shutdown_session()


async def test_clients_without_resolve_get_commands_that_apply_the_edit(
    emacs: LanguageClient, capsys
) -> None:
    """No edit is computed while listing actions; the chosen one computes its edit and sends it
    with workspace/applyEdit, equal to the CLI's conversion."""
    applied: list[lsp.ApplyWorkspaceEditParams] = []

    @emacs.feature(lsp.WORKSPACE_APPLY_EDIT)
    def on_apply(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        applied.append(params)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    text = SEED.read_text()
    uri = open_text(emacs, text)
    raw = await raw_request(
        emacs,
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        {
            "textDocument": {"uri": uri},
            "context": {"diagnostics": []},
            "range": {"start": {"line": 9, "character": 4}, "end": {"line": 9, "character": 4}},
        },
    )
    assert raw and all("edit" not in a for a in raw)
    convert = next(a for a in raw if a["title"] == "seq2func: Convert Sequential to Functional API")
    assert convert["command"]["command"] == "seq2func.applyAction"
    result = await emacs.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="seq2func.applyAction", arguments=convert["command"]["arguments"])
    )
    assert result["applied"] is True
    [params] = applied
    edits = [e for edits in (params.edit.changes or {}).values() for e in edits] or [
        e
        for change in params.edit.document_changes or []
        for e in change.edits  # type: ignore[union-attr]
    ]
    assert apply(text, edits) == cli(["convert", str(SEED)], capsys)


async def test_convert_all_and_only_filter(vscode: LanguageClient, capsys) -> None:
    """The source action converts every model, and `only` filters kinds."""
    text = (SAMPLES / "mlp_factory.py").read_text()
    uri = open_text(vscode, text)
    [action] = await actions_at(vscode, uri, 1, only=["source"])
    assert action.kind == "source.convertAll.seq2func"
    assert apply(text, edits_of(await resolved(vscode, action))) == cli(
        ["convert", str(SAMPLES / "mlp_factory.py")], capsys
    )


async def test_disabled_action_with_reason(vscode: LanguageClient) -> None:
    """A construction that cannot be converted still lists the action, disabled with the reason."""
    text = dedent(
        """\
        import keras
        m = keras.Sequential([keras.layers.Dense(2)])
        m.summary()
        """
    )
    uri = open_text(vscode, text)
    [diagnostic] = await diagnostics_after(vscode, uri)
    assert (
        diagnostic.code == "input-shape-unknown" and diagnostic.severity == lsp.DiagnosticSeverity.Information
    )
    assert "set input-shape under [tool.seq2func]" in diagnostic.message  # not a flag an editor cannot pass
    [action] = await actions_at(vscode, uri, 2)
    assert action.title == "seq2func: Convert Sequential to Functional API"
    assert action.disabled is not None and "input shape is unknown" in action.disabled.reason
    assert "[input-shape-unknown]" in action.disabled.reason and action.edit is None


async def test_shared_action_disabled_with_reason(vscode: LanguageClient) -> None:
    text = dedent(
        """\
        import keras
        m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        m.summary()
        """
    )
    uri = open_text(vscode, text)
    convert, shared, _ = await actions_at(vscode, uri, 2)
    assert convert.disabled is None
    assert shared.disabled.reason == "m.summary() at line 3 needs a Model object"


async def test_diagnostics_quick_fix_and_clear(vscode: LanguageClient, tmp_path: Path) -> None:
    """S2F101 appears on open, its quick fix equals `check --fix`, it clears on change and on close."""
    text = WRONG.read_text()
    uri = open_text(vscode, text, "wrong.py")
    [diagnostic] = await diagnostics_after(vscode, uri)
    assert diagnostic.code == "S2F101" and diagnostic.severity == lsp.DiagnosticSeverity.Warning
    assert diagnostic.range.start.line == 8 and diagnostic.message.startswith(
        "create_base_network() creates 8 layers"
    )
    fix, disable, fix_all = await actions_at(vscode, uri, 12, diagnostics=[diagnostic])
    assert (fix.title, fix.kind) == ("seq2func (S2F101): Share layers across calls", "quickfix")
    assert (disable.title, fix_all.title) == (
        "seq2func (S2F101): Disable for this line",
        "seq2func: Fix all findings",
    )
    fixed = apply(text, edits_of(await resolved(vscode, fix)))
    on_disk = tmp_path / "wrong.py"
    on_disk.write_text(text)
    main(["check", "--fix", "-q", str(on_disk)])
    assert fixed == on_disk.read_text() != text

    vscode.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    assert await diagnostics_after(vscode, uri) == []
    vscode.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    assert [d.code for d in await diagnostics_after(vscode, uri)] == ["S2F101"]
    vscode.text_document_did_close(
        lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    assert await diagnostics_after(vscode, uri) == []


async def test_quoted_uri(vscode: LanguageClient) -> None:
    """A path with a space arrives percent-encoded (as VS Code sends it) and still works."""
    uri = open_text(vscode, WRONG.read_text(), "my model.py")
    assert "%20" in uri
    [diagnostic] = await diagnostics_after(vscode, uri)
    assert diagnostic.code == "S2F101"
    assert await actions_at(vscode, uri, 9)


async def test_changes_are_debounced(vscode: LanguageClient) -> None:
    """A burst of edits gives one diagnostics message, for the last version."""
    uri = open_text(vscode, WRONG.read_text(), "burst.py")
    await diagnostics_after(vscode, uri)
    seen: list[int | None] = []
    original = vscode.protocol.fm.features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        seen.append(params.version)
        original(params)

    vscode.protocol.fm.features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = lambda params: record(vscode, params)
    for version in range(2, 7):
        vscode.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    lsp.TextDocumentContentChangeWholeDocument(text=WRONG.read_text() + "#" * version)
                ],
            )
        )
    await asyncio.sleep(1.0)
    assert seen == [6]


async def test_syntax_error_buffer(vscode: LanguageClient) -> None:
    """Half-typed code: no actions, no diagnostics, no crash; the server keeps serving."""
    uri = open_text(
        vscode,
        dedent(
            """\
        import keras
        m = keras.Sequential([
            keras.layers.Dense(2,
        """
        ),
        "typing.py",
    )
    assert await diagnostics_after(vscode, uri) == []
    assert await actions_at(vscode, uri, 2) == []
    ok = open_text(vscode, SEED.read_text(), "after.py")
    assert await actions_at(vscode, ok, 10)


async def test_bad_requests_get_lsp_errors(vscode: LanguageClient) -> None:
    """Unknown documents, bad positions, malformed params and stale resolves are errors, not crashes."""
    uri = open_text(vscode, SEED.read_text())
    with pytest.raises(JsonRpcException, match="no open document"):
        await actions_at(vscode, (SAMPLES / "nope.py").as_uri(), 1)
    with pytest.raises(JsonRpcException, match="not in the document"):
        await actions_at(vscode, uri, 10_000)
    with pytest.raises(JsonRpcException, match="do not match the LSP specification"):
        await raw_request(vscode, lsp.TEXT_DOCUMENT_CODE_ACTION, {"textDocument": 5})
    with pytest.raises(JsonRpcException, match="no seq2func data"):
        await vscode.code_action_resolve_async(lsp.CodeAction(title="x", data={"action": "explode"}))
    [action, *_] = await actions_at(vscode, uri, 10)
    vscode.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=SEED.read_text() + "\n")],
        )
    )
    with pytest.raises(JsonRpcException, match="document changed"):
        await vscode.code_action_resolve_async(action)
    with pytest.raises(JsonRpcException, match="no open document"):
        await vscode.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="seq2func.verify", arguments=["file:///nope.py"])
        )
    assert await actions_at(vscode, uri, 10)  # still serving


async def test_shutdown_and_exit_leave_nothing() -> None:
    """shutdown then exit: the server process ends with status 0."""
    client = await SERVER.start()
    await client.initialize_session(lsp.InitializeParams(capabilities=client_capabilities("neovim")))
    await asyncio.wait_for(client.shutdown_session(), 10)
    assert client._server is not None and client._server.returncode == 0
    await client.stop()


async def until(condition: Callable[[], object], seconds: float) -> None:
    """Wait for `condition()` to hold (a notification to arrive), up to `seconds`."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


@pytest.mark.tensorflow
async def test_verify_command_answers_at_once_then_reports(vscode: LanguageClient) -> None:
    """seq2func.verify answers at once (eglot's request timeout is 10 s); the verdict follows
    through $/progress, window/showMessage and an information diagnostic on the model."""
    uri = open_text(vscode, SEED.read_text())
    await diagnostics_after(vscode, uri)
    result = await asyncio.wait_for(
        vscode.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="seq2func.verify", arguments=[uri, "shared"])
        ),
        5,
    )
    assert result["started"] is True and "verifying model.py" in result["message"]
    await until(lambda: any("equivalent (3,103,299 parameters" in m.message for m in vscode.messages), 180)
    [reports] = vscode.progress_reports.values()
    assert reports[0].kind == "begin" and reports[0].cancellable and reports[-1].kind == "end"
    await until(lambda: any(d.code == "verified" for d in vscode.diagnostics.get(uri, [])), 10)
    base, model = sorted(
        (d for d in vscode.diagnostics[uri] if d.code == "verified"), key=lambda d: d.range.start.line
    )
    assert base.severity == lsp.DiagnosticSeverity.Information and base.range.start.line == 9
    assert base.message == "seq2func verify: seq (line 10): equivalent (2,774,720 parameters)"
    assert model.severity == lsp.DiagnosticSeverity.Information and model.range.start.line == 33
    assert model.message == "seq2func verify: model (line 34): equivalent (3,103,299 parameters)"


@pytest.mark.tensorflow
async def test_verify_says_on_a_model_it_could_not_build_what_to_do(vscode: LanguageClient) -> None:
    """A factory nothing calls is not verified: its verdict lands on it and says what to do in
    words an editor user can act on (a setting, no command-line flags)."""
    text = (
        "import keras\n\n\ndef build(n):\n"
        "    return keras.Sequential([keras.layers.Dense(n, input_shape=(3,))])\n"
    )
    uri = open_text(vscode, text, "factory.py")
    await diagnostics_after(vscode, uri)
    await vscode.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="seq2func.verify", arguments=[uri])
    )
    await until(lambda: any(d.code == "verified" for d in vscode.diagnostics.get(uri, [])), 180)
    [verified] = [d for d in vscode.diagnostics[uri] if d.code == "verified"]
    assert verified.range.start.line == 4 and "could not verify" in verified.message
    assert "set verify-entry" in verified.message and "--entry" not in verified.message
    assert not any("--model" in m.message for m in vscode.messages)


@pytest.mark.tensorflow
async def test_unknown_shape_offers_learning_it_by_running_the_program(
    vscode: LanguageClient, tmp_path: Path, capsys
) -> None:
    """The unknown-shape diagnostic names [tool.seq2func] input-shape and the action that runs
    the program; the action answers at once, and afterwards the model converts as
    `convert --infer-shapes` converts it."""
    from test_infer import MNIST

    path = tmp_path / "mnist.py"
    path.write_text(MNIST)
    uri = path.as_uri()
    vscode.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=MNIST)
        )
    )
    line = MNIST.splitlines().index("    model = keras.Sequential()")  # 0-based
    [unknown] = [d for d in await diagnostics_after(vscode, uri) if d.code == "input-shape-unknown"]
    assert "set input-shape under [tool.seq2func]" in unknown.message
    assert "use 'seq2func: Learn the input shape by running the program'" in unknown.message
    raw = await raw_request(
        vscode,
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        {
            "textDocument": {"uri": uri},
            "context": {"diagnostics": []},
            "range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4}},
        },
    )
    [learn] = [a for a in raw if a["title"].startswith("seq2func: Learn the input shape")]
    assert learn["command"] == {
        "title": learn["title"],
        "command": "seq2func.inferShapes",
        "arguments": [uri],
    }
    result = await asyncio.wait_for(
        vscode.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="seq2func.inferShapes", arguments=[uri])
        ),
        5,
    )
    assert result["started"] is True
    await until(lambda: any("running mnist.py" in m.message for m in vscode.messages), 180)
    assert "can be converted now" in vscode.messages[-1].message, vscode.messages[-1].message
    convert = next(
        a
        for a in await actions_at(vscode, uri, line + 1)
        if a.title == "seq2func: Convert Sequential to Functional API"
    )
    assert convert.disabled is None
    edits = edits_of(await vscode.code_action_resolve_async(convert))
    assert apply(MNIST, edits) == cli(["convert", "--infer-shapes", str(path)], capsys)


@pytest.mark.tensorflow
async def test_verify_command_cancel(vscode: LanguageClient) -> None:
    """Cancelling the progress stops the verifier's child process; the message says so."""
    slow = dedent(
        """\
        import time
        import keras
        time.sleep(120)
        m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        """
    )
    uri = open_text(vscode, slow, "slow.py")
    result = await vscode.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="seq2func.verify", arguments=[uri])
    )
    assert result["started"] is True
    await until(lambda: vscode.progress_reports, 10)
    [token] = vscode.progress_reports
    vscode.window_work_done_progress_cancel(lsp.WorkDoneProgressCancelParams(token=token))
    await until(
        lambda: any("could not verify" in m.message and "cancelled" in m.message for m in vscode.messages), 10
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("a = 1\nb = 2\nc = 3\n", "a = 1\nB = 2\nc = 3\n", id="one-line"),
        pytest.param("x = 'é😀'\nm = 1", "x = 'é😀'\nm = 2\nn = 3", id="no-final-newline-utf16"),
        pytest.param("a\r\nb\r\n", "a\r\nz\r\nb\r\n", id="crlf-insert"),
        pytest.param("a\nb\n", "", id="delete-all"),
    ],
)
def test_minimal_edits_reproduce_the_new_text(old: str, new: str) -> None:
    """Line hunks in client (UTF-16) positions that, applied, give exactly the new text."""
    from pygls.workspace import TextDocument

    from seq2func.lsp.editor import minimal_edits

    doc = TextDocument("file:///t.py", old)
    edits = minimal_edits(doc, old, new)
    lines = old.splitlines(keepends=True)

    def offset(pos: lsp.Position) -> int:  # UTF-16 units back to code points
        if pos.line >= len(lines):
            return len(old)
        text = lines[pos.line].encode("utf-16-le")[: pos.character * 2].decode("utf-16-le")
        return sum(len(line) for line in lines[: pos.line]) + len(text)

    out = old
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        out = out[: offset(edit.range.start)] + edit.new_text + out[offset(edit.range.end) :]
    assert out == new
    assert len(edits) == 1


def test_tcp_transport_on_loopback() -> None:
    """`seq2func lsp --tcp PORT` serves on 127.0.0.1 (for debugging) and answers initialize."""
    import json
    import socket
    import subprocess
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "seq2func", "lsp", "--tcp", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with conn:
            body = json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"capabilities": {}, "processId": None},
                }
            ).encode()
            conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            data = b""
            while b'"serverInfo"' not in data:
                chunk = conn.recv(65536)
                assert chunk, "connection closed before the initialize result"
                data += chunk
        assert b'"name": "seq2func"' in data
    finally:
        server.kill()
        server.wait()


def test_tcp_option_is_checked() -> None:
    assert main(["lsp", "--tcp", "localhost:http"]) == 2


def test_server_modules_load_no_framework() -> None:
    """The server and the verifier's parent side import neither TensorFlow nor Keras."""
    import subprocess

    code = (
        "import sys, seq2func.lsp.server, seq2func.verify.runner; "
        "print(sorted(m for m in ('tensorflow', 'keras', 'torch', 'jax') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.tensorflow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
async def test_exit_during_verification_leaves_nothing() -> None:
    """exit while a verification runs: the server ends and its verifier child is gone."""
    mark = new_mark()
    server = ClientServerConfig(SERVER.server_command, server_env={**os.environ, MARK: mark})
    client = await server.start()

    def _verifier_children() -> list[int]:
        return marked(mark, "seq2func.verify.child")

    await client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    slow = dedent(
        """\
        import time
        import keras
        time.sleep(120)
        m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        """
    )
    uri = open_text(client, slow, "slow_exit.py")
    await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="seq2func.verify", arguments=[uri])
    )
    for _ in range(300):
        if _verifier_children():
            break
        await asyncio.sleep(0.1)
    assert _verifier_children()
    client.exit(None)  # no shutdown first: a client that is going away
    await asyncio.wait_for(client._server.wait(), 15)
    for _ in range(50):
        if not _verifier_children():
            break
        await asyncio.sleep(0.1)
    assert _verifier_children() == []
    await client.stop()


def test_recovers_from_a_frame_of_the_wrong_length() -> None:
    """Should answer the requests after a frame whose Content-Length is wrong (too long, too short)."""
    import json
    import subprocess
    import sys

    def frame(message: dict, extra: int = 0) -> bytes:
        body = json.dumps(message).encode()
        return f"Content-Length: {len(body) + extra}\r\n\r\n".encode() + body

    init = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"capabilities": {}, "processId": None},
    }
    where = {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    params = {"textDocument": {"uri": "file:///nope.py"}, "range": where, "context": {"diagnostics": []}}

    def request(n: int) -> dict:  # answered, if only with an error (no such document)
        return {"jsonrpc": "2.0", "id": n, "method": "textDocument/codeAction", "params": params}

    bad, later = request(2), [request(n) for n in (3, 4, 5, 6)]
    stream = frame(init) + frame(bad, extra=25) + frame(later[0]) + frame(bad, extra=-5) + frame(later[1])
    stream += frame(later[2]) + frame(bad, extra=99_999_999_999) + b"\r\n" + frame(later[3])
    stream += frame({"jsonrpc": "2.0", "method": "exit"})
    run = subprocess.run(
        [sys.executable, "-m", "seq2func", "lsp"], input=stream, capture_output=True, timeout=60
    )
    answered, rest = set(), run.stdout
    while rest:
        head, _, rest = rest.partition(b"\r\n\r\n")
        length = int(head.split(b"\r\n")[0].split(b":")[1])
        message, rest = json.loads(rest[:length]), rest[length:]
        answered.add(message.get("id"))
    # the frame after each bad one may be eaten by it; every frame after that is answered
    assert {1, 5, 6} <= answered, (
        answered,
        run.stderr.decode()[-2000:],
    )  # 6: after a frame too large to read
    assert "more than the 64 MB a frame may hold" in run.stderr.decode()
    assert 4 in answered or 3 in answered


async def test_large_document_does_not_hold_up_another(vscode: LanguageClient) -> None:
    """Should answer a small document's code actions while a large one is still being analysed."""
    block = "def helper_{n}(a):\n    return [a * k for k in range(a)]\n\n\n"
    big = dedent(
        """\
        import keras

        """
    ) + "".join(block.format(n=n) for n in range(4000))  # 16,000 lines
    big_uri = open_text(vscode, big, "big.py")
    small_uri = open_text(vscode, SEED.read_text(), "small.py")
    actions = await asyncio.wait_for(actions_at(vscode, small_uri, 10), 60)
    assert any(a.title.startswith("seq2func: Convert Sequential to Functional") for a in actions)
    assert big_uri not in vscode.diagnostics, "the large document was analysed first"


async def test_actions_right_after_an_edit_follow_the_model(
    vscode: LanguageClient, tmp_path: Path, capsys
) -> None:
    """A code action asked for right after an edit is answered from the last analysis, its
    lines shifted by the edit; resolving it converts the new text, exactly as the CLI does."""
    text = SEED.read_text()
    uri = open_text(vscode, text, "moved.py")
    await diagnostics_after(vscode, uri)
    top = lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0))
    vscode.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangePartial(range=top, text="# one\n# two\n")],
        )
    )
    new = "# one\n# two\n" + text
    actions = await actions_at(vscode, uri, 14 + 2)  # the add line, two lines down now
    convert = next(a for a in actions if a.title == "seq2func: Convert Sequential to Functional API")
    assert isinstance(convert.data, dict) and convert.data["version"] == 2
    assert not [
        a for a in await actions_at(vscode, uri, 9) if a.title.startswith("seq2func: Convert Sequential")
    ]
    edits = edits_of(await vscode.code_action_resolve_async(convert))
    path = tmp_path / "moved.py"
    path.write_text(new)
    assert apply(new, edits) == cli(["convert", str(path)], capsys)


# -- the analysis process ---------------------------------------------------------------


async def test_analysis_process_answers_and_starts_again_when_it_stops() -> None:
    """A request the analysis process never answers fails with a reason, not a hang; the
    next request starts a new process and is answered."""
    from seq2func.lsp.worker import AnalysisProcess, AnalysisProcessGone
    from seq2func.types import Options

    text = SEED.read_text()
    worker = AnalysisProcess()
    try:
        survey, titles, _ = await asyncio.wait_for(
            worker.call("survey", "file:///a.py", text, Options(), None, True), 60
        )
        assert [s.model for s in survey.sites] and titles["S2F101"]
        first = worker.process
        assert first is not None
        waiting = asyncio.ensure_future(
            worker.call("convert", "file:///b.py", text * 20, Options(), None, {})
        )
        await asyncio.sleep(0.05)
        first.kill()
        with pytest.raises(AnalysisProcessGone, match="stopped"):
            await asyncio.wait_for(waiting, 60)
        converted = await asyncio.wait_for(
            worker.call("action", "file:///a.py", text, Options(), None, {"action": "all"}), 60
        )
        assert converted != text and "Input(" in converted
        assert worker.process is not None and worker.process is not first
    finally:
        worker.close()
    assert first.poll() is not None and worker.process is None


async def test_analysis_process_imports_seq2func_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor starts the server in the project: a project module named like one of
    seq2func's imports must not shadow it in the analysis process."""
    from seq2func.lsp.worker import AnalysisProcess
    from seq2func.types import Options

    (tmp_path / "libcst.py").write_text("raise SystemExit('the project libcst was imported')\n")
    monkeypatch.chdir(tmp_path)
    worker = AnalysisProcess()
    try:
        survey, _, _ = await asyncio.wait_for(
            worker.call("survey", "file:///a.py", SEED.read_text(), Options(), None, True), 60
        )
        assert survey is not None and survey.sites
    finally:
        worker.close()


async def test_analysis_process_reports_malformed_action_data() -> None:
    from seq2func.lsp.worker import AnalysisProcess
    from seq2func.types import Options

    worker = AnalysisProcess()
    try:
        for data, error in [({"action": "convert"}, KeyError), ({"action": "fix", "line": "x"}, ValueError)]:
            with pytest.raises(error):
                await asyncio.wait_for(
                    worker.call("action", "file:///a.py", SEED.read_text(), Options(), None, data), 60
                )
    finally:
        worker.close()


async def test_fix_all_and_disable_for_this_line(vscode: LanguageClient, tmp_path: Path) -> None:
    """Should offer `source.fixAll.seq2func` (what `check --fix` does) and a quick fix that
    silences the finding with the documented comment, after which it is gone."""
    text = WRONG.read_text()
    uri = open_text(vscode, text, "fixall.py")
    [diagnostic] = await diagnostics_after(vscode, uri)
    [fix_all] = await actions_at(vscode, uri, 1, only=["source.fixAll"])
    assert (fix_all.title, fix_all.kind) == ("seq2func: Fix all findings", "source.fixAll.seq2func")
    on_disk = tmp_path / "fixall.py"
    on_disk.write_text(text)
    main(["check", "--fix", "-q", str(on_disk)])
    assert apply(text, edits_of(await resolved(vscode, fix_all))) == on_disk.read_text() != text
    line = diagnostic.range.start.line + 1
    [disable] = [
        a
        for a in await actions_at(vscode, uri, line, diagnostics=[diagnostic])
        if a.title.endswith("Disable for this line")
    ]
    assert disable.title == "seq2func (S2F101): Disable for this line" and disable.kind == "quickfix"
    silenced = apply(text, edits_of(disable))
    assert silenced.splitlines()[line - 1].endswith("  # seq2func: ignore[S2F101]")
    vscode.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=silenced)],
        )
    )
    assert await diagnostics_after(vscode, uri) == []


CONTINUED = [  # the finding is on the third line, its statement ends on the fourth
    pytest.param(
        'import keras\nm = keras.Sequential([keras.layers.Dense(2, name="a"),\n    keras.layers.Dense(2, name="a"),\n'
        "    keras.layers.Dense(3)])\n",
        id="brackets",
    ),
    pytest.param(
        'import keras\nm = keras.Sequential([keras.layers.Dense(2, name="a"), \\\n    keras.layers.Dense(2, name="a"), \\\n'
        "    keras.layers.Dense(3)])\n",
        id="backslashes",
    ),
    pytest.param(
        'import keras\nm = keras.Sequential([keras.layers.Dense(2, name="a"),  # first\n'
        '    keras.layers.Dense(2, name="a"),  # second\n    keras.layers.Dense(3)])  # third\n',
        id="comments-already-there",
    ),
    pytest.param(
        'import keras\nm = keras.Sequential([keras.layers.Dense(2, name="a"), keras.layers.Dense(2, name="a")])  # x\n',
        id="one-line-with-a-comment",
    ),
]


@pytest.mark.parametrize("text", CONTINUED)
def test_disable_for_this_line_keeps_the_file_python_and_silences_the_finding(text: str) -> None:
    """The comment goes where Python keeps it: at the end of the statement's last line (never
    after a backslash or inside a bracket's line it would break), beside a comment already
    there; the file still parses, and the finding is gone."""
    import ast

    from pygls.workspace import TextDocument

    from seq2func import check_source
    from seq2func.lsp.editor import disable_action

    [finding] = check_source(text, select=("S2F102",)).findings
    action = disable_action(TextDocument("file:///m.py", text), finding, text)
    assert action.edit is not None and action.edit.changes is not None
    [edit] = action.edit.changes["file:///m.py"]
    silenced = apply(text, [edit])
    ast.parse(silenced)
    assert check_source(silenced, select=("S2F102",)).findings == []
