"""`verify --plot`: the SVG is drawn from the verifier's layer graphs, without Graphviz."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from seq2func.verify.plot import render_svg
from seq2func.verify.verdict import GraphNode, Graphs, LayerGraph, ModelFacts, ModelVerdict, Sides

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SVG = "{http://www.w3.org/2000/svg}"


def facts(params: int) -> ModelFacts:
    return ModelFacts(params, params, 0, [], [], [])


def verdict(original: LayerGraph, converted: LayerGraph) -> ModelVerdict:
    return ModelVerdict(
        "model",
        "equivalence",
        "different",
        facts(10),
        facts(20),
        [],
        [],
        [],
        Sides([], []),
        Graphs(original, converted),
    )


SHARED = LayerGraph(
    [
        GraphNode("in_a", "InputLayer", 0, is_input=True),
        GraphNode("in_b", "InputLayer", 0, is_input=True),
        GraphNode("dense", "Dense", 10, group="tower"),
        GraphNode("concat", "Concatenate", 0),
    ],
    [(0, 2, 1), (1, 2, 1), (2, 3, 2)],
)
COPIES = LayerGraph(
    [
        GraphNode("in_a", "InputLayer", 0, is_input=True),
        GraphNode("in_b", "InputLayer", 0, is_input=True),
        GraphNode("dense", "Dense", 10, duplicate=True),
        GraphNode("dense_1", "Dense", 10, duplicate=True),
        GraphNode("concat", "Concatenate", 0),
    ],
    [(0, 2, 1), (1, 3, 1), (2, 4, 1), (3, 4, 1)],
)


def groups(svg: str, kind: str) -> list[ET.Element]:
    return [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == kind]


def names(svg: str, kind: str) -> list[str]:
    return [g.findall(f"{SVG}text")[0].text or "" for g in groups(svg, kind)]


def test_shared_layer_drawn_once_copies_in_red() -> None:
    svg = render_svg(verdict(SHARED, COPIES), ("before.py", "after.py"))
    root = ET.fromstring(svg)  # well-formed SVG
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "before.py: model" in texts and "after.py: model" in texts
    assert names(svg, "layer") == ["dense", "concat", "concat"]  # the shared dense once, on the left
    assert names(svg, "dup") == ["dense", "dense_1"]  # the two copies, on the right, in red
    assert names(svg, "input") == ["in_a", "in_b", "in_a", "in_b"]
    assert "x2" in texts  # two calls of the shared layer feed concat
    assert "tower" in texts  # the nested model's group
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]) == 7
    assert "10 parameters, 2 layer objects, none duplicated" in texts
    assert "20 parameters, 3 layer objects, 2 of them duplicates (red)" in texts


def test_no_graphs_is_a_clear_error() -> None:
    model = verdict(SHARED, COPIES)
    with pytest.raises(ValueError, match="no layer graphs for model"):
        render_svg(ModelVerdict(**{**model.__dict__, "graphs": None}))


@pytest.mark.tensorflow
def test_seed_pictures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed against its wrong rewrite: one shared chain of 8 layers fed by 6 inputs on the
    left, 6 red copies of each layer with weights on the right. Against the conversion: no red."""
    from seq2func import convert_file
    from seq2func.cli import main

    seed, wrong = SAMPLES / "seed_sequential.py", SAMPLES / "seed_wrong_rewrite.py"

    def plot(converted: Path, directory: str) -> tuple[int, str]:
        code = main(
            [
                "verify",
                "--no-table",
                "--model",
                "model",
                "--plot",
                str(tmp_path / directory),
                str(seed),
                str(converted),
            ]
        )
        assert f"wrote {tmp_path / directory / 'model.svg'}" in capsys.readouterr().err
        return code, (tmp_path / directory / "model.svg").read_text()

    code, svg = plot(wrong, "wrong")
    assert code == 1
    layers, copies = names(svg, "layer"), names(svg, "dup")
    for name in ("conv1", "conv2", "conv3", "conv4", "pool1", "fla1", "dense1"):
        assert layers.count(name) == 1, name  # the original's shared chain, drawn once
    assert len(copies) == 30 and sum(n.startswith("conv2d") for n in copies) == 24  # 6 x (4 conv + 1 dense)
    assert "x6" in svg and "sequential" in svg
    # each layer's output shape, as Keras prints it, and each side's parameter count
    shapes = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("class") == "shape"]
    assert shapes.count("→ (None, 16, 16, 64)") == 2 + 2 * 6 and "→ (None, 6, 512)" in shapes
    assert "3,103,299 parameters" in svg and "16,976,899 parameters" in svg

    converted = tmp_path / "converted.py"
    converted.write_text(convert_file(seed).new_text)
    code, svg = plot(converted, "right")
    assert code == 0
    assert names(svg, "dup") == [] and names(svg, "layer").count("conv1") == 2  # once per side
