"""The parser-facing surface, fuzzed by mutating real programs (the samples and generated
ones): the only outcomes allowed are converted, unchanged, or a clean ConvertError."""

from __future__ import annotations

import ast
import random
from pathlib import Path
from textwrap import dedent

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from programs import generate

from seq2func import ConvertError, convert_source

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.py"))

# Valid constructs spliced in around the models: what fuzzing found to matter.
SNIPPETS = [
    "if (n := 3) > 2:\n    pass\n",
    "f = lambda x: x\n",
    "@staticmethod\ndef deco():\n    pass\n",
    "async def run():\n    await thing()\n",
    "match command:\n    case [x, y]:\n        pass\n    case _:\n        pass\n",
    "def outer():\n    v = 1\n    def inner():\n        nonlocal v\n        v = 2\n    return inner\n",
    "global g\n",
    "x = [i for i in range(3) if i]  # a comment\n",
    dedent(
        """\
        try:
            import missing
        except ImportError:  # fallback
            missing = None
        """
    ),
    "class Block:\n    layers = []\n",
    "s = '''not # a comment'''\n",
    "print(f'{1 + 1}')\n",
]


def mutate(source: str, rng: random.Random) -> str:
    lines = source.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["snippet", "delete", "duplicate", "crlf", "tabs", "comment", "chars"])
        at = rng.randrange(len(lines) + 1)
        if kind == "snippet":
            lines[at:at] = rng.choice(SNIPPETS).splitlines(keepends=True)
        elif kind == "delete" and lines:
            del lines[min(at, len(lines) - 1)]
        elif kind == "duplicate" and lines:
            lines.insert(at, lines[min(at, len(lines) - 1)])
        elif kind == "crlf":
            lines = [line.replace("\n", "\r\n") if not line.endswith("\r\n") else line for line in lines]
        elif kind == "tabs":
            lines = [line.replace("    ", "\t") for line in lines]
        elif kind == "comment" and lines:
            i = min(at, len(lines) - 1)
            lines[i] = lines[i].rstrip("\r\n") + "  # fuzz\n"
        elif kind == "chars" and lines:
            i = min(at, len(lines) - 1)
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut] + rng.choice(["(", ")", ",", ":", " ", "\\", "'", "#"]) + lines[i][cut:]
    return "".join(lines)


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError):
        return False
    return True


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(rng=st.randoms(use_true_random=False), style=st.sampled_from(["model", "shared"]))
def test_mutated_programs(rng: random.Random, style: str) -> None:
    """Should convert, leave, or refuse cleanly; what it returns parses whenever the input did."""
    base = rng.choice(SAMPLES).read_text() if rng.random() < 0.5 else generate(rng).source
    source = mutate(base, rng)
    try:
        result = convert_source(source, style=style)
    except ConvertError as error:
        assert not _parses(source) or "internal error" not in error.message, (error.message, source)
        return
    assert _parses(source), "a file Python rejects was converted"
    assert _parses(result.new_text)
    # no internal error either: a model is converted, or left with a reason that is not a bug
    assert not [s for s in result.skips if s.code == "internal-error"], (result.skips, source)
