"""`seq2func check`: the S2F rules over paths, with fixes proven before they are written."""

from __future__ import annotations

import sys

import click

from seq2func.api import STDIN, FileReport, check_paths
from seq2func.cli.common import (
    WRITING,
    load_settings,
    options,
    print_code,
    say,
)
from seq2func.cli.common import (
    output_format as chosen_format,
)
from seq2func.cli.driver import Run, drive, show_diff, show_verdicts, single_input
from seq2func.cli.output import check_summary, finding_line
from seq2func.cli.progress import Progress


@click.command("check")
@options("paths")
@click.option(
    "--fix", is_flag=True, help="Apply the fixes in place (layers instantiated once and reapplied)."
)
@options("diff", "json", "output-format")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (repeatable), e.g. S2F101.")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (repeatable).")
@click.option(
    "--verify",
    is_flag=True,
    help="With --fix: prove each fix only shares weights (needs seq2func[verify]); "
    "a fix that does not verify is not written.",
)
@options("jobs", *WRITING, "config")
def check_command(
    paths: tuple[str, ...],
    fix: bool,
    diff: bool,
    as_json: bool,
    output_format: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    line_length: int | None,
    verify: bool,
    timeout: float | None,
    memory: int | None,
    python: str | None,
    write_read_only: bool,
    write_unverified: bool,
    whole_program: bool,
    strict_shapes: bool,
    quiet: bool,
    config: str | None,
    jobs: int | None,
) -> None:
    """Find Keras code that silently duplicates layers (S2F101) and other mistakes. Runs no user code.

    Exit 0 nothing found (or all fixed), 1 findings remain, 3 a fix could not be verified,
    123 a file could not be read or parsed.
    """
    if fix and diff:
        raise click.UsageError("use only one of --fix and --diff")
    fmt = chosen_format(output_format, as_json, diff)
    if verify and not fix:
        raise click.UsageError("--verify goes with --fix")
    settings = load_settings(
        paths,
        config,
        timeout=timeout,
        memory=memory,
        python=python,
        write_unverified=write_unverified,
        whole_program=whole_program,
        strict_shapes=strict_shapes,
        line_length=line_length,
        select=select,
        ignore=ignore,
        exclude=exclude,
    )
    findings_to = sys.stderr if diff or (fix and STDIN in paths) else sys.stdout
    single = single_input(paths)

    def show(report: FileReport, progress: Progress) -> None:
        show_verdicts(report, progress)
        findings = report.result.findings if report.result is not None else []
        if fix and report.path == STDIN:
            progress.around(lambda: print_code(report))
        if diff:
            show_diff(report, progress)
        if fmt != "text":
            return
        for skip in report.result.skips if report.result is not None else []:
            if not quiet:
                progress.echo(f"{report.path}:{skip.location}: not checked [{skip.code}] {skip.message}")
        for finding in findings:
            done = finding.fixed and report.delivered
            progress.echo(finding_line(report.path, finding) + (" (fixed)" if done else ""), file=findings_to)
            if not done and finding.no_fix and not quiet:
                progress.echo(f"  no fix: {finding.no_fix}", file=findings_to)

    how = Run(
        "check",
        paths,
        fmt,
        settings,
        quiet=quiet,
        verify=verify,
        write=fix,
        write_read_only=write_read_only,
        jobs=jobs,
        check=not fix,
        verifying="verifying the fix of {name}",
        progress=fmt == "text" and (not single or verify),
    )
    report = drive(
        how, lambda batch: check_paths(list(paths), settings.options, batch, fix=fix or diff), show
    )
    if fmt == "text" and not quiet:
        say(check_summary(report, fix))
    raise SystemExit(report.exit_code(findings_fail=True))
