"""The data files a program names that lie beside it: `pd.read_csv("diabetes.csv")`,
`np.loadtxt("data/pima.csv", delimiter=",")`, `np.load("x_train.npy")`. Their first lines
(or a `.npy` file's header) say the shape of what the program reads, without running it
(`shapes.files` reads them).

Only a relative path that lies in the program's folder (or below) is read, and only when
it is the same file from the folder the program is run from (here) or not there at all: a
program run from elsewhere may read another file of that name."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

from seq2func.types import DataFile

_NAMED = re.compile(r"""(?<![\w.])[rR]?(['"])([^'"\n\\]{1,200}\.(?:csv|tsv|txt|data|dat|npy))\1""")
_ENDING = re.compile(r"""\.(?:csv|tsv|txt|data|dat|npy)['"]""")
HEAD_LINES = 3
HEAD_BYTES = 2**16  # a line longer than this is not a table's header
COUNTED_BYTES = 64 * 2**20  # a larger file's lines are not counted


def names_in(text: str) -> Iterator[str]:
    """The file names `text` writes as strings, in order: the lines that may name one are
    found by their ending first (an editor asks on every edit, of 6 MB texts too)."""
    starts = sorted({text.rfind("\n", 0, m.start()) + 1 for m in _ENDING.finditer(text)})
    for start in starts:
        end = text.find("\n", start)
        for match in _NAMED.finditer(text[start : end if end >= 0 else len(text)]):
            yield match.group(2)


def data_files(text: str, folder: Path) -> tuple[DataFile, ...]:
    """The files `text` names that lie in `folder` (the program's), read."""
    found: dict[str, DataFile] = {}
    for name in names_in(text):
        if name in found or Path(name).is_absolute() or ".." in Path(name).parts:
            continue
        path = folder / name
        here = Path.cwd() / name
        try:
            if not path.is_file() or (here.exists() and not here.samefile(path)):
                continue
            stat = path.stat()
            read = _read(name, str(path), stat.st_mtime_ns, stat.st_size)
        except OSError:
            continue
        if read is not None:
            found[name] = read
    return tuple(found.values())


@functools.lru_cache(maxsize=64)
def _read(name: str, path: str, mtime: int, size: int) -> DataFile | None:
    """A file read once while it stays as it was (an editor asks on every edit)."""
    try:
        return _npy(name, Path(path)) if name.endswith(".npy") else _text(name, Path(path))
    except (OSError, ValueError, SyntaxError, UnicodeDecodeError, MemoryError):
        return None


def _text(name: str, path: Path) -> DataFile | None:
    head: list[str] = []
    with path.open("rb") as stream:
        for raw in stream:
            if len(raw) > HEAD_BYTES:
                return None
            head.append(raw.decode("utf-8").rstrip("\r\n"))
            if len(head) == HEAD_LINES:
                break
    rows = None
    if path.stat().st_size <= COUNTED_BYTES:
        with path.open("rb") as stream:
            rows = sum(1 for raw in stream if raw.strip())
    return DataFile(name, tuple(head), rows)


def _npy(name: str, path: Path) -> DataFile | None:
    """The shape in a `.npy` file's header (format versions 1 to 3), as numpy writes it."""
    with path.open("rb") as stream:
        start = stream.read(10)
        if start[:6] != b"\x93NUMPY":
            return None
        major = start[6]
        if major == 1:
            size = int.from_bytes(start[8:10], "little")
        elif major in (2, 3):
            size = int.from_bytes(start[8:10] + stream.read(2), "little")
        else:
            return None
        header = ast.literal_eval(stream.read(size).decode("latin1"))
    shape = header.get("shape") if isinstance(header, dict) else None
    if not isinstance(shape, tuple) or not all(type(d) is int for d in shape):
        return None
    if header.get("descr", "").__class__ is not str:  # a structured array's fields: not read
        return None
    return DataFile(name, array=shape)
