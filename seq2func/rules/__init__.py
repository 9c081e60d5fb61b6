"""The rules seq2func knows, and how a user's selection (codes, prefixes, names) picks them."""

from __future__ import annotations

from collections.abc import Sequence

from seq2func.rules.base import Rule
from seq2func.rules.duplicated_layers import DuplicatedLayers
from seq2func.rules.keras3_inputs import BatchInputShape, EmbeddingInputLength, InputShapeOnLayer
from seq2func.rules.layer_names import DuplicateLayerName
from seq2func.types import CheckResult, VerifyMode


def all_rules() -> list[Rule]:
    return [
        DuplicatedLayers(),
        DuplicateLayerName(),
        InputShapeOnLayer(),
        EmbeddingInputLength(),
        BatchInputShape(),
    ]


class UnknownRule(ValueError):
    """A rule selector that names no rule: never a silent "No findings"."""


def known_selectors(selectors: Sequence[str]) -> None:
    """Raise UnknownRule unless every selector is a rule code, a prefix of one, or a name."""
    rules = all_rules()
    for selector in selectors:
        if not any(r.code.startswith(selector) or r.name == selector for r in rules) or not selector:
            known = ", ".join(f"{r.code} ({r.name})" for r in rules)
            raise UnknownRule(f"unknown rule selector {selector!r}; the rules are {known}")


def select_rules(select: Sequence[str] | None = None, ignore: Sequence[str] = ()) -> list[Rule]:
    known_selectors([*(select or ()), *ignore])
    rules = all_rules()
    if select:
        rules = [r for r in rules if any(r.code.startswith(s) or r.name == s for s in select)]
    else:
        rules = [r for r in rules if r.default]
    return [r for r in rules if not any(r.code.startswith(i) or r.name == i for i in ignore)]


def proof_for(result: CheckResult) -> VerifyMode:
    """How to verify a file's fixes: "sharing" when one merged duplicate layers."""
    sharing = {rule.code for rule in all_rules() if rule.proof == "sharing"}
    return "sharing" if any(f.fixed and f.code in sharing for f in result.findings) else "equivalence"
