"""What a person at a terminal sees while a run goes on: one line at the bottom of stderr
with the files done of the total and what is being done now (a verification, with its
seconds), redrawn in place; messages printed meanwhile go above it. Only on a terminal
(never when stderr is piped or a file, or `TERM=dumb`), and in colour only where `NO_COLOR`
is not set (https://no-color.org)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable
from typing import IO

import click

BAR_WIDTH = 24
TICK_SECONDS = 0.5


def is_terminal(stream: IO[str]) -> bool:
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def colours_on(stream: IO[str]) -> bool:
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


# the colour of each word a person scans for
COLOURS = {
    "equivalent": "green",
    "different": "red",
    "could not verify": "yellow",
    "error": "red",
    "converted": "green",
    "would convert": "green",
    "left as is": "yellow",
}


def coloured(text: str, words: tuple[str, ...], on: bool) -> str:
    """`text` with the first of `words` it holds in that word's colour (when `on`)."""
    if not on:
        return text
    for word in words:
        at = text.find(word)
        if at >= 0:
            styled = click.style(word, fg=COLOURS[word], bold=word in ("different", "error"))
            return text[:at] + styled + text[at + len(word) :]
    return text


class Progress:
    """The bottom line of a run on a terminal; a no-op elsewhere."""

    def __init__(self, stream: IO[str], enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and is_terminal(stream)
        self.total = 0
        self.done = 0
        self.doing: str | None = None
        self.since = time.monotonic()
        self.shown = False
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.ticker: threading.Thread | None = None

    def start(self, total: int) -> None:
        with self.lock:
            self.total = total
            self._draw()
        if self.enabled and self.ticker is None:  # a verification's seconds go on while it runs
            self.ticker = threading.Thread(target=self._tick, name="seq2func-progress", daemon=True)
            self.ticker.start()

    def working(self, what: str | None) -> None:
        with self.lock:
            self.doing, self.since = what, time.monotonic()
            self._draw()

    def advance(self) -> None:
        with self.lock:
            self.done += 1
            self.doing = None
            self._draw()

    def echo(self, text: str, file: IO[str] | None = None, nl: bool = True) -> None:
        """Print a message (or, to stdout, code or a diff) above the bar."""
        with self.lock:
            self._clear()
            click.echo(text, file=file or self.stream, nl=nl, color=colours_on(file or self.stream))
            self._draw()

    def around(self, write: Callable[[], None]) -> None:
        """Run `write` (code to stdout, which may be the same terminal) with the bar cleared."""
        with self.lock:
            self._clear()
            write()
            self._draw()

    def close(self) -> None:
        self.stop.set()
        if self.ticker is not None:
            self.ticker.join()
        with self.lock:
            self._clear()

    def _tick(self) -> None:
        while not self.stop.wait(TICK_SECONDS):
            with self.lock:
                if self.doing is not None:
                    self._draw()

    def _line(self) -> str:
        width = shutil.get_terminal_size((80, 24)).columns
        filled = BAR_WIDTH * self.done // self.total if self.total else 0
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        line = f"[{bar}] {self.done}/{self.total} files"
        if self.doing is not None:
            line += f"  {self.doing} ({time.monotonic() - self.since:.0f} s)"
        return line[: width - 1]

    def _draw(self) -> None:
        if not self.enabled or self.total < 1:
            return
        self.stream.write("\r\x1b[2K" + self._line())
        self.stream.flush()
        self.shown = True

    def _clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
