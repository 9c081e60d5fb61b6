"""One text, or one file's bytes: convert, check and survey it (`--infer-shapes` runs the
program through `verify.infer_shapes` first). The level below `paths` (which runs this
over many files) and `api` (which presents it); the one place where a conversion's result
gets its rule findings."""

from __future__ import annotations

import ast
import dataclasses
import io
import tokenize
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from seq2func.analysis.find import Analysis
from seq2func.analysis.narrow import Outline
from seq2func.analysis.parse import analyse, compiles_in_parts, outside_functions
from seq2func.config import make_options
from seq2func.convert import rewrite
from seq2func.drivers.data_files import data_files
from seq2func.drivers.windowed import (
    WHOLE_CHARS,
    check_windowed,
    convert_windowed,
    in_windows,
    survey_windowed,
)
from seq2func.notebook import script_from_bytes
from seq2func.notebook import transform as transform_notebook
from seq2func.rules import select_rules
from seq2func.rules.base import Rule
from seq2func.rules.engine import check_text
from seq2func.types import (
    CheckResult,
    ConvertError,
    Hint,
    NotebookFacts,
    Options,
    Result,
    Survey,
    VerifySettings,
)
from seq2func.verify import infer_shapes

if TYPE_CHECKING:
    from seq2func.drivers.incremental import Edited, Surveyed


def rules_of(options: Options) -> list[Rule]:
    """The rules `options` selects (`select`/`ignore`, checked when the options were made)."""
    return select_rules(options.select or None, options.ignore)


def convert_text(
    text: str, options: Options, analysis: Analysis | None = None, notebook: NotebookFacts | None = None
) -> Result:
    """Every Keras Sequential of `text` converted (or skipped, with the reason), and, unless
    `options.lint` is off, the rule findings of `text`; ConvertError if it does not parse.
    `notebook`: what a notebook tells beyond its script (`text`). A large text is converted
    a window at a time (see `windowed`)."""
    # a bare input shape is given to a model only when no other model of the whole text needs
    # one (`inputs.input_spec`): a window does not see the whole text (read whole if it can be)
    if analysis is None and (options.input_shape is None or len(text) > WHOLE_CHARS):
        windowed = in_windows(lambda: convert_windowed(text, options, rules_of(options), notebook), text)
        if windowed is not None:
            return windowed
    analysis = analysis or analyse(text, keras_modules=options.keras_modules, notebook=notebook)
    result = rewrite.convert_text(text, options, analysis)
    if not options.lint:
        return result
    found = check_text(text, analysis=analysis, keras_modules=options.keras_modules, rules=rules_of(options))
    return dataclasses.replace(result, findings=found.findings)


# An editor holds a text's narrowed analysis whole, so that an edit's survey starts from the
# last one's (a tenth of the work); past this size it reads the text in windows as the CLI
# does, and surveys each edit anew: LibCST's tree would outgrow the server's memory.
EDITOR_WINDOWS_CHARS = 2 * 2**20


# the options an editor's action sets (`Document.convert`): none changes what a survey says
_ACTIONS = frozenset({"line", "lint", "style"})


class Document:
    """One text, parsed and analysed once, asked many questions: what an editor needs.

    Raises ConvertError (from any method) when the text does not parse."""

    def __init__(
        self,
        text: str,
        options: Options | None = None,
        notebook: NotebookFacts | None = None,
        *,
        before: Document | None = None,
        **overrides: Any,
    ) -> None:
        """`before`: the same buffer before an edit, surveyed: the survey starts from its one."""
        self.text = text
        self.notebook = notebook  # `text` is a notebook's script: what the notebook tells beyond it
        self.options = make_options(options, **overrides)
        # memoized by hand: functools.cached_property holds one lock for every instance
        # (Python < 3.12), so one large buffer's parse would hold up every other's
        self._analysis: Analysis | None = None
        self._survey: Survey | None = None
        self._surveyed: Surveyed | None = None  # what the next edit's survey starts from
        self._edited: Edited | None = None  # the part of the text the survey analysed anew
        # the last analysis of some statements (`_focused`), by the units it was asked for
        self._part: tuple[tuple[bool, ...], Analysis | None] | None = None
        same = before is not None and (before.options, before.notebook) == (self.options, notebook)
        # an edit's shortcut analyses part of the text: a bare input shape needs all of it
        same = same and self.options.input_shape is None
        self._before = before._surveyed if before is not None and same else None

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = analyse(
                self.text, keras_modules=self.options.keras_modules, notebook=self.notebook
            )
        return self._analysis

    @analysis.setter
    def analysis(self, analysis: Analysis) -> None:
        """Another analysis of the same text (the whole module, not narrowed: tests compare)."""
        self._analysis, self._survey = analysis, None

    def survey(self) -> Survey:
        """Every Sequential construction with its span and what can be done to it, plus rule
        findings; static and without formatting, so editors can ask it on every pause."""
        if self._survey is None:
            if "Sequential" not in self.text and "keras" not in self.text:
                self._survey = Survey()  # nothing to find: not worth a parse (most files an editor opens)
            else:
                # an edit's survey is the editor's: `seq2func convert` does not load it
                from seq2func.drivers.incremental import (
                    Surveyed,  # see `LAZY_OWN` in tests/test_architecture.py
                )

                self._edited = self._after_edit()
                windows = self._survey_in_windows() if self._edited is None else None
                if self._edited is not None:
                    self._surveyed = self._edited.surveyed
                    self._survey = self._surveyed.survey
                elif windows is not None:
                    # no analysis held: a large text is never read whole
                    self._surveyed, self._survey = windows, windows.survey
                else:
                    self._survey = self._surveyed_in(self.analysis)
                    self._surveyed = Surveyed.of(self.text, self.analysis, self._survey)
            self._before = None  # let the older text go
        return self._survey

    def _survey_in_windows(self) -> Surveyed | None:
        """The survey of a large text, a window at a time as the CLI converts it (None: the
        text is short, or cannot be read in windows and is read whole)."""
        if len(self.text) < EDITOR_WINDOWS_CHARS or self._analysis is not None:
            return None  # held whole, an edit's survey starts from the last one's
        if self.options.input_shape is not None:
            return None  # a bare input shape goes to a model no other one of the text needs
        rules = rules_of(self.options)
        return in_windows(lambda: survey_windowed(self.text, self.options, rules, self.notebook), self.text)

    def _surveyed_in(self, analysis: Analysis) -> Survey:
        sites = rewrite.survey_sites(self.text, self.options, analysis)
        return Survey(sites, self._check(analysis).findings)

    def _after_edit(self) -> Edited | None:
        if self._before is None or self._analysis is not None:
            return None
        from seq2func.drivers.incremental import after_edit

        return after_edit(
            self._before, self.text, self._surveyed_in, self.options.keras_modules, self.notebook
        )

    def _focused(self, lines: Collection[int]) -> Analysis | None:
        """An analysis that converts the models at `lines`, and fixes the findings there, as
        the whole text's would: the one held, or one of the statements holding them and all
        they reach, from the last survey (an edit's, which holds no whole analysis).
        None when neither can be had."""
        if self._analysis is not None:
            return self._analysis
        if self._before is not None:
            self.survey()  # from the last edit's survey, if it can be
        surveyed = self._surveyed
        if surveyed is None:
            return None
        picked = [any(u.first <= n <= u.last for n in lines) for u in surveyed.units]
        edited = self._edited
        if edited is not None and all(k for k, p in zip(edited.kept, picked, strict=True) if p):
            return edited.analysis  # the edit's survey analysed them already
        key = tuple(picked)
        if self._part is None or self._part[0] != key:
            from seq2func.drivers.incremental import focused_on

            part = focused_on(surveyed, picked, self.options.keras_modules, self.notebook)
            self._part = (key, part)
        return self._part[1]

    @property
    def _surveying(self) -> bool:
        """Whether the text is (or is about to be) surveyed: an editor's, whose survey tells
        which statements an action reads. A bare input shape is a fact of the whole text."""
        return (self._survey is not None or self._before is not None) and self.options.input_shape is None

    @property
    def outline(self) -> Outline | None:
        """What narrowing found of the text, None where it was not parsed (yet)."""
        analysis = self._analysis or (self._edited.analysis if self._edited else None)
        return None if analysis is None else analysis.outline

    def convert(self, **overrides: Any) -> Result:
        """Like `convert_text`, e.g. convert(line=12, style="shared"), without parsing again."""
        options = dataclasses.replace(self.options, **overrides)
        analysis = self._analysis
        if analysis is None and self._surveying and not options.lint and set(overrides) <= _ACTIONS:
            # what an editor's actions ask (one model, or all, no findings): from the last
            # survey, the statements of the models asked for
            line = options.line
            asked = [s for s in self.survey().sites if line is None or s.touches(line, line)]
            if asked:
                analysis = self._focused([n for s in asked for n in (s.start_line, s.end_line)])
        # none held (a large text's survey was windowed): converted as the CLI converts it,
        # a large text a window at a time
        return convert_text(self.text, options, analysis, self.notebook)

    def check(
        self, *, fix: bool = False, select: Sequence[str] | None = None, line: int | None = None
    ) -> CheckResult:
        """The rule findings (`select`: other rules than the options pick); with fix=True,
        `.new_text` has the fixes applied (with `line`, only the fix of the finding on that line)."""
        return self._check(self.analysis, fix=fix, select=select, line=line)

    def fixed_text(self, *, select: Sequence[str] | None = None, line: int | None = None) -> str:
        """`check(fix=True, select=select, line=line).new_text`, reading only the statements of
        the findings to fix: those of the last survey (which finds what `check` finds)."""
        chosen = {r.code for r in rules_of(self.options)}
        if self._analysis is not None or not self._surveying or not chosen.issuperset(select or chosen):
            return self.check(fix=True, select=select, line=line).new_text
        survey = self.survey()
        wanted = [
            f.location.line
            for f in survey.findings
            if f.fixable and (select is None or f.code in select) and line in (None, f.location.line)
        ]
        if not wanted:
            return self.text  # nothing to fix
        analysis = self._focused(wanted) or self.analysis
        return self._check(analysis, fix=True, select=select, line=line).new_text

    def _check(
        self,
        analysis: Analysis,
        *,
        fix: bool = False,
        select: Sequence[str] | None = None,
        line: int | None = None,
    ) -> CheckResult:
        rules = select_rules(select) if select else rules_of(self.options)
        return check_text(
            self.text,
            fix=fix,
            line_length=self.options.line_length,
            rules=rules,
            analysis=analysis,
            line=line,
            keras_modules=self.options.keras_modules,
        )


# -- bytes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
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


def syntax_check(data: bytes, *, notebook: bool = False) -> None:
    """Raise ConvertError when Python cannot read `data` (encoding or syntax); no LibCST."""
    text = script_from_bytes(data) if notebook else decode(data).text
    compiles_in_parts(text)
    if not notebook and ("await" in text or "async" in text):  # CPython's refusal, not IPython's
        outside_functions(ast.parse(text), text)


def convert_bytes(
    data: bytes, options: Options, *, notebook: bool = False, path: str | None = None
) -> tuple[Result, bytes]:
    """Convert a file's bytes; with options.infer_shapes, models of unknown input shape get
    the shape that running the program (`path`, the file the bytes came from) gives them."""

    def convert(script: str, notebook: NotebookFacts | None = None) -> Result:
        given = options
        if path is not None and path != "-" and not options.data_files:
            # the data files it names beside it (their first lines), read without running it
            given = dataclasses.replace(options, data_files=data_files(script, Path(path).resolve().parent))
        result = convert_text(script, given, notebook=notebook)
        if options.infer_shapes and path is not None and path != "-":
            result = with_inferred_shapes(script, result, options, path, notebook)
        return result

    if notebook:
        return transform_notebook(data, convert, options.clear_stale_outputs)
    decoded = decode(data)
    result = convert(decoded.text)
    return result, (encode(result.new_text, decoded) if result.changed else data)


def check_bytes(
    data: bytes,
    options: Options,
    *,
    fix: bool = False,
    notebook: bool = False,
    path: str | None = None,  # unused: checking never runs the program
) -> tuple[CheckResult, bytes]:
    """Check a file's bytes with the rules `options` selects; with fix, the fixed bytes."""
    rules = rules_of(options)

    def check(script: str, notebook: NotebookFacts | None = None) -> CheckResult:
        if not fix:
            found = in_windows(lambda: check_windowed(script, rules, options.keras_modules), script)
            if found is not None:
                return found
        return check_text(
            script, fix=fix, line_length=options.line_length, rules=rules, keras_modules=options.keras_modules
        )

    if notebook:
        return transform_notebook(data, check)
    decoded = decode(data)
    result = check(decoded.text)
    return result, (encode(result.new_text, decoded) if result.changed else data)


# -- running the program -----------------------------------------------------------------------


def with_inferred_shapes(
    script: str, result: Result, options: Options, path: str, notebook: NotebookFacts | None = None
) -> Result:
    """`result` again, its models of unknown input shape converted with the shapes a run of
    the program gave them; those still unknown say why the run did not tell."""
    if not any(s.code == "input-shape-unknown" for s in result.skips):
        return result
    found = infer_shapes(
        path, script, VerifySettings(timeout=options.infer_timeout, python=options.infer_python)
    )
    if found.shapes:
        result = convert_text(
            script, dataclasses.replace(options, inferred_shapes=found.shapes), notebook=notebook
        )
    # the run was tried: what is left to do is to give the shape, or (when the program could
    # not import a package) to run it in the project's interpreter
    missing = "ImportError" in f"{found.stopped} {found.error}" or "ModuleNotFoundError" in f"{found.stopped}"
    hints: tuple[Hint, ...] = (
        () if not missing else ("python",) if options.infer_python is None else ("install-there",)
    )
    skips = [
        dataclasses.replace(
            s,
            message=f"{s.message}; {found.why_not(s.location.line)}",
            hints=(*(h for h in s.hints if h != "infer-shapes"), *hints),
        )
        if s.code == "input-shape-unknown"
        else s
        for s in result.skips
    ]
    return dataclasses.replace(result, skips=skips)
