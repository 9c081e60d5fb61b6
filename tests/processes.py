"""Processes a test started itself, found by a mark in their environment: every process
started from one inherits it, and another job's processes on the same machine never
carry it."""

from __future__ import annotations

import uuid
from pathlib import Path

MARK = "SEQ2FUNC_TEST_MARK"


def new_mark() -> str:
    return uuid.uuid4().hex


def marked(mark: str | None, command: str) -> list[int]:
    """The running processes whose command line holds `command` and whose environment holds
    `MARK=mark` (with mark None: a command line no other job's process has, such as a uuid)."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if command.encode() in (entry / "cmdline").read_bytes() and (
                mark is None or needle in (entry / "environ").read_bytes().split(b"\0")
            ):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found
