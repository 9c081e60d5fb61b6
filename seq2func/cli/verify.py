"""`seq2func verify`: build two programs' models and compare them."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

import click

from seq2func.api import compare
from seq2func.cli.common import load_settings, options
from seq2func.cli.output import WORDS
from seq2func.cli.progress import Progress, coloured, colours_on
from seq2func.verify.plot import write_plots
from seq2func.verify.report import format_table, format_verdict


@click.command()
@click.argument("original", type=click.Path(exists=True, dir_okay=False))
@click.argument("converted", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "models", multiple=True, help="Compare only this module-level model (repeatable).")
@click.option("--entry", help='Build from a call instead, e.g. "create_base_network((32, 32, 3))".')
@options("timeout", "memory-limit", "python")
@click.option(
    "--mode",
    type=click.Choice(["equivalence", "sharing"]),
    default="equivalence",
    help="equivalence: the same network. sharing: CONVERTED is ORIGINAL with its duplicated "
    "layers merged into one shared set (what check --fix does) [default: equivalence].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full comparison as JSON.")
@click.option("--table/--no-table", default=True, help="Show layers side by side.")
@click.option(
    "--plot",
    type=click.Path(file_okay=False),
    help="Write DIR/<model>.svg: both layer graphs side by side, duplicated layers in red.",
)
@options("config")
def verify(
    original: str,
    converted: str,
    models: tuple[str, ...],
    entry: str | None,
    timeout: float | None,
    memory: int | None,
    python: str | None,
    mode: str,
    as_json: bool,
    table: bool,
    plot: str | None,
    config: str | None,
) -> None:
    """Build the models of ORIGINAL and CONVERTED and prove they are the same network.

    Exit 0 equivalent, 1 different, 3 could not build or run them.
    """
    settings = load_settings((original,), config, timeout=timeout, memory=memory, python=python)
    limits = replace(settings.verify, mode=mode)  # type: ignore[arg-type]  # click checked it
    progress = Progress(sys.stderr, enabled=not as_json)  # a verification takes seconds: show them
    progress.start(1)
    progress.working(f"building {Path(original).name} and {Path(converted).name} with TensorFlow")
    try:
        verdict = compare(original, converted, limits, models=models, entry=entry, plot=plot is not None)
    finally:
        progress.close()
    if as_json:
        click.echo(json.dumps(asdict(verdict), indent=2))
    else:
        said = format_verdict(verdict, f"{original} vs {converted}", WORDS)
        click.echo(coloured(said, ("equivalent", "different", "could not verify"), colours_on(sys.stdout)))
        if table:
            for model in verdict.models:
                click.echo(f"\n{model.name}:")
                click.echo(format_table(model))
    if plot is not None and verdict.status == "ok":
        for path in write_plots(verdict.models, Path(plot), (Path(original).name, Path(converted).name)):
            click.echo(f"wrote {path}", err=True)
    raise SystemExit(verdict.exit_code)
