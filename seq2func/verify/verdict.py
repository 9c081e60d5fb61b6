"""What the verifier reports: per model, what it measured of both builds, the comparisons it
made and reasons in words for any difference. The child process writes it as JSON (`asdict`);
`Verdict.from_dict` reads it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from seq2func.types import Exit, Hint, VerifyMode


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
class Comparison:
    """One comparison the verifier made: "parameters", "weights", "outputs agree", ..."""

    what: str
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
    output: str = ""  # its output shape, as Keras prints it: (None, 16, 16, 64)


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


ModelWord = Literal["equivalent", "different", "unproven"]
# how a converted model's input shape was proven: the original declares it (an Input, an
# input_shape=, a build()); the data the program feeds the original gave it; a call of the
# original on a tensor gave it; or only the converter's reading of the code gives it
ShapeSource = Literal["declared", "data", "applied", "claimed"]


@dataclass(frozen=True)
class ModelVerdict:
    """The comparison of one model: its comparisons, and reasons in words for any difference."""

    name: str
    mode: VerifyMode
    verdict: ModelWord
    original: ModelFacts
    converted: ModelFacts
    comparisons: list[Comparison]
    reasons: list[str]
    notes: list[str]
    rows: Sides
    graphs: Graphs | None = None  # with --plot: both models' layer graphs
    site: int | None = None  # the conversion it proves, by its index among the file's
    built: str = ""  # how the model was built, in words (a factory: by which call)
    shape: str = ""  # its input shape and how it was proven, in words
    shape_source: ShapeSource | None = None
    shape_confirmed: bool | None = None  # False: only the converter's reading gives the shape
    hints: tuple[Hint, ...] = ()  # what the user can do when it is not proven
    derived_from: tuple[int, ...] = ()  # a model the program builds from these sites' models

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelVerdict:
        rows, graphs = data["rows"], data.get("graphs")
        return cls(
            **{
                **data,
                "hints": tuple(data.get("hints", ())),
                "derived_from": tuple(data.get("derived_from", ())),
                "graphs": graphs
                and Graphs(*(LayerGraph.from_dict(graphs[side]) for side in ("original", "converted"))),
                "original": ModelFacts.from_dict(data["original"]),
                "converted": ModelFacts.from_dict(data["converted"]),
                "comparisons": [Comparison(**c) for c in data["comparisons"]],
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
    hints: tuple[Hint, ...] = ()  # what the user can do when it could not compare
    keras2: list[int] = field(default_factory=list)  # sites whose original is Keras 2 code tf_keras can run

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
            tuple(data.get("hints", ())),
            data.get("keras2", []),
        )

    @property
    def exit_code(self) -> int:
        if self.status != "ok":
            return Exit.NOT_VERIFIED
        if self.program or any(m.verdict == "different" for m in self.models):
            return Exit.CHANGED
        return Exit.OK if all(m.verdict == "equivalent" for m in self.models) else Exit.NOT_VERIFIED

    @property
    def word(self) -> str:
        return {Exit.OK: "equivalent", Exit.CHANGED: "different"}.get(self.exit_code, "could not verify")
