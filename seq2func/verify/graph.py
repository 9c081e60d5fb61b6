"""In the verifier's children: a model's layer graph, for `seq2func verify --plot`."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from seq2func.verify.facts import count, kind_of, output_shapes
from seq2func.verify.verdict import GraphNode, LayerGraph


class _GraphBuilder:
    """Nodes are layer objects (a shared layer once); a nested model is opened up, drawn as a
    group, and each call of it becomes edges into its first layers and out of its last."""

    def __init__(self) -> None:
        self.nodes: list[GraphNode] = []
        self.layers: list[Any] = []
        self.index: dict[int, int] = {}
        self.edges: dict[tuple[int, int], int] = {}
        self.opened: dict[int, tuple[list[int], list[int]]] = {}

    def node(self, layer: Any, group: str | None, is_input: bool = False) -> int:
        if id(layer) not in self.index:
            self.index[id(layer)] = len(self.nodes)
            self.nodes.append(
                GraphNode(
                    layer.name,
                    type(layer).__name__,
                    count(layer.weights),
                    group,
                    False,
                    is_input,
                    output_shapes(layer),
                )
            )
            self.layers.append(layer)
        return self.index[id(layer)]

    def ends(self, op: Any, group: str | None) -> tuple[list[int], list[int]]:
        """The nodes a call of `op` enters and leaves by: itself, or a nested model's first and last layers."""
        import keras

        if isinstance(op, keras.Model) and _graph_of(op) is not None:
            if id(op) not in self.opened:
                self.opened[id(op)] = self.open(op, op.name)
            return self.opened[id(op)]
        n = self.node(op, group, isinstance(op, keras.layers.InputLayer))
        return [n], [n]

    def open(self, model: Any, group: str | None) -> tuple[list[int], list[int]]:
        import keras

        functional = _graph_of(model)
        entries: list[int] = []
        exits: list[int] = []
        for depth, nodes in sorted(functional._nodes_by_depth.items(), reverse=True):
            for node in nodes:
                op = node.operation
                if group is not None and isinstance(op, keras.layers.InputLayer):
                    continue  # a nested model's input is where its callers' edges arrive
                into, out = self.ends(op, group)
                if depth == 0:
                    exits += [n for n in out if n not in exits]
                for parent in node.parent_nodes:
                    if group is not None and isinstance(parent.operation, keras.layers.InputLayer):
                        entries += [n for n in into if n not in entries]
                        continue
                    for a in self.ends(parent.operation, group)[1]:
                        for b in into:
                            self.edges[(a, b)] = self.edges.get((a, b), 0) + 1
        return entries, exits

    def graph(self) -> LayerGraph:
        kinds: dict[Any, int] = {}
        for layer in self.layers:
            if layer.weights:
                kinds[kind_of(layer)] = kinds.get(kind_of(layer), 0) + 1
        nodes = [
            replace(node, duplicate=bool(layer.weights) and kinds[kind_of(layer)] > 1)
            for node, layer in zip(self.nodes, self.layers, strict=True)
        ]
        return LayerGraph(nodes, [(a, b, n) for (a, b), n in self.edges.items()])


def _graph_of(model: Any) -> Any:
    """The functional graph of a model (a Sequential keeps one once built), or None."""
    functional = getattr(model, "_functional", None) or model
    return functional if getattr(functional, "_nodes_by_depth", None) else None


def layer_graph(model: Any) -> LayerGraph | None:
    if _graph_of(model) is None:
        return None
    builder = _GraphBuilder()
    builder.open(model, None)
    return builder.graph()
