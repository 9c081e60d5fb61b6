"""What the parent asks a verifier's child to do, as typed records written to JSON.

`sites`: prove each conversion of a file where it is made (see `slicing`), one `SiteRequest`
per conversion. `names`: compare the module-level models two programs leave under the same
names (`seq2func verify A B`, the fixes of `check --fix`). Pure Python: both sides import it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from seq2func.types import Style, VerifyMode


@dataclass(frozen=True)
class ProgramSpec:
    """One program: where it is said to live, its text (None: read `path`), and its IPython
    lines (a notebook's, masked in the text) by the line they stand on."""

    path: str
    source: str | None = None
    ipython: dict[int, str] = field(default_factory=dict)
    cells: list[tuple[int, int]] = field(default_factory=list)  # a notebook's: (first line, cell)

    def at(self, line: int | None) -> str:
        """A line of the program as its user sees it: `line 12`, or a notebook's `cell[4]:2`."""
        if line is None:
            return "an unknown line"
        start, cell = max(((s, c) for s, c in self.cells if s <= line), default=(0, 0))
        return f"cell[{cell}]:{line - start + 1}" if cell else f"line {line}"


@dataclass(frozen=True)
class SiteRequest:
    """One conversion to prove: where the original makes its Sequential (the call's line and
    column), the lines of its new code in the converted program (the last binds `name`)."""

    site: int
    name: str  # the code that names the model: seq, self.model, <return>
    line: int
    column: int
    first: int
    last: int
    style: Style = "model"
    input_source: str = ""  # where the converter read the input shape, in its words


RequestKind = Literal["sites", "names"]


@dataclass(frozen=True)
class Request:
    kind: RequestKind
    original: ProgramSpec
    converted: ProgramSpec
    directory: str | None = None  # the program's folder: its working directory and first on its path
    sites: list[SiteRequest] = field(default_factory=list)
    models: list[str] = field(default_factory=list)  # names: the variables to compare
    entry: str | None = None  # a call that builds the models the program leaves nowhere
    mode: VerifyMode = "equivalence"
    whole: bool = False  # sites: run every statement, not only each model's slice
    keras2: bool = False  # run both on Keras 2 (tf_keras), `keras` and `tf.keras` naming it
    python_given: bool = False  # the child runs in the interpreter the user chose
    memory_mb: int | None = None
    plot: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Request:
        def program(spec: dict[str, Any]) -> ProgramSpec:
            return ProgramSpec(
                spec["path"],
                spec.get("source"),
                {int(k): v for k, v in spec.get("ipython", {}).items()},
                [(int(s), int(c)) for s, c in spec.get("cells", [])],
            )

        return cls(
            **{
                **data,
                "original": program(data["original"]),
                "converted": program(data["converted"]),
                "sites": [SiteRequest(**s) for s in data.get("sites", [])],
            }
        )
