"""From paths to written files: collect, transform (in a pool), verify, then write.

The order is the promise: a file is written only after its new text was proven
against the text read from it (when a proof was asked for), and only if nobody
changed the file in between. Nothing here raises for one file: every failure
becomes that file's `FileReport.error` and the run goes on.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from seq2func.core.files import is_directory, iter_python_files, write_atomic, write_back
from seq2func.drivers.source import check_bytes, convert_bytes, syntax_check
from seq2func.notebook import is_notebook, load, script_of
from seq2func.rules import proof_for
from seq2func.types import CheckResult, ConvertError, Exit, Finding, Options, Result, VerifySettings
from seq2func.verify import prove, serving

if TYPE_CHECKING:
    from seq2func.verify.verdict import Verdict

STDIN = "-"
# A large file is converted a part at a time, in about 2 KB of memory a line (see `windowed`).
MAX_SOURCE_BYTES = 20 * 2**20


class Transform(Protocol):
    """Bytes in, a result and the new bytes out; `notebook`: the bytes are an .ipynb file;
    `path`: the file they were read from."""

    def __call__(
        self, data: bytes, *, notebook: bool = False, path: str | None = None
    ) -> tuple[Result | CheckResult, bytes]: ...


@dataclass
class FileReport:
    """The outcome for one path: what it was, what it became, whether it was proven and written."""

    path: str
    result: Result | CheckResult | None = None
    original: bytes | None = None  # the bytes read, held so that verify and write never reread them
    new_data: bytes | None = None  # the converted bytes, when they differ
    error: str | None = None  # the file could not be read, parsed or written
    verdict: Verdict | None = None  # with --verify: the proof of new_data against original
    written: bool = False
    held_back: str | None = None  # why a changed file was not written (or printed)

    @property
    def changed(self) -> bool:
        return self.new_data is not None

    @property
    def delivered(self) -> bool:
        """The new bytes reached their place: written, or printed in place of stdin."""
        return self.written or (self.path == "-" and self.approved)

    def conversion_proofs(self) -> list[dict[str, Any]] | None:
        """With --verify, what the proof said of each conversion of the file, in their order: its
        verdict (equivalent, different, unproven), its input shape's proof, how it was built, why."""
        if self.verdict is None or not isinstance(self.result, Result):
            return None
        verdict = self.verdict
        by_site = {m.site: m for m in verdict.models if m.site is not None} if verdict.status == "ok" else {}
        proofs: list[dict[str, Any]] = []
        for k in range(len(self.result.conversions)):
            model = by_site.get(k)
            if model is None:
                why = verdict.message if verdict.status != "ok" else "it was not compared"
                proofs.append(
                    {
                        "verdict": "unproven",
                        "shape": "",
                        "shape_source": None,
                        "shape_confirmed": None,
                        "built": "",
                        "reasons": [why or "it could not be verified"],
                    }
                )
                continue
            proofs.append(
                {
                    "verdict": model.verdict,
                    "shape": model.shape,
                    "shape_source": model.shape_source,
                    "shape_confirmed": model.shape_confirmed,
                    "built": model.built,
                    "reasons": list(model.reasons),
                }
            )
        return proofs

    @property
    def approved(self) -> bool:
        """The new bytes may be written: changed, and proven when a proof was asked for."""
        return self.changed and self.held_back is None and self.error is None


@dataclass
class Report:
    """Every file's outcome, and the exit code they add up to (as black's Report)."""

    check: bool = False  # convert --check / check without --fix: a change to make is exit 1
    files: list[FileReport] = field(default_factory=list)

    def add(self, report: FileReport) -> None:
        self.files.append(report)

    def _count(self, test: Callable[[FileReport], bool]) -> int:
        return sum(1 for r in self.files if test(r))

    @property
    def failed(self) -> int:
        return self._count(lambda r: r.error is not None)

    @property
    def changed(self) -> int:
        return self._count(lambda r: r.changed and r.error is None)

    @property
    def written(self) -> list[str]:
        return [r.path for r in self.files if r.written]

    @property
    def different(self) -> int:
        return self._count(lambda r: r.verdict is not None and r.verdict.word == "different")

    @property
    def unverified(self) -> int:
        return self._count(lambda r: r.verdict is not None and r.verdict.word == "could not verify")

    def proofs(self) -> dict[str, int] | None:
        """How many conversions each proof found equivalent (and of those, on a shape only
        read from the code), different, and not proven; None when nothing was verified."""
        found = [p for r in self.files for p in r.conversion_proofs() or ()]
        if not any(r.verdict is not None for r in self.files):
            return None
        return {
            "equivalent": sum(p["verdict"] == "equivalent" for p in found),
            "unconfirmed": sum(p["verdict"] == "equivalent" and p["shape_confirmed"] is False for p in found),
            "different": sum(p["verdict"] == "different" for p in found),
            "unproven": sum(p["verdict"] == "unproven" for p in found),
        }

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files if r.result is not None for f in r.result.findings]

    @property
    def remaining_findings(self) -> int:
        """Findings not fixed where it counts: written to the file, or approved on stdout."""
        return sum(
            1
            for r in self.files
            if r.result is not None
            for f in r.result.findings
            if not (f.fixed and r.delivered)
        )

    def exit_code(self, *, findings_fail: bool = False) -> int:
        """123 a file failed; 1 a difference, a change to make, or (`check`) findings remain;
        3 a proof could not run; else 0."""
        if self.failed:
            return Exit.ERROR
        if self.different or (self.check and self.changed):
            return Exit.CHANGED
        if self.unverified:
            return Exit.NOT_VERIFIED
        if findings_fail and self.remaining_findings:
            return Exit.CHANGED
        return Exit.OK


# -- collecting ---------------------------------------------------------------------------------


def collect(
    paths: Iterable[str], exclude: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, bool]], list[FileReport]]:
    """(path, named) pairs: directories are walked; files named on the command line are always
    read. And a report for each path that cannot be walked."""
    files: list[tuple[str, bool]] = []
    failures: list[FileReport] = []
    for raw in paths:
        path = Path(raw)
        if raw != STDIN and is_directory(raw):
            errors: list[tuple[Path, OSError, bool]] = []
            files += [(str(p), False) for p in iter_python_files(path, exclude, errors)]
            failures += [
                FileReport(
                    str(where), error=f"{where}:1:1: cannot read{' the directory' * folder}: {error.strerror}"
                )
                for where, error, folder in errors
            ]
        else:
            files.append((raw, True))
    return files, failures


def read_source(path: str, named: bool, stdin: BinaryIO | None = None) -> bytes:
    """The bytes of one source file; OSError with a reason a person can act on."""
    if path == STDIN:
        return (stdin or sys.stdin.buffer).read()
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise OSError(f"not a regular file ({'directory' if stat.S_ISDIR(info.st_mode) else 'special file'})")
    with open(path, "rb") as f:
        return f.read()


# -- transforming one file ----------------------------------------------------------------------


def transform_path(
    path: str, named: bool, transform: Transform, keyword: bytes, data: bytes | None = None
) -> FileReport:
    """Read and transform one file, never raising."""
    report = FileReport(path)
    try:
        data = read_source(path, named) if data is None else data
    except OSError as error:
        report.error = f"{path}:1:1: cannot read: {error.strerror or error}"
        return report
    report.original = data
    if not named and keyword not in data:  # cheap: most files in a tree are not about Keras
        report.result = Result("", "")
        return report
    if b"\0" in data:
        report.error = f"{path}:1:1: cannot read: a binary file (it holds NUL bytes)"
        return report
    if len(data) > MAX_SOURCE_BYTES:
        size, limit = len(data) / 2**20, MAX_SOURCE_BYTES / 2**20
        report.error = (
            f"{path}:1:1: not converted: {size:.0f} MB is more than the {limit:.0f} MB a file may have"
        )
        return report
    try:
        notebook = is_notebook(path)
        if keyword not in data:  # named, but nothing to convert: only say whether Python can read it
            syntax_check(data, notebook=notebook)
            report.result = Result("", "")
            return report
        result, new = transform(data, notebook=notebook, path=path)
    except ConvertError as error:
        report.error = f"{path}:{error.location or '1:1'}: {error.message}"
        return report
    except RecursionError:
        report.error = f"{path}:1:1: cannot convert: the code is nested too deeply for the parser"
        return report
    except Exception as error:  # a bug in seq2func must not take the whole run down
        report.error = f"{path}:1:1: internal error: {type(error).__name__}: {error}"
        return report
    report.result = result
    if result.changed:
        report.new_data = new
    return report


def _transformed(
    files: list[tuple[str, bool]], transform: Transform, keyword: bytes, jobs: int, stdin: BinaryIO | None
) -> Iterator[FileReport]:
    on_disk = [(path, named) for path, named in files if path != STDIN]
    for path, _ in files:
        if path == STDIN:
            yield transform_path(path, True, transform, keyword, read_source(STDIN, True, stdin))
    if jobs > 1 and len(on_disk) > 8:
        from concurrent.futures import ProcessPoolExecutor  # only for trees: one file needs no pool

        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
        try:
            yield from pool.map(
                partial(_transform_in_worker, transform=transform, keyword=keyword), on_disk, chunksize=16
            )
        finally:  # on Ctrl-C too: drop what has not started, never wait for the whole tree
            pool.shutdown(wait=True, cancel_futures=True)
    else:
        for path, named in on_disk:
            yield transform_path(path, named, transform, keyword)


def _transform_in_worker(item: tuple[str, bool], transform: Transform, keyword: bytes) -> FileReport:
    return transform_path(item[0], item[1], transform, keyword)


def _worker_init() -> None:
    """Workers die with the parent instead of blocking on its pipes (Linux), and leave
    Ctrl-C to the parent, which stops the pool and reports what was written."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes  # only in the workers of a folder's run

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# -- verifying and writing ----------------------------------------------------------------------


def prove_report(report: FileReport, settings: VerifySettings) -> Verdict:
    """Verify the new text against the text that was read (never against the file on disk)."""
    assert report.result is not None and report.original is not None
    where = Path.cwd() / "<stdin>" if report.path == STDIN else Path(report.path)
    original, converted = report.result.source, report.result.new_text
    scripts = None
    if is_notebook(report.path) and report.new_data is not None:  # the cells as a script, IPython masked
        scripts = (script_of(load(report.original)), script_of(load(report.new_data)))
        original, converted = scripts[0].text, scripts[1].text
    if isinstance(report.result, CheckResult):
        return prove(where, original, converted, replace(settings, mode=proof_for(report.result)))
    return prove(where, original, converted, settings, conversions=report.result.conversions, scripts=scripts)


def settle(
    report: FileReport,
    verify: VerifySettings | None,
    write: bool,
    read_only_too: bool = False,
    output: str | None = None,
    on_verify: Callable[[str], None] | None = None,
) -> FileReport:
    """Prove (when asked), then write in place or to `output` (when asked and approved);
    the report says what happened."""
    if report.error is not None:
        return report
    if report.changed and verify is not None:
        if on_verify is not None:
            on_verify(report.path)
        report.verdict = prove_report(report, verify)
        word = report.verdict.word
        if word == "different":
            report.held_back = "the conversion is not equivalent to the original"
        elif word == "could not verify" and not verify.write_unverified:
            report.held_back = "it could not be verified (--write-unverified writes it anyway)"
    if output is not None and output != STDIN:
        _write_output(report, output, read_only_too)
    elif write and report.approved and report.path != STDIN:
        _write_in_place(report, read_only_too)
    return report


def _write_in_place(report: FileReport, read_only_too: bool) -> None:
    assert report.original is not None and report.new_data is not None
    try:
        write_back(Path(report.path), report.original, report.new_data, read_only_too=read_only_too)
        report.written = True
    except OSError as error:
        report.error = f"{report.path}:1:1: not written: {error.strerror or error}"


def _write_output(report: FileReport, output: str, read_only_too: bool) -> None:
    """-o: the conversion when approved, the text as it was when nothing changed, and
    nothing when the conversion was held back. Onto the input itself: as --in-place."""
    data = report.new_data if report.approved else report.original
    if report.held_back is not None or data is None:
        return
    if report.path != STDIN and os.path.realpath(output) == os.path.realpath(report.path):
        if report.approved:
            _write_in_place(report, read_only_too)
        return
    try:
        # through a symlink to its target; a full disk leaves the old file, never half a new one
        write_atomic(Path(os.path.realpath(output)), data)
    except OSError as error:
        report.error = f"{output}:1:1: cannot write: {error.strerror or error}"


@dataclass(frozen=True)
class Batch:
    """How to run over many files; the same for convert and check."""

    write: bool = False
    write_read_only: bool = False  # rewrite files without write permission too (mode kept)
    verify: VerifySettings | None = None
    jobs: int = 1
    exclude: frozenset[str] = frozenset()
    stdin: BinaryIO | None = None
    output: str | None = None  # -o: the one input's code goes to this file
    on_report: Callable[[FileReport], None] | None = None
    on_start: Callable[[int], None] | None = None  # how many files the run will report on
    on_verify: Callable[[str], None] | None = None  # a file's verification starts


def run_paths(
    paths: Sequence[str], transform: Transform, keyword: bytes, batch: Batch, *, check: bool = False
) -> Report:
    """Transform every file; verify and write each as it comes, so an interrupted run
    leaves whole files and `on_report` has said which were written."""
    report = Report(check=check)
    files, failures = collect(paths, batch.exclude)
    if batch.on_start is not None:
        batch.on_start(len(files) + len(failures))
    for failure in failures:
        report.add(failure)
        if batch.on_report is not None:
            batch.on_report(failure)
    with serving() if batch.verify is not None else contextlib.nullcontext():  # one child for the tree
        for file_report in _transformed(files, transform, keyword, batch.jobs, batch.stdin):
            settle(
                file_report, batch.verify, batch.write, batch.write_read_only, batch.output, batch.on_verify
            )
            report.add(file_report)
            if batch.on_report is not None:
                batch.on_report(file_report)
    return report


def convert_paths(
    paths: Sequence[str], options: Options, batch: Batch = Batch(), *, check: bool = False
) -> Report:
    """Convert files and trees: collect, convert (in a pool), verify, and only then write
    (`seq2func convert` without the printing)."""
    return run_paths(paths, partial(convert_bytes, options=options), b"Sequential", batch, check=check)


def check_paths(
    paths: Sequence[str], options: Options, batch: Batch = Batch(), *, fix: bool = False
) -> Report:
    """Check files and trees with the rules `options` selects; with fix (and batch.write)
    write the fixes that (with batch.verify) proved out (`seq2func check` without the printing)."""
    return run_paths(paths, partial(check_bytes, options=options, fix=fix), b"keras", batch)
