"""Benchmark the language server beside `ruff server` (run by hand:
.venv/bin/python bench/bench_lsp.py [LINES ...]; default 1000 5000 20000).

A module of plain code with 25 Sequential models and one S2F101 helper is opened in each
server over stdio, as Neovim 0.10 would (its capabilities). Measured, as the client sees them:
open -> first diagnostics; a code action on a model line right after a one-character edit
(inside that model, and elsewhere), median of the repeats; the action and its resolve right
after an edit in the model, each resolved edit checked against `seq2func convert --line` on
the text as it is then; an edit -> its diagnostics (pushed, and pulled); the CPU time an edit
costs the server (its child processes included); and the server's memory (resident now,
and its peak) from /proc.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from asyncio.subprocess import DEVNULL, PIPE
from pathlib import Path
from typing import Any

from lsprotocol.converters import get_converter
from pytest_lsp import client_capabilities

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
PAUSE = float(os.environ.get("BENCH_PAUSE", "0.5"))
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


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and at peak, of the server and every process it started (the
    peaks are summed: an upper bound)."""
    now = peak = 0.0
    for process in [pid, *descendants(pid)]:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{process}/status").read_text().splitlines())
        now += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return now, peak


def cpu_seconds(pid: int) -> float:
    """User and system time of the server and every process it started (finished ones too)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for process in [pid, *descendants(pid)]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15]) / ticks  # utime stime cutime cstime
    return total


def cli_conversion(text: str, line: int) -> str:
    """What `seq2func convert --line` makes of `text`: what the editor's edit must give."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "module.py")
        path.write_text(text)
        subprocess.run(
            [sys.executable, "-m", "seq2func", "convert", "-q", "--line", str(line), "-i", str(path)],
            check=False,
            capture_output=True,
        )
        return path.read_text()


def applied(text: str, edit: dict[str, Any] | None, uri: str) -> str:
    """`text` with a WorkspaceEdit's edits to `uri` made (from the last, so positions hold)."""
    changes = (edit or {}).get("changes", {}).get(uri) or [
        e for change in (edit or {}).get("documentChanges", []) for e in change.get("edits", [])
    ]
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(at: dict[str, int]) -> int:
        return starts[at["line"]] + at["character"] if at["line"] < len(lines) else len(text)

    order = sorted(changes, key=lambda e: offset(e["range"]["start"]), reverse=True)
    for e in order:
        text = text[: offset(e["range"]["start"])] + e["newText"] + text[offset(e["range"]["end"]) :]
    return text


def descendants(pid: int) -> list[int]:
    children = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    return [grandchild for child in children for grandchild in [child, *descendants(child)]]


class Client:
    """A raw JSON-RPC client over stdio (pygls's client cannot read ruff's initialize reply).
    Requests from the server (configuration, registrations) are answered with null."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.next_id = 0
        self.waiting: dict[int, asyncio.Future[Any]] = {}
        self.notified: dict[str, asyncio.Event] = {}
        self.published: dict[int, float] = {}  # version -> when its diagnostics arrived
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = 0
            while (line := await stdout.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line:
                return
            message = json.loads(await stdout.readexactly(length))
            if "id" in message and "method" in message:
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                self.waiting.pop(message["id"]).set_result(message.get("result"))
            else:
                if message["method"] == "textDocument/publishDiagnostics":
                    version = message["params"].get("version")
                    if version is not None:
                        self.published.setdefault(version, time.perf_counter())
                self.notified.setdefault(message["method"], asyncio.Event()).set()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        future = self.waiting[self.next_id] = asyncio.get_running_loop().create_future()
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await future

    async def notification(self, method: str, timeout: float) -> None:
        await asyncio.wait_for(self.notified.setdefault(method, asyncio.Event()).wait(), timeout)


async def measure(command: list[str], lines: int, repeats: int = 8) -> dict[str, float]:
    text = module(lines)
    uri = Path(f"bench_lsp_{lines}.py").resolve().as_uri()
    process = await asyncio.create_subprocess_exec(
        *command, stdin=PIPE, stdout=PIPE, stderr=DEVNULL, limit=2**24
    )
    client = Client(process)
    capabilities = get_converter().unstructure(client_capabilities("neovim"))
    await client.request("initialize", {"processId": None, "rootUri": None, "capabilities": capabilities})
    client.notify("initialized", {})
    figures: dict[str, float] = {}
    start = time.perf_counter()
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    client.notify("textDocument/didOpen", {"textDocument": item})
    try:
        await client.notification("textDocument/publishDiagnostics", 60)
        figures["first diagnostics"] = time.perf_counter() - start
        # the CPU of the whole start (the server, its analysis process and the open), as the
        # figure a loaded machine does not inflate
        figures["CPU to first diagnostics"] = cpu_seconds(process.pid)
    except TimeoutError:
        pass
    source = text.splitlines(keepends=True)
    model_line = next(n for n, line in enumerate(source) if "model.add(Dropout" in line)
    quiet_line = next(n for n, line in enumerate(source) if "total = 0" in line)
    here = {"line": model_line, "character": 4}
    ask = {
        "textDocument": {"uri": uri},
        "range": {"start": here, "end": here},
        "context": {"diagnostics": []},
    }

    current = list(source)  # the document as the server has it
    sent: dict[int, float] = {}  # version -> when its change went out

    def change(version: int, line: int, column: int) -> None:
        """One character replaced by a digit, as in typing."""
        where = {"start": {"line": line, "character": column}, "end": {"line": line, "character": column + 1}}
        digit = str(version % 10)
        sent[version] = time.perf_counter()
        current[line] = current[line][:column] + digit + current[line][column + 1 :]
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": where, "text": digit}],
            },
        )

    async def action(version: int, line: int, column: int) -> float:
        change(version, line, column)
        t = time.perf_counter()
        figures["actions listed"] = len(await client.request("textDocument/codeAction", ask) or [])
        return time.perf_counter() - t

    version = 1
    inside, elsewhere, pushed = [], [], []
    dropout = source[model_line].index("0.1") + 2  # the 1 of Dropout(0.1)
    cpu = cpu_seconds(process.pid)
    for _ in range(repeats):
        version += 1
        inside.append(await action(version, model_line, dropout))
        await asyncio.sleep(PAUSE)  # a pause in typing
        if version in client.published:  # (after the server's pause for more typing)
            pushed.append(client.published[version] - sent[version])
        version += 1
        elsewhere.append(await action(version, quiet_line, source[quiet_line].index("0")))
        await asyncio.sleep(PAUSE)
    await asyncio.sleep(1.0)  # the last edit's analysis, if any, is part of its cost
    figures["CPU per edit"] = (cpu_seconds(process.pid) - cpu) / (2 * repeats)
    figures["action after an edit in the model"] = statistics.median(inside)
    figures["action after an edit elsewhere"] = statistics.median(elsewhere)
    if pushed:
        figures["edit in the model -> its diagnostics pushed"] = statistics.median(pushed)
    if command[-1] == "lsp":
        actions = await client.request("textDocument/codeAction", ask)
        t = time.perf_counter()
        await client.request("codeAction/resolve", actions[0])
        figures["resolve (convert one model)"] = time.perf_counter() - t
    # the whole file at once: seq2func's "convert all" and each server's fix-all, CPU included
    whole = {
        "resolve convert-all": "seq2func: Convert all Sequential models in file",
        "resolve fix-all": "source.fixAll",
    }
    for key, wanted in whole.items():
        every = {**ask, "context": {"diagnostics": [], "only": ["source"]}}
        found = await client.request("textDocument/codeAction", every) or []
        chosen = next(
            (a for a in found if a.get("title") == wanted or a.get("kind", "").startswith(wanted)), None
        )
        if chosen is None:
            continue
        cpu, t = cpu_seconds(process.pid), time.perf_counter()
        if "edit" not in chosen:
            await client.request("codeAction/resolve", chosen)
        figures[key] = time.perf_counter() - t
        figures[f"{key} (CPU)"] = cpu_seconds(process.pid) - cpu
    # a burst of 20 edits typed without a pause, then an action asked
    cpu = cpu_seconds(process.pid)
    for _ in range(19):
        version += 1
        change(version, model_line, dropout)
    version += 1
    figures["a burst of 20 edits -> code action"] = await action(version, model_line, dropout)
    await asyncio.sleep(1.0)  # the burst's analysis, if any, is part of its cost
    figures["a burst of 20 edits (CPU)"] = cpu_seconds(process.pid) - cpu
    await asyncio.sleep(PAUSE)
    # the action and its resolve right after an edit in the model, checked against the CLI
    edit_times = []
    for _ in range(3 if command[-1] == "lsp" else 0):
        version += 1
        change(version, model_line, dropout)
        t = time.perf_counter()
        actions = await client.request("textDocument/codeAction", ask)
        convert = next(a for a in actions if "Convert Sequential" in a["title"])
        resolved = await client.request("codeAction/resolve", convert)
        edit_times.append(time.perf_counter() - t)
        now = "".join(current)
        if applied(now, resolved.get("edit"), uri) != cli_conversion(now, model_line + 1):
            raise SystemExit(f"the resolved edit after version {version} is not what the CLI makes")
        await asyncio.sleep(PAUSE)
    if edit_times:
        figures["edit in the model -> action + resolve (checked against the CLI)"] = statistics.median(
            edit_times
        )
    # pulled diagnostics right after an edit in the model (the client asks at once)
    pulled = []
    for _ in range(3):
        version += 1
        change(version, model_line, dropout)
        t = time.perf_counter()
        await client.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})
        pulled.append(time.perf_counter() - t)
        await asyncio.sleep(PAUSE)
    figures["edit in the model -> its diagnostics pulled"] = statistics.median(pulled)
    figures["memory now (MB)"], figures["memory peak (MB)"] = memory_mb(process.pid)
    await client.request("shutdown", None)
    client.notify("exit", None)
    await process.wait()
    return figures


async def main(sizes: list[int]) -> None:
    servers = {"seq2func": [sys.executable, "-m", "seq2func", "lsp"]}
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff:
        servers["ruff server"] = [ruff, "server"]
    for lines in sizes:
        rows = {name: await measure(command, lines) for name, command in servers.items()}
        print(f"\n{lines:,} lines, 25 models")
        keys = list(dict.fromkeys(k for figures in rows.values() for k in figures))
        print(f"| what | {' | '.join(rows)} |")
        print(f"| --- | {' | '.join('---' for _ in rows)} |")
        for key in keys:
            cells = []
            for figures in rows.values():
                value = figures.get(key)
                if value is None:
                    cells.append("")
                elif "MB" in key or key == "actions listed":
                    cells.append(f"{value:.0f}")
                else:
                    cells.append(f"{value * 1000:.0f} ms")
            print(f"| {key} | {' | '.join(cells)} |")


if __name__ == "__main__":
    asyncio.run(main([int(a) for a in sys.argv[1:]] or [1000, 5000, 20000]))
