"""seq2func.verify.runner's presentation, without TensorFlow."""

from __future__ import annotations

from seq2func.verify.report import format_table
from seq2func.verify.verdict import LayerRow, ModelFacts, ModelVerdict, Sides


def verdict(left: list[LayerRow], right: list[LayerRow]) -> ModelVerdict:
    facts = ModelFacts(0, 0, 0, [], [], [])
    return ModelVerdict("m", "equivalence", "equivalent", facts, facts, [], [], [], Sides(left, right))


def test_the_table_shows_whole_shapes_and_marks_only_differences() -> None:
    """Should print every shape whole, and star only the rows whose shape or parameters differ."""
    conv = LayerRow("conv_with_a_long_name", "Conv2D", "(None, 16, 16, 64)", 16_448)
    dense = LayerRow("dense", "Dense", "(None, 10)", 650)
    table = format_table(verdict([conv, dense], [conv, LayerRow("dense", "Dense", "(None, 12)", 780)]))
    lines = table.splitlines()
    assert "(None, 16, 16, 64)" in lines[1] and "conv_with_a_long_name" in lines[1]
    assert lines[1].startswith("    ") and lines[2].startswith("  * ")
    assert "(None, 12)" in lines[2] and "780" in lines[2]
