"""Plan the shared-layers style: no sub-model, each layer bound once and reapplied.

`seq = Sequential([...])` becomes one binding per layer and a function `seq(x)`
that applies them in order, so every `seq(input_k)` keeps working and reuses
the same layer objects. Adds under control flow fill a list instead, applied
by a loop, so the layers are still created once and in the same order.

When the model object itself is needed (`.summary()`, `.fit`, passed along),
the construction falls back to the Model style with a note that says why.
"""

from __future__ import annotations

from dataclasses import replace

import libcst as cst
from libcst.metadata import GlobalScope

from seq2func.find import (
    EMBEDDING,
    SEQUENTIAL,
    Analysis,
    Construction,
    assignments_of,
    binding_uses,
    keyword_args,
)
from seq2func.names import free_name, layer_name
from seq2func.plan import (
    Edit,
    Part,
    Plan,
    Planner,
    Ref,
    SkipConstruction,
    Statement,
    Verbatim,
    _apply,
    _drop_args,
    _input_element,
    _model_refs,
    comments_in,
    element_comments,
)
from seq2func.types import Skip

PARAM = "x"
LOOP_VARIABLE = "layer"
_FACTORY_PREFIXES = ("build_", "create_", "make_", "get_", "define_", "new_")
_EVERYWHERE = (0, 1 << 30)  # shared bindings live as long as their scope


class NotShareable(Exception):
    """The shared style does not apply; the Model style is used instead."""


class SharedPlanner(Planner):
    """Plans `--style shared`; falls back to the Model style construction by construction."""

    reason: str | None = None  # why the last construction could not share its layers

    def plan(self, c: Construction) -> Plan | Skip:
        self.reason = None
        try:
            return self._plan_shared(c)
        except NotShareable as why:
            self.reason = str(why)
            fallback = super().plan(c)
            if isinstance(fallback, Plan):
                fallback.note = f"kept as a Model, not shared layers: {why}"
                return fallback
            return replace(fallback, message=f"{fallback.message} (shared layers: {why})")
        except SkipConstruction as skip:
            return self.skip(c, skip)

    def _plan_shared(self, c: Construction) -> Plan:
        an = self.analysis
        if c.target is not None and not isinstance(c.target, cst.Name):
            raise NotShareable(f"the model is stored in {an.code(c.target)}, whose uses cannot be followed")
        layers_arg, model_kwargs, elements = self._layer_elements(c)
        if any(kw.startswith("trainable=") for kw in model_kwargs):
            raise NotShareable("Sequential(trainable=...) sets a flag on the model object")
        refs = _model_refs(an, c) if c.target is not None else []
        adds, last_index, build = self._collect_adds(c, refs)
        calls = self._count_calls(c, [r for r in refs if r not in adds and r is not build])
        if not calls:
            raise NotShareable("the model is never applied to a tensor, so no call would share its layers")

        comments = element_comments(layers_arg) if layers_arg is not None else []
        first = 1 if elements and self._is_input(c, elements[0].value) else 0
        edits: list[Edit] = []
        removed = [c.call, *(e.value for e in elements[:first] if isinstance(e.value, cst.Call))]
        if not elements and adds and an.in_block(c.block, adds[0].line) and self._is_input(c, adds[0].arg):  # type: ignore[arg-type]
            dropped = adds.pop(0)  # `m.add(keras.Input(...))`: the tensors applied to give the input
            removed += [dropped.arg] if isinstance(dropped.arg, cst.Call) else []
            kept: list[Part] = [Verbatim(cm.value) for cm in self._lost_comments_add(dropped)]
            edits.append(self._delete_line(dropped.line, kept))  # type: ignore[arg-type]
        list_layers = list(range(first, len(elements)))
        if not list_layers and not adds:
            raise SkipConstruction(c.call, "no-layers", "the model has no layers to convert")
        straight = all(an.in_block(c.block, add.line) for add in adds)
        unconditional = bool(adds) and an.in_block(c.block, adds[0].line)
        first_layer = elements[first].value if list_layers else (adds[0].arg if unconditional else None)
        stripped = _strip_input_args(an, first_layer) if first_layer is not None else None

        def code_of(layer: cst.BaseExpression) -> str:
            return stripped if layer is first_layer and stripped is not None else an.code(layer)

        taken = self._taken(c) | {PARAM, LOOP_VARIABLE}
        func = self._function_name(c, taken)
        taken.add(func)
        ctor_parts: list[Part] = [
            Verbatim(cm.value) for cm in self._lost_comments(c.call, [elements[i] for i in list_layers])
        ]
        if straight:
            applied: list[str] = []

            def bind(layer: cst.BaseExpression, trailing: str | None = None) -> list[Part]:
                inner = (
                    _inline_sequential(an, layer)
                    if not (layer is first_layer and stripped is not None)
                    else None
                )
                if inner is not None:  # a nested Sequential: its layers are shared one by one too
                    removed.append(layer)  # type: ignore[arg-type]
                    return [
                        part
                        for i, element in enumerate(inner)
                        for part in bind(element, trailing if i == 0 else None)
                    ]
                if isinstance(layer, cst.Name):
                    applied.append(layer.value)  # already a layer object: reapply it as it is
                    return []
                name = free_name(an, c.scope, (layer_name(layer),), taken, first_suffix=1)
                taken.add(name)
                applied.append(name)
                return [Statement(f"{name} = {code_of(layer)}", trailing)]

            for i in list_layers:
                leading, trailing = comments[i] if comments else ([], None)
                ctor_parts += [Verbatim(text) for text in leading]
                ctor_parts += bind(elements[i].value, trailing)
            for add in adds:
                parts: list[Part] = [Verbatim(cm.value) for cm in self._lost_comments_add(add)]
                parts += bind(add.arg)  # type: ignore[arg-type]
                expr = add.line.body[0]  # type: ignore[union-attr]
                edits.append(Edit("replace", expr, parts) if parts else Edit("delete", add.line))  # type: ignore[arg-type]
            body = [f"    {PARAM} = {_apply(an, name, PARAM)}" for name in applied]
            names = tuple(applied)
        else:
            holder = free_name(an, c.scope, (f"{func}_layers",), taken)
            taken.add(holder)
            codes = [code_of(elements[i].value) for i in list_layers]
            ctor_parts.append(
                Statement(
                    f"{holder} = {_list_code(codes, [comments[i] for i in list_layers] if comments else [])}"
                )
            )
            for add in adds:
                parts = [Verbatim(cm.value) for cm in self._lost_comments_add(add)]
                parts.append(Statement(f"{holder}.append({code_of(add.arg)})"))  # type: ignore[arg-type]
                edits.append(Edit("replace", add.line.body[0], parts))  # type: ignore[union-attr]
            body = [f"    for {LOOP_VARIABLE} in {holder}:", f"        {PARAM} = {LOOP_VARIABLE}({PARAM})"]
            names = (holder,)
        definition = Statement("\n".join([f"def {func}({PARAM}):", *body, f"    return {PARAM}"]))
        blank = 2 if isinstance(c.scope, GlobalScope) else 1

        if c.target is None:  # `return Sequential(...)`: return the function instead
            edits.append(
                Edit(
                    "replace",
                    c.statement,
                    [*ctor_parts, Verbatim(""), definition, Verbatim(""), Statement(f"return {func}")],
                )
            )
        else:
            edits.append(
                Edit("replace", c.statement, ctor_parts) if ctor_parts else self._delete_line(c.line)
            )
            edits.append(
                Edit(
                    "after",
                    c.block[last_index],
                    [definition],
                    indent_from=c.line,
                    blank_before=blank,
                    blank_after=blank,
                )
            )
        if build is not None:
            edits.append(self._delete_line(build.line))  # type: ignore[arg-type]
        span = (an.range(c.line).start.line, an.range(c.block[last_index]).end.line)
        self._claimed.append((c.scope, _EVERYWHERE, {*names, func}))
        return Plan(
            c,
            edits,
            len(list_layers) + len(adds),
            "the tensors it is applied to",
            names,
            span,
            style="shared",
            removed=removed,
        )

    # -- what the shared style needs ------------------------------------------

    def _is_input(self, c: Construction, element: cst.BaseExpression) -> bool:
        """An Input(...)/InputLayer(...) or an Input tensor: not a layer to apply."""
        return _input_element(self.analysis, element, c.scope, self.refs) is not None

    def _taken(self, c: Construction) -> set[str]:
        return {n for scope, _, names in self._claimed if scope is c.scope for n in names}

    def _function_name(self, c: Construction, taken: set[str]) -> str:
        if isinstance(c.target, cst.Name):
            return c.target.value  # callers keep calling it by this name
        enclosing = self._enclosing_function(c)
        base = enclosing.name.value if enclosing is not None else "network"
        for prefix in _FACTORY_PREFIXES:
            if base.startswith(prefix) and len(base) > len(prefix):
                base = base[len(prefix) :]
                break
        return free_name(self.analysis, c.scope, (base, "apply_layers"), taken)

    def _enclosing_function(self, c: Construction) -> cst.FunctionDef | None:
        node: cst.CSTNode | None = c.statement
        while node is not None and not isinstance(node, cst.FunctionDef):
            node = self.analysis.parent(node)
        return node

    def _count_calls(self, c: Construction, uses: list[Ref]) -> int:
        """How often the model is applied to a tensor; any other use makes sharing impossible."""
        an = self.analysis
        name = c.model_name
        calls = 0
        for use in uses:
            if use.kind == "assign":
                continue  # a later, unrelated binding of the same name
            parent = an.parent(use.node)
            if isinstance(parent, cst.Return) and not use.nested_scope:
                calls += self._factory_calls(c)
            else:
                calls += _one_tensor_call(an, use.node, name)
        if c.target is None:
            calls += self._factory_calls(c)
        return calls

    def _factory_calls(self, c: Construction) -> int:
        """The model leaves its function by `return`: every caller must only apply it."""
        an = self.analysis
        func = self._enclosing_function(c)
        outer = an.scope(func) if func is not None else None
        if func is None or outer is None:
            raise NotShareable("the model is returned from outside a function")
        fname = func.name.value
        accesses = (
            [
                a
                for assignment in assignments_of(outer, fname)
                if assignment.node is func
                for a in assignment.references
            ]
            if fname in outer.assignments
            else []
        )
        if not accesses:
            raise NotShareable(f"{fname}() is not called in this file, so how its model is used is unknown")
        calls = 0
        for access in accesses:
            call = an.parent(access.node)
            if not isinstance(call, cst.Call) or call.func is not access.node:
                raise NotShareable(f"{fname} is used as a value at line {an.range(access.node).start.line}")
            holder = an.parent(call)
            if isinstance(holder, cst.Call) and holder.func is call:
                calls += _one_tensor_call(an, call, f"{fname}(...)")
                continue
            if not (
                isinstance(holder, cst.Assign)
                and len(holder.targets) == 1
                and isinstance(holder.targets[0].target, cst.Name)
            ):
                raise NotShareable(
                    f"the model returned by {fname}() at line {an.range(call).start.line} "
                    "is used as an object"
                )
            var = holder.targets[0].target
            calls += sum(_one_tensor_call(an, use, var.value) for use in binding_uses(an, var))
        return calls


def _inline_sequential(an: Analysis, layer: cst.BaseExpression) -> list[cst.BaseExpression] | None:
    """The layers of `Sequential([a, b])` written inline, when that is all the call says."""
    if not (isinstance(layer, cst.Call) and an.resolves_to(layer.func, SEQUENTIAL) and len(layer.args) == 1):
        return None
    arg = layer.args[0]
    if arg.keyword is not None or arg.star or not isinstance(arg.value, cst.List | cst.Tuple):
        return None
    if comments_in(arg.value) or not arg.value.elements:
        return None  # comments inside would have nowhere to go
    if any(isinstance(e, cst.StarredElement) for e in arg.value.elements):
        return None
    return [e.value for e in arg.value.elements]


def _one_tensor_call(an: Analysis, node: cst.CSTNode, name: str) -> int:
    """1 when `node` is applied as `name(tensor)`; raise NotShareable for any other use."""
    parent = an.parent(node)
    line = an.range(node).start.line
    if isinstance(parent, cst.Call) and parent.func is node:
        if len(parent.args) == 1 and parent.args[0].keyword is None and not parent.args[0].star:
            return 1
        raise NotShareable(f"{name}(...) at line {line} passes more than one tensor")
    if isinstance(parent, cst.Attribute) and parent.value is node:
        called = "()" if isinstance(an.parent(parent), cst.Call) else ""
        raise NotShareable(f"{name}.{parent.attr.value}{called} at line {line} needs a Model object")
    if isinstance(parent, cst.Arg):
        raise NotShareable(f"{name} is passed to another call at line {line}, which may need a Model object")
    raise NotShareable(f"{name} is used as a value at line {line}")


def _strip_input_args(an: Analysis, layer: cst.BaseExpression) -> str | None:
    """The first layer without the input declaration a shared layer does not need."""
    if not isinstance(layer, cst.Call) or not an.is_keras(layer.func):
        return None
    names = {"input_shape", "batch_input_shape", "batch_size"}
    if not an.resolves_to(layer.func, EMBEDDING):
        names.add("input_dim")
    if not names & set(keyword_args(layer)):
        return None
    return an.code(_drop_args(layer, names))


def _list_code(codes: list[str], comments: list[tuple[list[str], str | None]]) -> str:
    if not any(leading or trailing for leading, trailing in comments):
        return f"[{', '.join(codes)}]"
    lines = ["["]
    for code, (leading, trailing) in zip(codes, comments, strict=True):
        lines += leading
        lines.append(f"{code},{'  ' + trailing if trailing else ''}")
    return "\n".join([*lines, "]"])
