"""Runs in the verifier's child process: builds both programs' models, compares them, and
writes the `Verdict`.

Usage: python -m seq2func.verify.child REQUEST.json RESULT.json

A `sites` request proves each conversion where it is made (`slicing`): the object the
original's `Sequential(...)` call makes, and the one the converted code binds there, each
from the program's slice for it; a `names` request compares the module-level models two
programs leave under the same names. This module and the modules of `verify/` it imports
are the only code of seq2func that imports TensorFlow/Keras, and only here.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import importlib.util
import json
import os
import re
import resource
import sys
import sysconfig
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from seq2func.types import Hint
from seq2func.verify.comparing import (
    DEFINITIONS,
    VerifyFailure,
    compare,
    compare_applied,
    compare_shared,
    unproven,
)
from seq2func.verify.facts import dims
from seq2func.verify.graph import layer_graph
from seq2func.verify.requests import Request, SiteRequest
from seq2func.verify.running import LeftBehind, SliceRun, call, execute, run_program, with_ipython
from seq2func.verify.runs import differences
from seq2func.verify.slicing import Probe, Slice, instrument, plan
from seq2func.verify.standins import (
    Recorder,
    built,
    declared_input,
    install,
    limit_memory,
    quiet_tensorflow,
    reset_keras,
    use_keras2,
)
from seq2func.verify.verdict import Graphs, ModelFacts, ModelVerdict, ShapeSource, Sides, Verdict


def class_sources(tree: ast.Module) -> dict[str, str]:
    """Every class a program defines, by qualified name (`f.<locals>.C`), as text."""
    found: dict[str, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                found[prefix + child.name] = ast.unparse(child)
                visit(child, f"{prefix}{child.name}.")
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, f"{prefix}{child.name}.<locals>.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return found


def _read(path: str, source: str | None) -> str:
    return source if source is not None else Path(path).read_text(encoding="utf-8-sig")


# -- a proof per conversion -----------------------------------------------------------------------


IMPORT_ERRORS = ("raised ImportError", "raised ModuleNotFoundError")
# what Keras 3 says of Keras 2 code: its modules, names and arguments are gone
KERAS2_CODE = re.compile(
    r"No module named '(tensorflow\.)?keras\.|cannot import name .* from '(tensorflow\.)?keras"
    r"|Unrecognized keyword argument|unexpected keyword argument|Argument\(s\) not recognized"
    r"|module '(tensorflow\.)?keras[\w.]*' has no attribute"
)


def _shape_words(shape: tuple[int | None, ...]) -> str:
    return f"({', '.join('None' if d is None else str(d) for d in shape)}{',' if len(shape) == 1 else ''})"


class Proof:
    """Both programs of a `sites` request, run: their slices and what their probes caught."""

    def __init__(self, request: Request, recorder: Recorder) -> None:
        self.request, self.recorder = request, recorder
        self.notes: list[str] = []
        self.runs: dict[str, tuple[Slice, SliceRun]] = {}
        for label, spec in (("original", request.original), ("converted", request.converted)):
            source, shell = with_ipython(_read(spec.path, spec.source), spec.ipython, self.notes, label)
            try:
                tree = ast.parse(source, spec.path)
            except SyntaxError as error:
                raise VerifyFailure(
                    f"{label} does not parse: {error.msg}", f"{spec.path}:{error.lineno}"
                ) from None
            DEFINITIONS[f"__seq2func_{label}__"] = class_sources(tree)
            missing = instrument(tree, source, [self._probe(label, s) for s in request.sites])
            sites = [s.site for s in request.sites if s.site not in missing]
            sliced = plan(tree, sites, whole=request.whole, entry=request.entry, at=spec.at)
            sliced.missing = missing
            made = LeftBehind(request.directory)
            self.runs[label] = (sliced, execute(sliced, spec.path, label, self.notes, shell))
            made.remove_new()  # the converted program meets the folder the original met
        made = LeftBehind(request.directory)
        self.fallen_back = self._fall_back()
        made.remove_new()
        self.at = {"original": request.original.at, "converted": request.converted.at}
        self.differences = differences(
            self.runs["original"][1], self.runs["converted"][1], self.at["original"], self.at["converted"]
        )

    def _fall_back(self) -> dict[int, str]:
        """For each site whose model the program's own way did not build, the first other way
        that builds it in the original, made in both programs; how, by site."""
        (o_plan, o_run), (_, c_run) = self.runs["original"], self.runs["converted"]
        built_by = {}
        for site in self.request.sites:
            trigger = o_plan.triggers.get(site.site)
            if site.site in o_run.caught or trigger is None:
                continue
            for code, how in trigger.fallbacks:
                call(o_run.namespace, code)
                if site.site in o_run.caught:
                    call(c_run.namespace, code)
                    built_by[site.site] = how
                    break
        return built_by

    def label(self, site: SiteRequest) -> str:
        return f"{site.name} ({self.at['original'](site.line)})"

    @staticmethod
    def _probe(label: str, site: SiteRequest) -> Probe:
        if label == "original":
            return Probe(site.site, "call", site.line, site.column)
        return Probe(site.site, "binding", site.last, first=site.first, target=site.name)

    def verdict(self) -> Verdict:
        models = [self.site(s) for s in self.request.sites]
        keras2 = [m.site for m in models if m.site is not None and "keras2" in m.hints]
        if keras2 and importlib.util.find_spec("tf_keras") is not None:  # the parent runs them on Keras 2
            models = [replace(m, hints=()) if m.site in keras2 else m for m in models]
        else:
            keras2 = []
        downstream = self.downstream(models)
        for k, model in enumerate(models):  # a model built from a site's that differs: so does the site
            different = [d for d in downstream if model.site in d.derived_from and d.verdict == "different"]
            if different and model.verdict == "equivalent":
                said = [
                    f"{d.name}, which the program builds from it, differs: {'; '.join(d.reasons[:2])}"
                    for d in different
                ]
                models[k] = replace(model, verdict="different", reasons=[*said, *model.reasons])
        c_plan = self.runs["converted"][0]
        attributed = set().union(*(c_plan.of(s.site) for s in self.request.sites))
        program = [d.text for d in self.differences if d.step is None or d.step not in attributed]
        return Verdict("ok", [*models, *downstream], self.notes, program=program, keras2=keras2)

    def downstream(self, sites: list[ModelVerdict]) -> list[ModelVerdict]:
        """The module-level models the program builds from the sites' models (the seed's whole
        network from its shared base), compared by name once the slices have run."""
        import keras

        (o_plan, o_run), (_, c_run) = self.runs["original"], self.runs["converted"]
        holders = {name for step in o_plan.steps if step.sites for name in step.binds}
        by_name: dict[str, list[int]] = {}
        for model in sites:
            if model.site is None or model.verdict == "unproven":
                continue
            for name in sorted(o_plan.derived.get(model.site, frozenset()) - holders):
                by_name.setdefault(name, []).append(model.site)
        found = []
        for name, derived_from in by_name.items():
            before, after = o_run.namespace.get(name), c_run.namespace.get(name)
            if not (isinstance(before, keras.Model) and isinstance(after, keras.Model) and built(before)):
                continue
            line = next((s.line for s in o_plan.steps if name in s.binds and s.sites == frozenset()), None)
            label = f"{name} ({self.at['original'](line)})" if line is not None else name
            verdict = compare(label, before, after, frozenset(self.recorder.called.get(id(before), ())))
            found.append(
                replace(
                    verdict,
                    derived_from=tuple(derived_from),
                    built="built from "
                    + ", ".join(self.label(s) for s in self.request.sites if s.site in derived_from),
                )
            )
        return found

    def _failed(self, label: str, site: int) -> tuple[str, tuple[Hint, ...]] | None:
        """The first statement a site needs that raised, in words, and what to do about it."""
        sliced, run = self.runs[label]
        for i in sorted(sliced.needed.get(site, ())):
            outcome = run.ended.get(i)
            if outcome is not None and outcome.ended.startswith("raised"):
                said = f": {outcome.detail}" if outcome.detail else ""
                # a package this interpreter lacks: the project's may have it (when it is not that one)
                missing = outcome.ended in IMPORT_ERRORS and not self.request.python_given
                hints: tuple[Hint, ...] = ("python",) if missing else ()
                if not self.request.keras2 and KERAS2_CODE.search(outcome.detail):
                    hints = ("keras2",)  # Keras 3 refuses it: Keras 2 runs it, when installed
                return f"{self.at[label](outcome.line)} of the {label} program {outcome.ended}{said}", hints
        return None

    def _not_reached(self, label: str, site: int) -> str:
        sliced, _ = self.runs[label]
        trigger = sliced.triggers.get(site)
        if trigger is not None and trigger.step is None:
            return trigger.how
        failed = self._failed(label, site)
        if failed is not None:
            return failed[0]
        how = f" ({trigger.how})" if trigger is not None else ""
        return f"the {label} program never runs the code that makes it{how}"

    def _unconfirmed(self, site: int) -> str:
        """Why running the original did not confirm a model's input shape."""
        sliced, run = self.runs["original"]
        steps = sorted(sliced.of(site))
        for i in steps:
            outcome = run.ended.get(i)
            feeding = i in sliced.feeds.get(site, ()) or sliced.steps[i].kind == "feed"
            if feeding and outcome is not None and outcome.ended.startswith("raised"):
                said = f": {outcome.detail}" if outcome.detail else ""
                return f"{self.at['original'](outcome.line)} {outcome.ended}{said}"
        if not any(sliced.steps[i].kind == "feed" for i in steps):
            return "nothing in the program feeds it data"
        return "the data it is fed has no shape seq2func can read (a generator, say)"

    def site(self, site: SiteRequest) -> ModelVerdict:
        label = self.label(site)
        (o_plan, o_run), (c_plan, c_run) = self.runs["original"], self.runs["converted"]
        trigger = o_plan.triggers.get(site.site)
        how = trigger.how if trigger is not None and trigger.step is not None else ""
        how = self.fallen_back.get(site.site, how)
        if site.site in o_plan.missing:
            return _unproven(
                label,
                site,
                f"seq2func could not find where the original makes it ({o_plan.missing[site.site]})",
            )
        if site.site in c_plan.missing:
            return _unproven(
                label,
                site,
                f"seq2func could not find where the converted code binds it ({c_plan.missing[site.site]})",
            )
        original, converted = o_run.caught.get(site.site), c_run.caught.get(site.site)
        failed = self._failed("original", site.site)
        # a statement it needs failed in the original: proven only if both programs made their
        # model before it (a test's assertion after the model, say)
        if original is None or (failed is not None and converted is None):
            why, hints = failed or (self._not_reached("original", site.site), ())
            return replace(_unproven(label, site, why, how), hints=hints)
        mine = [d.text for d in self.differences if d.step is not None and d.step in c_plan.of(site.site)]
        if converted is None:
            why = self._not_reached("converted", site.site)
            return _different(
                label,
                site,
                [*mine, f"the converted program never builds it where the original does: {why}"],
                how,
            )
        if type(original).__name__ != "Sequential" or not hasattr(original, "layers"):  # any Keras's
            return _unproven(
                label, site, f"the original's call made a {type(original).__name__}, not a Sequential", how
            )
        called = frozenset(self.recorder.called.get(id(original), ()))
        shape = self._shape(site, original, converted)
        if isinstance(shape, ModelVerdict):
            return replace(shape, built=how)
        source, words, agreed = shape
        if site.style == "shared":
            verdict = compare_applied(label, original, converted, called)
        else:
            verdict = compare(label, original, converted, called)
        if mine:
            verdict = replace(verdict, verdict="different", reasons=[*mine, *verdict.reasons])
        return replace(
            verdict,
            site=site.site,
            built=how,
            shape=agreed if verdict.verdict == "equivalent" else words,
            shape_source=source,
            shape_confirmed=source != "claimed",
        )

    def _shape(
        self, site: SiteRequest, original: Any, converted: Any
    ) -> tuple[ShapeSource, str, str] | ModelVerdict:
        """How the original got its input shape, in words (and in words once the models are
        found to agree); an unbuilt one is built on the shape the conversion gives it (said as
        unconfirmed), or cannot be compared."""
        label = self.label(site)
        if built(original):
            how, line = self.recorder.built.get(id(original), ("declared", None))
            shape = (
                _shape_words(tuple(dims(original.inputs[0].shape)))
                if len(original.inputs) == 1
                else "its inputs"
            )
            where = self.at["original"](line)
            if how == "data":
                fed = f"input {shape} from the data {where} feeds it"
                return "data", fed, f"input {shape} confirmed by running {where}"
            if how == "applied":
                given = f"input {shape} given by {where}, which calls it on a tensor"
                return "applied", given, given
            own = f"input {shape} declared by the original" + (f" ({where})" if line is not None else "")
            return "declared", own, own
        declared = declared_input(original)
        if declared is not None:
            original.build(declared)
            words = f"input {_shape_words(declared)} declared by its Embedding (input_length=, which Keras 3 ignores)"
            return "declared", words, words
        if site.style == "shared":
            return _unproven(
                label,
                site,
                "the original program never applies it to a tensor nor feeds it data, so there is no "
                "input to compare the shared layers on",
            )
        if not built(converted) or len(converted.inputs) != 1:
            return _unproven(label, site, "neither the original nor the converted model has an input shape")
        claimed = tuple(dims(converted.inputs[0].shape))
        try:
            original.build(claimed)
        except Exception as error:
            return _different(
                label,
                site,
                [
                    f"the original cannot be built on the input {_shape_words(claimed)} the conversion gives it: {error}"
                ],
            )
        said = f" from {site.input_source}" if site.input_source else ""
        words = f"input {_shape_words(claimed)} as read{said}; not confirmed by running ({self._unconfirmed(site.site)})"
        return "claimed", words, words


def _empty(label: str, site: SiteRequest, verdict: str, reasons: list[str], how: str) -> ModelVerdict:
    nothing = ModelFacts(0, 0, 0, [], [], [])
    return ModelVerdict(
        name=label,
        mode="equivalence",
        verdict=verdict,  # type: ignore[arg-type]
        original=nothing,
        converted=nothing,
        comparisons=[],
        reasons=reasons,
        notes=[],
        rows=Sides([], []),
        site=site.site,
        built=how,
    )


def _unproven(label: str, site: SiteRequest, why: str, how: str = "") -> ModelVerdict:
    return _empty(label, site, "unproven", [why], how)


def _different(label: str, site: SiteRequest, reasons: list[str], how: str = "") -> ModelVerdict:
    return _empty(label, site, "different", reasons, how)


# -- module-level models compared by name ---------------------------------------------------------


def keras_models(namespace: dict[str, Any]) -> dict[str, Any]:
    import keras

    return {
        name: value
        for name, value in namespace.items()
        if (isinstance(value, keras.Model) and not name.startswith("_"))
        or (name == "__seq2func_entry__" and isinstance(value, keras.Model))
    }


def compare_names(request: Request, recorder: Recorder) -> Verdict:
    notes: list[str] = []
    runs = {}
    for label, spec in (("original", request.original), ("converted", request.converted)):
        runs[label] = run_program(
            _read(spec.path, spec.source), spec.path, label, request.entry, notes, stop=label == "original"
        )
    program = [d.text for d in differences(runs["original"], runs["converted"])]
    if program:  # what the program does changed: no model comparison makes up for that
        return Verdict("ok", [], notes, program=program)
    sides = {label: keras_models(run.namespace) for label, run in runs.items()}
    wanted = request.models or None
    if request.entry:
        wanted = ["__seq2func_entry__"]
    names = wanted or [n for n in sides["original"] if n in sides["converted"]]
    if not names:
        raise VerifyFailure(
            "no model to compare: neither program leaves a Keras model in a module-level variable "
            "of the same name",
            hints=("bind-model",),
        )
    results = []
    for name in names:
        missing = [label for label in sides if name not in sides[label]]
        if missing:
            raise VerifyFailure(
                f"model {name!r} is not a module-level Keras model in the {' and '.join(missing)} program"
            )
        original, converted = sides["original"][name], sides["converted"][name]
        if not built(original) and not built(converted):  # a model left as it is, never built
            notes.append(f"{name}: neither program gives it an input shape, so there is nothing to compare")
            continue
        declared = declared_input(original) if not built(original) else None
        if declared is not None:
            original.build(declared)
            notes.append(
                f"{name}: the original is built with the input its Embedding declares "
                f"(input_length={declared[1]}, which Keras 3 ignores)"
            )
        if not built(original):
            results.append(unproven(name, converted))
            continue
        label = "entry" if name == "__seq2func_entry__" else name
        if request.mode == "sharing":
            verdict = compare_shared(label, original, converted)
        else:
            verdict = compare(label, original, converted, frozenset(recorder.called.get(id(original), ())))
        graphs = (layer_graph(original), layer_graph(converted)) if request.plot else (None, None)
        if graphs[0] is not None and graphs[1] is not None:
            verdict = replace(verdict, graphs=Graphs(graphs[0], graphs[1]))
        results.append(verdict)
    if not results:
        raise VerifyFailure(f"no model to compare: {'; '.join(notes)}")
    return Verdict("ok", results, notes)


def verify(request: Request) -> Verdict:
    quiet_tensorflow()
    if request.keras2 and "keras" not in sys.modules:
        use_keras2()
    if request.directory:
        sys.path.insert(0, request.directory)
        os.chdir(request.directory)
    import keras

    texts = [spec.source or "" for spec in (request.original, request.converted)]
    recorder = install(
        keras, Recorder(set()), legacy=any("tensorflow.python.keras" in text for text in texts)
    )
    recorder.reset({request.original.path, request.converted.path})
    if request.kind == "sites":
        return Proof(request, recorder).verdict()
    return compare_names(request, recorder)


def answer(request: Request) -> Verdict:
    """The verdict on one request, whatever the programs do."""
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return verify(request)
    except VerifyFailure as failure:
        return Verdict("error", message=failure.message, where=failure.where, hints=failure.hints)
    except ImportError as error:
        return Verdict("error", message=f"import failed: {error}")


class Saved:
    """What a request's programs may change in the process, as it was before them."""

    def __init__(self) -> None:
        self.cwd, self.path, self.argv = os.getcwd(), list(sys.path), list(sys.argv)
        self.environ, self.modules = dict(os.environ), set(sys.modules)
        paths = sysconfig.get_paths()
        self.installed = tuple(
            {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
        )

    def restore(self, memory_mb: int | None) -> bool:
        """Put it back; whether the process can serve another request (False: it holds too much
        memory, or something could not be put back)."""
        try:
            os.chdir(self.cwd)
            sys.path[:], sys.argv[:] = self.path, self.argv
            os.environ.clear()
            os.environ.update(self.environ)
            for name in set(sys.modules) - self.modules:  # the programs' own modules, not libraries
                module = sys.modules[name]
                where = getattr(module, "__file__", None) or ""
                ours = name == "seq2func" or name.startswith("seq2func.")
                ours = ours or getattr(module, "__seq2func_stand_in__", False)
                if name.startswith("__seq2func_") or not (ours or where.startswith(self.installed)):
                    del sys.modules[name]
            DEFINITIONS.clear()
            reset_keras(sys.modules["keras"])
            gc.collect()
        except Exception:
            return False
        used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return not memory_mb or used < memory_mb * 2**20 * 0.6


def serve() -> int:
    """Answer the requests the parent names on its command pipe (`runner.Server`), each result
    written whole (a rename) with whether this process can take another."""
    commands = os.fdopen(int(os.environ.pop("SEQ2FUNC_COMMANDS")))
    saved: Saved | None = None
    for line in commands:
        request_path, result_path = line.rstrip("\n").split("\t")
        request = Request.from_dict(json.loads(Path(request_path).read_text()))
        if saved is None:
            limit_memory(request.memory_mb)
            saved = Saved()
        result = answer(request)
        reusable = saved.restore(request.memory_mb) and result.message is None
        part = Path(f"{result_path}.part")
        part.write_text(json.dumps({**asdict(result), "reusable": reusable}))
        os.replace(part, result_path)
        if not reusable:
            return 0
    return 0


def main(argv: list[str]) -> int:
    if argv[1:] == ["--serve"]:
        return serve()
    request = Request.from_dict(json.loads(Path(argv[1]).read_text()))
    limit_memory(request.memory_mb)
    Path(argv[2]).write_text(json.dumps(asdict(answer(request))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
