"""Command line: parse options, call the API, print. Code and diffs go to stdout,
messages to stderr (as black does). Exit codes are `types.Exit`'s: 0 ok, 1 would change
or different, 2 usage error, 3 could not verify, 123 a file could not be read, parsed
or written."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from seq2func import __version__
from seq2func.config import ConfigError, Settings, settings_for
from seq2func.edits import unified_diff
from seq2func.paths import STDIN, Batch, Report, VerifySettings
from seq2func.types import CheckResult, Exit, FileReport, Finding, Result


def _settings(paths: tuple[str, ...], config: str | None, **overrides: Any) -> Settings:
    try:
        return settings_for(list(paths), config, **overrides)
    except ConfigError as error:
        raise click.UsageError(str(error)) from None


def _verify(
    verify: bool, timeout: float | None, memory: int | None, settings: Settings, write_unverified: bool
) -> VerifySettings | None:
    if not verify:
        return None
    return VerifySettings(
        timeout=timeout or settings.timeout,
        memory_mb=settings.memory_mb if memory is None else memory,
        write_unverified=write_unverified,
    )


# -- printing one file's outcome ----------------------------------------------------------------


def _finding_line(path: str, finding: Finding) -> str:
    return f"{path}:{finding.location}: {finding.code} {finding.message}"


def _say(text: str) -> None:
    click.echo(text, err=True)


def _print_conversions(report: FileReport, check: bool) -> None:
    result = report.result
    if not isinstance(result, Result):
        return
    for skip in result.skips:
        _say(f"{report.path}:{skip.location}: left as is [{skip.code}] {skip.message}")
    for finding in result.findings:
        _say(_finding_line(report.path, finding))
    verb = "would convert" if check else "converted"
    for conversion in result.conversions:
        how = (
            "to shared layers, applied to the tensors it is called on"
            if conversion.style == "shared"
            else f"input from {conversion.input_source}"
        )
        _say(
            f"{report.path}:{conversion.location}: {verb} {conversion.model} ({conversion.layers} layers; {how})"
        )
        if conversion.note:
            _say(f"{report.path}:{conversion.location}: note: {conversion.note}")


def _print_verdict(report: FileReport) -> None:
    from seq2func.verify.runner import format_verdict

    if report.verdict is not None:
        _say(format_verdict(report.verdict, report.path))
    if report.held_back is not None:
        _say(f"{report.path}: not written: {report.held_back}")


# -- convert ------------------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="seq2func")
def cli() -> None:
    """Rewrite Keras Sequential models as Functional API code, and prove the rewrite."""


_config_option = click.option(
    "--config", type=click.Path(exists=True, dir_okay=False), help="Read [tool.seq2func] from this file."
)
_memory_option = click.option(
    "--memory-limit",
    "memory",
    type=click.IntRange(min=0),
    help="Megabytes of address space the verifier's child may use; 0 for no limit [default: 4096].",
)
_verify_options = [
    click.option(
        "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds allowed to one --verify."
    ),
    _memory_option,
    click.option(
        "--write-read-only",
        is_flag=True,
        help="Rewrite files without write permission too (keeping their mode).",
    ),
    click.option(
        "--write-unverified",
        is_flag=True,
        help="With --verify: write files whose verification could not run.",
    ),
]


def _with(options: list[Any]) -> Any:
    def decorate(f: Any) -> Any:
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


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
    "-j", "--jobs", type=click.IntRange(min=1), help="Parallel processes for trees [default: CPU count]."
)
@click.option("--exclude", multiple=True, help="Directory name to skip when walking (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Print no messages, only errors.")
@click.option(
    "--style",
    type=click.Choice(["model", "shared"]),
    help="model: a functional Model per Sequential. shared: no sub-model; layers bound once and "
    "reapplied to every input [default: [tool.seq2func] style or model].",
)
@click.option(
    "--verify",
    is_flag=True,
    help="Prove each conversion (builds both with TensorFlow; needs seq2func[verify]) before anything is written.",
)
@_with(_verify_options)
@_config_option
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
    timeout: float | None,
    memory: int | None,
    write_read_only: bool,
    write_unverified: bool,
    config: str | None,
) -> None:
    """Convert the Keras Sequential models in PATHS (files, directories, or - for stdin)."""
    from seq2func.api import convert_paths

    single = len(paths) == 1 and (paths[0] == STDIN or not Path(paths[0]).is_dir())
    if sum([diff, check, in_place, output is not None]) > 1:
        raise click.UsageError("use only one of --diff, --check, --in-place and --output")
    if not single and not (diff or check or in_place or as_json):
        raise click.UsageError("several files need --diff, --check, --in-place or --json")
    if (output is not None or line is not None) and not single:
        raise click.UsageError(
            f"{'--output' if output is not None else '--line'} takes exactly one input file"
        )
    settings = _settings(
        paths,
        config,
        input_shape=input_shape,
        line_length=line_length,
        style=style,
        line=line,
        exclude=exclude,
    )
    to_stdout = single and not (check or in_place or as_json or diff)

    def show(report: FileReport) -> None:
        if report.error:
            _say(f"error: {report.error}")
            return
        if not quiet:
            _print_conversions(report, check)
        _print_verdict(report)
        result = report.result
        if diff and report.changed and result is not None:
            click.echo(unified_diff(result.source, result.code, report.path), nl=False)
        elif to_stdout or (in_place and report.path == STDIN):
            _emit(report, output)
        if report.written and not quiet:
            _say(f"{report.path}: written" + (" (verified)" if report.verdict else ""))

    batch = Batch(
        write=in_place,
        write_read_only=write_read_only,
        verify=None if check else _verify(verify, timeout, memory, settings, write_unverified),
        jobs=jobs or os.cpu_count() or 1,
        exclude=settings.exclude,
        on_report=show,
    )
    report = _run(lambda: convert_paths(list(paths), settings.options, batch, check=check))
    if as_json:
        click.echo(json.dumps(_json_report(report), indent=2))
    elif not quiet and (not single or check or in_place or verify):
        _say(_convert_summary(report, in_place))
    raise SystemExit(report.exit_code())


def _run(job: Any) -> Report:
    import signal

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # unwind: temp files removed, workers stopped

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        report: Report = job()
        return report
    except KeyboardInterrupt:
        _say("Interrupted: every file is either as it was or completely converted (see 'written' above).")
        raise SystemExit(130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


def _emit(report: FileReport, output: str | None) -> None:
    """The one file's code: the conversion when approved; else stdout gets the original
    (a filter must not swallow the code) and -o gets nothing."""
    data = report.new_data if report.approved else report.original
    if data is None:
        return
    if output is not None and output != STDIN:
        if report.held_back is not None:
            return
        if report.path != STDIN and Path(output).resolve() == Path(report.path).resolve():
            _write_back(report, data)  # -o onto the input: the care of --in-place
            return
        try:
            Path(output).write_bytes(data)
        except OSError as error:
            report.error = f"{output}:1:1: cannot write: {error.strerror or error}"
            _say(f"error: {report.error}")
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _write_back(report: FileReport, data: bytes) -> None:
    from seq2func.files import write_back

    assert report.original is not None
    if data == report.original:
        return
    try:
        write_back(Path(report.path), report.original, data)
        report.written = True
    except OSError as error:
        report.error = f"{report.path}:1:1: not written: {error.strerror or error}"
        _say(f"error: {report.error}")


def _convert_summary(report: Report, in_place: bool) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    results = [r.result for r in report.files if isinstance(r.result, Result)]
    conversions = sum(len(r.conversions) for r in results)
    skips = sum(len(r.skips) for r in results)
    verb = "to convert" if report.check else "converted"
    parts = [f"{plural(conversions, 'model')} {verb}"]
    if report.check:
        parts.append(f"{plural(report.changed, 'file')} would change")
    elif in_place:
        parts.append(f"{plural(len(report.written), 'file')} written")
    else:
        parts.append(f"{plural(report.changed, 'file')} changed")
    held = sum(1 for r in report.files if r.held_back)
    if held:
        parts.append(
            f"{plural(held, 'file')} not written ({report.different} different, {report.unverified} unverified)"
        )
    if skips:
        parts.append(f"{skips} left as they are (see above)")
    if report.failed:
        parts.append(f"{plural(report.failed, 'file')} failed")
    return ", ".join(parts) + "."


def _json_file(report: FileReport) -> dict[str, Any]:
    out: dict[str, Any] = {"path": report.path, "changed": report.changed, "error": report.error}
    result = report.result
    conversions = result.conversions if isinstance(result, Result) else []
    skips = result.skips if isinstance(result, Result) else []
    out["conversions"] = [
        {**asdict(c), "location": {"line": c.location.line, "column": c.location.column}} for c in conversions
    ]
    out["skips"] = [
        {"line": s.location.line, "column": s.location.column, "code": s.code, "message": s.message}
        for s in skips
    ]
    out["findings"] = [_finding_json(f) for f in (result.findings if result else [])]
    if report.verdict is not None:
        out["verification"] = {"verdict": report.verdict.word, **asdict(report.verdict)}
    out["written"] = report.written
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


def _json_report(report: Report) -> dict[str, Any]:
    results = [r.result for r in report.files if isinstance(r.result, Result)]
    summary = {
        "changed": report.changed,
        "unchanged": len(report.files) - report.changed - report.failed,
        "failed": report.failed,
        "conversions": sum(len(r.conversions) for r in results),
        "skips": sum(len(r.skips) for r in results),
        "written": report.written,
    }
    return {"files": [_json_file(r) for r in report.files], "summary": summary}


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="seq2func", standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.exceptions.Abort:
        _say("Aborted.")
        return 130
    except click.ClickException as error:
        error.show()
        return Exit.USAGE if isinstance(error, click.UsageError) else error.exit_code
    return Exit.OK


# -- verify -------------------------------------------------------------------------------------


@cli.command()
@click.argument("original", type=click.Path(exists=True, dir_okay=False))
@click.argument("converted", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "models", multiple=True, help="Compare only this module-level model (repeatable).")
@click.option("--entry", help='Build from a call instead, e.g. "create_base_network((32, 32, 3))".')
@click.option(
    "--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds allowed to build and compare."
)
@_memory_option
@click.option("--json", "as_json", is_flag=True, help="Print the full comparison as JSON.")
@click.option("--table/--no-table", default=True, help="Show layers side by side.")
@_config_option
def verify(
    original: str,
    converted: str,
    models: tuple[str, ...],
    entry: str | None,
    timeout: float | None,
    memory: int | None,
    as_json: bool,
    table: bool,
    config: str | None,
) -> None:
    """Build the models of ORIGINAL and CONVERTED and prove they are the same network.

    Exit 0 equivalent, 1 different, 3 could not build or run them.
    """
    from seq2func.verify.runner import format_table, format_verdict, verify_programs

    settings = _settings((original,), config)
    verdict = verify_programs(
        original,
        converted,
        models=list(models),
        entry=entry,
        timeout=timeout or settings.timeout,
        memory_mb=(settings.memory_mb if memory is None else memory) or None,
    )
    if as_json:
        click.echo(json.dumps(asdict(verdict), indent=2))
    else:
        click.echo(format_verdict(verdict, f"{original} vs {converted}"))
        if table:
            for model in verdict.models:
                click.echo(f"\n{model['name']}:")
                click.echo(format_table(model))
    raise SystemExit(verdict.exit_code)


# -- check --------------------------------------------------------------------------------------


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
@_with(_verify_options)
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings.")
@_config_option
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
    timeout: float | None,
    memory: int | None,
    write_read_only: bool,
    write_unverified: bool,
    quiet: bool,
    config: str | None,
) -> None:
    """Find Keras code that silently duplicates layers (S2F101) and other mistakes. Runs no user code.

    Exit 0 nothing found (or all fixed), 1 findings remain, 3 a fix could not be verified,
    123 a file could not be read or parsed.
    """
    from seq2func.api import check_paths
    from seq2func.check import select_rules

    if fix and diff:
        raise click.UsageError("use only one of --fix and --diff")
    if verify and not fix:
        raise click.UsageError("--verify goes with --fix")
    settings = _settings(
        paths, config, line_length=line_length, select=select, ignore=ignore, exclude=exclude
    )
    findings_to = sys.stderr if diff or (fix and STDIN in paths) else sys.stdout

    def show(report: FileReport) -> None:
        if report.error:
            _say(f"error: {report.error}")
            return
        _print_verdict(report)
        result = report.result
        assert isinstance(result, CheckResult)
        if fix and report.path == STDIN:
            sys.stdout.buffer.write((report.new_data if report.approved else report.original) or b"")
        if diff and report.changed:
            click.echo(unified_diff(result.source, result.code, report.path), nl=False)
        if as_json:
            return
        for finding in result.findings:
            done = finding.fixed and (report.written or (report.path == STDIN and report.approved))
            click.echo(_finding_line(report.path, finding) + (" (fixed)" if done else ""), file=findings_to)
            if not done and finding.no_fix and not quiet:
                click.echo(f"  no fix: {finding.no_fix}", file=findings_to)

    batch = Batch(
        write=fix,
        write_read_only=write_read_only,
        verify=_verify(verify, timeout, memory, settings, write_unverified),
        exclude=settings.exclude,
        on_report=show,
    )
    rules = select_rules(list(settings.select) or None, list(settings.ignore))
    width = settings.options.line_length
    report = _run(lambda: check_paths(list(paths), batch, fix=fix or diff, line_length=width, rules=rules))
    findings = [(r, f) for r in report.files if r.result for f in r.result.findings]
    fixed = sum(1 for r, f in findings if f.fixed and (r.written or (r.path == STDIN and r.approved)))
    remaining = len(findings) - fixed
    if as_json:
        files = [_json_file(r) for r in report.files if r.error or (r.result and r.result.findings)]
        summary = {"remaining": remaining, "fixed": fixed, "failed": report.failed}
        click.echo(json.dumps({"files": files, "summary": summary}, indent=2))
    elif not quiet:
        fixable = sum(1 for _, f in findings if f.fixable and not f.fixed)
        words = [
            f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''}" if findings else "No findings"
        ]
        if fixed or fix:
            words.append(f"({fixed} fixed, {remaining} remaining)")
        elif fixable:
            words.append(f"({fixable} fixable with --fix)")
        _say(" ".join(words) + ".")
    code = report.exit_code()
    raise SystemExit(code if code != Exit.OK else Exit.CHANGED if remaining else Exit.OK)


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
