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
    ast.parse(result.new_text)
    assert "Sequential(" not in result.new_text
    assert convert_source(result.new_text).new_text == result.new_text


def test_seed_matches_issue(samples: Path) -> None:
    """Should produce the seed's functional factory, instantiating each layer once."""
    code = convert_file(samples / "seed_sequential.py").new_text
    assert "    inputs = Input(shape=input_dim)\n" in code
    assert "    x = Conv2D(64, 5, activation='relu', padding='same', name='conv1')(inputs)\n" in code
    assert "    seq = Model(inputs=inputs, outputs=x)\n    return seq\n" in code
    assert code.count("create_base_network(") == 2  # defined once, called once: shared by six inputs


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_shared_style(path: Path) -> None:
    """Should convert each sample in the shared style too (or fall back with a note), to a fixed point."""
    result = convert_file(path, style="shared")
    assert result.skips == []
    ast.parse(result.new_text)
    assert all(c.style == "shared" or c.note for c in result.conversions)
    assert convert_source(result.new_text, style="shared").new_text == result.new_text


def test_seed_shared_style_has_no_sub_model(samples: Path) -> None:
    """Should flatten the seed: one binding per layer, applied by `seq(x)`, called as before."""
    result = convert_file(samples / "seed_sequential.py", style="shared")
    assert [c.style for c in result.conversions] == ["shared"]
    assert "Model(" not in result.new_text.split("base_network = ")[0]
    assert "    conv1 = Conv2D(64, 5, activation='relu', padding='same', name='conv1')\n" in result.new_text
    assert "    def seq(x):\n        x = conv1(x)\n" in result.new_text
    assert "base_network(input_6)" in result.new_text


def test_wrong_rewrite_is_reported_by_convert_and_check(samples: Path) -> None:
    """Should report S2F101 on the seed's wrong rewrite, with the call count and lines."""
    [finding] = convert_file(samples / "seed_wrong_rewrite.py").findings
    assert finding.code == "S2F101" and finding.location.line == 9 and finding.fixable
    assert finding.message.startswith(
        "create_base_network() creates 8 layers on every call; "
        "it is called 6 times (lines 28-33), so the model holds 6 separate copies"
    )
