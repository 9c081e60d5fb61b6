"""One settings path: every [tool.seq2func] key means the same in the editor as on the
command line, from pyproject.toml, initialization options and workspace/didChangeConfiguration."""

from __future__ import annotations

import asyncio
from pathlib import Path
from textwrap import dedent

import pytest
from lsp_client import SERVER
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities
from test_lsp import WRONG, apply, cli, diagnostics_after, edits_of

UNKNOWN_SHAPE = dedent(
    """\
    import keras

    model = keras.Sequential([keras.layers.Dense(2), keras.layers.Dense(1)])
    """
)
LONG = (
    "import keras\n\nmodel = keras.Sequential(\n    [keras.layers.Dense(8, activation='relu', "
    "kernel_initializer='he_normal', input_shape=(4,)), keras.layers.Dense(1)]\n)\n"
)


async def start(tmp_path: Path, initialization_options: object = None) -> LanguageClient:
    client = await SERVER.start()
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options=initialization_options,
            root_uri=tmp_path.as_uri(),
        )
    )
    return client


async def stop(client: LanguageClient) -> None:
    try:
        await client.shutdown_session()
    finally:
        if client._server is not None and client._server.returncode is None:
            client._server.kill()
        await client.stop()


def open_in(client: LanguageClient, path: Path, text: str) -> str:
    path.write_text(text)
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    return uri


async def convert_all(client: LanguageClient, uri: str, text: str) -> str:
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)),
            context=lsp.CodeActionContext(diagnostics=[], only=["source.convertAll.seq2func"]),
        )
    )
    [action] = [a for a in result or [] if isinstance(a, lsp.CodeAction)]
    return apply(text, edits_of(await client.code_action_resolve_async(action)))


# (key, value, a source, what the CLI prints for it with the same setting in pyproject.toml)
KEYS = [
    pytest.param(
        "style",
        "shared",
        (Path(__file__).parent.parent / "samples" / "mlp_factory.py").read_text(),
        id="style",
    ),
    pytest.param("line-length", 40, LONG, id="line-length"),
    pytest.param("input-shape", [5], UNKNOWN_SHAPE, id="input-shape"),
    pytest.param(
        "model-wrappers",
        ["mylib.distill"],
        "import numpy as np\nimport keras\nfrom mylib import distill\n\n"
        "m = keras.Sequential([keras.layers.Dense(2)])\nsmall = distill(m)\n"
        "small.fit(np.zeros((4, 3)), np.zeros(4))\n",
        id="model-wrappers",
    ),
]


@pytest.mark.parametrize(("key", "value", "text"), KEYS)
@pytest.mark.parametrize("where", ["pyproject", "initialization", "didChangeConfiguration"])
async def test_the_editor_converts_as_the_cli_with_each_setting(
    tmp_path: Path, capsys, key: str, value: object, text: str, where: str
) -> None:
    """Should convert exactly as `seq2func convert` does with the setting in pyproject.toml,
    whichever way the editor was given it."""
    setting = {key: value}
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(f"[tool.seq2func]\n{key} = {value!r}\n".replace("'", '"'))
    expected = (
        cli(["convert", str(project / "model.py")], capsys) if (project / "model.py").write_text(text) else ""
    )
    if where != "pyproject":
        (project / "pyproject.toml").write_text("[tool.seq2func]\n")
    client = await start(project, {"settings": setting} if where == "initialization" else None)
    try:
        if where == "didChangeConfiguration":
            client.workspace_did_change_configuration(
                lsp.DidChangeConfigurationParams(settings={"seq2func": setting})
            )
        uri = open_in(client, project / "model.py", text)
        await diagnostics_after(client, uri)
        assert await convert_all(client, uri, text) == expected != text
    finally:
        await stop(client)


@pytest.mark.parametrize("where", ["pyproject", "initialization", "didChangeConfiguration"])
async def test_ignore_and_select_reach_the_diagnostics(tmp_path: Path, where: str) -> None:
    """Should drop S2F101 from the diagnostics with ignore = ["S2F101"] (as `check` does), and
    bring it back when the setting goes."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[tool.seq2func]\nignore = ["S2F101"]\n' if where == "pyproject" else ""
    )
    client = await start(project, {"settings": {"ignore": ["S2F101"]}} if where == "initialization" else None)
    try:
        if where == "didChangeConfiguration":
            client.workspace_did_change_configuration(
                lsp.DidChangeConfigurationParams(settings={"seq2func": {"select": ["S2F2"]}})
            )
        uri = open_in(client, project / "wrong.py", WRONG.read_text())
        assert [d.code for d in await diagnostics_after(client, uri)] == []
        if where != "pyproject":
            client.workspace_did_change_configuration(
                lsp.DidChangeConfigurationParams(settings={"seq2func": {}})
            )
            assert [d.code for d in await diagnostics_after(client, uri)] == ["S2F101"]
    finally:
        await stop(client)


async def test_verify_timeout_and_memory_limit_reach_the_verifier(tmp_path: Path) -> None:
    """Should verify under the editor's verify-timeout (a tiny one stops the proof and says so)."""
    project = tmp_path / "project"
    project.mkdir()
    client = await start(project, {"settings": {"verify-timeout": 0.05, "verify-memory-limit": 512}})
    try:
        uri = open_in(client, project / "model.py", LONG)
        await diagnostics_after(client, uri)
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="seq2func.verify", arguments=[uri])
        )
        for _ in range(300):
            if any("could not verify" in m.message for m in client.messages):
                break
            await asyncio.sleep(0.1)
        said = " ".join(m.message for m in client.messages)
        assert "0.05 s" in said, said
    finally:
        await stop(client)


async def test_a_bad_editor_setting_is_reported(tmp_path: Path) -> None:
    """Should say which editor setting is wrong, and go on with the file's."""
    client = await start(tmp_path, {"settings": {"style": "bogus"}})
    try:
        uri = open_in(client, tmp_path / "model.py", LONG)
        await diagnostics_after(client, uri)
        assert await convert_all(client, uri, LONG) != LONG
        said = [m.message for m in client.messages]
        assert any("editor settings: style takes one of" in m and "'bogus'" in m for m in said), said
    finally:
        await stop(client)


async def test_the_preferred_action_is_the_settings_style(tmp_path: Path) -> None:
    """With style = "shared", the preferred action converts to shared layers, as `seq2func
    convert --line` does; with the default, to a Model."""
    text = (Path(__file__).parent.parent / "samples" / "seed_sequential.py").read_text()
    for style, preferred in (("shared", "shared"), ("model", "model")):
        project = tmp_path / style
        project.mkdir()
        (project / "pyproject.toml").write_text(f'[tool.seq2func]\nstyle = "{style}"\n')
        client = await start(project, None)
        try:
            uri = open_in(client, project / "model.py", text)
            await diagnostics_after(client, uri)
            line = next(n for n, row in enumerate(text.splitlines()) if "Sequential(" in row)
            result = await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=lsp.Range(
                        start=lsp.Position(line=line, character=0), end=lsp.Position(line=line, character=0)
                    ),
                    context=lsp.CodeActionContext(diagnostics=[]),
                )
            )
            chosen = [a for a in result or [] if isinstance(a, lsp.CodeAction) and a.is_preferred and a.data]
            assert [a.data["style"] for a in chosen if a.data.get("action") == "convert"] == [preferred]
        finally:
            await stop(client)


@pytest.mark.parametrize("where", ["pyproject", "initialization"])
async def test_a_bad_setting_leaves_the_others_applied(tmp_path: Path, where: str) -> None:
    """A bad value rejects that key alone, with the CLI's message; a valid input-shape beside
    it still converts the model whose shape the code does not show."""
    setting = 'input-shape = [5]\nline-length = "long"\n'
    (tmp_path / "pyproject.toml").write_text("[tool.seq2func]\n" + (setting if where == "pyproject" else ""))
    client = await start(
        tmp_path, {"settings": {"input-shape": [5], "line-length": "long"}} if where != "pyproject" else None
    )
    try:
        uri = open_in(client, tmp_path / "model.py", UNKNOWN_SHAPE)
        await diagnostics_after(client, uri)
        assert "shape=(5,)" in await convert_all(client, uri, UNKNOWN_SHAPE)
        said = [m.message for m in client.messages]
        assert any("line-length" in m for m in said), said
    finally:
        await stop(client)


@pytest.mark.parametrize("how", ["watched", "saved"])
async def test_a_pyproject_changed_on_disk_applies_at_once(tmp_path: Path, how: str) -> None:
    """Editing pyproject.toml while the server runs applies to the open buffers when the editor
    says it changed (didChangeWatchedFiles, which the server registers for; or didSave of the
    file), without touching the buffer."""
    (tmp_path / "pyproject.toml").write_text("[tool.seq2func]\n")
    client = await start(tmp_path, None)
    try:
        uri = open_in(client, tmp_path / "model.py", UNKNOWN_SHAPE)
        assert [d.code for d in await diagnostics_after(client, uri)] == ["input-shape-unknown"]
        assert lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES in client.registered  # type: ignore[attr-defined]
        (tmp_path / "pyproject.toml").write_text("[tool.seq2func]\ninput-shape = [5]\n")
        project = (tmp_path / "pyproject.toml").as_uri()
        if how == "watched":
            client.workspace_did_change_watched_files(
                lsp.DidChangeWatchedFilesParams(
                    changes=[lsp.FileEvent(uri=project, type=lsp.FileChangeType.Changed)]
                )
            )
        else:
            client.text_document_did_save(
                lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=project))
            )
        assert "input-shape-unknown" not in [d.code for d in await diagnostics_after(client, uri)]
        assert "shape=(5,)" in await convert_all(client, uri, UNKNOWN_SHAPE)
    finally:
        await stop(client)


async def test_the_editor_reads_the_data_files_beside_the_buffer_as_the_cli_does(
    tmp_path: Path, capsys
) -> None:
    """Should give a model the shape a CSV beside the file gives (read as the CLI reads it),
    so that the editor's conversion is the CLI's byte for byte."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.seq2func]\n")
    (project / "diabetes.csv").write_text("a,b,c,Outcome\n" + "1,2,3,0\n" * 10)
    text = (
        "import pandas as pd\nfrom tensorflow import keras\n"
        "df = pd.read_csv('diabetes.csv')\nX = df.drop(columns=['Outcome']).values\n"
        "model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])\nmodel.fit(X, df['Outcome'])\n"
    )
    (project / "model.py").write_text(text)
    expected = cli(["convert", str(project / "model.py")], capsys)
    assert "keras.Input(shape=(3,))" in expected
    client = await start(project, None)
    try:
        uri = open_in(client, project / "model.py", text)
        await diagnostics_after(client, uri)
        assert await convert_all(client, uri, text) == expected
    finally:
        await stop(client)
