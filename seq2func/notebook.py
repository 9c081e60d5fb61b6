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

import dataclasses
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from seq2func.edits import unified_diff
from seq2func.types import CheckResult, ConvertError, Location, Result

SUFFIX = ".ipynb"
MARKER = "# %% [seq2func cell {}]"
_MARKER_LINE = re.compile(r"^# %% \[seq2func cell (\d+)\]\n?$")
# Cell magics whose body is Python: only their first line is masked.
PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug", "pypy"}
_LINE_MAGIC = re.compile(r"^\s*(?:[%!]|[\w.,\s\[\]()]+=\s*[%!](?!=))")

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


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _mask(lines: list[str], token: str, masks: dict[str, str]) -> list[str]:
    """IPython lines become comments the converter keeps; a cell magic with a body that is
    not Python masks the whole cell."""
    first = lines[0].lstrip() if lines else ""
    cell_magic = first.startswith("%%")
    name = first[2:].split()[0] if cell_magic and first[2:].split() else ""
    whole = cell_magic and name not in PYTHON_CELL_MAGICS
    out = []
    for i, line in enumerate(lines):
        if whole or (i == 0 and cell_magic) or _LINE_MAGIC.match(line):
            body = line.rstrip("\r\n")
            indent = body[: len(body) - len(body.lstrip())] if not whole else ""
            placeholder = f"{indent}# <seq2func {token} {len(masks)}>"
            masks[placeholder] = body
            out.append(placeholder + line[len(body) :])
        else:
            out.append(line)
    return out


def script_of(notebook: dict[str, Any]) -> Script:
    token = uuid.uuid4().hex[:12]
    parts: list[str] = []
    cells: list[int] = []
    starts: list[int] = []
    masks: dict[str, str] = {}
    line = 1
    for index, cell in enumerate(notebook.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        if source and not source.endswith("\n"):
            source += "\n"
        body = "".join(_mask(source.splitlines(keepends=True), token, masks))
        parts.append(MARKER.format(index + 1) + "\n" + body)
        cells.append(index)
        starts.append(line + 1)
        line += 1 + body.count("\n")
    return Script("".join(parts), cells, masks, starts)


def _unmask(text: str, masks: dict[str, str]) -> str:
    if not masks:
        return text
    return "".join(
        masks.get(line.rstrip("\r\n"), line.rstrip("\r\n")) + line[len(line.rstrip("\r\n")) :]
        for line in text.splitlines(keepends=True)
    )


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


def _set_source(cell: dict[str, Any], text: str, had_newline: bool) -> None:
    if not had_newline and text.endswith("\n"):
        text = text[:-1]
    if isinstance(cell.get("source"), list):
        cell["source"] = text.splitlines(keepends=True)
    else:
        cell["source"] = text


def _to_cell(location: Location, script: Script) -> Location:
    """A line of the script -> the cell holding it and the line within that cell."""
    k = max((i for i, start in enumerate(script.starts) if start <= location.line), default=0)
    if not script.starts:
        return location
    line = max(location.line - script.starts[k] + 1, 1)
    return dataclasses.replace(location, line=line, cell=script.cells[k] + 1)


def _relocate(result: AnyResult, script: Script) -> AnyResult:
    findings = [
        dataclasses.replace(f, location=_to_cell(f.location, script), end=f.end and _to_cell(f.end, script))
        for f in result.findings
    ]
    if isinstance(result, CheckResult):
        return dataclasses.replace(result, findings=findings)

    def line_in_cell(line: int | None) -> int | None:
        return None if line is None else _to_cell(Location(line, 1), script).line

    conversions = [
        dataclasses.replace(c, location=_to_cell(c.location, script), end_line=line_in_cell(c.end_line) or 1)
        for c in result.conversions
    ]
    skips = [
        dataclasses.replace(
            s,
            location=_to_cell(s.location, script),
            start_line=line_in_cell(s.start_line),
            end_line=line_in_cell(s.end_line),
        )
        for s in result.skips
    ]
    return dataclasses.replace(result, conversions=conversions, skips=skips, findings=findings)


def transform(data: bytes, on_script: Callable[[str], AnyResult]) -> tuple[AnyResult, bytes]:
    """Run a text transform (convert or check) over a notebook's code cells."""
    notebook = load(data)
    script = script_of(notebook)
    result = on_script(script.text)
    shown = dataclasses.replace(
        result, source=_unmask(result.source, script.masks), code=_unmask(result.code, script.masks)
    )
    shown = _relocate(shown, script)
    if not result.changed:
        return shown, data
    layout = layout_of(data, notebook)
    new_cells = split_cells(shown.code)
    first = MARKER.format(script.cells[0] + 1) if script.cells else ""
    if sorted(new_cells) != [i + 1 for i in script.cells] or not shown.code.startswith(first):
        # a guard, as for comments: text outside every cell would be lost when splitting back
        raise ConvertError(
            "internal error: the conversion moved code outside the notebook's cells; nothing was changed"
        )
    for number, text in new_cells.items():
        cell = notebook["cells"][number - 1]
        old = _source(cell)
        if text != (old if not old or old.endswith("\n") else old + "\n"):
            _set_source(cell, text, old.endswith("\n"))
    return shown, layout.dump(notebook)


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
