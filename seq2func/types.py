"""The public vocabulary: what the API takes (Options) and gives back (Result, CheckResult,
Survey and their parts). Plain values, no LibCST nodes; imports nothing from the package.
Plans live in `convert.plan_types`, verdicts in `verify.verdict`, file reports in `paths`."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Style = Literal["model", "shared"]
# what a user can do about a model left as it is, or a verification that found no model:
# give its input shape (of a sequence: with the length), learn it by running the program,
# use the shared style, bind the model where the verifier can read it
Hint = Literal[
    "input-shape",
    "sequence-length",
    "infer-shapes",
    "shared-style",
    "bind-model",
    "python",
    "install-there",
    "keras2",
]
VerifyMode = Literal["equivalence", "sharing"]  # a conversion, or a fix that merges duplicate layers

SampleShape = tuple[int | None, ...]  # one sample's shape, what Input(shape=...) takes; None: any
BatchShape = tuple[int | None, ...]  # an array's shape, the batch first; None: not known statically

# every default, written once: the CLI, the API and the language server read these
LINE_LENGTH = 88  # black's
VERIFY_TIMEOUT = 300.0  # seconds allowed to one child process (a verification, a shape inference)
VERIFY_MEMORY_MB = 4096  # its address space; verifying the samples fits in 2048


class Exit:
    """Exit codes of every command (black's, plus one for an unproven conversion)."""

    OK = 0
    CHANGED = 1  # --check would change; findings remain; a verification found a difference
    USAGE = 2  # click's usage errors
    NOT_VERIFIED = 3  # a verification could not run; what it guarded was not written
    ERROR = 123  # a file could not be read, parsed or written


@dataclass(frozen=True)
class DataFile:
    """A data file the program names that lies beside it (`pd.read_csv("diabetes.csv")`):
    what its start says, read without running the program (`drivers.data_files`)."""

    name: str  # as the program writes it
    head: tuple[str, ...] = ()  # its first lines (a text file), ends stripped
    rows: int | None = None  # its lines that are not blank (a text file)
    array: BatchShape | None = None  # the shape a `.npy` file's header gives


@dataclass(frozen=True)
class Options:
    """What the user asked for; every field has the CLI's default."""

    line_length: int = LINE_LENGTH
    input_shape: SampleShape | None = None  # --input-shape fallback
    input_shape_from: str = "input_shape="  # where the user gave it, as the notes name it
    # shapes given for models by name (`--input-shape encoder=28,28,1`): (name, shape), sorted
    input_shapes: tuple[tuple[str, SampleShape], ...] = ()
    input_shapes_from: str = "input_shapes="
    line: int | None = None  # convert only the construction that spans this line
    style: Style = "model"
    lint: bool = True  # also report rule findings (S2F101, ...) in the converted source
    keras_modules: tuple[str, ...] = ()  # a project's own modules that are Keras (`mypkg.compat.keras`)
    # a project's functions that take a model (first argument) and return one with its input
    # (`mypkg.train.distill`): the data their result is fed gives the model's shape
    model_wrappers: frozenset[str] = frozenset()
    select: tuple[str, ...] = ()  # the rules whose findings are reported (codes or prefixes; () all)
    ignore: tuple[str, ...] = ()  # ... but not these
    infer_shapes: bool = False  # --infer-shapes: run the program to see the shapes models are given
    infer_timeout: float = VERIFY_TIMEOUT
    infer_python: str | None = None  # the interpreter --infer-shapes runs the program in
    # what --infer-shapes found: (line of the Sequential(...) call, per-sample input shape)
    inferred_shapes: tuple[tuple[int, SampleShape], ...] = ()
    clear_stale_outputs: bool = False  # a notebook's saved outputs that show the code as it was
    # the data files the program names that lie beside it (read by the CLI, from the file's path)
    data_files: tuple[DataFile, ...] = ()


@dataclass(frozen=True)
class VerifySettings:
    """How a child process that runs the user's program is bounded, and what a proof means."""

    timeout: float = VERIFY_TIMEOUT
    memory_mb: int = VERIFY_MEMORY_MB  # 0: no limit
    write_unverified: bool = False  # write when the proof could not run (never when it failed)
    mode: VerifyMode = "equivalence"
    python: str | None = None  # the interpreter the program runs in (None: seq2func's own)
    entry: str | None = None  # a call that builds the models, when none is left at module level
    whole: bool = False  # run the whole program, not only each model's slice of it
    strict_shapes: bool = False  # a shape only the converter's reading gives is not a proof


@dataclass(frozen=True)
class Location:
    line: int  # 1-based
    column: int  # 1-based, in characters
    cell: int | None = None  # in a notebook: the cell (1-based, markdown cells counted)

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}"
        return where if self.cell is None else f"cell[{self.cell}]:{where}"


@dataclass(frozen=True)
class Conversion:
    """One Sequential construction that was rewritten."""

    location: Location
    end_line: int  # last line of the original construction (its last add)
    model: str  # the code that names the model: "seq", "self.model", "<return>"
    layers: int  # layer expressions moved into the functional chain
    input_source: str  # where the Input(...) came from, in words
    style: Style = "model"
    note: str | None = None  # why the requested style was not used
    comprehension: bool = False  # a loop applies layers a comprehension or a built list gives (not counted)
    # the first and last line of its new code in the new text (a notebook's: a cell's line);
    # the last binds the model: its `Model(...)`, its function (shared style), its `return`
    new_start: Location | None = None
    new_end: Location | None = None


@dataclass(frozen=True)
class Skip:
    """One construction left untouched, with a stable reason code."""

    location: Location  # the node that stops the conversion (may lie outside the construction)
    code: str
    message: str
    end_line: int | None = None  # last line of the construction
    start_line: int | None = None  # first line of the construction
    hints: tuple[Hint, ...] = ()  # what the user can do about it; each shell says it in its words
    lines: tuple[int, ...] = ()  # the lines the message names (`... at line 12`)

    @property
    def span(self) -> tuple[int, int]:
        start = self.start_line or self.location.line
        return min(start, self.location.line), max(self.end_line or start, start)

    def explained(self, words: Mapping[Hint, str]) -> str:
        """The message, and what to do about it in a shell's `words`."""
        return with_hints(self.message, self.hints, words)


def with_hints(message: str, hints: Sequence[Hint], words: Mapping[Hint, str]) -> str:
    return "; ".join([message, ", or ".join(words[hint] for hint in hints)]) if hints else message


@dataclass(frozen=True)
class Finding:
    """One rule violation, as `seq2func check` reports it."""

    location: Location
    code: str  # S2F101, ...
    message: str
    end: Location | None = None
    fixable: bool = False
    no_fix: str | None = None  # why no fix is offered
    fixed: bool = False  # the fix was applied to CheckResult.new_text
    lines: tuple[int, ...] = ()  # the lines the message names


class _NewText:
    """`new_text` under its old name `code` (which also names reason and rule codes)."""

    source: str
    new_text: str

    @property
    def changed(self) -> bool:
        return self.new_text != self.source

    @property
    def code(self) -> str:
        warnings.warn(
            f"{type(self).__name__}.code is now {type(self).__name__}.new_text",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.new_text


@dataclass(frozen=True)
class Result(_NewText):
    """What converting one source text produced: `new_text`, what was converted, what was
    left as it is (with why), and the rule findings of `source`."""

    source: str
    new_text: str
    conversions: list[Conversion] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # lint findings (S2F...) in the source


@dataclass(frozen=True)
class CheckResult(_NewText):
    """What checking one source text found; `new_text` holds the fixes when asked for."""

    source: str
    new_text: str
    findings: list[Finding] = field(default_factory=list)
    # what was not checked, and why: a notebook cell that is not Python (never a failure)
    skips: list[Skip] = field(default_factory=list)


@dataclass(frozen=True)
class Site:
    """One Sequential construction as an editor sees it: where, and what can be done with it."""

    start_line: int  # the constructor line ...
    end_line: int  # ... through the last add()
    location: Location  # the Sequential(...) call
    model: str
    skip: Skip | None  # why it cannot be converted at all
    shared: str | None  # None when the shared style applies, else why not
    shared_lines: tuple[int, ...] = ()  # the lines `shared` names

    def touches(self, first: int, last: int) -> bool:
        return self.start_line <= last and first <= self.end_line


@dataclass(frozen=True)
class Survey:
    """Everything an editor asks about one text, without rendering any code."""

    sites: list[Site] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class InferredShapes:
    """What running a program (`--infer-shapes`) showed of its Sequential models."""

    shapes: tuple[tuple[int, SampleShape], ...] = ()  # (creation line, input shape)
    created: frozenset[int] = frozenset()  # lines of the Sequential(...) calls that ran
    conflicting: frozenset[int] = frozenset()  # models given data of different shapes
    stopped: str | None = None  # where the program failed, if it did
    error: str | None = None  # the run itself failed (no TensorFlow, timeout, ...)

    def to_dict(self) -> dict[str, Any]:
        """As JSON takes it: how the child process that ran the program hands it over."""
        return {
            "shapes": [[line, list(shape)] for line, shape in self.shapes],
            "created": sorted(self.created),
            "conflicting": sorted(self.conflicting),
            "stopped": self.stopped,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InferredShapes:
        return cls(
            tuple((line, tuple(shape)) for line, shape in data["shapes"]),
            frozenset(data["created"]),
            frozenset(data["conflicting"]),
            data["stopped"],
            data["error"],
        )

    def why_not(self, line: int) -> str:
        """Why the model created at `line` got no shape from the run."""
        if self.error:
            return f"the program could not be run to learn its input shapes: {self.error}"
        stopped = f" ({self.stopped})" if self.stopped else ""
        if line in self.conflicting:
            return "running the program showed it given data of different shapes"
        if line not in self.created:
            return f"running the program never created this model{stopped}"
        return f"running the program never built this model or gave it data{stopped}"


@dataclass(frozen=True)
class Observation:
    """A shape a notebook's saved output shows: `print(X_train.shape)` printed `(800, 11)`.
    `line` and `column` are those of the name `X_train` in the notebook's script."""

    name: str
    line: int
    column: int
    shape: BatchShape
    cell: int  # the notebook cell, counted from 1 (markdown cells included)


@dataclass(frozen=True)
class SummaryRow:
    """The first row of a `model.summary()` table a notebook's saved output shows: the layer
    class, its output shape and its parameter count. `line` and `column` are those of the
    name `model` in `model.summary()` in the notebook's script."""

    name: str
    line: int
    column: int
    cell: int
    layer: str
    output: BatchShape
    params: int


Observed = Observation | SummaryRow  # what a notebook's saved outputs show


@dataclass(frozen=True)
class NotebookFacts:
    """What a notebook tells beyond the text of its script: the shapes its saved outputs
    show, the names that its cells seq2func cannot read mention (what those cells do
    with them is unseen, so a model named there is left as is), and its IPython lines."""

    observed: tuple[Observed, ...] = ()
    unread: tuple[tuple[str, int], ...] = ()  # (a name, the cell that mentions it, counted from 1)
    # (script line, the IPython line masked there): what such a line binds or changes is unseen
    commands: tuple[tuple[int, str], ...] = ()


class ConvertError(Exception):
    """The source could not be converted at all (it does not parse)."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


@dataclass(frozen=True)
class TextEdit:
    """Replace source[start:end] (character offsets) with `text`."""

    start: int
    end: int
    text: str
