"""Reading JSON-RPC frames from stdin, recovering from a frame with a wrong Content-Length.

pygls's reader matches a header only at the start of a line, so after one frame of the
wrong length every following header sits behind the tail of a body and is never seen
again: the server stays alive but deaf. This reader finds `Content-Length:` anywhere in a
line, so it resynchronises on the next message, and it says what it dropped.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable
from typing import Any

HEADER = re.compile(rb"Content-Length: *(\d+)\r?\n$", re.IGNORECASE)


async def run_resyncing(
    stop_event: threading.Event,
    reader: Any,  # pygls's AsyncReader: readline() and readexactly(n), both awaitable
    protocol: Any,
    logger: logging.Logger,
    error_handler: Callable[[Exception, Any], Any] | None = None,
) -> None:
    """pygls's run_async loop, with headers found wherever a line ends in one."""
    from pygls.exceptions import JsonRpcException

    content_length = 0
    while not stop_event.is_set():
        line = await reader.readline()
        if not line:
            break
        match = HEADER.search(line)
        if match:
            if match.start():
                logger.error("dropped %d bytes of a malformed frame before a header", match.start())
            content_length = int(match.group(1))
            continue
        if not content_length or line.strip():
            continue  # another header (Content-Type), or bytes between frames
        body = await reader.readexactly(content_length)
        content_length = 0
        if not body:
            break
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
        except ValueError as error:
            logger.error("dropped a frame whose body is not JSON (wrong Content-Length?): %s", error)
            continue
        try:
            protocol.handle_message(message)
        except Exception as exc:
            logger.exception("Unable to handle message")
            if error_handler is not None:
                error_handler(exc, JsonRpcException)
