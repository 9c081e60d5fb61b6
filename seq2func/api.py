"""The library API, and what the CLI and the language server are shells over: options
made and checked once, text (`convert_source`, `check_source`, `survey_source`,
`Document`), one file, many paths, and the two things that run a program in a child
process: `infer_shapes` and `prove`.

    >>> from seq2func.api import convert_source
    >>> result = convert_source(open("model.py").read(), input_shape=(28, 28, 1))
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from seq2func.config import make_options
from seq2func.core.files import write_back
from seq2func.drivers.paths import STDIN, Batch, FileReport, Report, check_paths, convert_paths
from seq2func.drivers.source import Document, check_bytes, convert_bytes, convert_text
from seq2func.notebook import is_notebook
from seq2func.rules import all_rules
from seq2func.types import CheckResult, Result, Survey, VerifySettings
from seq2func.verify import compare, infer_shapes, prove

__all__ = [
    "STDIN",
    "Batch",
    "Document",
    "FileReport",
    "Report",
    "VerifySettings",
    "all_rules",
    "check_bytes",
    "check_paths",
    "check_source",
    "compare",
    "convert_bytes",
    "convert_file",
    "convert_paths",
    "convert_source",
    "infer_shapes",
    "make_options",
    "prove",
    "survey_source",
]


def convert_source(code: str, **options: Any) -> Result:
    """Convert every Keras Sequential in `code`; raises ConvertError if it does not parse."""
    return convert_text(code, make_options(**options))


def check_source(code: str, *, fix: bool = False, line: int | None = None, **options: Any) -> CheckResult:
    """Run the lint rules (S2F101, ...; `select=`/`ignore=` pick) on `code`; with fix=True,
    `.new_text` has the fixes applied (with `line`, only the fix of the finding on that line)."""
    return Document(code, **options).check(fix=fix, line=line)


def survey_source(code: str, **options: Any) -> Survey:
    """Every Sequential construction with its span and what can be done to it, plus rule findings.

    Static and without formatting, so editors can ask it on every keystroke pause."""
    return Document(code, **options).survey()


def convert_file(path: str | Path, *, write: bool = False, **options: Any) -> Result:
    """Convert one file; with write=True the file is replaced (through the one writer) if it changed."""
    path = Path(path)
    original = path.read_bytes()
    result, new = convert_bytes(
        original, make_options(**options), notebook=is_notebook(str(path)), path=str(path)
    )
    if write and result.changed:
        write_back(path, original, new)
    return result
