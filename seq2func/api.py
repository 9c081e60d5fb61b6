"""The library API: from source text up to files. The CLI and LSP are shells over it."""

from __future__ import annotations

import dataclasses
import io
import tokenize
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seq2func.config import ConfigError, check_option
from seq2func.notebook import is_notebook, script_from_bytes
from seq2func.notebook import transform as transform_notebook
from seq2func.types import CheckResult, ConvertError, Options, Result, Survey

if TYPE_CHECKING:
    from seq2func.paths import Batch, Report
    from seq2func.rules import Rule


def make_options(base: Options | None = None, **options: Any) -> Options:
    """Options from keywords, each checked as `[tool.seq2func]` checks it: a bad value is a
    ValueError (config.ConfigError) that names it, never a silent default."""
    unknown = sorted(set(options) - {f.name for f in dataclasses.fields(Options)})
    if unknown:
        raise ConfigError(f"unknown option{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
    checked = {key: check_option(key, value) for key, value in options.items()}
    return dataclasses.replace(base or Options(), **checked)


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


def syntax_check(data: bytes, *, notebook: bool = False) -> None:
    """Raise ConvertError when Python cannot read `data` (encoding or syntax); no LibCST."""
    from seq2func.rewrite import python_syntax

    python_syntax(script_from_bytes(data) if notebook else decode(data).text)


def encode(text: str, like: Decoded) -> bytes:
    data = text.encode(like.encoding)
    return b"\xef\xbb\xbf" + data if like.bom else data


def convert_bytes(
    data: bytes, options: Options, *, notebook: bool = False, path: str | None = None
) -> tuple[Result, bytes]:
    """Convert a file's bytes; with options.infer_shapes, models of unknown input shape get
    the shape that running the program (`path`, the file the bytes came from) gives them."""
    from seq2func.rewrite import convert_text

    def convert(script: str) -> Result:
        result = convert_text(script, options)
        if options.infer_shapes and path is not None and path != "-":
            result = with_inferred_shapes(script, result, options, path)
        return result

    if notebook:
        return transform_notebook(data, convert)
    decoded = decode(data)
    result = convert(decoded.text)
    return result, (encode(result.code, decoded) if result.changed else data)


def with_inferred_shapes(script: str, result: Result, options: Options, path: str) -> Result:
    """`result` again, its models of unknown input shape converted with the shapes a run of
    the program gave them; those still unknown say why the run did not tell."""
    if not any(s.code == "input-shape-unknown" for s in result.skips):
        return result
    from seq2func.rewrite import convert_text
    from seq2func.verify.runner import infer_shapes

    found = infer_shapes(path, script, timeout=options.infer_timeout)
    if found.shapes:
        result = convert_text(script, dataclasses.replace(options, inferred_shapes=found.shapes))
    result.skips = [
        dataclasses.replace(s, message=f"{s.message}; {found.why_not(s.location.line)}")
        if s.code == "input-shape-unknown"
        else s
        for s in result.skips
    ]
    return result


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

    def __init__(self, text: str, options: Options | None = None, **overrides: Any) -> None:
        self.text = text
        self.options = make_options(options, **overrides)
        self._analysis: Any = None
        self._survey: Survey | None = None

    @property
    def analysis(self) -> Any:
        if self._analysis is None:
            from seq2func.rewrite import analyse

            self._analysis = analyse(self.text, keras_modules=self.options.keras_modules)
        return self._analysis

    def survey(self) -> Survey:
        if self._survey is None:
            from seq2func.rewrite import survey_text

            if "Sequential" not in self.text and "keras" not in self.text:
                self._survey = Survey()  # nothing to find: not worth a parse (most files an editor opens)
            else:
                self._survey = survey_text(self.text, self.options, self.analysis)
        return self._survey

    @property
    def outline(self) -> Any:
        """What narrowing found of the text (`narrow.Outline`), None where it was not parsed."""
        return None if self._analysis is None else self._analysis.outline

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
            rules=select_rules(select or self.options.select or None, () if select else self.options.ignore),
            analysis=self.analysis,
            line=line,
            keras_modules=self.options.keras_modules,
        )


def check_bytes(
    data: bytes,
    fix: bool,
    line_length: int = 88,
    rules: Any = None,
    *,
    notebook: bool = False,
    keras_modules: Sequence[str] = (),
    path: str | None = None,  # unused: checking never runs the program
) -> tuple[CheckResult, bytes]:
    from seq2func.check import check_text

    def check(script: str) -> CheckResult:
        return check_text(script, fix=fix, line_length=line_length, rules=rules, keras_modules=keras_modules)

    if notebook:
        return transform_notebook(data, check)
    decoded = decode(data)
    result = check(decoded.text)
    return result, (encode(result.code, decoded) if result.changed else data)


def convert_file(path: str | Path, *, write: bool = False, **options: Any) -> Result:
    """Convert one file; with write=True the file is replaced atomically if it changed."""
    from seq2func.files import write_back

    path = Path(path)
    original = path.read_bytes()
    result, new = convert_bytes(original, make_options(**options), notebook=is_notebook(str(path)))
    if write and result.changed:
        write_back(path, original, new)
    return result


def convert_paths(
    paths: Sequence[str], options: Options, batch: Batch | None = None, *, check: bool = False
) -> Report:
    """Convert files and trees: collect, convert (in a pool), verify, and only then write."""
    from seq2func.paths import Batch, convert_paths

    return convert_paths(paths, options, batch or Batch(), check=check)


def check_paths(
    paths: Sequence[str],
    batch: Batch | None = None,
    *,
    fix: bool = False,
    line_length: int = 88,
    rules: Sequence[Rule] | None = None,
    keras_modules: Sequence[str] = (),
) -> Report:
    """Check files and trees; with fix (and batch.write) write the fixes that (with batch.verify) proved out."""
    from seq2func.paths import Batch, check_paths

    return check_paths(
        paths, batch or Batch(), fix=fix, line_length=line_length, rules=rules, keras_modules=keras_modules
    )
