"""Notebooks in the editor: `seq2func lsp` driven over LSP 3.17's `notebookDocument/*` by a
real client (pytest-lsp), as VS Code sends a notebook's cells. Each answer is compared with
what `seq2func convert` does to the same notebook on disk."""

from __future__ import annotations

import asyncio
import json
import random
import time
import typing
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsp_client import SERVER
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities
from test_lsp import apply
from test_notebook import code, jupyter_bytes, markdown, random_notebook, sources

from seq2func.api import check_bytes, convert_bytes, make_options

TITLE = "seq2func: Convert Sequential to Functional API"
pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.checks.LspSpecificationWarning")
NOTEBOOK = (Path(__file__).resolve().parent.parent / "samples" / "editor.ipynb").as_uri()
MARKDOWN = lsp.NotebookCellKind.Markup


def with_notebooks(capabilities: lsp.ClientCapabilities) -> lsp.ClientCapabilities:
    """A client's capabilities, with notebook sync as VS Code 1.9x declares it."""
    capabilities.notebook_document = lsp.NotebookDocumentClientCapabilities(
        synchronization=lsp.NotebookDocumentSyncClientCapabilities(execution_summary_support=True)
    )
    return capabilities


def read_notebook_selectors(client: LanguageClient) -> None:
    """Teach the test client (lsprotocol's converter) to read a notebook selector's
    `notebook` field, a union it has no structure hook for; VS Code reads it as JSON."""
    converter = client.protocol._converter
    field = typing.get_type_hints(lsp.NotebookDocumentFilterWithCells)["notebook"]
    kinds = (
        ("notebookType", lsp.NotebookDocumentFilterNotebookType),
        ("scheme", lsp.NotebookDocumentFilterScheme),
        ("pattern", lsp.NotebookDocumentFilterPattern),
    )

    def structure(value: object, _: object) -> object:
        if value is None or isinstance(value, str):
            return value
        assert isinstance(value, dict)
        kind = next(kind for key, kind in kinds if key in value)
        return converter.structure(value, kind)

    converter.register_structure_hook(field, structure)


@pytest_lsp.fixture(config=SERVER, params=["visual-studio-code", "neovim"])
async def editor(lsp_client: LanguageClient, request):
    read_notebook_selectors(lsp_client)
    capabilities = with_notebooks(client_capabilities(request.param))
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=capabilities))
    yield
    await lsp_client.shutdown_session()


class Notebook:
    """An open notebook as the client holds it: each cell's URI, kind and text."""

    def __init__(self, client: LanguageClient, cells: list[tuple[str, str]], uri: str = NOTEBOOK) -> None:
        self.client, self.version, self.uri = client, 1, uri
        self.uris = [f"vscode-notebook-cell:{uri[7:]}#W{n}sZmlsZQ%3D%3D" for n in range(len(cells))]
        self.kinds = [kind for kind, _ in cells]
        self.texts = [text for _, text in cells]
        self.versions = [1] * len(cells)
        client.notebook_document_did_open(
            lsp.DidOpenNotebookDocumentParams(
                notebook_document=lsp.NotebookDocument(
                    uri=uri,
                    notebook_type="jupyter-notebook",
                    version=1,
                    cells=[self.cell(n) for n in range(len(cells))],
                ),
                cell_text_documents=[self.item(n) for n in range(len(cells))],
            )
        )

    def cell(self, n: int) -> lsp.NotebookCell:
        kind = MARKDOWN if self.kinds[n] == "markdown" else lsp.NotebookCellKind.Code
        return lsp.NotebookCell(kind=kind, document=self.uris[n])

    def item(self, n: int) -> lsp.TextDocumentItem:
        language = "markdown" if self.kinds[n] == "markdown" else "python"
        return lsp.TextDocumentItem(uri=self.uris[n], language_id=language, version=1, text=self.texts[n])

    def edit(self, n: int, text: str) -> None:
        """Replace cell `n`'s text, as one change of its document."""
        self.version += 1
        self.versions[n] += 1
        lines = self.texts[n].split("\n")
        whole = lsp.Range(
            start=lsp.Position(line=0, character=0),
            end=lsp.Position(line=len(lines) - 1, character=len(lines[-1])),
        )
        self.texts[n] = text
        self.client.notebook_document_did_change(
            lsp.DidChangeNotebookDocumentParams(
                notebook_document=lsp.VersionedNotebookDocumentIdentifier(uri=self.uri, version=self.version),
                change=lsp.NotebookDocumentChangeEvent(
                    cells=lsp.NotebookDocumentCellChanges(
                        text_content=[
                            lsp.NotebookDocumentCellContentChanges(
                                document=lsp.VersionedTextDocumentIdentifier(
                                    uri=self.uris[n], version=self.versions[n]
                                ),
                                changes=[lsp.TextDocumentContentChangePartial(range=whole, text=text)],
                            )
                        ]
                    )
                ),
            )
        )

    def delete(self, n: int) -> None:
        """Delete cell `n` (a structure change)."""
        self.version += 1
        uri = self.uris.pop(n)
        self.kinds.pop(n)
        self.texts.pop(n)
        self.versions.pop(n)
        self.restructure(
            lsp.NotebookDocumentCellChangeStructure(
                array=lsp.NotebookCellArrayChange(start=n, delete_count=1),
                did_close=[lsp.TextDocumentIdentifier(uri=uri)],
            )
        )

    def insert(self, n: int, kind: str, text: str) -> None:
        """Put a new cell before cell `n` (a structure change that opens its document)."""
        self.version += 1
        uri = f"vscode-notebook-cell:{self.uri[7:]}#X{self.version}sZmlsZQ%3D%3D"
        self.uris.insert(n, uri)
        self.kinds.insert(n, kind)
        self.texts.insert(n, text)
        self.versions.insert(n, 1)
        self.restructure(
            lsp.NotebookDocumentCellChangeStructure(
                array=lsp.NotebookCellArrayChange(start=n, delete_count=0, cells=[self.cell(n)]),
                did_open=[self.item(n)],
            )
        )

    def restructure(self, structure: lsp.NotebookDocumentCellChangeStructure) -> None:
        """Tell the server that cells were put in or taken out."""
        self.client.notebook_document_did_change(
            lsp.DidChangeNotebookDocumentParams(
                notebook_document=lsp.VersionedNotebookDocumentIdentifier(uri=self.uri, version=self.version),
                change=lsp.NotebookDocumentChangeEvent(
                    cells=lsp.NotebookDocumentCellChanges(structure=structure)
                ),
            )
        )

    def close(self) -> None:
        self.client.notebook_document_did_close(
            lsp.DidCloseNotebookDocumentParams(
                notebook_document=lsp.NotebookDocumentIdentifier(uri=self.uri),
                cell_text_documents=[lsp.TextDocumentIdentifier(uri=uri) for uri in self.uris],
            )
        )

    def on_disk(self) -> bytes:
        """The same notebook as Jupyter writes it."""
        return jupyter_bytes(
            [
                markdown(text, f"c{n}") if kind == "markdown" else code(text, f"c{n}")
                for n, (kind, text) in enumerate(zip(self.kinds, self.texts, strict=True))
            ]
        )

    async def actions(self, n: int, line: int) -> list[lsp.CodeAction]:
        """Code actions for a cursor on 0-based `line` of cell `n`."""
        at = lsp.Position(line=line, character=2)
        result = await self.client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=self.uris[n]),
                range=lsp.Range(start=at, end=at),
                context=lsp.CodeActionContext(diagnostics=[]),
            )
        )
        return [a for a in result or [] if isinstance(a, lsp.CodeAction)]

    async def applied(self, action: lsp.CodeAction) -> list[str]:
        """Every cell's text after the action's edit (resolved first if need be)."""
        if action.edit is None and action.data is not None:
            action = await self.client.code_action_resolve_async(action)
        assert action.edit is not None
        edit = action.edit
        by_uri: dict[str, list[lsp.TextEdit]] = {}
        if edit.document_changes:
            for change in edit.document_changes:
                assert isinstance(change, lsp.TextDocumentEdit)
                assert (
                    change.text_document.version == self.versions[self.uris.index(change.text_document.uri)]
                )
                by_uri.setdefault(change.text_document.uri, []).extend(change.edits)  # type: ignore[arg-type]
        else:
            for uri, edits in (edit.changes or {}).items():
                by_uri.setdefault(uri, []).extend(edits)
        assert set(by_uri) <= set(self.uris)
        return [apply(text, by_uri.get(uri, [])) for uri, text in zip(self.uris, self.texts, strict=True)]


async def until(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the server did not publish what was expected"
        await asyncio.sleep(0.05)


def cli_sources(data: bytes) -> list[str]:
    """What `seq2func convert` makes of the notebook's cells."""
    _, new = convert_bytes(data, make_options(), notebook=True)
    return sources(new)


ACROSS_CELLS = [
    ("code", "import keras\nfrom keras import layers"),
    ("markdown", "# A model built over three cells"),
    ("code", "model = keras.Sequential()\nmodel.add(layers.Dense(8, input_shape=(4,)))"),
    ("code", "%%bash\necho 'not Python'"),
    ("code", "!pip install -q something\nmodel.add(layers.Dense(8, activation='relu'))"),
    ("code", "  model.add(layers.Dense(1))\n  model.compile('adam', 'mse')"),
]


async def test_a_model_spanning_three_cells_converts_like_the_cli(editor: LanguageClient) -> None:
    """Should offer the conversion on every cell the model spans, and edit exactly the cells
    `seq2func convert` changes, leaving markdown, magics and shell lines as they are."""
    notebook = Notebook(editor, ACROSS_CELLS)
    await until(lambda: all(uri in editor.diagnostics for uri in (notebook.uris[0], notebook.uris[5])))
    assert notebook.uris[1] not in editor.diagnostics  # markdown is not Python
    assert not any(editor.diagnostics.get(uri) for uri in notebook.uris)
    expected = cli_sources(notebook.on_disk())
    assert expected[2] != ACROSS_CELLS[2][1] and expected[3] == ACROSS_CELLS[3][1]
    for cell, line in ((2, 0), (4, 1), (5, 0)):  # the Sequential, and an add in each later cell
        actions = await notebook.actions(cell, line)
        [convert] = [a for a in actions if a.title == "seq2func: Convert Sequential to Functional API"]
        if editor.capabilities.text_document.code_action.resolve_support:
            assert convert.edit is None and convert.data["uri"] == NOTEBOOK  # resolved when chosen
            assert await notebook.applied(convert) == expected
    assert await notebook.actions(1, 0) == []  # a markdown cell
    assert [a.title for a in await notebook.actions(3, 1)] == [
        "seq2func: Convert all Sequential models in file"
    ]


async def test_an_edited_cell_is_what_gets_converted(editor: LanguageClient) -> None:
    """Should convert the notebook as it is after an edit of one cell, and answer an action
    chosen before the edit with ContentModified, never with an edit of the old text."""
    notebook = Notebook(editor, ACROSS_CELLS)
    [before] = [
        a for a in await notebook.actions(2, 0) if a.title == "seq2func: Convert Sequential to Functional API"
    ]
    notebook.edit(4, "model.add(layers.Dense(80, activation='tanh'))\nmodel.add(layers.Dropout(0.5))")
    if editor.capabilities.text_document.code_action.resolve_support:
        with pytest.raises(Exception, match="changed"):
            await editor.code_action_resolve_async(before)
        [after] = [
            a
            for a in await notebook.actions(2, 0)
            if a.title == "seq2func: Convert Sequential to Functional API"
        ]
        converted = await notebook.applied(after)
        assert converted == cli_sources(notebook.on_disk())
        assert "Dense(80, activation='tanh')" in converted[4]
    notebook.edit(0, "import os\n\nimport keras\nfrom keras import layers")  # every later line moves
    [moved] = [
        a for a in await notebook.actions(2, 0) if a.title == "seq2func: Convert Sequential to Functional API"
    ]
    if editor.capabilities.text_document.code_action.resolve_support:
        assert await notebook.applied(moved) == cli_sources(notebook.on_disk())
    assert "seq2func: Convert Sequential to Functional API" not in [
        a.title for a in await notebook.actions(0, 1)
    ]


SKIPPED = [
    ("code", "import keras"),
    ("code", "def build():\n    return 1\n\n\nnet = keras.Sequential()\nnet.add(keras.layers.Dense(3))"),
    ("code", "    half = net\n    print(half)"),
]


async def test_diagnostics_land_on_the_cell_and_line_and_clear(editor: LanguageClient) -> None:
    """Should put a model's diagnostic on its own cell's line (not the script's), clear a
    deleted cell's diagnostics and every cell's on close."""
    notebook = Notebook(editor, SKIPPED)
    model_cell = notebook.uris[1]
    await until(lambda: bool(editor.diagnostics.get(model_cell)))
    [left] = editor.diagnostics[model_cell]
    assert left.code == "input-shape-unknown" and left.message.startswith("Sequential left as is")
    assert left.code_description is not None and left.code_description.href.endswith(
        "#what-is-left-alone-and-why"
    )
    assert (left.range.start.line, left.range.start.character) == (4, 6)  # `keras.Sequential()` in its cell
    assert left.range.end == lsp.Position(line=4, character=len("net = keras.Sequential()"))
    result, _ = convert_bytes(notebook.on_disk(), make_options(), notebook=True)
    assert [(s.code, str(s.location)) for s in result.skips] == [("input-shape-unknown", "cell[2]:5:7")]
    disabled = [a for a in await notebook.actions(1, 5) if a.disabled is not None]
    if editor.capabilities.text_document.code_action.disabled_support:
        assert [a.title for a in disabled] == ["seq2func: Convert Sequential to Functional API"]
    notebook.delete(1)
    await until(lambda: not editor.diagnostics.get(model_cell, [1]))
    notebook.close()
    await until(lambda: not any(editor.diagnostics.get(uri, [1]) for uri in notebook.uris))


SEED_BUG_CELLS = [
    ("code", "from keras.layers import Conv2D, Dense, Flatten, Input\nfrom keras.models import Model"),
    ("markdown", "The helper builds new layers on every call:"),
    (
        "code",
        "def base(x):\n    x = Conv2D(4, 3)(x)\n    x = Flatten()(x)\n    return Dense(2)(x)",
    ),
    (
        "code",
        "a, b = Input(shape=(8, 8, 1)), Input(shape=(8, 8, 1))\nmodel = Model([a, b], [base(a), base(b)])",
    ),
]


async def test_a_finding_in_a_cell_is_fixed_and_silenced_in_that_cell(editor: LanguageClient) -> None:
    """Should show S2F101 in the cell of the helper that builds layers on every call, fix it
    as `check --fix` does the notebook, and silence it with a comment on that cell's line."""
    notebook = Notebook(editor, SEED_BUG_CELLS)
    await until(lambda: any(editor.diagnostics.get(uri) for uri in notebook.uris))
    [(n, finding)] = [(n, d) for n, uri in enumerate(notebook.uris) for d in editor.diagnostics.get(uri, [])]
    assert finding.code == "S2F101"
    # the lines it names are said as the CLI says them: by cell
    [said] = check_bytes(notebook.on_disk(), make_options(), notebook=True)[0].findings
    assert finding.message == said.message and "called 2 times (cell[4] line 2)" in said.message
    actions = await notebook.actions(n, finding.range.start.line)
    disable = next(a for a in actions if a.title == "seq2func (S2F101): Disable for this line")
    silenced = await notebook.applied(disable)
    line = silenced[n].split("\n")[finding.range.start.line]
    assert line.endswith("  # seq2func: ignore[S2F101]") and silenced[:n] == notebook.texts[:n]
    assert disable.diagnostics and disable.diagnostics[0].range.start.line == finding.range.start.line
    if editor.capabilities.text_document.code_action.resolve_support:
        fix = next(a for a in actions if a.title.startswith("seq2func (S2F101): ") and a.data)
        _, fixed = check_bytes(notebook.on_disk(), make_options(), fix=True, notebook=True)
        assert await notebook.applied(fix) == sources(fixed)


def test_the_server_declares_notebook_sync_for_python_cells() -> None:
    """Should declare what ruff's server declares: every notebook's Python cells, with save."""
    from seq2func.lsp.server import create_server

    sync = create_server()._notebook_document_sync
    assert sync is not None and sync.save
    [selector] = sync.notebook_selector
    assert isinstance(selector, lsp.NotebookDocumentFilterWithCells)
    assert [c.language for c in selector.cells] == ["python"] and selector.notebook is None


async def test_a_model_named_in_a_cell_that_is_not_python_is_left(editor: LanguageClient) -> None:
    """Should leave, as the CLI does, a model that a half-typed cell names (what that cell
    does with it is unseen), and offer it again once the cell is Python."""
    notebook = Notebook(
        editor,
        [
            ("code", "import keras"),
            ("code", "model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])"),
            ("code", "model.add(keras.layers.Dense(1)\n"),
        ],
    )
    await until(lambda: bool(editor.diagnostics.get(notebook.uris[1])))
    [left] = editor.diagnostics[notebook.uris[1]]
    assert left.code == "cell-syntax" and "cell[3] names model" in left.message
    notebook.edit(2, "model.add(keras.layers.Dense(1))\n")
    await until(lambda: not editor.diagnostics.get(notebook.uris[1], [1]))
    titles = [a.title for a in await notebook.actions(1, 0) if a.disabled is None]
    assert "seq2func: Convert Sequential to Functional API" in titles


async def test_generated_notebooks_convert_in_the_editor_as_in_the_cli(editor: LanguageClient) -> None:
    """Should, on notebooks of random cells of every form IPython runs (magics, shell lines,
    help, indented cells, cells that are not Python) around a model over one to three cells,
    convert every cell exactly as `seq2func convert` does, from any cell the model spans."""
    for seed in range(12):
        data, _ = random_notebook(random.Random(seed))
        cells = [
            ("markdown" if c["cell_type"] == "markdown" else "code", "".join(c["source"]))
            for c in json.loads(data)["cells"]
        ]
        notebook = Notebook(editor, cells, NOTEBOOK.replace("editor", f"generated{seed}"))
        expected = cli_sources(notebook.on_disk())
        spans = [n for n, (_, text) in enumerate(cells) if "model" in text and "summary" not in text]
        n = random.Random(seed).choice(spans)
        line = next(i for i, text in enumerate(cells[n][1].split("\n")) if "model" in text)
        [convert] = [
            a
            for a in await notebook.actions(n, line)
            if a.title == "seq2func: Convert Sequential to Functional API"
        ]
        assert await notebook.applied(convert) == expected, seed
        notebook.close()


async def test_a_cell_put_in_joins_the_model(editor: LanguageClient) -> None:
    """Should read a cell put in between as the notebook runs it: its add() joins the model,
    and the conversion, from any cell, is the CLI's on the notebook as it is now."""
    notebook = Notebook(editor, ACROSS_CELLS[:3])
    notebook.insert(3, "code", "model.add(layers.Dense(2))")
    notebook.insert(1, "markdown", "Some prose")
    expected = cli_sources(notebook.on_disk())
    assert "Dense(2)(x)" in expected[4]
    for cell, line in ((3, 0), (4, 0)):
        [convert] = [a for a in await notebook.actions(cell, line) if a.title == TITLE]
        if editor.capabilities.text_document.code_action.resolve_support:
            assert await notebook.applied(convert) == expected
