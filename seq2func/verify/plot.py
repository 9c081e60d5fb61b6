"""`verify --plot`: the two models' layer graphs side by side, as one SVG file.

Drawn here, without Graphviz: layers in rows by their distance from the inputs, a shared
layer once with one edge per call (a label counts repeated calls between the same two
layers), nested models as dashed groups, and layers that exist more than once (the same
class, configuration and weight shapes) filled red: the seed's silent duplication shows
as six red chains, the correct conversion as one chain fed by six inputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from seq2func.verify.verdict import LayerGraph, ModelVerdict

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN, TITLE_H = 176, 54, 22, 46, 24, 56
FILL, DUPLICATE_FILL, INPUT_FILL = "#eef3fb", "#fbe0dd", "#f1f1f1"
STROKE, DUPLICATE_STROKE = "#4a6fa5", "#c0392b"


@dataclass
class _Placed:
    graph: LayerGraph
    xy: list[tuple[float, float]]
    width: float
    height: float


def _rows(graph: LayerGraph) -> list[list[int]]:
    """Nodes by longest distance from a node without inputs; within a row, ordered by the
    mean position of their sources (one barycentre pass keeps chains straight)."""
    incoming: dict[int, list[int]] = {i: [] for i in range(len(graph.nodes))}
    for a, b, _ in graph.edges:
        incoming[b].append(a)
    depth: dict[int, int] = {}

    def depth_of(node: int, seen: frozenset[int] = frozenset()) -> int:
        if node not in depth:
            parents = [p for p in incoming[node] if p not in seen]
            depth[node] = 1 + max((depth_of(p, seen | {node}) for p in parents), default=-1)
        return depth[node]

    rows: list[list[int]] = []
    for node in range(len(graph.nodes)):
        d = depth_of(node)
        rows += [[] for _ in range(d + 1 - len(rows))]
        rows[d].append(node)
    position: dict[int, float] = {}
    for row in rows:
        row.sort(
            key=lambda n: (
                _mean([position[p] for p in incoming[n] if p in position]),
                _natural(graph.nodes[n].name),
            )
        )
        position.update((node, i) for i, node in enumerate(row))
    return rows


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _natural(name: str) -> tuple[tuple[int, str], ...]:
    """input_layer_2 before input_layer_10; a name without a number first."""
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", name))


def _place(graph: LayerGraph) -> _Placed:
    rows = _rows(graph)
    widest = max((len(row) for row in rows), default=1)
    width = widest * (BOX_W + GAP_X) - GAP_X
    xy = [(0.0, 0.0)] * len(graph.nodes)
    for r, row in enumerate(rows):
        offset = (width - (len(row) * (BOX_W + GAP_X) - GAP_X)) / 2
        for i, node in enumerate(row):
            xy[node] = (offset + i * (BOX_W + GAP_X), r * (BOX_H + GAP_Y))
    return _Placed(graph, xy, width, len(rows) * (BOX_H + GAP_Y) - GAP_Y)


def _panel(placed: _Placed, title: str, subtitle: str, x0: float) -> list[str]:
    graph, out = placed.graph, []
    out.append(f'<text x="{x0}" y="{MARGIN + 16}" class="title">{escape(title)}</text>')
    out.append(f'<text x="{x0}" y="{MARGIN + 36}" class="sub">{escape(subtitle)}</text>')
    top = MARGIN + TITLE_H

    def at(node: int) -> tuple[float, float]:
        x, y = placed.xy[node]
        return x0 + x, top + y

    for group in sorted({n.group for n in graph.nodes if n.group}):
        members = [at(i) for i, n in enumerate(graph.nodes) if n.group == group]
        left, right = min(x for x, _ in members) - 8, max(x for x, _ in members) + BOX_W + 8
        upper, lower = min(y for _, y in members) - 18, max(y for _, y in members) + BOX_H + 8
        out.append(
            f'<rect x="{left}" y="{upper}" width="{right - left}" height="{lower - upper}" rx="10" class="group"/>'
            f'<text x="{right + 6}" y="{upper + 13}" class="grouplabel">{escape(group)}</text>'
            f'<text x="{right + 6}" y="{upper + 27}" class="grouplabel">(nested model)</text>'
        )
    for a, b, calls in graph.edges:
        (xa, ya), (xb, yb) = at(a), at(b)
        x1, y1, x2, y2 = xa + BOX_W / 2, ya + BOX_H, xb + BOX_W / 2, yb
        out.append(f'<path d="M{x1},{y1} C{x1},{y1 + 24} {x2},{y2 - 24} {x2},{y2 - 3}" class="edge"/>')
        if calls > 1:
            out.append(f'<text x="{(x1 + x2) / 2 + 4}" y="{(y1 + y2) / 2}" class="calls">x{calls}</text>')
    for i, node in enumerate(graph.nodes):
        x, y = at(i)
        kind = "dup" if node.duplicate else "input" if node.is_input else "layer"
        detail = node.class_name + (f" · {node.params:,} params" if node.params else "")
        shape = f"→ {node.output}" if node.output else ""
        out.append(
            f'<g class="{kind}"><title>{escape(node.name)}: {escape(detail)} {escape(shape)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="5"/>'
            f'<text x="{x + 8}" y="{y + 16}" class="name">{escape(node.name[:24])}</text>'
            f'<text x="{x + 8}" y="{y + 31}" class="detail">{escape(detail[:31])}</text>'
            f'<text x="{x + 8}" y="{y + 46}" class="shape">{escape(shape[:31])}</text></g>'
        )
    return out


STYLE = f"""<style>
text {{ font-family: Helvetica, Arial, "DejaVu Sans", sans-serif; fill: #222; }}
.title {{ font-size: 16px; font-weight: bold; }} .sub {{ font-size: 12px; fill: #555; }}
.name {{ font-size: 12px; font-weight: bold; }} .detail {{ font-size: 11px; fill: #444; }}
.shape {{ font-size: 11px; fill: #1f5f3f; font-family: Menlo, Consolas, "DejaVu Sans Mono", monospace; }}
.layer rect {{ fill: {FILL}; stroke: {STROKE}; }} .input rect {{ fill: {INPUT_FILL}; stroke: #888; }}
.dup rect {{ fill: {DUPLICATE_FILL}; stroke: {DUPLICATE_STROKE}; stroke-width: 2; }}
.edge {{ fill: none; stroke: #7a7a7a; stroke-width: 1.2; marker-end: url(#arrow); }}
.calls {{ font-size: 11px; fill: #1f5fa8; font-weight: bold; }}
.group {{ fill: none; stroke: #4a6fa5; stroke-dasharray: 6 4; }} .grouplabel {{ font-size: 11px; fill: #4a6fa5; }}
</style>"""


def _subtitle(graph: LayerGraph, params: int) -> str:
    layers = [n for n in graph.nodes if not n.is_input]
    duplicated = sum(1 for n in layers if n.duplicate)
    words = f"{params:,} parameters, {len(layers)} layer objects"
    return words + (f", {duplicated} of them duplicates (red)" if duplicated else ", none duplicated")


def render_svg(model: ModelVerdict, labels: tuple[str, str] = ("original", "converted")) -> str:
    """Both graphs of a model, side by side; raises ValueError when the verifier sent none."""
    if model.graphs is None:
        raise ValueError(f"no layer graphs for {model.name} (ask the verifier with plot=True)")
    left, right = _place(model.graphs.original), _place(model.graphs.converted)
    x_right = MARGIN + max(left.width, 340) + 3 * MARGIN
    width = x_right + max(right.width, 340) + MARGIN
    height = MARGIN + TITLE_H + max(left.height, right.height) + 2 * MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#7a7a7a"/></marker></defs>',
        STYLE,
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>',
        *_panel(left, f"{labels[0]}: {model.name}", _subtitle(left.graph, model.original.params), MARGIN),
        *_panel(right, f"{labels[1]}: {model.name}", _subtitle(right.graph, model.converted.params), x_right),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


def write_plots(models: list[ModelVerdict], directory: Path, labels: tuple[str, str]) -> list[Path]:
    """One `<model>.svg` per compared model; the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for model in models:
        if model.graphs is None:
            continue
        path = directory / f"{model.name}.svg"
        path.write_text(render_svg(model, labels), encoding="utf-8")
        written.append(path)
    return written
