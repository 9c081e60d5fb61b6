"""The server's transport: JSON-RPC frames that survive a wrong Content-Length, and an
answer for requests whose params do not deserialize.

pygls's reader matches a header only at the start of a line, so after one frame of the
wrong length every following header sits behind the tail of a body and is never seen
again: the server stays alive but deaf. This reader finds `Content-Length:` anywhere in a
line, so it resynchronises on the next message, and it says what it dropped. A header that
asks for more than `MAX_FRAME` bytes is refused (reading it would end the server with a
MemoryError); the bytes that follow are passed over until the next header.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCRequestMessage

MALFORMED = "seq2func/malformedRequest"  # internal: answers a request whose params did not deserialize
log = logging.getLogger("seq2func.lsp")
HEADER = re.compile(rb"Content-Length: *(\d+)\r?\n$", re.IGNORECASE)
MAX_FRAME = 64 * 2**20  # a header asking for more is refused, as ruff's server waits rather than dies


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
            if content_length > MAX_FRAME:  # never allocated: its bytes are read as lines and passed over
                logger.error(
                    "dropped a frame that says it holds %d bytes, more than the %d MB a frame may hold",
                    content_length,
                    MAX_FRAME // 2**20,
                )
                content_length = 0
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


class Protocol(LanguageServerProtocol):
    """pygls drops a request whose params do not fit the method's type, and the client waits
    forever; route it to a handler that answers with InvalidParams instead."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcInvalidParams:
            if isinstance(data, dict) and "id" in data and isinstance(data.get("method"), str):
                return JsonRPCRequestMessage(
                    id=data["id"], method=MALFORMED, jsonrpc="2.0", params=data["method"]
                )
            raise


class ResyncingServer(LanguageServer):
    """A pygls server whose stdio loop resynchronises after a bad frame and answers
    malformed requests (the handler for MALFORMED raises InvalidParams)."""

    def __init__(self, name: str, version: str, **kwargs: Any) -> None:
        super().__init__(name, version, protocol_cls=Protocol, **kwargs)

    def _start_io_async(self, stdin: Any = None, stdout: Any = None) -> None:
        """pygls's stdio loop, with a reader that survives a frame of the wrong length."""
        from pygls.io_ import StdinAsyncReader, StdoutWriter

        self._stop_event = threading.Event()
        reader = StdinAsyncReader(stdin or sys.stdin.buffer, self.thread_pool)
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(run_resyncing(self._stop_event, reader, self.protocol, log, self.report_server_error))
        except BrokenPipeError:
            log.error("connection to the client lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()
