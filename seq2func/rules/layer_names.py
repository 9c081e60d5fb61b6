"""S2F102: one Sequential names two of its layers alike.

Keras 3 refuses the model when it is built ("All layers added to a Sequential
model should have unique names"); this finds it without running anything.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from seq2func.analysis.find import find_constructions, keyword_args
from seq2func.analysis.refs import model_refs
from seq2func.rules.base import Invalid, Rule, RuleContext, Violation


class DuplicateLayerName(Rule):
    code = "S2F102"
    name = "duplicate-layer-name"
    summary = "two layers of one Sequential have the same name="

    VALID = (
        """
from keras import Sequential, layers
m = Sequential([layers.Dense(4, name="a"), layers.Dense(2, name="b")])
n = Sequential([layers.Dense(4, name="a")])
""",
        """
from keras import Sequential, layers
m = Sequential()
m.add(layers.Dense(4, name="a"))
m = Sequential()
m.add(layers.Dense(4, name="a"))
""",
    )
    INVALID = (
        Invalid(
            """
from keras import Sequential, layers
m = Sequential([layers.Dense(4, name="hidden"), layers.Dense(2, name="hidden")])
""",
            message="layer name 'hidden' is used twice in the Sequential at line 3 (first at line 3)",
            range=(3, 70, 3, 78),
        ),
        Invalid(
            """
from keras.models import Sequential
from keras.layers import Dense
m = Sequential()
m.add(Dense(4, name='d'))
m.add(Dense(2, name='d'))
""",
            message="(first at line 5)",
            range=(6, 21, 6, 24),
        ),
    )

    def check(self, context: RuleContext) -> Iterator[Violation]:
        analysis = context.analysis
        constructions, _ = find_constructions(analysis)
        for c in constructions:
            layers = []
            for arg in c.call.args:
                if (arg.keyword is None or arg.keyword.value == "layers") and isinstance(
                    arg.value, cst.List | cst.Tuple
                ):
                    layers += [e.value for e in arg.value.elements]
            if c.target is not None:
                layers += [
                    r.arg
                    for r in model_refs(analysis, c)
                    if r.kind == "add"
                    and r.arg is not None
                    and r.range.start.line > analysis.range(c.line).start.line
                    and not r.nested_scope
                ]
            seen: dict[str, cst.CSTNode] = {}
            for layer in layers:
                name = keyword_args(layer).get("name") if isinstance(layer, cst.Call) else None
                if name is None or not isinstance(name.value, cst.SimpleString):
                    continue
                text = name.value.evaluated_value
                if text in seen:
                    named = (analysis.range(c.call).start.line, analysis.range(seen[text]).start.line)
                    yield Violation(
                        name.value,
                        f"layer name {text!r} is used twice in the Sequential at line {named[0]} (first at "
                        f"line {named[1]}); Keras refuses duplicate layer names when it builds the model.",
                        no_fix="pick a name that is unique in the model",
                        lines=named,
                    )
                else:
                    seen[str(text)] = name.value
