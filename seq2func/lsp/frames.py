"""The frames the language server and its analysis process exchange over the child's
stdin and stdout: length-prefixed pickles, `(id, method, args)` one way and `(id, ok, value)`
the other. Both ends are this package, so nothing from outside is unpickled."""

from __future__ import annotations

import pickle
import struct
from typing import IO, Any

FRAME = struct.Struct("!Q")  # the length of the pickle that follows


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
