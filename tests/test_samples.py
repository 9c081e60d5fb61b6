"""Every sample converts cleanly, the output parses, and converting again changes nothing."""

import ast
from pathlib import Path

import pytest

from seq2func import convert_file, convert_source

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*.py"))
NOTHING_TO_CONVERT = {"seed_wrong_rewrite.py"}


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample(path: Path) -> None:
    """Should convert each sample without skips, into code that parses and is a fixed point."""
    result = convert_file(path)
    assert result.skips == []
    assert result.changed is (path.name not in NOTHING_TO_CONVERT)
    ast.parse(result.code)
    assert "Sequential(" not in result.code
    assert convert_source(result.code).code == result.code


def test_seed_matches_issue(samples: Path) -> None:
    """Should produce the seed's functional factory, instantiating each layer once."""
    code = convert_file(samples / "seed_sequential.py").code
    assert "    inputs = Input(shape=input_dim)\n" in code
    assert "    x = Conv2D(64, 5, activation='relu', padding='same', name='conv1')(inputs)\n" in code
    assert "    seq = Model(inputs=inputs, outputs=x)\n    return seq\n" in code
    assert code.count("create_base_network(") == 2  # defined once, called once: shared by six inputs
