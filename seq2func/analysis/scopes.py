"""LibCST's scopes and positions, computed by LibCST's own visitors without the walks its
resolver adds.

`ScopeProvider` and the `ExpressionContextProvider` it depends on are batchable providers:
the resolver walks every node once for each of them, and in each walk the provider only
starts its own visitor at the module. The resolver also walks the tree once more, with no
visitor, for every call. Those three empty walks cost a quarter of converting a small file.
`Scopes` runs the same two visitors, and nothing else; `resolve` runs it and
`PositionProvider` without the resolver. tests/test_scopes.py compares both with what
LibCST's resolver gives, on every node of the corpus and of generated programs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import libcst as cst
from libcst.metadata import (
    BaseMetadataProvider,
    CodeRange,
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    PositionProvider,
    Scope,
)
from libcst.metadata.expression_context_provider import ExpressionContextVisitor
from libcst.metadata.scope_provider import ScopeVisitor


class Scopes(BaseMetadataProvider["Scope | None"]):
    """The scope of each node, as `ScopeProvider` gives it."""

    def __init__(self, cache: object = None) -> None:
        super().__init__(cache)
        self.contexts = ExpressionContextProvider()  # filled by its visitor, read by the scopes'

    def _gen_impl(self, module: cst.Module) -> None:
        module.visit(ExpressionContextVisitor(self.contexts, ExpressionContext.LOAD))
        visitor = ScopeVisitor(self)  # type: ignore[arg-type]  # what it calls, this class has
        module.visit(visitor)
        visitor.infer_accesses()

    def get_metadata(self, key: Any, node: cst.CSTNode, *default: Any) -> Any:
        """The scopes' visitor asks for expression contexts: the ones computed above."""
        if key is ExpressionContextProvider:
            return self.contexts.get_metadata(key, node, *default)
        return super().get_metadata(key, node, *default)


def resolve(module: cst.Module) -> tuple[Mapping[cst.CSTNode, Scope | None], Mapping[cst.CSTNode, CodeRange]]:
    """Every node's scope and position in `module` (its nodes, not a copy's)."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    # what `wrapper.resolve` does for a provider without dependencies, less its empty walk;
    # neither provider sets lazy values
    scopes = cast("Mapping[cst.CSTNode, Scope | None]", Scopes()._gen(wrapper))
    return scopes, cast("Mapping[cst.CSTNode, CodeRange]", PositionProvider()._gen(wrapper))
