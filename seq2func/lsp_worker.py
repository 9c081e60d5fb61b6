"""The language server's analysis process: the LibCST work on open buffers (surveys,
conversions, fixes) runs in a child process, so the server's event loop never waits on a
parser that holds the GIL, and a code action is answered while an analysis runs.

The two sides talk over the child's stdin and stdout in length-prefixed pickles:
`(id, method, args)` one way, `(id, ok, value)` the other. Both are this package, so
nothing from outside is unpickled. The child keeps each buffer's last `Document`, so a
resolve right after an analysis reuses its parse; several buffers are analysed side by
side on the child's threads.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import IO, TYPE_CHECKING, Any

from seq2func.types import ConvertError, Options, Survey

if TYPE_CHECKING:
    from seq2func.api import Document
    from seq2func.narrow import Outline

log = logging.getLogger("seq2func.lsp")
FRAME = struct.Struct("!Q")  # the length of the pickle that follows
Pending = dict[int, tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]"]]


class AnalysisProcessGone(RuntimeError):
    """The analysis process stopped (killed, out of memory) before it answered."""


def write_frame(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(FRAME.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next message, or None at the end of the stream."""
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        return None
    size = FRAME.unpack(head)[0]
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


# -- the child's side ----------------------------------------------------------------------


class Documents:
    """The last Document of each buffer, parsed once and asked many questions."""

    def __init__(self) -> None:
        self.by_uri: dict[str, Document] = {}

    def get(self, uri: str, text: str, options: Options) -> Document:
        from seq2func.api import Document

        document = self.by_uri.get(uri)
        if document is None or document.text != text or document.options != options:
            document = self.by_uri[uri] = Document(text, options)
        return document

    def survey(
        self, uri: str, text: str, options: Options, python: bool
    ) -> tuple[Survey | None, dict[str, str], Outline | None]:
        """What an editor shows of the text (None: it does not parse), the titles of the
        fixes its findings offer, and what narrowing found (to tell which edits change nothing)."""
        from seq2func.rules import all_rules

        outline = None
        try:
            document = self.get(uri, text, options)
            survey: Survey | None = document.survey() if python else Survey()
            outline = document.outline if python else None
        except ConvertError:
            survey = None  # half-typed code
        except Exception:  # a bug in seq2func must not take the server down
            log.exception("survey failed for %s", uri)
            survey = None
        titles = {rule.code: rule.fix_title for rule in all_rules() if rule.fix_title}
        return survey, titles, outline

    def action(self, uri: str, text: str, options: Options, data: dict[str, Any]) -> str:
        """The text after the code action `data` describes (a conversion, or a fix)."""
        document = self.get(uri, text, options)
        if data["action"] == "fixall":
            return document.check(fix=True).code
        if data["action"] == "fix":
            return document.check(fix=True, select=[str(data.get("code"))], line=int(data["line"])).code
        overrides: dict[str, Any] = {"lint": False}  # the findings are the survey's
        if data["action"] == "convert":
            overrides["line"] = int(data["line"])
        elif data["action"] != "all":
            raise ValueError(f"unknown action {data['action']!r}")
        if data.get("style") in ("model", "shared"):
            overrides["style"] = data["style"]  # the two per-model actions; "all" follows the config
        return document.convert(**overrides).code

    def convert(self, uri: str, text: str, options: Options, overrides: dict[str, Any]) -> Any:
        return self.get(uri, text, options).convert(**overrides)

    def forget(self, uri: str) -> None:
        self.by_uri.pop(uri, None)


def serve_analyses(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The child's loop: read requests, run each on a thread, answer when done."""
    documents = Documents()
    methods: dict[str, Callable[..., Any]] = {
        "survey": documents.survey,
        "action": documents.action,
        "convert": documents.convert,
    }
    answering = threading.Lock()

    def answer(number: int, method: str, args: tuple[Any, ...]) -> None:
        try:
            reply = (number, True, methods[method](*args))
        except Exception as error:  # the server turns it into an LSP error
            reply = (number, False, error)
        except BaseException as error:  # SystemExit from an import: still an answer
            reply = (number, False, RuntimeError(f"{type(error).__name__}: {error}"))
        with answering:
            try:
                write_frame(answers, reply)
            except (pickle.PicklingError, TypeError, AttributeError):
                write_frame(answers, (number, False, RuntimeError(repr(reply[2]))))

    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="seq2func-analysis") as pool:
        while (message := read_frame(requests)) is not None:
            number, method, args = message
            if method == "forget":
                documents.forget(*args)
            else:
                pool.submit(answer, number, method, args)


def main(path: str) -> None:
    sys.path[:] = json.loads(path)  # the server's own import path, not the editor's cwd
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    logging.basicConfig(level=logging.WARNING)
    # imported now, while the server starts, not when the first buffer is opened
    from seq2func import api, check, rewrite, rules  # noqa: F401

    rules.all_rules()
    serve_analyses(sys.stdin.buffer, answers)


# -- the server's side ---------------------------------------------------------------------

CHILD = "import sys; from seq2func.lsp_worker import main; main(sys.argv[1])"


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
