"""Verification: run the user's program in a child process, under limits, to build the
original and the converted models and compare them (`prove`, `compare`), or to see the
input shapes its models are given (`infer_shapes`). These turn the settings of a run
into the limits of the child; nothing here imports TensorFlow: only the children
(`child.py`, `infer.py`), run as their own processes, do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from seq2func.types import InferredShapes, VerifySettings
from seq2func.verify.entries import factory_calls

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


def prove(
    path: str | Path,
    original: str,
    converted: str,
    settings: VerifySettings = DEFAULT_LIMITS,
    cancelled: Callable[[], bool] | None = None,
) -> Verdict:
    """Build the models of `original` (the program at `path`, as text) and of `converted`
    in a child process, and compare them (`settings.mode`: the same network, or the same
    with duplicate layers merged); the child is killed as soon as `cancelled()` turns true.
    A program that leaves no model at module level is built by `settings.entry`, else by the
    first call of its model factory that the program itself makes (`entries`)."""

    from seq2func.verify import runner

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
