"""seq2func.core.line_map against the slow path: apply each edit to the text itself and look
where every line went."""

from __future__ import annotations

import random

import pytest

from seq2func.core.line_map import LineChange, LineMap


def apply(text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    a, b = offsets[start[0]] + start[1], offsets[end[0]] + end[1]
    return text[:a] + new + text[b:]


def random_edit(rng: random.Random, text: str, serial: int) -> tuple[tuple[int, int], tuple[int, int], str]:
    lines = text.split("\n")
    sl = rng.randrange(len(lines))
    el = min(len(lines) - 1, sl + rng.choice([0, 0, 0, 1, 2, 5]))
    sc = rng.randint(0, len(lines[sl]))
    ec = rng.randint(0 if el > sl else sc, len(lines[el]))
    pieces = [f"new{serial}_{k}" for k in range(rng.choice([0, 0, 1, 1, 2, 4]) + 1)]
    new = "\n".join(pieces) if rng.random() < 0.8 else ""
    if rng.random() < 0.2:
        new = "\n" + new
    return (sl, sc), (el, ec), new


@pytest.mark.parametrize("seed", range(300))
def test_lines_move_exactly_like_the_text(seed: int) -> None:
    """Should put every line no edit touched exactly where the edited text has it, and call
    dirty exactly the lines the edits wrote."""
    rng = random.Random(seed)
    old = "\n".join(f"line{n}" for n in range(rng.randint(1, 30)))
    text, ids = old, list(range(len(old.split("\n"))))  # the slow path: an id per line
    edits = LineMap()
    fresh = -1
    for serial in range(rng.randint(1, 12)):
        start, end, new = random_edit(rng, text, serial)
        text = apply(text, start, end, new)
        breaks = new.count("\n")
        ids[start[0] : end[0] + 1] = list(range(fresh, fresh - breaks - 1, -1))
        fresh -= breaks + 1
        edits.add(LineChange(start[0], end[0], breaks))
    new_lines, old_lines = text.split("\n"), old.split("\n")
    assert len(new_lines) == len(ids)
    for n in range(1, len(old_lines) + 1):
        moved = edits.line(n)
        expected = ids.index(n - 1) + 1 if n - 1 in ids else None
        assert moved == expected
        if moved is not None:
            assert new_lines[moved - 1] == old_lines[n - 1]
    for m in range(1, len(new_lines) + 1):
        assert edits.is_dirty(m, m) == (ids[m - 1] < 0)


def test_whole_text_change_touches_every_line() -> None:
    """Should report every line touched after a change that replaced the whole text."""
    edits = LineMap()
    edits.add(LineChange.whole())
    assert edits.line(1) is None and edits.is_dirty(1, 1)


def test_lines_moved() -> None:
    """Should tell a change that adds or removes lines from one that rewrites lines in place."""
    edits = LineMap()
    edits.add(LineChange(4, 4, 0))  # a character typed on line 5
    assert not edits.moves_lines and edits.line(6) == 6 and edits.line(5) is None
    edits.add(LineChange(4, 4, 2))  # line 5 became three lines
    assert edits.moves_lines and edits.line(6) == 8
