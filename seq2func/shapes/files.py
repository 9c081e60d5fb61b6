"""Data files beside the program (`drivers.data_files` read their first lines): a CSV's
columns as `pd.read_csv` or `np.loadtxt` would split them, a `.npy` file's shape. The
files are given for the conversion at hand (`beside`); the notes name the ones read."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis, keyword_args
from seq2func.shapes.registry import NOT_MINE, Read, register
from seq2func.shapes.trace import arg, string_of
from seq2func.types import BatchShape, DataFile

_FILES: ContextVar[Mapping[str, DataFile] | None] = ContextVar("files", default=None)
_READ: ContextVar[list[str] | None] = ContextVar("files_read", default=None)


@contextlib.contextmanager
def beside(files: Sequence[DataFile]) -> Iterator[None]:
    """While a conversion reads shapes: the data files beside its program."""
    token = _FILES.set({f.name: f for f in files})
    try:
        yield
    finally:
        _FILES.reset(token)


@contextlib.contextmanager
def noting() -> Iterator[list[str]]:
    """The names of the files a shape read meanwhile came from."""
    read: list[str] = []
    token = _READ.set(read)
    try:
        yield read
    finally:
        _READ.reset(token)


_READERS = frozenset(
    {"pandas.read_csv", "pandas.read_table", "numpy.loadtxt", "numpy.genfromtxt", "numpy.load"}
)
# arguments that leave the columns as they are
_PANDAS_SAME = frozenset(
    {"encoding", "dtype", "na_values", "low_memory", "engine", "nrows", "skipinitialspace",
     "keep_default_na", "decimal", "thousands", "true_values", "false_values"}
)  # fmt: skip
_NUMPY_SAME = frozenset({"dtype", "encoding", "filling_values", "missing_values", "autostrip"})


@register(
    "call",
    85,
    refuses=(
        "a file not beside the program, or named by anything but a written string",
        "a separator, header, index or column choice not written plainly",
        "a first line the rows after it do not match (pandas would make it the index)",
    ),
)
def read_file(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """`pd.read_csv("diabetes.csv")`, `np.loadtxt("pima.csv", delimiter=",")`,
    `np.load("x.npy")` of a file beside the program: its columns (the rows left open), or
    the array's shape."""
    how = names & _READERS
    if not how or any(a.star for a in call.args):
        return NOT_MINE
    given = arg(call, 0, "filepath_or_buffer", "fname", "file")
    name = string_of(given) if given is not None else None
    file = (_FILES.get() or {}).get(name) if name is not None else None
    if file is None:
        return NOT_MINE
    if "numpy.load" in how:
        shape = file.array if set(keyword_args(call)) <= {"mmap_mode", "allow_pickle"} else None
    elif how & {"pandas.read_csv", "pandas.read_table"}:
        shape = _pandas(call, file, "\t" if "pandas.read_table" in how else ",")
    else:
        shape = _numpy(call, file, "genfromtxt" if "numpy.genfromtxt" in how else "loadtxt")
    read = _READ.get()
    if shape is not None and read is not None:
        read.append(file.name)
    return shape


def _fields(line: str, separator: str | None) -> int | None:
    """How many fields a line splits into: by a one-character separator (quotes kept whole),
    or by runs of white space (None)."""
    if separator is None:
        return len(line.split()) or None
    if len(separator) != 1:
        return None
    rows = list(csv.reader([line], delimiter=separator))
    return len(rows[0]) if rows and rows[0] else None


def _pandas(call: cst.Call, file: DataFile, default: str) -> BatchShape | None:
    kwargs = keyword_args(call)
    positional = [a.value for a in call.args if a.keyword is None]
    if len(positional) > 2 or set(kwargs) - _PANDAS_SAME - {
        "sep",
        "delimiter",
        "header",
        "index_col",
        "usecols",
        "names",
        "delim_whitespace",
    }:
        return None
    given = kwargs.get("sep") or kwargs.get("delimiter")
    sep_expr = given.value if given is not None else positional[1] if len(positional) > 1 else None
    separator: str | None = default
    if sep_expr is not None:
        written = string_of(sep_expr)
        if written is None:
            return None
        separator = None if written in ("\\s+", r"\s+", " +") else written
    if "delim_whitespace" in kwargs:
        flag = kwargs["delim_whitespace"].value
        if not (isinstance(flag, cst.Name) and flag.value in ("True", "False")):
            return None
        separator = None if flag.value == "True" else separator
    header = kwargs.get("header")
    if (
        header is not None
        and not (isinstance(header.value, cst.Integer) and header.value.value == "0")
        and not (isinstance(header.value, cst.Name) and header.value.value == "None")
    ):
        return None
    lines = [line for line in file.head if line.strip()]
    if not lines:
        return None
    counts = [_fields(line, separator) for line in lines]
    if None in counts or len(set(counts)) != 1:
        return None  # a header shorter than its rows makes pandas use the first column as index
    columns = counts[0]
    assert columns is not None
    if "names" in kwargs:
        listed = _literal_list(kwargs["names"].value)
        if listed != columns:
            return None
    if "usecols" in kwargs:
        picked = _literal_list(kwargs["usecols"].value)
        if picked is None or picked > columns or "index_col" in kwargs:
            return None
        columns = picked
    if "index_col" in kwargs:
        index = kwargs["index_col"].value
        if isinstance(index, cst.Integer):
            columns -= 1
        elif not (isinstance(index, cst.Name) and index.value in ("None", "False")):
            return None
    return (None, columns) if columns > 0 else None


def _numpy(call: cst.Call, file: DataFile, how: str) -> BatchShape | None:
    kwargs = keyword_args(call)
    skip_key = "skiprows" if how == "loadtxt" else "skip_header"
    if [a for a in call.args if a.keyword is None][1:] or set(kwargs) - _NUMPY_SAME - {
        "delimiter",
        "comments",
        "usecols",
        skip_key,
    }:
        return None
    separator: str | None = None
    if "delimiter" in kwargs:
        written = string_of(kwargs["delimiter"].value)
        if written is None:
            return None
        separator = written if written.strip() else None
    comment = "#"
    if "comments" in kwargs:
        written = string_of(kwargs["comments"].value)
        if written is None or not written:
            return None
        comment = written
    skip = 0
    if skip_key in kwargs:
        value = kwargs[skip_key].value
        if not isinstance(value, cst.Integer):
            return None
        skip = int(value.value)
    data = [line for line in file.head[skip:] if line.strip() and not line.lstrip().startswith(comment)]
    if not data or file.rows is None or file.rows - skip < 3:
        return None  # one row (or none) read: numpy gives a row, not a table
    line = data[0].split(comment)[0]  # numpy splits plainly: a quoted separator splits too
    columns = len(line.split(separator)) if separator is not None else len(line.split())
    if not columns:
        return None
    if "usecols" in kwargs:
        value = kwargs["usecols"].value
        if isinstance(value, cst.Integer):
            return (None,)
        picked = _literal_list(value)
        if picked is None or picked > columns:
            return None
        columns = picked
    return (None, columns) if columns > 1 else (None,)


def _literal_list(expr: cst.BaseExpression) -> int | None:
    """How many elements a written list or tuple of literals holds (none twice)."""
    if not isinstance(expr, cst.List | cst.Tuple):
        return None
    values = []
    for element in expr.elements:
        value = element.value if isinstance(element, cst.Element) else None
        if not isinstance(value, cst.SimpleString | cst.Integer):
            return None
        values.append(value.value)
    return len(values) if values and len(set(values)) == len(values) else None
