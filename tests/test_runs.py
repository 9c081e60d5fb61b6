"""seq2func.verify.runs: where two runs of a program differ, in words (no TensorFlow)."""

from __future__ import annotations

import ast

import pytest

from seq2func.verify.runs import Outcome, ProgramRun, differences, plain, watched_names


def run(*outcomes: tuple[str, str], **namespace: object) -> ProgramRun:
    def outcome(n: int, text: str, ended: str) -> Outcome:
        kind, _, detail = ended.partition(": ")
        return Outcome(n, text, kind, detail)

    return ProgramRun(
        [outcome(n, text, ended) for n, (text, ended) in enumerate(outcomes, 1)],
        dict(namespace),
        set(namespace),
    )


CASES = [
    pytest.param(run(("a = 1", "ran")), run(("a = 1", "ran")), [], id="same"),
    pytest.param(
        run(("assert x == 2", "ran")),
        run(("assert x == 2", "raised AssertionError")),
        ["line 1 raised AssertionError after the conversion (line 1 of the original ran)"],
        id="raises-only-after",
    ),
    pytest.param(
        run(("f()", "raised KeyError: 'a'")), run(("f()", "raised KeyError: 'b'")), [], id="raises-in-both"
    ),
    pytest.param(
        run(("f()", "raised KeyError: 'a'")),
        run(("f()", "raised TypeError")),
        ["line 1 raised TypeError after the conversion (line 1 of the original raised KeyError: 'a')"],
        id="raises-something-else",
    ),
    pytest.param(
        run(("m = Sequential([...])", "ran")),
        run(("inputs = Input(...)", "ran"), ("m = Model(...)", "raised ValueError")),
        ["line 2 raised ValueError after the conversion (the original ran there)"],
        id="a-rewritten-statement-raises",
    ),
    pytest.param(
        run(("x = 1", "ran"), x=2),
        run(("x = 1", "ran"), x="tensor"),
        ["x is 2 in the original, and 'tensor' after the conversion"],
        id="a-watched-value-changed",
    ),
    pytest.param(run(x=2), run(), ["x is 2 in the original, and unbound after the conversion"], id="unbound"),
    pytest.param(run(x=True), run(x=1), ["x is True in the original, and 1 after the conversion"], id="type"),
    pytest.param(run(m=object()), run(m=object()), [], id="objects-are-not-compared"),
]


@pytest.mark.parametrize(("original", "converted", "expected"), CASES)
def test_differences(original: ProgramRun, converted: ProgramRun, expected: list[str]) -> None:
    """Should name each statement that raises only after the conversion, and each watched value that changed."""
    assert [d.text for d in differences(original, converted)] == expected


def test_watched_names() -> None:
    """Should watch what functions write as global and what module-level asserts read."""
    tree = ast.parse("def f():\n    global a, b\n    a = 1\nassert c == d\ne = 1\n")
    assert watched_names(tree) == {"a", "b", "c", "d"}


def test_plain_values() -> None:
    """Should compare only values whose equality means the same in both runs."""
    assert plain((1, "a", [None, 2.0], {"k": b"v"}))
    assert not plain([object()])
    assert not plain(list(range(2000)))
