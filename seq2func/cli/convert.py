"""`seq2func convert`: options in, `paths.convert_paths`, lines out."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

import click

from seq2func.api import STDIN, FileReport, convert_paths
from seq2func.cli.common import (
    WRITING,
    load_settings,
    options,
    print_code,
    say,
    say_lines,
)
from seq2func.cli.common import (
    output_format as chosen_format,
)
from seq2func.cli.driver import Run, drive, show_diff, show_verdicts, single_input
from seq2func.cli.output import conversion_lines, convert_summary, skips_by_reason
from seq2func.cli.progress import Progress, coloured, colours_on
from seq2func.types import Exit, Result


@click.command()
@options("paths", "diff")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite the files in place.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the one converted file here.",
)
@options("json", "output-format")
@click.option("--line", type=click.IntRange(min=1), help="Convert only the model whose code spans line L.")
@click.option(
    "--input-shape",
    multiple=True,
    help="Input shape for a model that does not show one: NAME=28,28,1 for the model bound to NAME "
    "(repeatable), or 28,28,1 for the one model of a file that needs it.",
)
@click.option(
    "--infer-shapes",
    is_flag=True,
    help="For models whose input shape the code does not show: run the program (like --verify, in a "
    "child process; fit/evaluate/predict are intercepted, nothing trains) and use the shapes it gives them.",
)
@options("jobs")
@click.option(
    "--style",
    type=click.Choice(["model", "shared"]),
    help="model: a functional Model per Sequential. shared: no sub-model; layers bound once and "
    "reapplied to every input [default: [tool.seq2func] style or model].",
)
@click.option(
    "--clear-stale-outputs",
    is_flag=True,
    help="In notebooks, clear the saved outputs that show a converted model's code as it was "
    "[default: [tool.seq2func] clear-stale-outputs or off; either way a note names them].",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Prove each conversion (builds both with TensorFlow; needs seq2func[verify]) before anything is written.",
)
@options(*WRITING, "config", "verbose")
def convert(
    paths: tuple[str, ...],
    diff: bool,
    check: bool,
    in_place: bool,
    output: str | None,
    as_json: bool,
    output_format: str | None,
    line: int | None,
    input_shape: tuple[str, ...],
    infer_shapes: bool,
    line_length: int | None,
    jobs: int | None,
    exclude: tuple[str, ...],
    quiet: bool,
    style: str | None,
    clear_stale_outputs: bool,
    verify: bool,
    timeout: float | None,
    memory: int | None,
    python: str | None,
    write_read_only: bool,
    write_unverified: bool,
    whole_program: bool,
    strict_shapes: bool,
    config: str | None,
    verbose: bool,
) -> None:
    """Convert the Keras Sequential models in PATHS (files, directories, or - for stdin)."""
    single = single_input(paths)
    fmt = chosen_format(output_format, as_json, diff)
    machine = fmt != "text"
    if sum([diff, check, in_place, output is not None]) > 1:
        raise click.UsageError("use only one of --diff, --check, --in-place and --output")
    if not single and not (diff or check or in_place or machine):
        raise click.UsageError("several files need --diff, --check, --in-place or --output-format")
    if not single and any("=" not in value for value in input_shape):
        raise click.UsageError(
            "--input-shape without a name gives one shape to a file's model; for several files, name "
            "the models it is for: --input-shape NAME=28,28,1"
        )
    if (output is not None or line is not None) and not single:
        raise click.UsageError(
            f"{'--output' if output is not None else '--line'} takes exactly one input file"
        )
    settings = load_settings(
        paths,
        config,
        **_input_shapes(input_shape),
        line_length=line_length,
        style=style,
        line=line,
        exclude=exclude,
        timeout=timeout,
        memory=memory,
        python=python,
        write_unverified=write_unverified,
        whole_program=whole_program,
        strict_shapes=strict_shapes,
        clear_stale_outputs=clear_stale_outputs or None,
    )
    to_stdout = single and not (check or in_place or machine or diff)
    each_skip = single or verbose  # a tree's skips are counted by reason at the end
    colour = colours_on(sys.stderr)

    def show(report: FileReport, progress: Progress) -> None:
        if not quiet and not machine:
            for line in conversion_lines(report, check, skips=each_skip):
                progress.echo(coloured(line, ("would convert", "converted", "left as is"), colour))
        show_verdicts(report, progress, detail=verbose)
        if diff:
            show_diff(report, progress)
        elif (to_stdout and output in (None, STDIN)) or (in_place and report.path == STDIN):
            progress.around(lambda: print_code(report))
        if report.written and not quiet:
            progress.echo(f"{report.path}: written" + (" (verified)" if report.verdict else ""))

    options = settings.options
    if infer_shapes:
        options = replace(options, infer_shapes=True, infer_timeout=settings.verify.timeout)
    how = Run(
        "convert",
        paths,
        fmt,
        settings,
        quiet=quiet,
        verify=verify,
        write=in_place,
        write_read_only=write_read_only,
        jobs=jobs,
        check=check,
        verifying="verifying {name}",
        progress=not single or verify,
        output=output,
    )
    report = drive(how, lambda batch: convert_paths(list(paths), options, batch, check=check), show)
    first = report.files[0] if report.files else None
    result = first.result if first is not None and first.error is None else None
    if line is not None and isinstance(result, Result) and not (result.conversions or result.skips):
        say(f"{paths[0]}: no Sequential model spans line {line}")  # --line names one file
        raise SystemExit(Exit.USAGE)
    if not quiet and not machine and (not single or check or in_place or verify):
        say(convert_summary(report, in_place, grouped=not each_skip))
        if not each_skip:
            say_lines(skips_by_reason(report))
        if check and report.changed and not report.failed:  # the one command that does it
            named = " ".join(paths) if len(paths) <= 3 else "with the same paths"
            say(f"To convert them: seq2func convert -i {named} (or the seq2func-convert-fix hook)")
    raise SystemExit(report.exit_code())


def _input_shapes(given: tuple[str, ...]) -> dict[str, Any]:
    """`--input-shape` values as settings: one bare shape, and the shapes named NAME=shape."""
    bare = [value for value in given if "=" not in value]
    if len(bare) > 1:
        raise click.UsageError("--input-shape without a name is given once; name the models: NAME=28,28,1")
    named = dict(value.split("=", 1) for value in given if "=" in value)
    return {"input_shape": bare[0] if bare else None, "input_shapes": named or None}
