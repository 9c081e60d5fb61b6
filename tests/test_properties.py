"""Properties of every conversion, on random programs (tests/programs.py) in both styles.

Static, without TensorFlow: no exception, the output parses, a second run changes
nothing, text outside the converted constructions is byte-identical, every comment
survives, every name the output reads is bound, and no tensor is called.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import io
import random
import re
import tokenize
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from programs import Program, generate

from seq2func import Result, convert_source

EXAMPLES = 250  # per style: 500 conversions in CI (bench/bench_differential.py runs 1,000 programs)


def comments(code: str) -> Counter[str]:
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return Counter(t.string.rstrip() for t in tokens if t.type == tokenize.COMMENT)


def unbound_names(code: str) -> set[str]:
    """Names read somewhere that nothing in the module binds (a missing import, a lost variable)."""
    tree = ast.parse(code)
    bound = set(dir(builtins))
    read = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, ast.Store | ast.Del) else read).add(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound


def called_tensors(code: str) -> set[str]:
    """Names bound to `...Input(...)` (a tensor) that are then called like a layer."""
    tree = ast.parse(code)
    tensors = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
        for target in node.targets
        if isinstance(target, ast.Name) and (ast.unparse(node.value.func).endswith("Input"))
    }
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in tensors
    }


def same_use(old: str, new: str) -> bool:
    """A use of the model moved past the functional Model's InputLayer: `m.layers` read whole
    becomes `m.layers[1:]`, a literal index moves by one (`layers[0]`, `get_layer(index=0)`)."""

    def plain(line: str) -> str:
        line = line.replace(".layers[1:]", ".layers")
        return re.sub(r"(\.layers\[|index=)-?\d+", r"\1K", line)

    return old != new and plain(old) == plain(new)


def changed_outside(result: Result) -> list[str]:
    """Original lines that changed but lie in no converted construction, are no import and
    are no use of the model kept in meaning (`same_use`)."""
    spans = [(c.location.line, c.end_line) for c in result.conversions]
    old, new = result.source.splitlines(), result.new_text.splitlines()
    out = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1 and all(map(same_use, old[i1:i2], new[j1:j2])):
            continue
        for line in range(i1 + 1, i2 + 1) if tag in ("replace", "delete") else ():
            text = old[line - 1].strip()
            inside = any(a <= line <= b + 1 for a, b in spans)  # +1: a build() right after
            if not inside and not text.startswith(("from ", "import ")):
                out.append(f"{line}: {text}")
    return out


def check_properties(program: Program, style: str) -> Result:
    result = convert_source(program.source, style=style, **program.options)  # no exception
    code = result.new_text
    ast.parse(code)
    assert not [s for s in result.skips if s.code == "internal-error"], result.skips
    assert convert_source(code, style=style, **program.options).new_text == code, "not a fixed point"
    assert not (comments(program.source) - comments(code)), "a comment was lost"
    assert not unbound_names(code) - unbound_names(program.source), "a name is no longer bound"
    assert not called_tensors(code), "a tensor is called"
    if style == "model":
        assert not changed_outside(result), "text outside the conversion changed"
    return result


@pytest.mark.parametrize("style", ["model", "shared"])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(rng=st.randoms(use_true_random=False))
def test_conversion_properties(style: str, rng: random.Random) -> None:
    """Should convert or skip every generated program, keeping all the static properties."""
    program = generate(rng)
    try:
        check_properties(program, style)
    except Exception as error:
        raise AssertionError(
            f"{type(error).__name__}: {error}\n--- {program.description}\n{program.source}"
        ) from None


def test_generated_programs_mostly_convert() -> None:
    """Should convert most generated programs (a generator that only makes skips tests nothing)."""
    rng = random.Random(7)
    results = [convert_source(p.source, **p.options) for p in (generate(rng) for _ in range(200))]
    converted = sum(1 for r in results if r.conversions)
    assert converted >= 150, Counter(s.code for r in results for s in r.skips)
