"""Parent side of verification: one child Python process with a timeout, never TensorFlow here."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from seq2func.notebook import cell_of_line, is_notebook, script_from_bytes
from seq2func.types import VERIFY_MEMORY_MB, VERIFY_TIMEOUT, ConvertError, Hint, InferredShapes, VerifyMode
from seq2func.verify.requests import ProgramSpec, Request
from seq2func.verify.verdict import ModelFacts, ModelVerdict, Sides, Verdict

INSTALL_HINT = "verification needs TensorFlow: pip install 'seq2func[verify]'"


def tensorflow_available() -> bool:
    return importlib.util.find_spec("tensorflow") is not None or importlib.util.find_spec("keras") is not None


_TOKEN = "SEQ2FUNC_VERIFY_TOKEN"  # inherited by everything the user's program starts


def verify_programs(
    original: str | Path,
    converted: str | Path | None = None,
    *,
    converted_source: str | None = None,
    models: list[str] | None = None,
    entry: str | None = None,
    timeout: float = VERIFY_TIMEOUT,
    mode: VerifyMode = "equivalence",
    original_source: str | None = None,
    cancelled: Callable[[], bool] | None = None,
    memory_mb: int | None = VERIFY_MEMORY_MB,
    plot: bool = False,
    python: str | None = None,
) -> Verdict:
    """Build the module-level models of two programs in one child process and compare them
    by name.

    mode "equivalence": the same network. mode "sharing": `converted` is `original`
    with duplicate layer copies merged into one shared set (what `check --fix` does).
    `original_source` stands in for the file's text (an editor's unsaved buffer); the
    child is killed as soon as `cancelled()` turns true. The child runs the user's code
    with the user's permissions, under `timeout` and an address-space limit of
    `memory_mb` (None: no limit), in the interpreter `python` (None: this one); whatever
    it starts is ended with it.
    """
    original = Path(original).resolve()
    try:
        original_source = original_source if original_source is not None else _notebook_script(original)
        if converted is not None and converted_source is None:
            converted_source = _notebook_script(Path(converted))
    except (OSError, ConvertError) as error:
        return Verdict("error", message=f"cannot read the notebook: {error}", where=str(original))
    request = Request(
        "names",
        ProgramSpec(str(original), original_source),
        ProgramSpec(
            str(Path(converted).resolve()) if converted else f"{original} (converted)", converted_source
        ),
        models=models or [],
        entry=entry,
        mode=mode,
        plot=plot,  # the child also returns both models' layer graphs
    )
    return run_request(request, original, timeout, memory_mb, cancelled, python)


def run_request(
    request: Request,
    path: str | Path,
    timeout: float,
    memory_mb: int | None,
    cancelled: Callable[[], bool] | None,
    python: str | None,
) -> Verdict:
    """Run one child on `request` for the program at `path` (its folder is the child's working
    folder), and read its verdict; a notebook's lines are said as its cells'."""
    unusable = interpreter_problem(python)
    if unusable is not None:
        return Verdict("error", message=unusable)
    where = Path(path).resolve()
    request = replace(request, directory=str(where.parent), memory_mb=memory_mb)
    with tempfile.TemporaryDirectory(prefix="seq2func-verify-") as tmp:
        request_path, result_path = Path(tmp, "request.json"), Path(tmp, "result.json")
        request_path.write_text(json.dumps(request.to_dict()))
        servers = _SERVING[-1] if _SERVING else None
        if servers is not None:
            key = (python, memory_mb, request.keras2)
            server = servers.get(key) or servers.setdefault(key, Server(python, memory_mb, request.keras2))
            verdict = server.ask(request_path, result_path, str(where), timeout, cancelled)
        else:
            command = [
                *_interpreter(python, Path(tmp)),
                "-m",
                "seq2func.verify.child",
                str(request_path),
                str(result_path),
            ]
            failure = _run_child(command, Path(tmp), str(where), timeout, cancelled, memory_mb)
            verdict = failure or Verdict.from_dict(json.loads(result_path.read_text()))
    script = request.original.source
    if request.kind == "names" and is_notebook(str(where)) and script is not None:
        verdict = in_cells(verdict, script, str(where))
    return verdict if python is None else given_python(verdict)


def given_python(verdict: Verdict) -> Verdict:
    """A verdict of a run in the interpreter the user gave: a package it lacks is to be
    installed there, not a reason to give an interpreter (the hint already followed)."""

    def there(hints: tuple[Hint, ...]) -> tuple[Hint, ...]:
        return tuple("install-there" if hint == "python" else hint for hint in hints)

    models = [replace(m, hints=there(m.hints)) for m in verdict.models]
    return replace(verdict, hints=there(verdict.hints), models=models)


def merged(verdict: Verdict, again: Verdict, sites: set[int]) -> Verdict:
    """`verdict` with its verdicts on `sites` (and the models built from them) from `again`, the
    same request run on Keras 2; said so. Where that could not run, `verdict` as it was."""
    if again.status != "ok":
        return verdict
    said = "run on Keras 2 (tf_keras), as Keras 3 refuses the original's Keras 2 code"

    def taken(m: ModelVerdict) -> bool:
        return m.site in sites or bool(sites & set(m.derived_from))

    models = [m for m in verdict.models if not taken(m)]
    models += [replace(m, notes=[said, *m.notes]) for m in again.models if taken(m)]
    order = {m.site: k for k, m in enumerate(verdict.models)}
    models.sort(key=lambda m: (m.site is None, order.get(m.site, 0)))
    return replace(verdict, models=models, notes=[*verdict.notes, *again.notes], keras2=[])


def settled(verdict: Verdict, conversions: int, strict_shapes: bool) -> Verdict:
    """A `sites` verdict with one model verdict per conversion (one the child never reported
    is unproven, said so), and with `strict_shapes`, an input shape only the converter's
    reading gives unproven too."""
    if verdict.status != "ok":
        return verdict
    by_site = {m.site: m for m in verdict.models if m.site is not None}
    models = []
    for k in range(conversions):
        model = by_site.get(k)
        if model is None:
            nothing = ModelFacts(0, 0, 0, [], [], [])
            model = ModelVerdict(
                f"conversion {k + 1}",
                "equivalence",
                "unproven",
                nothing,
                nothing,
                [],
                ["seq2func could not tell where its new code is"],
                [],
                Sides([], []),
                site=k,
            )
        elif strict_shapes and model.verdict == "equivalent" and model.shape_confirmed is False:
            model = replace(
                model,
                verdict="unproven",
                reasons=[
                    f"its {model.shape} (strict-shapes proves only a shape the original gives)",
                    *model.reasons,
                ],
            )
        models.append(model)
    return replace(verdict, models=[*models, *(m for m in verdict.models if m.site is None)])


def _interpreter(python: str | None, tmp: Path) -> list[str]:
    """The command that starts a child: this interpreter, or the project's, which need not
    have seq2func installed: the child's own modules (no LibCST, no black) are linked into
    its working folder, which `python -m` puts first on its path."""
    if python is None:
        return [sys.executable]
    (tmp / "seq2func").symlink_to(Path(__file__).resolve().parent.parent, target_is_directory=True)
    return [python]


_PROBE = (
    "import importlib.util, sys\n"
    "print(sys.version_info >= (3, 10), '%d.%d' % sys.version_info[:2], "
    "any(importlib.util.find_spec(m) for m in ('tensorflow', 'keras')))"
)


def interpreter_problem(python: str | None) -> str | None:
    """Why the children cannot run in `python` (None: this interpreter), in words; None if they can."""
    if python is None:
        return None if tensorflow_available() else INSTALL_HINT
    return _probe(python)


@functools.lru_cache(maxsize=8)
def _probe(python: str) -> str | None:
    try:
        probe = subprocess.run(
            [python, "-c", _PROBE], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"cannot run the interpreter {python}: {error}"
    fields = probe.stdout.split()
    if probe.returncode != 0 or len(fields) != 3:
        return (
            f"cannot run the interpreter {python}: {(probe.stderr.strip().splitlines() or ['no output'])[-1]}"
        )
    recent, version, keras = fields
    if recent != "True":
        return f"{python} is Python {version}; the program runs in Python 3.10 or later"
    if keras != "True":
        return f"{python} has neither TensorFlow nor Keras; install them in that environment"
    return None


def in_cells(verdict: Verdict, script: str, path: str) -> Verdict:
    """A notebook's verdict with its script lines told as cells (`nb.ipynb:cell[3]:2`)."""

    def where(line: int) -> str:
        cell, row = cell_of_line(script, line)
        return f"cell[{cell}]:{row}" if cell else f"line {line}"

    located = verdict.where
    if located and located.startswith(f"{path}:") and located[len(path) + 1 :].isdigit():
        located = f"{path}:{where(int(located[len(path) + 1 :]))}"
    program = [_cell_lines(text, script) for text in verdict.program]
    notes = [_cell_lines(text, script) for text in verdict.notes]
    return replace(verdict, where=located, program=program, notes=notes)


def infer_shapes(
    path: str | Path,
    source: str,
    *,
    timeout: float = VERIFY_TIMEOUT,
    memory_mb: int | None = VERIFY_MEMORY_MB,
    cancelled: Callable[[], bool] | None = None,
    python: str | None = None,
) -> InferredShapes:
    """Run the program `source` (the text of `path`) in a child process with Keras's fit,
    evaluate and predict intercepted, and return the input shape each Sequential was given."""
    unusable = interpreter_problem(python)
    if unusable is not None:
        return InferredShapes(error=unusable)
    where = str(Path(path).resolve())
    with tempfile.TemporaryDirectory(prefix="seq2func-infer-") as tmp:
        request_path, result_path = Path(tmp, "request.json"), Path(tmp, "result.json")
        request_path.write_text(json.dumps({"path": where, "source": source, "memory_mb": memory_mb}))
        command = [
            *_interpreter(python, Path(tmp)),
            "-m",
            "seq2func.verify.infer",
            str(request_path),
            str(result_path),
        ]
        failure = _run_child(command, Path(tmp), where, timeout, cancelled, memory_mb)
        if failure is not None:
            return InferredShapes(error=failure.message)
        found = InferredShapes.from_dict(json.loads(result_path.read_text()))
    if is_notebook(where) and found.stopped:  # where a notebook's run stopped, as a cell
        found = replace(found, stopped=_cell_lines(found.stopped, source))
    return found


def _cell_lines(text: str, script: str) -> str:
    """`line 12` of a notebook's script said as the cell that holds it (`cell[4]:2`)."""

    def where(match: re.Match[str]) -> str:
        cell, row = cell_of_line(script, int(match.group(1)))
        return f"cell[{cell}]:{row}" if cell else match.group(0)

    return re.sub(r"\bline (\d+)", where, text)


def _run_child(
    command: list[str],
    tmp: Path,
    where: str,
    timeout: float,
    cancelled: Callable[[], bool] | None,
    memory_mb: int | None,
) -> Verdict | None:
    """Run the child to its end; a Verdict only when it did not leave a result behind."""
    token = uuid.uuid4().hex
    env = _child_env(token)
    # stderr to a file, not a pipe: a grandchild that keeps it open cannot stall us,
    # and however much the program prints, we read only the end
    with open(tmp / "stderr", "w+b") as stderr:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            start_new_session=True,
            cwd=tmp,
        )
        try:
            _wait(process, timeout, cancelled)
        except subprocess.TimeoutExpired:
            return Verdict(
                "error",
                message=f"timed out after {timeout:g} s (raise it: --timeout, or verify-timeout under [tool.seq2func])",
                where=where,
            )
        except Cancelled:
            return Verdict("error", message="cancelled", where=where)
        finally:  # on Ctrl-C too: leave nothing behind
            _kill(process)
            _kill_marked(token)
        if not (tmp / "result.json").exists():
            return Verdict("error", message=_died(process.returncode, _tail(stderr), memory_mb))
    return None


# the servers of the `serving()` scopes open now, by interpreter, memory limit and Keras
_SERVING: list[dict[tuple[str | None, int | None, bool], Server]] = []


@contextlib.contextmanager
def serving() -> Iterator[None]:
    """Within this scope, verifications reuse their child process (one TensorFlow import for a
    tree): each request runs in a fresh namespace, and the child restores what the programs
    changed (the working folder, the path, the environment, Keras's settings, the modules they
    imported from their own folders) or, where it cannot, ends and a new one starts."""
    _SERVING.append({})
    try:
        yield
    finally:
        for server in _SERVING.pop().values():
            server.close()


class Server:
    """A verifier's child that answers requests until it is told to stop, or cannot go on."""

    def __init__(self, python: str | None, memory_mb: int | None, keras2: bool) -> None:
        self.python, self.memory_mb, self.keras2 = python, memory_mb, keras2
        self.process: subprocess.Popen[bytes] | None = None
        self.home = Path(tempfile.mkdtemp(prefix="seq2func-serve-"))
        self.token = uuid.uuid4().hex
        self.commands: Any = None

    def _start(self) -> subprocess.Popen[bytes]:
        read, write = os.pipe()
        env = {**_child_env(self.token), "SEQ2FUNC_COMMANDS": str(read)}
        self.stderr = open(self.home / "stderr", "w+b")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(
            [*_interpreter(self.python, self.home), "-m", "seq2func.verify.child", "--serve"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr,
            env=env,
            start_new_session=True,
            cwd=self.home,
            pass_fds=(read,),
        )
        os.close(read)
        self.commands = os.fdopen(write, "w")
        return self.process

    def ask(
        self, request: Path, result: Path, where: str, timeout: float, cancelled: Callable[[], bool] | None
    ) -> Verdict:
        process = self.process if self.process is not None and self.process.poll() is None else self._start()
        try:
            self.commands.write(f"{request}\t{result}\n")
            self.commands.flush()
        except OSError:  # it ended between two requests: start another
            self.close()
            process = self._start()
            self.commands.write(f"{request}\t{result}\n")
            self.commands.flush()
        deadline = time.monotonic() + timeout
        try:
            while not result.exists():
                if process.poll() is not None:
                    code = process.returncode
                    self.close()
                    return Verdict("error", message=_died(code, _tail(self.stderr), self.memory_mb))
                if cancelled is not None and cancelled():
                    self.close()
                    return Verdict("error", message="cancelled", where=where)
                if time.monotonic() >= deadline:
                    self.close()
                    return Verdict(
                        "error",
                        message=f"timed out after {timeout:g} s (raise it: --timeout, or verify-timeout under [tool.seq2func])",
                        where=where,
                    )
                time.sleep(0.02)
        except BaseException:  # Ctrl-C: leave nothing behind
            self.close()
            raise
        _kill_marked(self.token, spare=process.pid)  # what the program started, never its child
        data = json.loads(result.read_text())
        if not data.pop("reusable", False):
            self.close()
        return Verdict.from_dict(data)

    def close(self) -> None:
        if self.commands is not None:
            with contextlib.suppress(OSError):
                self.commands.close()
            self.commands = None
        if self.process is not None:
            _kill(self.process)
            self.process = None
            self.stderr.close()
        _kill_marked(self.token)


def _child_env(token: str) -> dict[str, str]:
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "CUDA_VISIBLE_DEVICES": "-1",
        "PYTHONUNBUFFERED": "1",
        "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "tensorflow"),
        _TOKEN: token,
    }


def _notebook_script(path: Path) -> str | None:
    """A notebook's code cells as the script to run; None for a Python file (the child reads it)."""
    return script_from_bytes(path.read_bytes()) if is_notebook(str(path)) else None


class Cancelled(Exception):
    pass


def _wait(process: subprocess.Popen[bytes], timeout: float, cancelled: Callable[[], bool] | None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            process.wait(timeout=min(0.2, max(deadline - time.monotonic(), 0.01)))
            return
        except subprocess.TimeoutExpired:
            if cancelled is not None and cancelled():
                raise Cancelled from None
            if time.monotonic() >= deadline:
                raise


def _tail(stream: Any, size: int = 4096) -> list[str]:
    stream.seek(0, os.SEEK_END)
    stream.seek(max(0, stream.tell() - size))
    return stream.read().decode(errors="replace").strip().splitlines()[-3:]


def _died(code: int | None, tail: list[str], memory_mb: int | None) -> str:
    text = " | ".join(tail)
    if "MemoryError" in text or "std::bad_alloc" in text or code == -signal.SIGKILL:
        limit = (
            f" (limit {memory_mb:,} MB; change it: --memory-limit, or verify-memory-limit under [tool.seq2func])"
            if memory_mb
            else ""
        )
        return f"the program ran out of memory{limit}: {text or 'killed'}"
    if code is not None and code >= 0:
        return f"the program ended the verifier early (exit code {code}; os._exit()?)" + (
            f": {text}" if text else ""
        )
    return f"the verifier process died ({_signal_name(code)})" + (f": {text}" if text else "")


def _signal_name(code: int | None) -> str:
    if code is None or code >= 0:
        return f"exit {code}"
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.kill()
    process.wait()


def _kill_marked(token: str, spare: int | None = None) -> None:
    """End every process that inherited this verification's token (but `spare`): daemons that
    left the process group (setsid, double fork) included. Linux's /proc; elsewhere the group kill."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    needle = f"{_TOKEN}={token}".encode()
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) in (os.getpid(), spare):
            continue
        try:
            marked = needle in (entry / "environ").read_bytes()
        except OSError:
            continue  # gone, or not ours to read
        if marked:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)


# -- presenting a verdict -------------------------------------------------------
