"""The editor converts the model the user chose, after any edits: a code action asked for
right after edits, and its resolve, against `seq2func convert --line L` on the text as it
is then (the slow path), over a table of edit patterns and random edit sequences."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pytest_lsp import LanguageClient
from test_lsp import apply, cli, diagnostics_after, edits_of, open_text

from seq2func.api import Document
from seq2func.core.line_map import LineChange, LineMap
from seq2func.lsp.editor import Snapshot, carried
from seq2func.types import ConvertError, Survey

ROOT = Path(__file__).resolve().parent.parent

TITLE = "seq2func: Convert Sequential to Functional API"
TEXT = """\
import keras
from keras import layers

SCALE = 3


def helper(values):
    total = 0
    for value in values:
        total += value * SCALE
    return total


first = keras.Sequential()  # model 1
first.add(keras.Input(shape=(4,)))
first.add(layers.Dense(8, activation="relu"))
first.add(layers.Dense(2))


class Holder:
    def __init__(self, items):
        self.items = list(items)  # plain


second = keras.Sequential(
    [
        keras.Input(shape=(6,)),  # model 2
        layers.Dense(8),
        layers.Dense(3),
    ]
)

counts = [helper([1, 2]) for _ in range(2)]  # plain


third = keras.Sequential()  # model 3
third.add(layers.Dense(1))

result = helper([3])  # end
"""
# what an edit of plain code can write: most change nothing a model depends on; some do
PLAIN = [
    "    total += 1\n",
    "    values = list(values)\n",
    "extra = 1\n",
    "x = 1\n",
    "inputs = 2\n",
    "    global inputs\n",
    "import os\n",
    "    k = keras\n",
    "# seq2func: ignore\n",
    "    # a comment\n",
    "  badly indented = (\n",
    "\n",
    "third.build((None, 5))\n",
    "third.add(layers.Dense(2))\n",
]
MODELS = (1, 2, 3)  # the third has no input shape: it is left as is


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] with `new` (offsets into the text before the edit)."""

    start: int
    end: int
    new: str

    def on(self, text: str) -> str:
        return text[: self.start] + self.new + text[self.end :]

    def undo(self, before: str) -> Edit:
        return Edit(self.start, self.start + len(self.new), before[self.start : self.end])


def position(text: str, offset: int) -> lsp.Position:
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


def send(client: LanguageClient, uri: str, version: int, text: str, edit: Edit) -> str:
    rng = lsp.Range(start=position(text, edit.start), end=position(text, edit.end))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangePartial(range=rng, text=edit.new)],
        )
    )
    return edit.on(text)


def line_start(text: str, line: int) -> int:  # 1-based line -> offset
    return 0 if line == 1 else [m.end() for m in re.finditer("\n", text)][line - 2]


def cursor(text: str, model: int) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if f"# model {model}" in line)


def above(text: str, line: int, new: str) -> Edit:
    at = line_start(text, line)
    return Edit(at, at, new)


def number_in(text: str, model: int, value: str) -> Edit:
    """Change the first `Dense(n` at or after the model's marker."""
    match = re.compile(r"Dense\((\d+)").search(text, line_start(text, cursor(text, model)))
    assert match is not None
    return Edit(match.start(1), match.end(1), value)


def blank_lines_between(text: str, model: int) -> Edit:
    """Join the model's last lines with the next one: an edit across two constructions."""
    start = text.index("\n\n\n", line_start(text, cursor(text, model)))
    return Edit(start - 1, start + 3, ")\n")  # the closing line's last character too


PATTERNS = {
    "above": lambda t: [above(t, 1, "# a new first line\n")],
    "inside the second, and a line above (issue 20)": lambda t: [
        above(t, 1, "import os\n"),
        number_in(above(t, 1, "import os\n").on(t), 2, "80"),
    ],
    "top and end": lambda t: [above(t, 1, "# top\n"), Edit(len(t) + 6, len(t) + 6, "# end\n")],
    "below": lambda t: [Edit(len(t), len(t), "print(third)\n")],
    "inside the first": lambda t: [number_in(t, 1, "16")],
    "a line inserted inside the second's list": lambda t: [above(t, cursor(t, 2) + 1, "        # note\n")],
    "across the first and the second": lambda t: [blank_lines_between(t, 1)],
    "a new model typed above the third": lambda t: [
        above(t, cursor(t, 3), "fourth = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])\n")
    ],
    "broken, then mended": lambda t: [above(t, 1, "x = (\n"), Edit(0, 6, "")],
}


def burst(text: str) -> list[Edit]:
    """Typing a comment line above the second model, one character at a time."""
    at = line_start(text, cursor(text, 2) - 1)
    return [Edit(at, at, "\n")] + [Edit(at + k, at + k, c) for k, c in enumerate("# typed quickly", 0)]


EVERY_KIND = ["comment", "number", "blank", "undo", "break", "burst", "plain", "plain", "plain"]


def random_edits(rng: random.Random, text: str, kinds: list[str] = EVERY_KIND) -> list[Edit]:
    edits: list[Edit] = []
    for _ in range(rng.randint(1, 8)):
        lines = text.count("\n")
        kind = rng.choice(kinds)
        if kind == "plain":  # a line into the helper, the class or the list
            marker = rng.choice(["total = 0", "# plain", "return total", "SCALE = 3", "# end"])
            line = next(n for n, text_line in enumerate(text.splitlines(), 1) if marker in text_line)
            edit = above(text, line + rng.choice([0, 1]), rng.choice(PLAIN))
        elif kind == "comment":
            edit = above(text, rng.randint(1, lines), f"# edit {len(edits)}\n")
        elif kind == "number":
            edit = number_in(text, rng.choice(MODELS), str(rng.randint(1, 99)))
        elif kind == "blank":
            edit = above(text, rng.randint(1, lines), "\n")
        elif kind == "break":
            edit = above(text, rng.randint(1, lines), "oops = (\n")
        elif kind == "burst":
            for edit in burst(text):
                edits.append(edit)
                text = edit.on(text)
            continue
        elif edits:  # undo the last edit
            edit = edits[-1].undo(replay(TEXT, edits[:-1]))
        else:
            continue
        edits.append(edit)
        text = edit.on(text)
    return edits


def replay(text: str, edits: list[Edit]) -> str:
    for edit in edits:
        text = edit.on(text)
    return text


async def converted_by_server(client: LanguageClient, uri: str, line: int) -> list[lsp.TextEdit] | None:
    """What choosing Convert at `line` does to the buffer: its edits, or None when no
    action is offered, it is disabled, or resolving it answers an error."""
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=line - 1, character=0), end=lsp.Position(line=line - 1, character=0)
            ),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    action = next((a for a in result or [] if isinstance(a, lsp.CodeAction) and a.title == TITLE), None)
    if action is None or action.disabled is not None:
        return None
    try:
        return edits_of(await client.code_action_resolve_async(action))
    except JsonRpcException:
        return None


async def check_models(client: LanguageClient, uri: str, text: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "current.py"
    path.write_text(text)
    for model in MODELS:
        line = cursor(text, model)
        capsys.readouterr()
        expected = cli(["convert", "--line", str(line), str(path)], capsys) or text
        edits = await converted_by_server(client, uri, line)
        got = text if edits is None else apply(text, edits)
        assert got == expected, f"model {model} at line {line}"
        if edits is not None:
            assert got != text, "an empty edit"


async def run(client: LanguageClient, name: str, edits: list[Edit], tmp_path: Path, capsys) -> None:
    uri = open_text(client, TEXT, f"{name}.py")
    await diagnostics_after(client, uri)  # the analysis the actions will be answered from
    text = TEXT
    for version, edit in enumerate(edits, 2):
        text = send(client, uri, version, text, edit)
    await check_models(client, uri, text, tmp_path, capsys)


@pytest.mark.parametrize("pattern", [*PATTERNS, "burst"])
async def test_convert_after_edits_is_the_cli_on_the_new_text(
    vscode: LanguageClient, pattern: str, tmp_path: Path, capsys
) -> None:
    """Should convert exactly the model under the cursor after each edit pattern, as the CLI
    does on the edited text, or offer nothing (never another model, never an empty edit)."""
    edits = burst(TEXT) if pattern == "burst" else PATTERNS[pattern](TEXT)
    await run(vscode, re.sub(r"\W+", "_", pattern), edits, tmp_path, capsys)


async def test_convert_after_random_edit_sequences(vscode: LanguageClient, tmp_path: Path, capsys) -> None:
    """Should agree with the CLI on every model after random sequences of edits."""
    rng = random.Random(20)
    for n in range(8):
        await run(vscode, f"random_{n}", random_edits(rng, TEXT), tmp_path, capsys)


def line_change_of(text: str, edit: Edit) -> LineChange:
    return LineChange(text.count("\n", 0, edit.start), text.count("\n", 0, edit.end), edit.new.count("\n"))


def fast_and_slow(edits: list[Edit]) -> tuple[str, Survey | None, LineMap, Snapshot]:
    """The text after `edits`, its own survey (the slow path), and the old analysis with
    the edits' line map (what the fast path starts from)."""
    document = Document(TEXT)
    old = Snapshot(1, TEXT, document.survey(), outline=document.outline)
    text, moves = TEXT, LineMap()
    for edit in edits:
        moves.add(line_change_of(text, edit))
        text = edit.on(text)
    try:
        fresh = Document(text).survey()
    except ConvertError:
        fresh = None
    return text, fresh, moves, old


def random_carries() -> Iterator[tuple[int, str, Survey | None, LineMap, Snapshot | None]]:
    """For 200 random edit sequences: the seed, the new text, its own survey (the slow
    path), the edits' line map, and the old analysis carried through them (or None)."""
    for seed in range(200):
        rng = random.Random(seed)
        # odd seeds: every kind of edit; even ones: a few edits of plain code
        edits = random_edits(rng, TEXT) if seed % 2 else random_edits(rng, TEXT, ["plain", "undo"])[:3]
        text, fresh, moves, old = fast_and_slow(edits)
        yield seed, text, fresh, moves, carried(old, 2, text, moves)


def test_carried_analysis_is_a_fresh_one() -> None:
    """Should carry the old analysis through edits only when it is exactly what a fresh
    analysis of the new text says: every model and every finding, where they are now."""
    carried_count = 0
    for seed, text, fresh, _, carried_snap in random_carries():
        if carried_snap is None:
            continue
        carried_count += 1
        assert fresh is not None, f"seed {seed}: carried an analysis to a text that does not parse"
        assert carried_snap.survey == fresh, f"seed {seed}"
        carried_again = carried(carried_snap, 3, text + "\n", LineMap())
        assert carried_again is not None and carried_again.survey == fresh  # it chains
    assert 20 <= carried_count <= 270, carried_count  # both paths were taken


def test_edits_of_plain_code_carry_the_analysis() -> None:
    """Should carry the analysis through edits inside code no model depends on, and not
    through edits of a model, a name a conversion would take, or an import."""

    def carries(*edits: Edit) -> bool:
        text, _, moves, old = fast_and_slow(list(edits))
        return carried(old, 2, text, moves) is not None

    body = next(n for n, line in enumerate(TEXT.splitlines(), 1) if "total = 0" in line)
    assert carries(above(TEXT, body, "    total += 1\n"))
    assert carries(Edit(TEXT.index("SCALE = 3") + 8, TEXT.index("SCALE = 3") + 9, "30"))
    assert carries(above(TEXT, body, "    total += 1\n"), above(TEXT, body, "    # twice\n"))
    assert not carries(number_in(TEXT, 2, "80"))
    assert not carries(above(TEXT, body, "    global inputs\n"))
    assert not carries(above(TEXT, body - 1, "import os\n"))
    assert not carries(above(TEXT, body, "    broken = (\n"))


def test_a_message_that_names_a_line_is_never_carried_stale() -> None:
    """Should not carry a message that names a line ("at line 12") past an edit that moved it."""
    old_text = (
        "import keras\n\n\ndef helper(values):\n    return len(values)\n\n\n"
        "model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\nmodel.summary()\n"
    )
    document = Document(old_text)
    old = Snapshot(1, old_text, document.survey(), outline=document.outline)
    assert any("line 9" in (s.shared or "") for s in old.survey.sites)  # the message names a line
    edit = above(old_text, 5, "    values = values\n")  # plain code, one line more
    moves = LineMap()
    moves.add(line_change_of(old_text, edit))
    text = edit.on(old_text)
    moved = carried(old, 2, text, moves)
    assert moved is None or moved.survey == Document(text).survey()


def _variants(source: str) -> Iterator[str]:
    """`source`, and as people also write it: comments already at the ends of lines, calls
    broken inside their brackets, assignments continued with a backslash (those that compile)."""
    commented = "".join(
        line.rstrip("\n") + "  # note\n"
        if line.strip() and "#" not in line and not line.rstrip().endswith(("\\", ",", "(", "["))
        else line
        for line in source.splitlines(keepends=True)
    )
    bracketed = re.sub(r"\(([^()\n]*?), ", r"(\1,\n        ", source)
    continued = re.sub(r"(?m)^(\s*\w+) = ", r"\1 = \\\n    ", source)
    keywords = re.sub(r", (\w+=)", r", \\\n        \1", source)  # each keyword on a line of its own
    for text in (source, commented, bracketed, continued, keywords):
        try:
            compile(text, "<variant>", "exec")
        except SyntaxError:
            continue
        yield text


# where a finding's line does not end its statement: continued by a backslash, inside brackets
CONTINUED = [
    "import keras\nmodel = keras.Sequential([keras.layers.Dense(8, input_shape=(4,), \\\n    activation='relu')])\n",
    "import keras\nmodel = keras.Sequential()\nmodel.add(keras.layers.Embedding(10, 4, input_length=5, \\\n    name='e'))\n",
    "import keras\nmodel = keras.Sequential([\n    keras.layers.Dense(8, input_shape=(4,)),  # first\n    keras.layers.Dense(2),\n])\n",
]


def _disable_sources() -> list[str]:
    from seq2func.rules import all_rules

    sources = [*CONTINUED, *(example.source for rule in all_rules() for example in rule.INVALID)]
    sources += [p.read_text() for p in sorted((ROOT / "bench" / "corpus").rglob("*.py"))[::4]]
    return [variant for source in sources for variant in _variants(source)]


def test_disable_for_line_keeps_the_file_compiling_and_silences_the_finding() -> None:
    """Should put every "Disable for this line" comment where Python keeps it, on rule examples
    and corpus files as written and with comments at line ends, calls broken in brackets and
    backslash continuations: the edited file compiles, and `seq2func check` no longer reports
    that finding there."""
    from pygls.workspace import TextDocument

    from seq2func import check_source
    from seq2func.lsp.editor import disable_action

    tried: Counter[str] = Counter()
    for text in _disable_sources():
        for finding in check_source(text, select=["S2F"]).findings:
            if tried[finding.code] >= 30:  # the corpus gives hundreds of S2F201: enough of each
                continue
            doc = TextDocument("file:///t.py", text)
            action = disable_action(doc, finding, text)
            assert action.edit is not None and action.edit.changes is not None
            [edit] = action.edit.changes["file:///t.py"]
            offset = doc.offset_at_position(edit.range.start)
            new = text[:offset] + edit.new_text + text[offset:]
            compile(new, "<disabled>", "exec")
            left = [(f.code, f.location.line) for f in check_source(new, select=["S2F"]).findings]
            assert (finding.code, finding.location.line) not in left, new
            tried[finding.code] += 1
    assert len(tried) == 5 and sum(tried.values()) >= 60, tried  # every rule, not vacuous


def test_the_analysis_process_runs_one_job_per_buffer_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should run a buffer's jobs one after another in the analysis process, even when they
    arrive together (the server sends one at a time, but one it stopped waiting for still
    runs): a Document and its analysis are never used by two threads at once. Jobs of
    different buffers still overlap."""
    import io
    import threading
    import time

    from seq2func.config import make_options
    from seq2func.lsp import analyser
    from seq2func.lsp.frames import read_frame, write_frame

    active: dict[str, int] = {}
    most: dict[str, int] = {}
    guard = threading.Lock()
    survey = analyser.Documents.survey

    def watched(self, uri, *args):  # type: ignore[no-untyped-def]
        with guard:
            active[uri] = active.get(uri, 0) + 1
            most[uri] = max(most.get(uri, 0), active[uri])
            overlap = sum(1 for n in active.values() if n)
            most["buffers"] = max(most.get("buffers", 0), overlap)
        time.sleep(0.05)
        try:
            return survey(self, uri, *args)
        finally:
            with guard:
                active[uri] -= 1

    monkeypatch.setattr(analyser.Documents, "survey", watched)
    requests = io.BytesIO()
    options = make_options()
    for number in range(12):
        uri = f"file:///{number % 2}.py"
        write_frame(requests, (number, "survey", (uri, TEXT + f"x = {number}\n", options, None, True)))
    requests.seek(0)
    answers = io.BytesIO()
    analyser.serve_analyses(requests, answers)  # returns when every job is answered
    answers.seek(0)
    answered = [read_frame(answers) for _ in range(12)]
    assert sorted(number for number, ok, _ in answered if ok) == list(range(12))
    assert most["file:///0.py"] == most["file:///1.py"] == 1
    assert most["buffers"] == 2  # two buffers side by side
