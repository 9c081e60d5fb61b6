"""What every command shares: options declared once, settings, and printing helpers."""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

import click

from seq2func.api import FileReport, Report
from seq2func.cli.formats import FORMATS, json_report, sarif_report
from seq2func.config import ConfigError, Settings, settings_for
from seq2func.types import LINE_LENGTH, VERIFY_MEMORY_MB


def load_settings(
    paths: tuple[str, ...],
    config: str | None,
    *,
    timeout: float | None = None,
    memory: int | None = None,
    write_unverified: bool = False,
    python: str | None = None,
    whole_program: bool = False,
    strict_shapes: bool = False,
    **overrides: Any,
) -> Settings:
    """The settings of a run: the config file above `paths` (or `config`), then the flags."""
    flags = {
        "verify_timeout": timeout,
        "verify_memory_limit": memory,
        "write_unverified": write_unverified,
        # a flag not given leaves the configuration's value
        "verify_whole_program": whole_program or None,
        "verify_strict_shapes": strict_shapes or None,
        # absolute, not resolved: a venv's python is a symlink that must stay one
        "python": os.path.abspath(python) if python is not None else None,
    }
    try:
        return settings_for(list(paths), config, **flags, **overrides)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def say(text: str) -> None:
    click.echo(text, err=True)


def say_lines(lines: list[str]) -> None:
    for line in lines:
        say(line)


def print_code(report: FileReport) -> None:
    """The conversion when approved; else the code as it was (a filter must not swallow it)."""
    data = report.new_data if report.approved else report.original
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


# Options by name, declared once for every command that takes them.
OPTIONS = {
    "jobs": click.option(
        "-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes for trees [default: CPU count]."
    ),
    "paths": click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True)),
    "config": click.option(
        "--config", type=click.Path(exists=True, dir_okay=False), help="Read [tool.seq2func] from this file."
    ),
    "diff": click.option("--diff", is_flag=True, help="Print a unified diff; write nothing."),
    "json": click.option("--json", "as_json", is_flag=True, help="Same as --output-format json."),
    "output-format": click.option(
        "--output-format",
        type=click.Choice(FORMATS),
        help="text: lines on stderr (the default). json: seq2func's report (its JSON Schema: "
        "`seq2func schema`). "
        "github: GitHub Actions annotations. sarif: SARIF 2.1.0 for code scanning. The last three "
        "print to stdout.",
    ),
    "exclude": click.option(
        "--exclude", multiple=True, help="Directory name to skip when walking (repeatable)."
    ),
    "line-length": click.option(
        "--line-length",
        type=click.IntRange(min=20),
        help=f"Line length for new code [default: [tool.black] or {LINE_LENGTH}].",
    ),
    "verbose": click.option(
        "-v",
        "--verbose",
        is_flag=True,
        help="List every model left as it is (a tree's are counted by reason).",
    ),
    "quiet": click.option("-q", "--quiet", is_flag=True, help="Print no messages, only errors and findings."),
    "timeout": click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds allowed to one verification."
    ),
    "memory-limit": click.option(
        "--memory-limit",
        "memory",
        type=click.IntRange(min=0),
        help=f"Megabytes of address space the verifier's child may use; 0 for no limit [default: {VERIFY_MEMORY_MB}].",
    ),
    "python": click.option(
        "--python",
        type=click.Path(exists=True, dir_okay=False),
        help="Run the program (--verify, --infer-shapes) in this interpreter, e.g. the project's "
        ".venv/bin/python: its packages, not seq2func's. It needs TensorFlow, not seq2func "
        "[default: [tool.seq2func] python, or seq2func's own].",
    ),
    "write-read-only": click.option(
        "--write-read-only",
        is_flag=True,
        help="Rewrite files without write permission too (keeping their mode).",
    ),
    "write-unverified": click.option(
        "--write-unverified",
        is_flag=True,
        help="With --verify: write files whose verification could not run.",
    ),
    "whole-program": click.option(
        "--whole-program",
        is_flag=True,
        help="With --verify: run every statement of the program (plots and training loops aside), "
        "not only what each model needs [default: [tool.seq2func] verify-whole-program].",
    ),
    "strict-shapes": click.option(
        "--strict-shapes",
        is_flag=True,
        help="With --verify: prove a model only on an input shape the original program gives it "
        "(declared, or the data it feeds it), never on one only read from the code "
        "[default: [tool.seq2func] verify-strict-shapes].",
    ),
}
WRITING = (
    "exclude",
    "line-length",
    "quiet",
    "timeout",
    "memory-limit",
    "python",
    "write-read-only",
    "write-unverified",
    "whole-program",
    "strict-shapes",
)


def output_format(chosen: str | None, as_json: bool, diff: bool) -> str:
    """The report's format: --output-format, or --json; a diff and a report do not share stdout."""
    if as_json and chosen not in (None, "json"):
        raise click.UsageError(f"--json asks for json; --output-format asks for {chosen}: use one")
    fmt = "json" if as_json else chosen or "text"
    if diff and fmt != "text":
        raise click.UsageError(f"--diff prints a diff to stdout, and --output-format {fmt} a report: use one")
    return fmt


def print_report(fmt: str, report: Report, command: str, check: bool) -> None:
    """The whole run's report, for the formats printed at the end (json, sarif)."""
    if fmt == "json":
        click.echo(json.dumps(json_report(report, command, check), indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(sarif_report(report, check), indent=2))


def options(*names: str) -> Any:
    def decorate(f: Any) -> Any:
        for name in reversed(names):
            f = OPTIONS[name](f)
        return f

    return decorate


def run(job: Any) -> Report:
    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # unwind: temp files removed, workers stopped

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        report: Report = job()
        return report
    except KeyboardInterrupt:
        say("Interrupted: every file is either as it was or completely converted (see 'written' above).")
        raise SystemExit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
