"""Parent side of verification: one child Python process with a timeout, never TensorFlow here."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from seq2func.types import COULD_NOT, DIFFERENT, EQUIVALENT, Verdict

__all__ = ["COULD_NOT", "DIFFERENT", "EQUIVALENT", "Verdict", "format_verdict", "verify_programs"]

INSTALL_HINT = "verification needs TensorFlow: pip install 'seq2func[verify]'"


def tensorflow_available() -> bool:
    return importlib.util.find_spec("tensorflow") is not None or importlib.util.find_spec("keras") is not None


def verify_programs(
    original: str | Path,
    converted: str | Path | None = None,
    *,
    converted_source: str | None = None,
    models: list[str] | None = None,
    entry: str | None = None,
    timeout: float = 300.0,
    mode: str = "equivalence",
    original_source: str | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Verdict:
    """Build the models of two programs in one child process and compare them.

    mode "equivalence": the same network. mode "sharing": `converted` is `original`
    with duplicate layer copies merged into one shared set (what `check --fix` does).
    `original_source` stands in for the file's text (an editor's unsaved buffer); the
    child is killed as soon as `cancelled()` turns true.
    """
    if not tensorflow_available():
        return Verdict("error", message=INSTALL_HINT)
    original = Path(original).resolve()
    request = {
        "directory": str(original.parent),
        "original": {"path": str(original), "source": original_source},
        "converted": {
            "path": str(Path(converted).resolve()) if converted else f"{original} (converted)",
            "source": converted_source,
        },
        "models": models or [],
        "entry": entry,
        "mode": mode,
    }
    with tempfile.TemporaryDirectory(prefix="seq2func-verify-") as tmp:
        request_path, result_path = Path(tmp, "request.json"), Path(tmp, "result.json")
        request_path.write_text(json.dumps(request))
        env = {
            **os.environ,
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "CUDA_VISIBLE_DEVICES": "-1",
            "PYTHONUNBUFFERED": "1",
            "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "tensorflow"),
        }
        command = [sys.executable, "-m", "seq2func.verify.child", str(request_path), str(result_path)]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
            cwd=tmp,
        )
        try:
            stderr = _wait(process, timeout, cancelled)
        except subprocess.TimeoutExpired:
            _kill(process)
            return Verdict(
                "error",
                message=f"timed out after {timeout:g} s (raise it with --timeout)",
                where=str(original),
            )
        except Cancelled:
            _kill(process)
            return Verdict("error", message="cancelled", where=str(original))
        except BaseException:  # Ctrl-C or cancellation: leave nothing behind
            _kill(process)
            raise
        finally:
            _kill_group(process)
        if not result_path.exists():
            tail = stderr.decode(errors="replace").strip().splitlines()[-3:]
            return Verdict(
                "error",
                message="the verifier process died: " + (" | ".join(tail) or f"exit {process.returncode}"),
            )
        data = json.loads(result_path.read_text())
    return Verdict(
        data["status"], data.get("models", []), data.get("notes", []), data.get("message"), data.get("where")
    )


class Cancelled(Exception):
    pass


def _wait(process: subprocess.Popen[bytes], timeout: float, cancelled: Callable[[], bool] | None) -> bytes:
    if cancelled is None:
        return process.communicate(timeout=timeout)[1]
    deadline = time.monotonic() + timeout
    while True:
        try:
            return process.communicate(timeout=min(0.2, max(deadline - time.monotonic(), 0.01)))[1]
        except subprocess.TimeoutExpired:
            if cancelled():
                raise Cancelled from None
            if time.monotonic() >= deadline:
                raise


def _kill(process: subprocess.Popen[bytes]) -> None:
    _kill_group(process)
    process.kill()
    process.wait()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


# -- presenting a verdict -------------------------------------------------------


def format_verdict(verdict: Verdict, label: str) -> str:
    if verdict.status != "ok":
        where = f"{verdict.where}: " if verdict.where else ""
        return f"{where}could not verify {label}: {verdict.message}"
    lines = []
    for model in verdict.models:
        o = model["original"]
        head = f"{label}: {model['name']}: {model['verdict']}"
        if model.get("mode") == "sharing":
            c = model["converted"]
            head = (
                f"{label}: {model['name']}: weights now shared, {o['params']:,} -> {c['params']:,} parameters"
                + (
                    "; outputs agree when every copy holds the shared weights"
                    if model["verdict"] == "equivalent"
                    else "; NOT only a sharing fix"
                )
            )
        elif model["verdict"] == "equivalent":
            head += f" ({o['params']:,} parameters, {o['trainable']:,} trainable; outputs agree)"
        lines.append(head)
        for reason in model["reasons"]:
            lines.append(f"  {reason}")
        for check in model["checks"]:
            mark = "ok  " if check["ok"] else "FAIL"
            lines.append(f"  {mark} {check['check']}: {check['detail']}")
        for note in model["notes"]:
            lines.append(f"  note: {note}")
    for note in verdict.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def _cell(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    return f"{row['layer'][:16]:<16} {row['output_shape'][:16]:<16} {row['params']:>10,}"


def format_table(model: dict[str, Any]) -> str:
    """Layers side by side: name, output shape, parameters; '*' marks rows that differ."""
    left, right = model["rows"]["original"], model["rows"]["converted"]
    out = [f"  {'':1} {'original':<44} {'converted':<44}"]
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else None
        b = right[i] if i < len(right) else None
        same = (
            a is not None
            and b is not None
            and (a["output_shape"], a["params"]) == (b["output_shape"], b["params"])
        )
        out.append(f"  {' ' if same else '*'} {_cell(a):<44} {_cell(b):<44}")
    return "\n".join(out)
