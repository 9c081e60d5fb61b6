"""The language server's handle on its analysis process (`lsp.analyser`): requests go
out as frames on the child's stdin, answers come back on its stdout, each settling the
future its request waits on; a child that stops is started again."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import queue
import subprocess
import sys
import threading
from typing import Any

from seq2func.lsp.frames import read_frame, write_frame

log = logging.getLogger("seq2func.lsp")
Pending = dict[int, tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]"]]


class AnalysisProcessGone(RuntimeError):
    """The analysis process stopped (killed, out of memory) before it answered."""


# the server's own import path, set before anything is imported: not the editor's cwd,
# where a project module named like one of ours (libcst.py) would shadow it
CHILD = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); from seq2func.lsp.analyser import main; main()"
)


class AnalysisProcess:
    """The server's handle on its analysis process: started at once (so the first
    diagnostics do not wait for its imports), started again if it stops."""

    def __init__(self) -> None:
        self.numbers = itertools.count()
        self.pending: Pending = {}  # what waits on the running process's answers
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.start()

    def start(self) -> None:
        # stdout is the answers' channel; stderr is the server's own, which editors log
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, json.dumps(sys.path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self.process = process
        self.outbox.put(None)  # a stopped child's writer ends too
        outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        pending: Pending = {}
        self.outbox, self.pending = outbox, pending
        # writes on their own thread: a child busy in a parse reads slowly, and the event
        # loop must not block on a full pipe
        threading.Thread(target=self._write, args=(process, outbox), daemon=True).start()
        threading.Thread(target=self._read, args=(process, pending), daemon=True).start()

    async def call(self, method: str, *args: Any) -> Any:
        """What the child's `method` returns, or the exception it raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        number = next(self.numbers)
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.start()
            pending = self.pending
            pending[number] = (loop, future)
            self.outbox.put((number, method, args))
        try:
            return await future
        finally:
            pending.pop(number, None)

    def forget(self, uri: str) -> None:
        self.outbox.put((next(self.numbers), "forget", (uri,)))

    def close(self) -> None:
        """Stop the child at once: it holds nothing but parses, and may be busy in one."""
        with self.lock:
            process, self.process = self.process, None
        if process is not None:
            self.outbox.put(None)
            process.kill()
            process.wait()

    def _write(self, process: subprocess.Popen[bytes], outbox: queue.SimpleQueue[Any]) -> None:
        assert process.stdin is not None
        try:
            while (message := outbox.get()) is not None:
                write_frame(process.stdin, message)
            process.stdin.close()
        except OSError:  # the child is gone; the reader fails what waits on it
            pass

    def _read(self, process: subprocess.Popen[bytes], pending: Pending) -> None:
        assert process.stdout is not None
        while (message := read_frame(process.stdout)) is not None:
            number, ok, value = message
            waiting = pending.get(number)
            if waiting is not None:
                waiting[0].call_soon_threadsafe(_settle, waiting[1], ok, value)
        code = process.wait()
        with self.lock:
            if self.process is process:
                self.process = None
            gone = [waiting for number in list(pending) if (waiting := pending.pop(number, None))]
        if gone:
            log.error("the analysis process stopped (exit code %s); it will be started again", code)
        for loop, future in gone:
            error = AnalysisProcessGone(f"the analysis process stopped (exit code {code}); ask again")
            loop.call_soon_threadsafe(_settle, future, False, error)


def _settle(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    if future.done():  # the request was cancelled meanwhile
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)
