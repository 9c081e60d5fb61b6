"""Jupyter notebooks (nbformat 4): converted and checked as the sequence of their code cells.

The code cells are joined into one script, a marker comment before each, so that a model
built in one cell and extended by `add` in later ones is one construction, exactly as
when the notebook runs top to bottom. IPython syntax (`%magic`, `!shell`, `x = !ls`, and
cell magics whose body is not Python) is masked as comments, which the converter keeps
byte for byte, and restored afterwards. The new script is split back at the markers;
only the `source` of the cells that changed is replaced, and the JSON is written in the
notebook's own layout, so `git diff` shows only real changes.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from seq2func.core.diff import unified_diff
from seq2func.types import (
    BatchShape,
    CheckResult,
    ConvertError,
    Location,
    NotebookFacts,
    Observation,
    Observed,
    Result,
    Skip,
    SummaryRow,
)

SUFFIX = ".ipynb"
MARKER = "# %% [seq2func cell {}]"
_MARKER_LINE = re.compile(r"^# %% \[seq2func cell (\d+)\]\n?$")
# Cell magics whose body is Python: only their first line is masked.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "pypy"}
# What IPython reads at the start of a logical line as a command, not Python: magics,
# shell escapes, help, autocall and autoquote (IPython's `EscapedCommand`), and
# `x = %magic` / `x = !cmd` (`MagicAssign`, `SystemAssign`).
_ESCAPED = re.compile(r"^\s*(?:[%!?,;/]|[\w.,\s\[\]()]+=\s*[%!](?!=))")
# `obj?`, `obj.attr??`, `%magic?` at the end of a logical line (IPython's `HelpEnd`).
_WORD = re.compile(r"[^\W\d]\w*")
_HELP_END = re.compile(r"^\s*[%]{0,2}[\w.]+(?:\(\))?\?{1,2}\s*$")

AnyResult = TypeVar("AnyResult", Result, CheckResult)


def is_notebook(path: str) -> bool:
    return path.endswith(SUFFIX)


@dataclass
class Script:
    """The code cells as one script, and what is needed to put it back."""

    text: str
    cells: list[int]  # notebook index of each code cell, in order
    masks: dict[str, str]  # placeholder line -> the IPython line it stands for
    starts: list[int]  # 1-based script line of each code cell's first line
    indents: dict[int, str] = dataclasses.field(
        default_factory=dict
    )  # cell number -> the indent IPython strips
    unparsed: list[Skip] = dataclasses.field(default_factory=list)  # cells left as they are, and why
    observed: list[Observed] = dataclasses.field(default_factory=list)  # what saved outputs show
    unread: list[tuple[str, int]] = dataclasses.field(default_factory=list)  # names unparsed cells mention

    @property
    def facts(self) -> NotebookFacts:
        commands = tuple(
            (number, self.masks[line])
            for number, line in enumerate(self.text.splitlines(), 1)
            if line in self.masks
        )
        return NotebookFacts(tuple(self.observed), tuple(self.unread), commands)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def logical_starts(lines: list[str]) -> list[bool]:
    """Which lines begin a logical line of Python: not inside brackets or a string, and not
    after a line that ends with a backslash. IPython looks for commands only there."""
    starts, depth, quote, continued = [], 0, "", False
    for line in lines:
        starts.append(depth == 0 and not quote and not continued)
        i, body = 0, line.rstrip("\r\n")
        while i < len(body):
            if quote:
                if body.startswith(quote, i):
                    i, quote = i + len(quote), ""
                    continue
                i += 2 if body[i] == "\\" else 1
                continue
            char = body[i]
            if char == "#":
                break
            if char in "\"'":
                triple = body[i : i + 3]
                quote = triple if triple in ('"""', "'''") else char
                i += len(quote)
                continue
            depth += char in "([{"
            depth -= char in ")]}"
            depth = max(depth, 0)
            i += 1
        if quote in ('"', "'"):  # an unclosed one-line string: a syntax error, not a string
            quote = ""
        continued = body.endswith("\\") and not quote
    return starts


def _commands(lines: list[str]) -> list[bool]:
    """Which lines are IPython commands (a command continued by backslashes included)."""
    starts = logical_starts(lines)
    out = [False] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if starts[i] and (_ESCAPED.match(line) or _HELP_END.match(line)):
            out[i] = True
            while lines[i].rstrip("\r\n").endswith("\\") and i + 1 < len(lines):
                i += 1
                out[i] = True
        i += 1
    return out


def _placeholder(line: str, token: str, masks: dict[str, str], statement: bool) -> str:
    """A line the converter reads as Python and keeps byte for byte; `pass` where a
    statement must stand (a command that is a block's only statement)."""
    body = line.rstrip("\r\n")
    indent = body[: len(body) - len(body.lstrip())]
    placeholder = f"{indent}{'pass  ' if statement else ''}# <seq2func {token} {len(masks)}>"
    masks[placeholder] = body
    return placeholder + line[len(body) :]


def _mask(lines: list[str], token: str, masks: dict[str, str]) -> list[str]:
    """IPython lines become lines the converter keeps; a cell magic with a body that is not
    Python masks the whole cell."""
    first = next((line.lstrip() for line in lines if line.strip()), "")
    cell_magic = first.startswith("%%")
    name = first[2:].split()[0] if cell_magic and first[2:].split() else ""
    if cell_magic and name not in PYTHON_CELL_MAGICS:
        return [
            _placeholder(line.lstrip(" \t"), token, masks, False) if line.strip() else line for line in lines
        ]
    commands = _commands(lines)
    out = []
    for i, line in enumerate(lines):
        magic_head = cell_magic and line.lstrip().startswith("%%")
        if magic_head or commands[i]:
            head = magic_head or i == 0 or not commands[i - 1]
            out.append(_placeholder(line, token, masks, statement=head and not magic_head))
        else:
            out.append(line)
    return out


def _leading_indent(source: str) -> str:
    """The indentation IPython strips from a cell whose first line is indented."""
    first = next((line for line in source.splitlines() if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    lines = [line for line in source.splitlines() if line.strip()]
    return indent if indent and all(line.startswith(indent) for line in lines) else ""


def _parse_error(body: str) -> tuple[int, int, str] | None:
    """Where and why one cell (masked) is not Python, if it is not."""
    try:
        compile(
            body,
            "<cell>",
            "exec",
            flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
            dont_inherit=True,
        )
    except SyntaxError as error:
        return error.lineno or 1, error.offset or 1, error.msg
    except (ValueError, RecursionError, MemoryError) as error:
        return 1, 1, str(error) or type(error).__name__
    return None


def script_of(notebook: dict[str, Any]) -> Script:
    # the same for the same cells (an editor asks again about an unchanged notebook), and
    # no cell can hold a line with the digest of its own text
    import hashlib  # OpenSSL's binding takes as long to load as a small file's conversion

    token = hashlib.blake2b(json.dumps(notebook.get("cells", [])).encode(), digest_size=6).hexdigest()
    parts: list[str] = []
    cells: list[int] = []
    starts: list[int] = []
    masks: dict[str, str] = {}
    indents: dict[int, str] = {}
    unparsed: list[Skip] = []
    observed: list[Observed] = []
    unread: list[tuple[str, int]] = []
    trusted = _trusted_cells(notebook)
    line = 1
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        if source and not source.endswith("\n"):
            source += "\n"
        indent = _leading_indent(source)
        if indent:  # IPython runs the cell dedented
            indents[index + 1] = indent
            source = "".join(
                ln[len(indent) :] if ln.startswith(indent) else ln for ln in source.splitlines(True)
            )
        lines = source.splitlines(keepends=True)
        body = "".join(_mask(lines, token, masks))
        error = _parse_error(body)
        if error is not None:  # left as it is: every line masked, so the other cells still convert
            row, column, why = error
            unparsed.append(
                Skip(
                    Location(row, column, cell=index + 1),
                    "cell-syntax",
                    f"this cell is not Python that seq2func can read ({why}); it is left as it is, "
                    "and the other cells are read without it",
                )
            )
            body = "".join(_placeholder(ln, token, masks, False) if ln.strip() else ln for ln in lines)
            # every word, strings and comments too: what the cell does with a name is unseen
            unread += [(name, index + 1) for name in sorted(set(_WORD.findall(source)))]
        unparsed += _made_by_ipython(body, masks, index + 1)
        parts.append(MARKER.format(index + 1) + "\n" + body)
        cells.append(index)
        starts.append(line + 1)
        if error is None and index in trusted:
            observed += _observations(body, cell, line + 1, index + 1)
        line += 1 + body.count("\n")
    return Script("".join(parts), cells, masks, starts, indents, unparsed, observed, unread)


_SEQUENTIAL = re.compile(r"\bSequential\s*\(")


def _made_by_ipython(body: str, masks: dict[str, str], cell: int) -> list[Skip]:
    """A model made on an IPython line (`%time m = keras.Sequential()`): seq2func reads such a
    line as a comment, so it says so rather than pass the model over in silence."""
    found = []
    for row, line in enumerate(body.splitlines(), 1):
        command = masks.get(line, "")
        match = _SEQUENTIAL.search(command)
        if match is not None and not command.lstrip().startswith("%%"):
            found.append(
                Skip(
                    Location(row, match.start() + 1, cell=cell),
                    "ipython-line",
                    f"this model is made on an IPython line ({command.strip()}), which seq2func "
                    "leaves as it is; make it in a Python statement of its own to convert it",
                )
            )
    return found


# -- shapes a notebook's saved outputs show -----------------------------------------------------

_SHAPE = r"\((?:(?:\d+|None)(?:, (?:\d+|None))*,?)?\)"  # how Python prints a shape tuple
_TENSOR_SHAPE = re.compile(r"^TensorShape\(\[((?:\d+|None)(?:, (?:\d+|None))*)?\]\)$")


def _trusted_cells(notebook: dict[str, Any]) -> set[int]:
    """The code cells whose saved outputs describe the code before them as it stands: the
    cells ran top to bottom (execution counts strictly rising in order), and every code cell
    up to this one ran. A notebook run out of order tells nothing."""
    code = [
        (i, c.get("execution_count"))
        for i, c in enumerate(notebook.get("cells", []))
        if c.get("cell_type") == "code"
    ]
    counts = [n for _, n in code if isinstance(n, int)]
    if any(b <= a for a, b in itertools.pairwise(counts)):
        return set()
    trusted: set[int] = set()
    for index, count in code:
        if not isinstance(count, int):
            break
        trusted.add(index)
    return trusted


def _observations(body: str, cell: dict[str, Any], first_line: int, number: int) -> list[Observed]:
    """What one cell's saved outputs say of shapes, when they are exactly what its code
    prints: `X.shape` (or a tuple of them) as the cell's value, or top-level `print` calls of
    strings and `X.shape`. Any other output in the stream means the code is not what ran."""
    try:
        tree = ast.parse(body)
    except SyntaxError:
        return []
    outputs = cell.get("outputs") or []
    lines = body.splitlines()

    def at(node: ast.Name, shape: BatchShape) -> Observation:
        text = lines[node.lineno - 1].encode()
        column = len(text[: node.col_offset].decode(errors="replace"))
        return Observation(node.id, first_line + node.lineno - 1, column, shape, number)

    found: list[Observed] = []
    result = next((o for o in outputs if o.get("output_type") == "execute_result"), None)
    last = tree.body[-1] if tree.body else None
    if result is not None and isinstance(last, ast.Expr):
        shown = _text(result.get("data", {}).get("text/plain"))
        names = _shape_reads(last.value)
        values = _shown_shapes(shown, len(names) if isinstance(last.value, ast.Tuple) else None)
        if names and values is not None and len(values) == len(names):
            found += [at(name, shape) for name, shape in zip(names, values, strict=True)]
    printed = "".join(
        _text(o.get("text"))
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
    if printed:
        found += [at(name, shape) for name, shape in _printed(tree, printed)]
    shown_text = printed + "".join(
        _text(o.get("data", {}).get("text/plain"))
        for o in outputs
        if o.get("output_type") in ("display_data", "execute_result")
    )
    table = _table_shown(last) if result is not None else None
    if table is not None and result is not None:
        dims = _table_dims(result.get("data", {}))
        if dims is not None:  # of `df.head()`, the rows are the part's: df's are not shown
            whole = isinstance(last, ast.Expr) and last.value is table
            found.append(at(table, dims if whole else (None, dims[1])))
    described = _described(tree)
    if described is not None and printed:
        dims = _info_dims(printed)
        if dims is not None:
            found.append(at(described, dims))
    summarized = _summarized(tree)
    row = _first_row(shown_text) if summarized is not None else None
    if summarized is not None and row is not None:
        seen = at(summarized, ())
        found.append(SummaryRow(seen.name, seen.line, seen.column, number, *row))
    return found


_ROW = re.compile(
    r"^[ \u2502|]*\S+ \((\w+)\)[ \u2502|]+\(((?:None|\d+)(?:, (?:None|\d+))*)\)[ \u2502|]+([\d,]+)[ \u2502|]*$"
)


# a DataFrame shown whole or in part, its columns all there: `df`, `df.head()`, `df.tail(3)`
_TABLE_PARTS = frozenset({"head", "tail"})
_HTML_HEAD = re.compile(r"<thead>(.*?)</thead>", re.S)
_HTML_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_HTML_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_HTML_SIZE = re.compile(r"<p>(\d+) rows \u00d7 (\d+) columns</p>\s*</div>\s*$")  # (the multiplication sign)
_PLAIN_SIZE = re.compile(r"\n\[(\d+) rows x (\d+) columns\]\s*$")


def _table_shown(last: ast.stmt | None) -> ast.Name | None:
    """`df` of a cell that ends with `df`, `df.head()` or `df.tail(n)` (its value shown)."""
    if not isinstance(last, ast.Expr):
        return None
    value = last.value
    if isinstance(value, ast.Name):
        return value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _TABLE_PARTS
        and isinstance(value.func.value, ast.Name)
        and not value.keywords
        and len(value.args) <= 1
        and all(isinstance(a, ast.Constant) and type(a.value) is int for a in value.args)
    ):
        return value.func.value
    return None


def _table_dims(data: dict[str, Any]) -> BatchShape | None:
    """The shape of the DataFrame a displayed table shows: its columns from the one header
    row of pandas's HTML (the index's cell aside), its rows only where the display says them
    (`768 rows x 9 columns`; a part shown, `head()`, tells no rows). A display that leaves
    columns out (`...`) tells them only in that line; a header of several rows (a named
    index, columns of several levels) tells nothing."""
    html = _text(data.get("text/html"))
    plain = _text(data.get("text/plain"))
    sized = _HTML_SIZE.search(html) if html else None
    if sized is None and plain:
        sized = _PLAIN_SIZE.search(plain)
    if sized is not None:
        return int(sized.group(1)), int(sized.group(2))
    head = _HTML_HEAD.search(html) if 'class="dataframe"' in html else None
    rows = _HTML_ROW.findall(head.group(1)) if head is not None else []
    if len(rows) != 1 or html.count('class="dataframe"') != 1:
        return None
    cells = _HTML_CELL.findall(rows[0])
    if len(cells) < 2 or cells[0].strip() or any(c.strip() in ("", "...") for c in cells[1:]):
        return None
    return None, len(cells) - 1


_INFO = re.compile(
    r"<class 'pandas(?:\.core\.frame)?\.DataFrame'>\n"  # (pandas 3 spells it short)
    r"(?:RangeIndex|Index|Int64Index|DatetimeIndex): (\d+) entries.*?\n"
    r"Data columns \(total (\d+) columns\):\n",
)


def _described(tree: ast.Module) -> ast.Name | None:
    """`df` when the cell's one top-level statement is `df.info()`: what it printed is all
    info's."""
    if len(tree.body) != 1:
        return None
    call = tree.body[0].value if isinstance(tree.body[0], ast.Expr) else None
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "info"
        and isinstance(call.func.value, ast.Name)
        and not call.args
        and not call.keywords
    ):
        return call.func.value
    return None


def _info_dims(printed: str) -> BatchShape | None:
    """The rows and columns `df.info()` printed (it printed nothing else)."""
    match = _INFO.match(printed)
    if match is None or printed.count("<class '") != 1:
        return None
    return int(match.group(1)), int(match.group(2))


def _summarized(tree: ast.Module) -> ast.Name | None:
    """`model` when the cell calls `model.summary()` once, at its top level."""
    calls = [
        s.value.func.value
        for s in tree.body
        if isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Call)
        and isinstance(s.value.func, ast.Attribute)
        and s.value.func.attr == "summary"
        and isinstance(s.value.func.value, ast.Name)
    ]
    return calls[0] if len(calls) == 1 and isinstance(calls[0], ast.Name) else None


def _first_row(text: str) -> tuple[str, BatchShape, int] | None:
    """The first layer row of the one `Model: "..."` summary table in `text` (Keras 3's
    box-drawn table or Keras 2's plain one): its class, output shape and parameters."""
    if text.count("Model: ") != 1:
        return None
    for line in text[text.index("Model: ") :].splitlines():
        match = _ROW.match(line)
        if match:
            layer, dims, params = match.groups()
            shape = tuple(None if d == "None" else int(d) for d in dims.split(", "))
            return layer, shape, int(params.replace(",", ""))
    return None


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else value if isinstance(value, str) else ""


def _shape_reads(node: ast.expr) -> list[ast.Name]:
    """`X.shape` -> [X]; `(X.shape, y.shape)` -> [X, y]; anything else -> []."""
    parts = node.elts if isinstance(node, ast.Tuple) else [node]
    names = [
        p.value
        for p in parts
        if isinstance(p, ast.Attribute) and p.attr == "shape" and isinstance(p.value, ast.Name)
    ]
    return names if len(names) == len(parts) else []


def _shown_shapes(text: str, count: int | None) -> list[BatchShape] | None:
    """The shapes an execute_result shows: `(800, 11)`, `TensorShape([800, 11])`, or (with
    `count`) a tuple of `count` shapes."""
    text = text.strip()
    tensor = _TENSOR_SHAPE.match(text)
    if tensor and count is None:
        dims = tensor.group(1)
        return [tuple(None if d == "None" else int(d) for d in dims.split(", "))] if dims else None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    shapes = (
        [value] if count is None else list(value) if isinstance(value, tuple) and len(value) == count else []
    )
    if not shapes or not all(
        isinstance(v, tuple) and v and all(isinstance(d, int) for d in v) for v in shapes
    ):
        return None
    return [tuple(v) for v in shapes]


def _printed(tree: ast.Module, printed: str) -> list[tuple[ast.Name, BatchShape]]:
    """The shapes in `printed` when it is exactly what the cell's top-level prints of
    strings and `X.shape` print (each on its own line); [] otherwise."""
    pattern: list[str] = []
    names: list[ast.Name] = []
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "print"):
            continue
        if call.keywords:
            return []
        pieces = []
        for arg in call.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                pieces.append(re.escape(arg.value))
            elif isinstance(arg, ast.JoinedStr):
                piece = _formatted(arg, names)
                if piece is None:
                    return []
                pieces.append(piece)
            elif _shape_reads(arg):
                names += _shape_reads(arg)
                pieces.append(f"({_SHAPE})")
            else:
                return []
        pattern.append(" ".join(pieces) + "\n")
    match = re.fullmatch("".join(pattern), printed) if names else None
    if match is None:
        return []
    shapes = [ast.literal_eval(group) for group in match.groups()]
    return [(name, tuple(shape)) for name, shape in zip(names, shapes, strict=True)]


def _formatted(node: ast.JoinedStr, names: list[ast.Name]) -> str | None:
    """`f"train: {X.shape}"` as a pattern; None when it formats anything else."""
    pieces = []
    for part in node.values:
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            pieces.append(re.escape(part.value))
        elif isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
            read = _shape_reads(part.value)
            if len(read) != 1 or isinstance(part.value, ast.Tuple):
                return None
            names += read
            pieces.append(f"({_SHAPE})")
        else:
            return None
    return "".join(pieces)


def _unmask(text: str, masks: dict[str, str]) -> str:
    if not masks:
        return text
    return "".join(
        masks.get(line.rstrip("\r\n"), line.rstrip("\r\n")) + line[len(line.rstrip("\r\n")) :]
        for line in text.splitlines(keepends=True)
    )


def cell_of_line(script: str, line: int) -> tuple[int | None, int]:
    """A line of a notebook's script -> (its cell, counted from 1, and the line in that cell)."""
    cell, start = None, 0
    for number, text in enumerate(script.splitlines()[: max(line, 1)], 1):
        match = _MARKER_LINE.match(text)
        if match:
            cell, start = int(match.group(1)), number
    return cell, line - start


def split_cells(text: str) -> dict[int, str]:
    """A script with markers -> {notebook cell number (1-based): its text}."""
    found: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines(keepends=True):
        match = _MARKER_LINE.match(line)
        if match:
            current = found.setdefault(int(match.group(1)), [])
        elif current is not None:
            current.append(line)
    return {number: "".join(lines) for number, lines in found.items()}


def load(data: bytes) -> dict[str, Any]:
    try:
        notebook = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConvertError(f"not a notebook: the JSON does not parse ({error})") from None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise ConvertError("not a notebook: no list of cells (nbformat 4 is supported)")
    if notebook.get("nbformat", 4) < 4:
        raise ConvertError(
            f"nbformat {notebook.get('nbformat')} is not supported; save it with Jupyter (nbformat 4)"
        )
    return notebook


@dataclass(frozen=True)
class Layout:
    """How a notebook file was written, so that writing it again changes only what changed."""

    indent: int | str | None
    sort_keys: bool
    ensure_ascii: bool
    tail: str  # after the closing brace
    bom: bool

    def dump(self, notebook: dict[str, Any]) -> bytes:
        text = json.dumps(
            notebook, indent=self.indent, sort_keys=self.sort_keys, ensure_ascii=self.ensure_ascii
        )
        data = (text + self.tail).encode()
        return b"\xef\xbb\xbf" + data if self.bom else data


def layout_of(data: bytes, notebook: dict[str, Any]) -> Layout:
    """The first json.dumps settings that give the file's bytes back (Jupyter's come first)."""
    text = data.decode("utf-8-sig")
    for indent in (1, 2, 4, None, 3, "\t"):
        for sort_keys in (True, False):
            for ensure_ascii in (False, True):
                dumped = json.dumps(notebook, indent=indent, sort_keys=sort_keys, ensure_ascii=ensure_ascii)
                if text.startswith(dumped) and text[len(dumped) :] in ("", "\n", "\r\n"):
                    bom = data.startswith(b"\xef\xbb\xbf")
                    return Layout(indent, sort_keys, ensure_ascii, text[len(dumped) :], bom)
    raise ConvertError(
        "the notebook's JSON is laid out in a way seq2func cannot reproduce, so writing it would "
        "change unrelated lines; save it once with Jupyter and run again"
    )


def _set_source(cell: dict[str, Any], text: str) -> None:
    if isinstance(cell.get("source"), list):
        cell["source"] = text.splitlines(keepends=True)
    else:
        cell["source"] = text


def cell_location(location: Location, script: Script) -> Location:
    """A line of the script -> the cell holding it and the line within that cell."""
    k = max((i for i, start in enumerate(script.starts) if start <= location.line), default=0)
    if not script.starts:
        return location
    line = max(location.line - script.starts[k] + 1, 1)
    return dataclasses.replace(location, line=line, cell=script.cells[k] + 1)


def _marked(text: str) -> Script:
    """A converted script's cells and where each starts, read from its markers (the new code
    of a conversion is located in these)."""
    cells, starts = [], []
    for number, line in enumerate(text.splitlines(), 1):
        match = _MARKER_LINE.match(line)
        if match:
            cells.append(int(match.group(1)) - 1)
            starts.append(number + 1)
    return Script(text, cells, {}, starts)


def script_line(location: Location, script: Script) -> int:
    """A location in a cell -> the line of the script (`_to_cell` the other way)."""
    if location.cell is None or location.cell - 1 not in script.cells:
        return location.line
    return script.starts[script.cells.index(location.cell - 1)] + location.line - 1


_NAMED_LINES = re.compile(r"\blines? (\d+(?:(?:-|, )\d+)*)\b")


def in_cells(message: str, lines: Sequence[int], where: Callable[[int], Location]) -> str:
    """`message` with each script line it names (`lines`, recorded where it was written: a
    number outside them is not a line of the script) said as the cell and the line in it:
    `at line 224` -> `at cell[45] line 3`."""
    named = set(lines)

    def said(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        if not named.issuperset(numbers):
            return match.group(0)
        places = [where(n) for n in numbers]
        if "-" in match.group(1):  # a range of lines
            first, last = places
            if first.cell == last.cell:
                return f"cell[{first.cell}] lines {first.line}-{last.line}"
            return f"cell[{first.cell}] line {first.line} to cell[{last.cell}] line {last.line}"
        return ", ".join(f"cell[{at.cell}] line {at.line}" for at in places)

    return _NAMED_LINES.sub(said, message) if named else message


def _relocate(result: AnyResult, script: Script) -> AnyResult:
    """Locations in the script -> in cells (the lines messages name too); the cells that do
    not parse among the skips."""

    def where(line: int) -> Location:
        return cell_location(Location(line, 1), script)

    findings = [
        dataclasses.replace(
            f,
            location=cell_location(f.location, script),
            end=f.end and cell_location(f.end, script),
            message=in_cells(f.message, f.lines, where),
        )
        for f in result.findings
    ]
    if isinstance(result, CheckResult):  # a cell left unchecked is said, never a failure
        return dataclasses.replace(result, findings=findings, skips=sorted(script.unparsed, key=_cell_order))

    def line_in_cell(line: int | None) -> int | None:
        return None if line is None else cell_location(Location(line, 1), script).line

    converted = _marked(result.new_text) if result.conversions else script
    conversions = [
        dataclasses.replace(
            c,
            location=cell_location(c.location, script),
            end_line=line_in_cell(c.end_line) or 1,
            new_start=c.new_start and cell_location(c.new_start, converted),
            new_end=c.new_end and cell_location(c.new_end, converted),
        )
        for c in result.conversions
    ]
    skips: list[Skip] = [
        dataclasses.replace(
            s,
            location=cell_location(s.location, script),
            start_line=line_in_cell(s.start_line),
            end_line=line_in_cell(s.end_line),
            message=in_cells(s.message, s.lines, where),
        )
        for s in result.skips
    ]
    left = sorted([*script.unparsed, *skips], key=_cell_order)  # with the cells left as they are
    return dataclasses.replace(result, conversions=conversions, skips=left, findings=findings)


def transform(
    data: bytes, on_script: Callable[[str, NotebookFacts], AnyResult], clear_stale: bool = False
) -> tuple[AnyResult, bytes]:
    """Run a text transform (convert or check) over a notebook's code cells; it is also
    given what the notebook tells beyond its script (`NotebookFacts`). The saved outputs
    that show a converted model as it was are named in a note, and cleared if `clear_stale`."""
    notebook = load(data)
    script = script_of(notebook)
    result = on_script(script.text, script.facts)
    shown = dataclasses.replace(
        result, source=_unmask(result.source, script.masks), new_text=_unmask(result.new_text, script.masks)
    )
    shown = _relocate(shown, script)
    if not result.changed:
        return shown, data
    layout = layout_of(data, notebook)
    cells = notebook["cells"]
    changed = unmasked_cells(script, result.new_text, [_source(cell) for cell in cells])
    if isinstance(shown, Result) and shown.conversions:
        stale = stale_outputs(cells, set(changed), {c.model for c in shown.conversions})
        if stale:
            shown = _told_stale(shown, stale, clear_stale)  # type: ignore[assignment]  # a Result: checked above
            for number in stale if clear_stale else ():
                cells[number - 1]["outputs"] = []
    for number, text in changed.items():
        _set_source(cells[number - 1], text)
    return shown, layout.dump(notebook)


def stale_outputs(cells: list[dict[str, Any]], changed: set[int], models: set[str]) -> list[int]:
    """The code cells (numbered from 1) whose saved outputs show code or a model as it was
    before the conversion: a cell the conversion changed, or one that names a converted
    model and whose output shows a Sequential (its `summary()` table, its repr)."""
    stale = []
    for number, cell in enumerate(cells, 1):
        outputs = cell.get("outputs") or []
        if cell.get("cell_type") != "code" or not outputs:
            continue
        named = set(_WORD.findall(_source(cell))) & models
        if number in changed or (named and "sequential" in _output_text(outputs).lower()):
            stale.append(number)
    return stale


def _output_text(outputs: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for output in outputs:
        for text in (output.get("text"), (output.get("data") or {}).get("text/plain")):
            if text is not None:
                parts.append("".join(text) if isinstance(text, list) else str(text))
    return "".join(parts)


def _told_stale(result: Result, stale: list[int], cleared: bool) -> Result:
    """The note on the first conversion: which saved outputs show the models as they were."""
    cells = ", ".join(f"cell[{n}]" for n in stale)
    said = (
        f"the saved outputs of {cells} showed the code before the conversion: cleared"
        if cleared
        else f"the saved outputs of {cells} show the code before the conversion: run them again, "
        "or pass --clear-stale-outputs"
    )
    first, *rest = result.conversions
    note = said if first.note is None else f"{first.note}; {said}"
    return dataclasses.replace(result, conversions=[dataclasses.replace(first, note=note), *rest])


def unmasked_cells(script: Script, new_script: str, sources: Sequence[str]) -> dict[int, str]:
    """The new source of each code cell that `new_script` (the script, converted) changes,
    by cell number (from 1): IPython lines restored, the indentation IPython strips put
    back, a last line without a line break kept so. `sources`: every cell's source now."""
    shown = _unmask(new_script, script.masks)
    new_cells = split_cells(shown)
    first = MARKER.format(script.cells[0] + 1) if script.cells else ""
    if sorted(new_cells) != [i + 1 for i in script.cells] or not shown.startswith(first):
        # a guard, as for comments: text outside every cell would be lost when splitting back
        raise ConvertError(
            "internal error: the conversion moved code outside the notebook's cells; nothing was changed"
        )
    changed = {}
    for number, text in new_cells.items():
        old = sources[number - 1]
        indent = script.indents.get(number, "")
        if indent:  # put back what IPython strips
            text = "".join(indent + ln if ln.strip() else ln for ln in text.splitlines(keepends=True))
        if "\r\n" in old and not re.search(r"(?<!\r)\n", old):  # the cell's own line breaks
            text = re.sub(r"(?<!\r)\n", "\r\n", text)
        if not old.endswith("\n"):  # its last line had no line break: it gets none
            text = text.removesuffix("\n").removesuffix("\r") if text.endswith("\n") else text
        if text != old:
            changed[number] = text
    return changed


def _cell_order(skip: Skip) -> tuple[int, int, int]:
    return (skip.location.cell or 0, skip.location.line, skip.location.column)


def script_from_bytes(data: bytes) -> str:
    """The code cells as one runnable script (IPython lines as comments): what verify runs."""
    return script_of(load(data)).text


def cell_diff(old: str, new: str, path: str) -> str:
    """Unified diffs per changed cell, each headed `path:cell[N]`."""
    before, after = split_cells(old), split_cells(new)
    return "".join(
        unified_diff(before.get(n, ""), after.get(n, ""), f"{path}:cell[{n}]")
        for n in sorted(set(before) | set(after))
        if before.get(n) != after.get(n)
    )
