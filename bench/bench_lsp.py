"""Benchmark the language server (run by hand: .venv/bin/python bench/bench_lsp.py).

A 5,000+ line module (plain code, 25 Sequential models, one S2F101 helper) is opened in
`seq2func lsp` over stdio; after the first diagnostics (the first parse), code actions are
requested at many lines and timed round trip, as an editor would see them. Then one resolve.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, client_capabilities

BLOCK = '''

def helper_{i}(values, scale=2):
    """Plain code between the models."""
    total = 0
    for value in values:
        if value % 3 == 0:
            total += value * scale
        elif value % 5 == 0:
            total -= value
        else:
            total += 1
    return {{"total": total, "count": len(values), "name": "helper_{i}"}}


class Holder{i}:
    def __init__(self, items):
        self.items = list(items)

    def size(self):
        return len(self.items)

    def first(self):
        return self.items[0] if self.items else None


def build_model_{i}(width={width}):
    model = Sequential()
    model.add(Dense(width, activation="relu", input_shape=(32,)))
    model.add(Dropout(0.1))
    model.add(Dense(width // 2, activation="relu"))
    model.add(Dense(10, activation="softmax"))
    return model
'''
FILLER = """

def table_{i}():
    rows = []
    for a in range(10):
        for b in range(10):
            rows.append((a, b, a * b))
    return rows
"""
HEAD = "from keras.layers import Dense, Dropout, Input, Concatenate\nfrom keras.models import Sequential\n"
TAIL = """

def tower(t):
    return Dense(8)(t)


a = Input((4,))
b = Input((4,))
joined = Concatenate()([tower(a), tower(b)])
"""


def module(lines: int = 5000) -> str:
    parts, i = [HEAD], 0
    while sum(p.count("\n") for p in parts) < lines:
        parts.append(BLOCK.format(i=i, width=32 + i) if i < 25 else FILLER.format(i=i))
        i += 1
    parts.append(TAIL)
    return "".join(parts)


async def main() -> None:
    text = module()
    uri = Path("bench_lsp_module.py").resolve().as_uri()
    client = await ClientServerConfig(server_command=[sys.executable, "-m", "seq2func", "lsp"]).start()
    await client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    start = time.perf_counter()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    first = time.perf_counter() - start
    lines = text.count("\n")
    model_lines = [n for n, line in enumerate(text.splitlines()) if "Sequential()" in line or ".add(" in line]
    times, counts = [], []

    async def actions_at(line: int) -> list:
        params = lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=line, character=4), end=lsp.Position(line=line, character=4)
            ),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
        return await client.text_document_code_action_async(params) or []

    for line in [*range(0, lines, max(lines // 100, 1)), *model_lines]:
        t = time.perf_counter()
        actions = await actions_at(line)
        times.append(time.perf_counter() - t)
        counts.append(len(actions))
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text + "# edited\n")],
        )
    )
    t = time.perf_counter()
    await actions_at(model_lines[0])
    after_edit = time.perf_counter() - t
    t = time.perf_counter()
    await actions_at(model_lines[1])
    after_edit_again = time.perf_counter() - t
    actions = await actions_at(model_lines[0])
    t = time.perf_counter()
    resolved = await client.code_action_resolve_async(actions[0])
    resolve = time.perf_counter() - t
    edits = sum(len(change.edits) for change in resolved.edit.document_changes)
    await client.shutdown_session()
    await client.stop()
    times.sort()
    print(
        f"module: {lines:,} lines, 25 models; {len(times)} code-action requests, "
        f"{len(model_lines)} of them on a model's lines ({sum(counts)} actions returned)"
    )
    print(f"open -> first diagnostics (first parse): {first * 1000:.0f} ms")
    print(
        f"codeAction round trip: median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95)] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms (target < 200 ms)"
    )
    print(
        f"codeAction right after an edit (waits for the new parse): {after_edit * 1000:.0f} ms; "
        f"the next one: {after_edit_again * 1000:.1f} ms"
    )
    print(f"codeAction/resolve (convert one model, {edits} edits): {resolve * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
