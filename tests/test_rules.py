"""Every rule's embedded VALID / INVALID examples are its tests (as in Fixit)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from seq2func.rules import Rule, all_rules
from seq2func.rules.engine import check_text, select_rules, suppressed
from seq2func.types import ConvertError

ROOT = Path(__file__).resolve().parent.parent

RULES = all_rules()


def _cases(kind: str) -> list[pytest.param]:
    return [
        pytest.param(rule, i, id=f"{rule.code}-{kind}-{i}")
        for rule in RULES
        for i in range(len(getattr(rule, kind)))
    ]


@pytest.mark.parametrize(("rule", "index"), _cases("VALID"))
def test_valid_examples_are_not_flagged(rule: Rule, index: int) -> None:
    result = check_text(rule.VALID[index], rules=[rule])
    assert result.findings == []


@pytest.mark.parametrize(("rule", "index"), _cases("INVALID"))
def test_invalid_examples_are_flagged_and_fixed(rule: Rule, index: int) -> None:
    example = rule.INVALID[index]
    result = check_text(example.source, rules=[rule], fix=True)
    assert [f.code for f in result.findings] == [rule.code]
    finding = result.findings[0]
    if example.message is not None:
        assert example.message in finding.message
    assert finding.end is not None
    assert (
        finding.location.line,
        finding.location.column,
        finding.end.line,
        finding.end.column,
    ) == example.range
    if example.fixed is None:
        assert not finding.fixable and finding.no_fix and result.new_text == example.source
        return
    assert finding.fixable and result.new_text == example.fixed
    ast.parse(result.new_text)
    assert check_text(result.new_text, rules=[rule]).findings == []  # the fix leaves nothing to report


def test_every_rule_has_examples_of_both_kinds() -> None:
    for rule in RULES:
        assert rule.code.startswith("S2F") and rule.VALID and rule.INVALID, rule.code
        assert all(example.range is not None for example in rule.INVALID), rule.code
    assert len({r.code for r in RULES}) == len(RULES)


@pytest.mark.parametrize(
    ("lines", "line", "code", "expected"),
    [
        (["def f():  # seq2func: ignore[S2F101]"], 1, "S2F101", True),
        (["def f():  # seq2func: ignore[S2F102]"], 1, "S2F101", False),
        (["def f():  # seq2func: ignore"], 1, "S2F101", True),
        (["# seq2func: ignore[S2F101, S2F102]", "def f():"], 2, "S2F102", True),
        (["x = 1  # seq2func: ignore[S2F101]", "def f():"], 2, "S2F101", False),
        (["def f():"], 1, "S2F101", False),
    ],
)
def test_suppression_comments(lines: list[str], line: int, code: str, expected: bool) -> None:
    assert suppressed(lines, line, code) is expected


def test_select_and_ignore() -> None:
    assert [r.code for r in select_rules(["S2F101"])] == ["S2F101"]
    assert [r.code for r in select_rules(None, ["S2F101"])] == ["S2F102"]
    # the Keras 3 migration rules run when asked for by code or prefix
    assert [r.code for r in select_rules(["S2F2"])] == ["S2F201", "S2F202", "S2F203"]
    assert [r.code for r in select_rules(["S2F"], ["S2F1", "S2F20"])] == []
    assert [r.code for r in select_rules(["duplicate-layer-name"])] == ["S2F102"]


def _with_continuations(source: str) -> str:
    """`source` with keyword arguments on lines of their own, continued by backslashes."""
    return re.sub(r", (\w+=)", r", \\\n        \1", source)


def test_the_logical_line_read_from_its_statement_is_the_whole_texts() -> None:
    """Should find the last line of every line's logical line from its top-level statement
    alone (what a large file's check reads) as from the whole text, on every corpus file and
    rule example, as written and with backslash continuations."""
    from seq2func.analysis.parse import python_syntax, statement_spans
    from seq2func.rules.engine import comment_line

    sources = [p.read_text() for p in sorted((ROOT / "bench" / "corpus").rglob("*.py"))]
    sources += [example.source for rule in all_rules() for example in rule.INVALID]
    compared = 0
    for source in [*sources, *map(_with_continuations, sources)]:
        try:
            spans = statement_spans(python_syntax(source))
        except ConvertError:
            continue
        for line in range(1, source.count("\n") + 2):
            assert comment_line(source, line, spans) == comment_line(source, line), (line, source)
            compared += 1
    assert compared > 5000


TWO_TOWERS = """\
import keras
from keras import layers


def left(t):{mark}
    return layers.Dense(8)(t)


def right(t):
    return layers.Dense(8)(t)


a = keras.Input((4,))
b = keras.Input((4,))
joined = layers.Concatenate()([left(a), left(b), right(a), right(b)])
"""


@pytest.mark.parametrize(
    ("mark", "line"),
    [("", 9), ("  # seq2func: ignore[S2F101]", None)],
    ids=["the other line's", "suppressed"],
)
def test_a_fix_left_out_takes_no_name(mark: str, line: int | None) -> None:
    """Should name a fix's bindings as if the fixes left out (of another line, or silenced)
    were not there: a fix's names depend only on the text and the fixes applied with it."""
    text = TWO_TOWERS.format(mark=mark)
    fixed = check_text(text, fix=True, line=line).new_text
    assert "dense = layers.Dense(8)\n\n\ndef right(t):\n    return dense(t)" in fixed
    assert "dense_1" not in fixed
    both = check_text(TWO_TOWERS.format(mark=""), fix=True).new_text
    assert "dense = layers.Dense(8)" in both and "dense_1 = layers.Dense(8)" in both
