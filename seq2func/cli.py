"""Command line: parse options, call the API, print. Code and diffs go to stdout,
messages to stderr (as black does). Exit codes: 0 ok, 1 would change (--check),
2 usage error, 123 a file could not be read or parsed."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from seq2func import __version__
from seq2func.api import FileReport, check_path, convert_data, convert_path, make_options
from seq2func.edits import unified_diff
from seq2func.files import find_project_root, iter_python_files, load_config
from seq2func.types import Finding, Options, Result

EXIT_OK, EXIT_CHANGED, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 123


def parse_shape(text: str | None) -> tuple[int | None, ...] | None:
    """`28,28,1` or `(None, 10)` -> a shape tuple without the batch dimension."""
    if text is None:
        return None
    parts = [p.strip() for p in text.strip().strip("()[]").split(",") if p.strip()]
    try:
        return tuple(None if p in ("None", "none", "?") else int(p) for p in parts)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a shape like 28,28,1") from None


@dataclass
class Report:
    """Owns the exit code, as black's Report does."""

    check: bool = False
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    conversions: int = 0
    skips: int = 0
    files: list[dict[str, Any]] = field(default_factory=list)

    def add(self, report: FileReport) -> None:
        if report.error:
            self.failed += 1
        elif report.changed:
            self.changed += 1
        else:
            self.unchanged += 1
        if isinstance(report.result, Result):
            self.conversions += len(report.result.conversions)
            self.skips += len(report.result.skips)
        self.files.append(_file_json(report))

    @property
    def exit_code(self) -> int:
        if self.failed:
            return EXIT_ERROR
        if self.check and self.changed:
            return EXIT_CHANGED
        return EXIT_OK

    def summary(self, wrote: bool) -> str:
        verb = "converted" if wrote or not self.check else "to convert"
        parts = [f"{self.conversions} model{'s' if self.conversions != 1 else ''} {verb}"]
        changed = "changed" if wrote or not self.check else "would change"
        parts.append(f"{self.changed} file{'s' if self.changed != 1 else ''} {changed}")
        if self.skips:
            parts.append(f"{self.skips} left as they are (see above)")
        if self.failed:
            parts.append(f"{self.failed} file{'s' if self.failed != 1 else ''} failed")
        return ", ".join(parts) + "."


def _file_json(report: FileReport) -> dict[str, Any]:
    out: dict[str, Any] = {"path": report.path, "changed": report.changed, "error": report.error}
    result = report.result
    out["conversions"] = [
        {**asdict(c), "location": {"line": c.location.line, "column": c.location.column}}
        for c in (result.conversions if isinstance(result, Result) else [])
    ]
    out["skips"] = [
        {"line": s.location.line, "column": s.location.column, "code": s.code, "message": s.message}
        for s in (result.skips if isinstance(result, Result) else [])
    ]
    out["findings"] = [_finding_json(f) for f in (result.findings if result else [])]
    return out


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "line": finding.location.line,
        "column": finding.location.column,
        "code": finding.code,
        "message": finding.message,
        "fixable": finding.fixable,
        "fixed": finding.fixed,
        "no_fix": finding.no_fix,
    }


def _finding_line(path: str, finding: Finding) -> str:
    return f"{path}:{finding.location}: {finding.code} {finding.message}"


def _collect(paths: Iterable[str], exclude: frozenset[str]) -> Iterator[str]:
    for raw in paths:
        path = Path(raw)
        if raw == "-":
            yield raw
        elif path.is_dir():
            yield from (str(p) for p in iter_python_files(path, exclude))
        else:
            yield raw  # named explicitly: always processed, missing files reported


def _run_all(paths: list[str], options: Options, write: bool, jobs: int) -> Iterator[FileReport]:
    if jobs > 1 and len(paths) > 8:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(
                convert_path, paths, [options] * len(paths), [write] * len(paths), chunksize=16
            )
    else:
        for path in paths:
            yield convert_path(path, options, write)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="seq2func")
def cli() -> None:
    """Rewrite Keras Sequential models as Functional API code, and prove the rewrite."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--diff", is_flag=True, help="Print a unified diff instead of the code.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file would change.")
@click.option("-i", "--in-place", is_flag=True, help="Rewrite the files in place.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the one converted file here.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report to stdout.")
@click.option("--line", type=click.IntRange(min=1), help="Convert only the model whose code spans line L.")
@click.option("--input-shape", help="Input shape for models that do not declare one, e.g. 28,28,1.")
@click.option(
    "--line-length",
    type=click.IntRange(min=20),
    help="Line length for generated code [default: [tool.black] or 88].",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Parallel processes for trees [default: CPU count].",
)
@click.option("--exclude", multiple=True, help="Directory name to skip when walking (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Print no messages, only errors.")
@click.option(
    "--style",
    type=click.Choice(["model", "shared"]),
    default=None,
    help="model: a functional Model per Sequential. shared: no sub-model; layers bound once and "
    "reapplied to every input [default: [tool.seq2func] style or model].",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Build both models with TensorFlow and compare them (needs seq2func[verify]).",
)
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds allowed to --verify.")
def convert(
    paths: tuple[str, ...],
    diff: bool,
    check: bool,
    in_place: bool,
    output: str | None,
    as_json: bool,
    line: int | None,
    input_shape: str | None,
    line_length: int | None,
    jobs: int | None,
    exclude: tuple[str, ...],
    quiet: bool,
    style: str | None,
    verify: bool,
    timeout: float,
) -> None:
    """Convert the Keras Sequential models in PATHS (files, directories, or - for stdin)."""
    config = load_config(find_project_root([Path(p) for p in paths if p != "-"]))
    shape = parse_shape(input_shape) if input_shape else parse_shape(_config_shape(config))
    options = make_options(
        line_length=line_length or config.get("line_length", 88),
        input_shape=shape,
        line=line,
        style=style or config.get("style", "model"),
    )
    exclude_names = frozenset(exclude) | frozenset(config.get("exclude", []))
    files = list(_collect(paths, exclude_names))
    single = len(files) == 1 and not any(Path(p).is_dir() for p in paths)
    modes = sum([diff, check, in_place, output is not None])
    if modes > 1:
        raise click.UsageError("use only one of --diff, --check, --in-place and --output")
    if not single and not (diff or check or in_place or as_json):
        raise click.UsageError("several files need --diff, --check, --in-place or --json")
    if output is not None and not single:
        raise click.UsageError("--output takes exactly one input file")
    if line is not None and not single:
        raise click.UsageError("--line takes exactly one input file")

    report = Report(check=check)
    stdin_files = [f for f in files if f == "-"]
    disk_files = [f for f in files if f != "-"]
    results: list[FileReport] = []
    for _ in stdin_files:
        results.append(convert_data("-", sys.stdin.buffer.read(), options))
    results.extend(_with_progress(disk_files, options, in_place, jobs or os.cpu_count() or 1, quiet))

    for file_report in results:
        report.add(file_report)
        _print_messages(file_report, quiet, check)
        if file_report.error or file_report.result is None:
            continue
        new = file_report.new_data
        if diff and new is not None:
            click.echo(
                unified_diff(file_report.result.source, file_report.result.code, file_report.path), nl=False
            )
        elif single and not (check or in_place or as_json or diff):
            data = (
                new
                if new is not None
                else Path(file_report.path).read_bytes()
                if file_report.path != "-"
                else file_report.result.source.encode()
            )
            if output is not None and output != "-":
                Path(output).write_bytes(data)
            else:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
        elif in_place and new is not None and file_report.path == "-":
            sys.stdout.buffer.write(new)

    if as_json:
        click.echo(
            json.dumps(
                {
                    "files": report.files,
                    "summary": {
                        "changed": report.changed,
                        "unchanged": report.unchanged,
                        "failed": report.failed,
                        "conversions": report.conversions,
                        "skips": report.skips,
                    },
                },
                indent=2,
            )
        )
    elif not quiet and (not single or check or in_place):
        click.echo(report.summary(wrote=in_place), err=True)

    code = report.exit_code
    if verify and code == EXIT_OK and not check:
        code = _verify_converted(results, options, timeout, quiet)
    raise SystemExit(code)


def _config_shape(config: dict[str, Any]) -> str | None:
    shape = config.get("input_shape")
    if isinstance(shape, list):
        return ",".join("None" if d is None else str(d) for d in shape)
    return shape


def _with_progress(
    files: list[str], options: Options, write: bool, jobs: int, quiet: bool
) -> list[FileReport]:
    runs = _run_all(files, options, write, jobs)
    if quiet or len(files) < 50 or not sys.stderr.isatty():
        return list(runs)
    with click.progressbar(runs, length=len(files), label="converting", file=sys.stderr) as bar:
        return list(bar)


def _print_messages(report: FileReport, quiet: bool, check: bool) -> None:
    if report.error:
        click.echo(f"error: {report.error}", err=True)
        return
    if quiet or not isinstance(report.result, Result):
        return
    for skip in report.result.skips:
        click.echo(f"{report.path}:{skip.location}: left as is [{skip.code}] {skip.message}", err=True)
    for finding in report.result.findings:
        click.echo(_finding_line(report.path, finding), err=True)
    verb = "would convert" if check else "converted"
    for conversion in report.result.conversions:
        how = (
            "to shared layers, applied to the tensors it is called on"
            if conversion.style == "shared"
            else f"input from {conversion.input_source}"
        )
        click.echo(
            f"{report.path}:{conversion.location}: {verb} {conversion.model} ({conversion.layers} layers; {how})",
            err=True,
        )
        if conversion.note:
            click.echo(f"{report.path}:{conversion.location}: note: {conversion.note}", err=True)


def _verify_converted(results: list[FileReport], options: Options, timeout: float, quiet: bool) -> int:
    from seq2func.verify.runner import verify_conversions

    return verify_conversions(results, options, timeout, quiet)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="seq2func", standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return EXIT_USAGE if isinstance(error, click.UsageError) else 1
    return EXIT_OK


@cli.command()
@click.argument("original", type=click.Path(exists=True, dir_okay=False))
@click.argument("converted", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "models", multiple=True, help="Compare only this module-level model (repeatable).")
@click.option("--entry", help='Build from a call instead, e.g. "create_base_network((32, 32, 3))".')
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, help="Seconds allowed to build and compare."
)
@click.option("--json", "as_json", is_flag=True, help="Print the full comparison as JSON.")
@click.option("--table/--no-table", default=True, help="Show layers side by side.")
def verify(
    original: str,
    converted: str,
    models: tuple[str, ...],
    entry: str | None,
    timeout: float,
    as_json: bool,
    table: bool,
) -> None:
    """Build the models of ORIGINAL and CONVERTED and prove they are the same network.

    Exit 0 equivalent, 1 different, 2 could not build or run.
    """
    from seq2func.verify.runner import format_table, format_verdict, verify_programs

    verdict = verify_programs(original, converted, models=list(models), entry=entry, timeout=timeout)
    if as_json:
        click.echo(json.dumps(asdict(verdict), indent=2))
    else:
        click.echo(format_verdict(verdict, f"{original} vs {converted}"))
        if table:
            for model in verdict.models:
                click.echo(f"\n{model['name']}:")
                click.echo(format_table(model))
    raise SystemExit(verdict.exit_code)


@cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--fix", is_flag=True, help="Apply the fixes in place (layers instantiated once and reapplied)."
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--select", multiple=True, help="Only these rule codes or prefixes (repeatable), e.g. S2F101.")
@click.option("--ignore", multiple=True, help="Skip these rule codes or prefixes (repeatable).")
@click.option("--exclude", multiple=True, help="Directory name to skip when walking (repeatable).")
@click.option(
    "--line-length",
    type=click.IntRange(min=20),
    help="Line length for fixed code [default: [tool.black] or 88].",
)
@click.option(
    "--verify",
    is_flag=True,
    help="With --fix: prove each fix only shares weights (needs seq2func[verify]); "
    "a fix that does not verify is not written.",
)
@click.option("--timeout", type=float, default=300.0, show_default=True, help="Seconds allowed to --verify.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings.")
def check_command(
    paths: tuple[str, ...],
    fix: bool,
    diff: bool,
    as_json: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    line_length: int | None,
    verify: bool,
    timeout: float,
    quiet: bool,
) -> None:
    """Find Keras code that silently duplicates layers (S2F101) and other mistakes. Runs no user code.

    Exit 0 nothing found (or all fixed), 1 findings remain, 123 a file could not be read or parsed.
    """
    from seq2func.check import select_rules
    from seq2func.files import write_atomic

    if fix and diff:
        raise click.UsageError("use only one of --fix and --diff")
    if verify and not fix:
        raise click.UsageError("--verify goes with --fix")
    config = load_config(find_project_root([Path(p) for p in paths if p != "-"]))
    rules = select_rules(list(select) or None, list(ignore))
    width = line_length or config.get("line_length", 88)
    files = list(_collect(paths, frozenset(exclude) | frozenset(config.get("exclude", []))))
    remaining = fixed = failed = 0
    reports = []
    for path in files:
        data = sys.stdin.buffer.read() if path == "-" else None
        report = check_path(path, fix or diff, width, rules, data=data)
        reports.append(report)
        if report.error:
            failed += 1
            click.echo(f"error: {report.error}", err=True)
            continue
        result = report.result
        assert result is not None
        if fix and report.changed:
            if verify and not _verify_fix(report, timeout):
                result.findings = [replace(f, fixed=False) for f in result.findings]
            elif path == "-":
                sys.stdout.buffer.write(report.new_data or b"")
            else:
                write_atomic(Path(path), report.new_data or b"")
                report.written = True
        elif fix and path == "-":
            sys.stdout.buffer.write(data or b"")
        if diff and report.changed:
            click.echo(unified_diff(result.source, result.code, path), nl=False)
        for finding in result.findings:
            done = fix and finding.fixed and (report.written or path == "-")
            fixed += done
            remaining += not done
            if not as_json:
                mark = " (fixed)" if done else ""
                click.echo(_finding_line(path, finding) + mark, err=diff or (fix and path == "-"))
                if not done and finding.no_fix and not quiet:
                    click.echo(f"  no fix: {finding.no_fix}", err=diff or (fix and path == "-"))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "files": [_file_json(r) for r in reports if r.error or (r.result and r.result.findings)],
                    "summary": {"remaining": remaining, "fixed": fixed, "failed": failed},
                },
                indent=2,
            )
        )
    elif not quiet:
        fixable = sum(1 for r in reports if r.result for f in r.result.findings if f.fixable and not f.fixed)
        words = [
            f"Found {remaining + fixed} finding{'s' if remaining + fixed != 1 else ''}"
            if remaining + fixed
            else "No findings"
        ]
        if fixed or fix:
            words.append(f"({fixed} fixed, {remaining} remaining)")
        elif fixable:
            words.append(f"({fixable} fixable with --fix)")
        click.echo(" ".join(words) + ".", err=True)
    raise SystemExit(EXIT_ERROR if failed else EXIT_CHANGED if remaining or (diff and fixed) else EXIT_OK)


def _verify_fix(report: FileReport, timeout: float) -> bool:
    """Prove the fix only merged duplicate layers: the before-fix program against the fixed one."""
    from seq2func.verify.runner import EQUIVALENT, format_verdict, verify_programs

    assert report.result is not None
    verdict = verify_programs(
        report.path, converted_source=report.result.code, timeout=timeout, mode="sharing"
    )
    click.echo(format_verdict(verdict, report.path), err=True)
    if verdict.exit_code != EQUIVALENT:
        click.echo(f"{report.path}: the fix was not written because it did not verify", err=True)
        return False
    return True


@cli.command("lsp")
@click.option(
    "--tcp", metavar="[HOST:]PORT", help="Serve over TCP instead of stdio, for debugging (host: 127.0.0.1)."
)
def lsp_command(tcp: str | None) -> None:
    """Start the language server (code actions and diagnostics) over stdio."""
    try:
        from seq2func.lsp import serve
    except ImportError as error:
        raise click.ClickException(
            f"the language server needs pygls: pip install 'seq2func[lsp]' ({error})"
        ) from None
    if tcp is not None and not tcp.rpartition(":")[2].isdigit():
        raise click.BadParameter(f"{tcp!r} is not [HOST:]PORT", param_hint="--tcp")
    serve(tcp)
