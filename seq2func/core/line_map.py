"""Where the lines of an older text are in a newer one, after the edits an editor sent.

An editor reports each change of a buffer as a range of the text before it and the text
that replaced the range. A line no change touched keeps its text and moves by the lines
added or removed above it; a line a change touched is *dirty*: what an analysis of the
older text said about it may no longer hold. Mapping is exact, never a guess: a line is
either moved or reported dirty (None).
"""

from __future__ import annotations

from dataclasses import dataclass, field

EVERY_LINE = 1 << 62  # a change of the whole text touches every line


@dataclass(frozen=True)
class LineChange:
    """One change: old lines `first`..`last` (0-based, inclusive) were replaced by a text
    spanning `lines` + 1 lines (`lines` is how many line breaks it has)."""

    first: int
    last: int
    lines: int

    @classmethod
    def whole(cls) -> LineChange:
        return cls(0, EVERY_LINE, EVERY_LINE)

    def line(self, n: int) -> int | None:
        """Where old line `n` (0-based) is after this change; None if the change touched it."""
        if n < self.first:
            return n
        if n > self.last:
            return n + self.lines - (self.last - self.first)
        return None


@dataclass
class LineMap:
    """The changes made since one version of a text, in order, and the lines they dirtied
    (as 0-based inclusive intervals of the newest text)."""

    changes: list[LineChange] = field(default_factory=list)
    dirty: list[tuple[int, int]] = field(default_factory=list)

    def add(self, change: LineChange) -> None:
        moved: list[tuple[int, int]] = []
        low, high = change.first, change.first + change.lines
        for a, b in self.dirty:
            if b < change.first:
                moved.append((a, b))
            elif a > change.last:
                shift = change.lines - (change.last - change.first)
                moved.append((a + shift, b + shift))
            else:  # overlaps the replaced lines: it is part of what the change made dirty
                low, high = min(low, a), max(high, b + change.lines - (change.last - change.first))
        moved.append((low, high))
        moved.sort()
        self.dirty = merge(moved)
        self.changes.append(change)

    def line(self, n: int) -> int | None:
        """Where old line `n` (1-based) is now (1-based), or None if an edit touched it."""
        at: int | None = n - 1
        for change in self.changes:
            if at is None:
                return None
            at = change.line(at)
        return None if at is None else at + 1

    @property
    def moves_lines(self) -> bool:
        """Whether some change added or removed lines (so later lines moved)."""
        return any(change.lines != change.last - change.first for change in self.changes)

    def is_dirty(self, first: int, last: int) -> bool:
        """Whether an edit touched any of the lines `first`..`last` (1-based) of the newest text."""
        return any(a + 1 <= last and first <= b + 1 for a, b in self.dirty)


def merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted intervals joined where they overlap or touch."""
    out: list[tuple[int, int]] = []
    for a, b in intervals:
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
