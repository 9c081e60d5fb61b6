"""Verification: run the user's program in a child process, under limits, to build the
original and the converted models and compare them (`prove`, `compare`), or to see the
input shapes its models are given (`infer_shapes`). These turn the settings of a run
into the limits of the child; nothing here imports TensorFlow: only the children
(`child.py`, `infer.py`), run as their own processes, do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from seq2func.notebook import Script, script_line
from seq2func.types import Conversion, InferredShapes, VerifySettings
from seq2func.verify.entries import factory_calls
from seq2func.verify.requests import ProgramSpec, Request, SiteRequest

if TYPE_CHECKING:
    from seq2func.verify.verdict import Verdict

DEFAULT_LIMITS = VerifySettings()


def infer_shapes(
    path: str | Path,
    text: str,
    settings: VerifySettings = DEFAULT_LIMITS,
    cancelled: Callable[[], bool] | None = None,
) -> InferredShapes:
    """The input shape each Sequential of `text` (the program at `path`) is given when the
    program runs in a child process, fit/evaluate/predict intercepted (nothing trains);
    the child is killed as soon as `cancelled()` turns true."""
    from seq2func.verify import runner  # see `LAZY_OWN` in tests/test_architecture.py

    return runner.infer_shapes(
        path,
        text,
        timeout=settings.timeout,
        memory_mb=settings.memory_mb or None,
        cancelled=cancelled,
        python=settings.python,
    )


@contextlib.contextmanager
def serving() -> Iterator[None]:
    """Within this scope, verifications reuse their child process where isolation allows (see
    `runner.serving`): a tree pays TensorFlow's import once."""
    from seq2func.verify import runner

    with runner.serving():
        yield


def sites_of(
    conversions: Sequence[Conversion], original: Script | None = None, converted: Script | None = None
) -> list[SiteRequest]:
    """What the child proves of each conversion: where the original makes its Sequential and
    where the converted code binds the model, in lines of the programs it runs (a notebook's
    scripts: `original` and `converted`)."""
    sites = []
    for k, c in enumerate(conversions):
        if c.new_start is None or c.new_end is None:
            continue
        line = script_line(c.location, original) if original is not None else c.location.line
        first = script_line(c.new_start, converted) if converted is not None else c.new_start.line
        last = script_line(c.new_end, converted) if converted is not None else c.new_end.line
        sites.append(SiteRequest(k, c.model, line, c.location.column, first, last, c.style, c.input_source))
    return sites


def _notebook(script: Script | None) -> tuple[dict[int, str], list[tuple[int, int]]]:
    """A notebook script's IPython lines (masked in its text) by line, and where its cells start."""
    if script is None:
        return {}, []
    masked = {
        n: script.masks[line] for n, line in enumerate(script.text.splitlines(), 1) if line in script.masks
    }
    return masked, [(start, cell + 1) for start, cell in zip(script.starts, script.cells, strict=True)]


def prove(
    path: str | Path,
    original: str,
    converted: str,
    settings: VerifySettings = DEFAULT_LIMITS,
    cancelled: Callable[[], bool] | None = None,
    conversions: Sequence[Conversion] | None = None,
    scripts: tuple[Script, Script] | None = None,
) -> Verdict:
    """Build the models of `original` (the program at `path`, as text) and of `converted`
    in a child process, and compare them; the child is killed as soon as `cancelled()` turns
    true.

    With `conversions` (what converting `original` into `converted` did), each conversion is
    proven where it is made, from the program's slice for it (`settings.whole`: the whole
    program), and gets a verdict of its own; `scripts`: a notebook's, before and after (their
    IPython lines run as IPython runs them). Without, the module-level models of both are
    compared by name (`settings.mode`: the same network, or the same with duplicate layers
    merged); a program that leaves none is built by `settings.entry`, else by the first call
    of its model factory that the program itself makes (`entries`)."""

    from seq2func.verify import runner

    if conversions is not None:
        before, after = scripts if scripts is not None else (None, None)
        request = Request(
            "sites",
            ProgramSpec(str(path), original, *_notebook(before)),
            ProgramSpec(f"{path} (converted)", converted, *_notebook(after)),
            sites=sites_of(conversions, before, after),
            entry=settings.entry,
            whole=settings.whole,
            python_given=settings.python is not None,
        )
        limits = (settings.timeout, settings.memory_mb or None, cancelled, settings.python)
        verdict = runner.run_request(request, path, *limits)
        if verdict.status == "ok" and verdict.keras2:  # Keras 2 code: those sites proven on Keras 2
            on_keras2 = runner.run_request(replace(request, keras2=True), path, *limits)
            verdict = runner.merged(verdict, on_keras2, set(verdict.keras2))
        return runner.settled(verdict, len(conversions), settings.strict_shapes)

    def run(entry: str | None) -> Verdict:
        return runner.verify_programs(
            path,
            original_source=original,
            converted_source=converted,
            entry=entry,
            timeout=settings.timeout,
            mode=settings.mode,
            memory_mb=settings.memory_mb or None,
            cancelled=cancelled,
            python=settings.python,
        )

    verdict = run(settings.entry)
    if settings.entry is not None or "bind-model" not in verdict.hints:
        return verdict
    for call in factory_calls(original)[:1]:
        built = run(call)
        said = f"built by calling {call} in both programs, as the file does (verify-entry under [tool.seq2func] chooses another call)"
        return replace(built, notes=[said, *built.notes])
    return verdict


def compare(
    original: str | Path,
    converted: str | Path,
    settings: VerifySettings = DEFAULT_LIMITS,
    *,
    models: Sequence[str] = (),
    entry: str | None = None,
    plot: bool = False,
) -> Verdict:
    """`prove` for two programs on disk (`seq2func verify A B`): `models` names the
    variables to compare, `entry` a call that builds them; `plot` adds the layer graphs."""
    from seq2func.verify import runner

    return runner.verify_programs(
        original,
        converted,
        models=list(models),
        entry=entry or settings.entry,
        timeout=settings.timeout,
        mode=settings.mode,
        memory_mb=settings.memory_mb or None,
        plot=plot,
        python=settings.python,
    )
