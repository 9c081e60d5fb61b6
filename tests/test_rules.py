"""Every rule's embedded VALID / INVALID examples are its tests (as in Fixit)."""

from __future__ import annotations

import ast

import pytest

from seq2func.rules import Rule, all_rules
from seq2func.rules.engine import check_text, select_rules, suppressed

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
