"""The library API: from source text up to files. The CLI and LSP are shells over it."""

from __future__ import annotations

import dataclasses
import io
import tokenize
from pathlib import Path
from typing import Any

from seq2func.types import CheckResult, ConvertError, Options, Result, Survey


def make_options(**options: Any) -> Options:
    if "input_shape" in options and options["input_shape"] is not None:
        options["input_shape"] = tuple(options["input_shape"])
    return dataclasses.replace(Options(), **options)


def convert_source(code: str, **options: Any) -> Result:
    """Convert every Keras Sequential in `code`; raises ConvertError if it does not parse."""
    from seq2func.rewrite import convert_text

    return convert_text(code, make_options(**options))


@dataclasses.dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    bom: bool


def decode(data: bytes) -> Decoded:
    """Bytes -> text the way Python reads source: BOM and coding cookie honoured, newlines kept."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise ConvertError(f"cannot decode: {error}") from None
    bom = encoding == "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ConvertError(f"cannot decode as {encoding}: {error.reason}") from None
    return Decoded(text, "utf-8" if bom else encoding, bom)


def encode(text: str, like: Decoded) -> bytes:
    data = text.encode(like.encoding)
    return b"\xef\xbb\xbf" + data if like.bom else data


def convert_bytes(data: bytes, options: Options) -> tuple[Result, bytes]:
    from seq2func.rewrite import convert_text

    decoded = decode(data)
    result = convert_text(decoded.text, options)
    return result, (encode(result.code, decoded) if result.changed else data)


def check_source(
    code: str,
    *,
    fix: bool = False,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    line_length: int = 88,
    line: int | None = None,
) -> CheckResult:
    """Run the lint rules (S2F101, ...) on `code`; with fix=True, `.code` has the fixes applied
    (with `line`, only the fix of the finding reported on that line)."""
    from seq2func.check import check_text, select_rules

    return check_text(
        code, fix=fix, line_length=line_length, rules=select_rules(select, ignore or ()), line=line
    )


def survey_source(code: str, **options: Any) -> Survey:
    """Every Sequential construction with its span and what can be done to it, plus rule findings.

    Static and without formatting, so editors can ask it on every keystroke pause."""
    return Document(code, **options).survey()


class Document:
    """One text, parsed and analysed once, asked many questions: what an editor needs.

    Raises ConvertError (from any method) when the text does not parse."""

    def __init__(self, text: str, **options: Any) -> None:
        self.text = text
        self.options = make_options(**options)
        self._analysis: Any = None
        self._survey: Survey | None = None

    @property
    def analysis(self) -> Any:
        if self._analysis is None:
            from seq2func.find import Analysis
            from seq2func.rewrite import parse

            self._analysis = Analysis(parse(self.text))
        return self._analysis

    def survey(self) -> Survey:
        if self._survey is None:
            from seq2func.rewrite import survey_text

            if "Sequential" not in self.text and "keras" not in self.text:
                self._survey = Survey()  # nothing to find: not worth a parse (most files an editor opens)
            else:
                self._survey = survey_text(self.text, self.options, self.analysis)
        return self._survey

    def convert(self, **overrides: Any) -> Result:
        """Like convert_source, e.g. convert(line=12, style="shared"), without parsing again."""
        from seq2func.rewrite import convert_text

        return convert_text(self.text, dataclasses.replace(self.options, **overrides), self.analysis)

    def check(
        self, *, fix: bool = False, select: list[str] | None = None, line: int | None = None
    ) -> CheckResult:
        from seq2func.check import check_text, select_rules

        return check_text(
            self.text,
            fix=fix,
            line_length=self.options.line_length,
            rules=select_rules(select),
            analysis=self.analysis,
            line=line,
        )


def check_bytes(
    data: bytes, fix: bool, line_length: int = 88, rules: Any = None
) -> tuple[CheckResult, bytes]:
    from seq2func.check import check_text

    decoded = decode(data)
    result = check_text(decoded.text, fix=fix, line_length=line_length, rules=rules)
    return result, (encode(result.code, decoded) if result.changed else data)


def convert_file(path: str | Path, *, write: bool = False, **options: Any) -> Result:
    """Convert one file; with write=True the file is replaced atomically if it changed."""
    from seq2func.files import write_atomic

    path = Path(path)
    result, new = convert_bytes(path.read_bytes(), make_options(**options))
    if write and result.changed:
        write_atomic(path, new)
    return result


@dataclasses.dataclass
class FileReport:
    """The outcome for one path: a Result, or an error that left the file untouched."""

    path: str
    result: Result | CheckResult | None = None
    new_data: bytes | None = None  # the converted bytes, when they differ
    error: str | None = None
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.new_data is not None


def convert_path(path: str, options: Options, write: bool = False) -> FileReport:
    """Convert one file, never raising: parse and read errors become the report's error."""
    from seq2func.files import write_atomic

    report = FileReport(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        report.error = f"{path}:1:1: cannot read: {error.strerror or error}"
        return report
    if b"Sequential" not in data:  # cheap: most files in a tree have no model
        report.result = Result("", "")
        return report
    return _finish(
        report, lambda: convert_bytes(data, options), write, lambda new: write_atomic(Path(path), new)
    )


def convert_data(path: str, data: bytes, options: Options) -> FileReport:
    return _finish(FileReport(path), lambda: convert_bytes(data, options), False, None)


def check_path(
    path: str, fix: bool = False, line_length: int = 88, rules: Any = None, data: bytes | None = None
) -> FileReport:
    """Check one file (or the given bytes), never raising; fixes are returned, not written."""
    report = FileReport(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            report.error = f"{path}:1:1: cannot read: {error.strerror or error}"
            return report
    if b"keras" not in data:  # every rule is about Keras code
        report.result = CheckResult("", "")
        return report
    source = data
    return _finish(report, lambda: check_bytes(source, fix, line_length, rules), False, None)


def _finish(report: FileReport, transform: Any, write: bool, writer: Any) -> FileReport:
    try:
        result, new = transform()
    except ConvertError as error:
        where = error.location or "1:1"
        report.error = f"{report.path}:{where}: {error.message}"
        return report
    except Exception as error:  # a bug in seq2func must not take the whole run down
        report.error = f"{report.path}:1:1: internal error: {type(error).__name__}: {error}"
        return report
    report.result = result
    if result.changed:
        report.new_data = new
        if write and writer is not None:
            writer(new)
            report.written = True
    return report
