"""Helpers of the file: `x = vectorize_sequences(train_data)` has the shape of what the
helper returns, its parameters bound to the call's arguments."""

from __future__ import annotations

import libcst as cst
from libcst.metadata.position_provider import CodePosition

from seq2func.analysis.find import Analysis
from seq2func.shapes.core import shape_of
from seq2func.shapes.registry import NOT_MINE, Read, register
from seq2func.shapes.trace import bind, binding, helper_of, last_return
from seq2func.types import BatchShape


@register(
    "call", 0, refuses=("a helper with more than one return, a yield, *args or **kwargs, or a decorator",)
)
def helper_call(analysis: Analysis, call: cst.Call, names: set[str], at: CodePosition, depth: int) -> Read:
    """A call of a plain function of this file."""
    helper = helper_of(analysis, call.func)
    return NOT_MINE if helper is None else returned_shape(analysis, call, helper, at, depth)


def returned_shape(
    analysis: Analysis, call: cst.Call, helper: cst.FunctionDef, at: CodePosition, depth: int
) -> BatchShape | None:
    """`x = vectorize_sequences(train_data)`: the shape of what the helper returns, its
    parameters bound to the call's arguments or their defaults. Only a helper with one
    `return`, its last statement, and no `*args`, `**kwargs`, `yield` or decorator."""
    returned = last_return(helper)
    bound = bind(analysis, call, helper.params, at) if returned is not None else None
    if returned is None or bound is None:
        return None
    with binding(bound):
        return shape_of(analysis, returned, analysis.range(returned).start, depth + 1)
