"""The language server's analysis process: the LibCST work on open buffers (surveys,
conversions, fixes) runs in this child process, so the server's event loop never waits on a
parser that holds the GIL, and a code action is answered while an analysis runs.

It keeps each buffer's last `Document`, so a resolve right after an analysis reuses its
parse; several buffers are analysed side by side on its threads.
"""

from __future__ import annotations

import logging
import pickle
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import IO, Any

from seq2func.analysis.narrow import Outline
from seq2func.api import Document, all_rules
from seq2func.lsp.frames import read_frame, write_frame
from seq2func.types import ConvertError, NotebookFacts, Options, Survey

log = logging.getLogger("seq2func.lsp")


class Documents:
    """The last Document of each buffer, parsed once and asked many questions: one at a time
    per buffer (the server sends one job per buffer at a time, but a job it stopped waiting
    for, cancelled, still runs here; a Document and its analysis are not shared by threads)."""

    def __init__(self) -> None:
        self.by_uri: dict[str, Document] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._locking = threading.Lock()

    def lock(self, uri: str) -> threading.Lock:
        with self._locking:
            return self._locks.setdefault(uri, threading.Lock())

    def get(self, uri: str, text: str, options: Options, notebook: NotebookFacts | None) -> Document:
        """`notebook`: the text is a notebook's script, and this is what the notebook tells beyond it."""
        document = self.by_uri.get(uri)
        if (
            document is None
            or document.text != text
            or document.options != options
            or document.notebook != notebook
        ):
            # the last one's survey is where this one's starts, after an edit
            document = self.by_uri[uri] = Document(text, options, notebook, before=document)
        return document

    def survey(
        self, uri: str, text: str, options: Options, notebook: NotebookFacts | None, python: bool
    ) -> tuple[Survey | None, dict[str, str], Outline | None]:
        """What an editor shows of the text (None: it does not parse), the titles of the
        fixes its findings offer, and what narrowing found (to tell which edits change nothing)."""
        outline = None
        try:
            document = self.get(uri, text, options, notebook)
            survey: Survey | None = document.survey() if python else Survey()
            outline = document.outline if python else None
        except ConvertError:
            survey = None  # half-typed code
        except Exception:  # a bug in seq2func must not take the server down
            log.exception("survey failed for %s", uri)
            survey = None
        titles = {rule.code: rule.fix_title for rule in all_rules() if rule.fix_title}
        return survey, titles, outline

    def action(
        self, uri: str, text: str, options: Options, notebook: NotebookFacts | None, data: dict[str, Any]
    ) -> str:
        """The text after the code action `data` describes (a conversion, or a fix)."""
        document = self.get(uri, text, options, notebook)
        if data["action"] == "fixall":
            return document.fixed_text()
        if data["action"] == "fix":
            return document.fixed_text(select=[str(data.get("code"))], line=int(data["line"]))
        overrides: dict[str, Any] = {"lint": False}  # the findings are the survey's
        if data["action"] == "convert":
            overrides["line"] = int(data["line"])
        elif data["action"] != "all":
            raise ValueError(f"unknown action {data['action']!r}")
        if data.get("style") in ("model", "shared"):
            overrides["style"] = data["style"]  # the two per-model actions; "all" follows the config
        return document.convert(**overrides).new_text

    def convert(
        self, uri: str, text: str, options: Options, notebook: NotebookFacts | None, overrides: dict[str, Any]
    ) -> Any:
        return self.get(uri, text, options, notebook).convert(**overrides)

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
            with documents.lock(args[0]):  # the buffer's URI
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


def main() -> None:
    answers = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    logging.basicConfig(level=logging.WARNING)
    all_rules()  # made now, while the server starts, not when the first buffer is opened
    serve_analyses(sys.stdin.buffer, answers)
