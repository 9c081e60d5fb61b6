"""What planning hands to rendering: generated statements, edits anchored on LibCST nodes,
and a construction's whole plan. These hold nodes of one parse, so they never leave a conversion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from seq2func.analysis.find import Construction
from seq2func.types import Hint, Style


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
    unreachable: str | None = None  # why new `Input`s or `Model`s cannot be reached (imports)


class SkipConstruction(Exception):
    """Raised by a planning step to leave the construction untouched, with a reason code."""

    def __init__(
        self,
        node: cst.CSTNode,
        code: str,
        message: str,
        hints: tuple[Hint, ...] = (),
        lines: tuple[int, ...] = (),  # the lines the message names
    ) -> None:
        super().__init__(message)
        self.node, self.code, self.message, self.hints, self.lines = node, code, message, hints, lines


ImportEditKind = Literal["insert-after", "replace", "replace-names", "remove-alias", "new-line"]


@dataclass(frozen=True)
class ImportEdit:
    """A change to the import block, in nodes; `render` turns it into text."""

    kind: ImportEditKind  # text after a node | a node replaced | an alias removed | a new line
    node: cst.CSTNode | None
    text: str = ""
    statement: cst.ImportFrom | None = None
