"""The run both `convert` and `check` make over their paths: a progress bar, one report per
file as it is done (the lines every command prints, then the command's own, from its
reporter), the batch, the machine formats, the summary. A command adds only its options
and its reporter."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from seq2func.api import STDIN, Batch, FileReport, Report
from seq2func.cli.common import print_report, run
from seq2func.cli.formats import github_lines
from seq2func.cli.output import diff, verdict_lines
from seq2func.cli.progress import Progress, coloured, colours_on
from seq2func.config import Settings
from seq2func.core.files import is_directory


def single_input(paths: tuple[str, ...]) -> bool:
    """Whether the paths are one file (or stdin): its skips and code are shown, not counted."""
    return len(paths) == 1 and (paths[0] == STDIN or not is_directory(paths[0]))


@dataclass
class Run:
    """One command's run over its paths: what it prints and how (`fmt`, `quiet`), and the
    batch settings it writes and proves with."""

    command: str  # "convert" or "check": the report's kind in the machine formats
    paths: tuple[str, ...]
    fmt: str
    settings: Settings
    quiet: bool
    verify: bool
    write: bool
    write_read_only: bool
    jobs: int | None
    check: bool  # nothing is written: what is found is still to do (github warnings)
    verifying: str  # the progress bar's words for a file being proven ("verifying {name}")
    progress: bool  # a bar on a terminal, when the run is long enough to want one
    output: str | None = None

    @property
    def machine(self) -> bool:
        return self.fmt != "text"


Reporter = Callable[[FileReport, Progress], None]


def drive(how: Run, work: Callable[[Batch], Report], reporter: Reporter) -> Report:
    """Run `work` over the batch `how` describes, showing each file's report as it is done:
    the GitHub annotations, an error, or the command's own lines (`reporter`); then the
    report in the machine format chosen. The summary is the caller's."""
    progress = Progress(sys.stderr, enabled=how.progress and not how.quiet and not how.machine)
    colour = colours_on(sys.stderr)

    def show(report: FileReport) -> None:
        progress.advance()
        if how.fmt == "github":
            for line in github_lines(report, how.check):
                progress.echo(line, file=sys.stdout)
        if report.error:
            progress.echo(coloured(f"error: {report.error}", ("error",), colour))
            return
        reporter(report, progress)

    batch = Batch(
        write=how.write,
        write_read_only=how.write_read_only,
        verify=how.settings.verify if how.verify else None,
        jobs=how.jobs or os.cpu_count() or 1,
        exclude=how.settings.exclude,
        output=how.output,
        on_report=show,
        on_start=progress.start,
        on_verify=lambda path: progress.working(how.verifying.format(name=os.path.basename(path))),
    )
    try:
        report = run(lambda: work(batch))
    finally:
        progress.close()
    print_report(how.fmt, report, how.command, how.check)
    return report


def show_verdicts(report: FileReport, progress: Progress, detail: bool = True) -> None:
    """A file's verdicts, coloured by what they say."""
    colour = colours_on(sys.stderr)
    for line in verdict_lines(report, detail=detail):
        progress.echo(coloured(line, ("equivalent", "different", "could not verify"), colour))


def show_diff(report: FileReport, progress: Progress) -> None:
    if report.changed:
        progress.echo(diff(report), file=sys.stdout, nl=False)
