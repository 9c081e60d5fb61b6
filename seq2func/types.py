"""The vocabulary: every type that crosses a module boundary. Imports nothing from the
package at run time (LibCST node types and `Construction` are named for the type checker only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import libcst as cst

    from seq2func.find import Construction

Style = Literal["model", "shared"]


class Exit:
    """Exit codes of every command (black's, plus one for an unproven conversion)."""

    OK = 0
    CHANGED = 1  # --check would change; findings remain; a verification found a difference
    USAGE = 2  # click's usage errors
    NOT_VERIFIED = 3  # a verification could not run; what it guarded was not written
    ERROR = 123  # a file could not be read, parsed or written


@dataclass(frozen=True)
class Options:
    """What the user asked for; every field has the CLI's default."""

    line_length: int = 88
    input_shape: tuple[int | None, ...] | None = None  # --input-shape fallback
    line: int | None = None  # convert only the construction that spans this line
    style: Style = "model"
    lint: bool = True  # also report rule findings (S2F101, ...) in the converted source
    keras_modules: tuple[str, ...] = ()  # a project's own modules that are Keras (`mypkg.compat.keras`)
    select: tuple[str, ...] = ()  # the rules whose findings are reported (codes or prefixes; () all)
    ignore: tuple[str, ...] = ()  # ... but not these
    infer_shapes: bool = False  # --infer-shapes: run the program to see the shapes models are given
    infer_timeout: float = 300.0
    # what --infer-shapes found: (line of the Sequential(...) call, per-sample input shape)
    inferred_shapes: tuple[tuple[int, tuple[int | None, ...]], ...] = ()


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
    style: str = "model"  # "model" or "shared"
    note: str | None = None  # why the requested style was not used
    comprehension: bool = False  # a loop applies the layers a comprehension makes (not counted)


@dataclass(frozen=True)
class Skip:
    """One construction left untouched, with a stable reason code."""

    location: Location  # the node that stops the conversion (may lie outside the construction)
    code: str
    message: str
    end_line: int | None = None  # last line of the construction
    start_line: int | None = None  # first line of the construction

    @property
    def span(self) -> tuple[int, int]:
        start = self.start_line or self.location.line
        return min(start, self.location.line), max(self.end_line or start, start)


@dataclass(frozen=True)
class Finding:
    """One rule violation, as `seq2func check` reports it."""

    location: Location
    code: str  # S2F101, ...
    message: str
    end: Location | None = None
    fixable: bool = False
    no_fix: str | None = None  # why no fix is offered
    fixed: bool = False  # the fix was applied to CheckResult.code


@dataclass
class Result:
    """What converting one source text produced. `code` is the new text."""

    source: str
    code: str
    conversions: list[Conversion] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # lint findings (S2F...) in the source

    @property
    def changed(self) -> bool:
        return self.code != self.source


@dataclass
class CheckResult:
    """What checking one source text found; `code` holds the fixes when asked for."""

    source: str
    code: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.code != self.source


@dataclass(frozen=True)
class Site:
    """One Sequential construction as an editor sees it: where, and what can be done with it."""

    start_line: int  # the constructor line ...
    end_line: int  # ... through the last add()
    location: Location  # the Sequential(...) call
    model: str
    skip: Skip | None  # why it cannot be converted at all
    shared: str | None  # None when the shared style applies, else why not

    def touches(self, first: int, last: int) -> bool:
        return self.start_line <= last and first <= self.end_line


@dataclass
class Survey:
    """Everything an editor asks about one text, without rendering any code."""

    sites: list[Site] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


INFER_HINT = "--infer-shapes to learn it by running the program"  # in input-shape-unknown skips


@dataclass(frozen=True)
class InferredShapes:
    """What running a program (`--infer-shapes`) showed of its Sequential models."""

    shapes: tuple[tuple[int, tuple[int | None, ...]], ...] = ()  # (creation line, input shape)
    created: frozenset[int] = frozenset()  # lines of the Sequential(...) calls that ran
    conflicting: frozenset[int] = frozenset()  # models given data of different shapes
    stopped: str | None = None  # where the program failed, if it did
    error: str | None = None  # the run itself failed (no TensorFlow, timeout, ...)

    def why_not(self, line: int) -> str:
        """Why the model created at `line` got no shape from the run."""
        if self.error:
            return f"--infer-shapes could not run the program: {self.error}"
        stopped = f" ({self.stopped})" if self.stopped else ""
        if line in self.conflicting:
            return "--infer-shapes saw it given data of different shapes"
        if line not in self.created:
            return f"--infer-shapes ran the program, which never created this model{stopped}"
        return f"--infer-shapes ran the program, which never built this model or gave it data{stopped}"


class ConvertError(Exception):
    """The source could not be converted at all (it does not parse)."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


# -- plans: what planning hands to rendering -------------------------------------------------


@dataclass
class Statement:
    """One generated statement; `{x}`-style holes are already filled."""

    code: str
    trailing_comment: str | None = None


@dataclass
class Verbatim:
    """A line placed as written: a comment, a blank line, or code that needs no formatting."""

    text: str


Part = Statement | Verbatim
EditKind = Literal["replace", "before", "after", "delete", "replace-line"]


@dataclass
class Edit:
    """Replace `node`'s text, or insert before/after a block statement, or delete a line."""

    kind: EditKind
    node: cst.CSTNode
    parts: list[Part] = field(default_factory=list)
    indent_from: cst.CSTNode | None = None  # whose line gives the indentation
    at_line: int | None = None  # "before": insert above this line instead of the node's first
    blank_before: int = 0  # blank lines wanted around inserted text, counting those already there
    blank_after: int = 0


@dataclass
class Plan:
    """The edits that convert one construction, and what to report about it."""

    construction: Construction
    edits: list[Edit]
    layers: int
    input_source: str
    names: tuple[str, ...]
    span: tuple[int, int]  # first and last line the construction covers
    style: Style = "model"
    note: str | None = None  # why the requested style was not used
    removed: list[cst.Call] = field(default_factory=list)  # calls whose text is gone (imports may go too)
    comprehension: bool = False  # a loop applies the layers a comprehension makes (not counted)


@dataclass(frozen=True)
class References:
    """How to spell `Input` and `Model` in this file (decided by `imports`)."""

    input: str
    model: str
    family: str = "keras"  # the Keras package they come from (`keras`, `tf_keras`, ...)
    families: tuple[str, ...] = ()  # every Keras package the file's Sequentials come from


class SkipConstruction(Exception):
    """Raised by a planning step to leave the construction untouched, with a reason code."""

    def __init__(self, node: cst.CSTNode, code: str, message: str) -> None:
        super().__init__(message)
        self.node, self.code, self.message = node, code, message


ImportEditKind = Literal["insert-after", "replace", "remove-alias", "new-line"]


@dataclass(frozen=True)
class ImportEdit:
    """A change to the import block, in nodes; `render` turns it into text."""

    kind: ImportEditKind  # text after a node | a node replaced | an alias removed | a new line
    node: cst.CSTNode | None
    text: str = ""
    statement: cst.ImportFrom | None = None


@dataclass(frozen=True)
class TextEdit:
    """Replace source[start:end] (character offsets) with `text`."""

    start: int
    end: int
    text: str


# -- verification ------------------------------------------------------------------------------

EQUIVALENT, DIFFERENT, COULD_NOT = Exit.OK, Exit.CHANGED, Exit.NOT_VERIFIED


@dataclass(frozen=True)
class TensorSpec:
    shape: list[int | None]
    dtype: str


@dataclass(frozen=True)
class ModelFacts:
    """What the verifier measured of one built model."""

    params: int
    trainable: int
    non_trainable: int
    weight_shapes: list[list[int | None]]
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelFacts:
        tensors = {key: [TensorSpec(**t) for t in data[key]] for key in ("inputs", "outputs")}
        return cls(**{**data, **tensors})


@dataclass(frozen=True)
class Check:
    """One comparison the verifier made: "parameters", "weights", "outputs agree", ..."""

    check: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class LayerRow:
    """One row of the side-by-side layer table."""

    layer: str
    class_name: str
    output_shape: str
    params: int


@dataclass(frozen=True)
class Sides:
    original: list[LayerRow]
    converted: list[LayerRow]


@dataclass(frozen=True)
class GraphNode:
    """One layer object in a model's graph (a shared layer is one node, however often called)."""

    name: str
    class_name: str
    params: int
    group: str | None = None  # the nested model that holds it
    duplicate: bool = False  # another layer of the same class, configuration and weight shapes exists
    is_input: bool = False


@dataclass(frozen=True)
class LayerGraph:
    """Layers and the calls between them: (source node, target node, how many calls)."""

    nodes: list[GraphNode]
    edges: list[tuple[int, int, int]]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LayerGraph:
        return cls([GraphNode(**n) for n in data["nodes"]], [(a, b, n) for a, b, n in data["edges"]])


@dataclass(frozen=True)
class Graphs:
    original: LayerGraph
    converted: LayerGraph


VerifyMode = Literal["equivalence", "sharing"]  # a conversion, or a fix that merges duplicate layers
ModelWord = Literal["equivalent", "different", "unproven"]


@dataclass(frozen=True)
class ModelVerdict:
    """The comparison of one model: its checks, and reasons in words for any difference."""

    name: str
    mode: VerifyMode
    verdict: ModelWord
    original: ModelFacts
    converted: ModelFacts
    checks: list[Check]
    reasons: list[str]
    notes: list[str]
    rows: Sides
    graphs: Graphs | None = None  # with --plot: both models' layer graphs

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelVerdict:
        rows, graphs = data["rows"], data.get("graphs")
        return cls(
            **{
                **data,
                "graphs": graphs
                and Graphs(*(LayerGraph.from_dict(graphs[side]) for side in ("original", "converted"))),
                "original": ModelFacts.from_dict(data["original"]),
                "converted": ModelFacts.from_dict(data["converted"]),
                "checks": [Check(**c) for c in data["checks"]],
                "rows": Sides(*([LayerRow(**r) for r in rows[side]] for side in ("original", "converted"))),
            }
        )


@dataclass
class Verdict:
    """What the verifier found: one comparison per model, or why it could not compare.
    The child process writes it with `asdict`; `from_dict` reads it back."""

    status: Literal["ok", "error"]
    models: list[ModelVerdict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str | None = None
    where: str | None = None
    program: list[str] = field(default_factory=list)  # what the program does differently, in words

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        models = [ModelVerdict.from_dict(m) for m in data.get("models", [])]
        return cls(
            data["status"],
            models,
            data.get("notes", []),
            data.get("message"),
            data.get("where"),
            data.get("program", []),
        )

    @property
    def exit_code(self) -> int:
        if self.status != "ok":
            return COULD_NOT
        if self.program or any(m.verdict == "different" for m in self.models):
            return DIFFERENT
        return EQUIVALENT if all(m.verdict == "equivalent" for m in self.models) else COULD_NOT

    @property
    def word(self) -> str:
        return {EQUIVALENT: "equivalent", DIFFERENT: "different"}.get(self.exit_code, "could not verify")


# -- files -------------------------------------------------------------------------------------


@dataclass
class FileReport:
    """The outcome for one path: what it was, what it became, whether it was proven and written."""

    path: str
    result: Result | CheckResult | None = None
    original: bytes | None = None  # the bytes read, held so that verify and write never reread them
    new_data: bytes | None = None  # the converted bytes, when they differ
    error: str | None = None  # the file could not be read, parsed or written
    verdict: Verdict | None = None  # with --verify: the proof of new_data against original
    written: bool = False
    held_back: str | None = None  # why a changed file was not written (or printed)

    @property
    def changed(self) -> bool:
        return self.new_data is not None

    @property
    def delivered(self) -> bool:
        """The new bytes reached their place: written, or printed in place of stdin."""
        return self.written or (self.path == "-" and self.approved)

    @property
    def approved(self) -> bool:
        """The new bytes may be written: changed, and proven when a proof was asked for."""
        return self.changed and self.held_back is None and self.error is None
