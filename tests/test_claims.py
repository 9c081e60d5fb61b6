"""`convert.facts.Claims`, the names handed out in a scope, against reading every claim
(as `PlanContext.taken` did): the same names for every span, over random claims."""

from __future__ import annotations

import random

import pytest

from seq2func.convert.facts import Claims


def _every_claim(claims: list[tuple[tuple[int, int], set[str]]], span: tuple[int, int] | None) -> set[str]:
    return {
        name for (a, b), names in claims if span is None or not (b < span[0] or span[1] < a) for name in names
    }


@pytest.mark.parametrize("seed", range(200))
def test_the_names_met_are_those_of_every_claim_that_meets_the_span(seed: int) -> None:
    rng = random.Random(seed)
    fast, slow = Claims(), []
    top = rng.choice([10, 50, 1000])
    for step in range(rng.randint(1, 60)):
        if rng.random() < 0.1:
            span = (0, 1 << 30)  # the shared style's: the whole scope
        else:
            a = rng.randint(1, top)
            span = (a, a + rng.choice([0, 0, 1, 3, 20, top]))
        names = {f"n{step}_{k}" for k in range(rng.randint(0, 2))}
        fast.add(span, names)
        slow.append((span, names))
        for _ in range(3):
            a = rng.randint(0, top + 5)
            query = None if rng.random() < 0.1 else (a, a + rng.choice([0, 1, 5, top]))
            assert fast.meeting(query) == _every_claim(slow, query)
