"""`verify` runs the user's code: whatever that code does, the answer is a clear
"could not verify" (or a verdict), and no process it started outlives the verification."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from pathlib import Path
from textwrap import dedent

import pytest
from processes import MARK, marked, new_mark

from seq2func.types import Exit
from seq2func.verify.report import format_verdict
from seq2func.verify.runner import verify_programs

pytestmark = pytest.mark.tensorflow

MODEL = dedent(
    """\
    import keras
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    """
)
CONVERTED = (
    "import keras\ninputs = keras.Input(shape=(3,))\nx = keras.layers.Dense(2)(inputs)\n"
    "model = keras.Model(inputs=inputs, outputs=x)\n"
)


def _verify(tmp_path: Path, prelude: str, **options: object) -> tuple[object, float]:
    path = tmp_path / "program.py"
    path.write_text(prelude + MODEL)
    started = time.monotonic()
    verdict = verify_programs(path, converted_source=prelude + CONVERTED, **options)  # type: ignore[arg-type]
    return verdict, time.monotonic() - started


HOSTILE = [
    pytest.param(
        dedent(
            """\
        import time
        time.sleep(600)
        """
        ),
        {"timeout": 12},
        "timed out after 12 s",
        id="hang",
    ),
    pytest.param("big = bytearray(3 * 1024 ** 3)\n", {"memory_mb": 2048}, "out of memory", id="memory"),
    pytest.param(
        dedent(
            """\
            import sys

            def setup():
                sys.exit(3)

            setup()
            """
        ),
        {},
        "called sys.exit(3)",
        id="sys-exit",
    ),
    pytest.param(
        dedent(
            """\
        import os
        os._exit(0)
        """
        ),
        {},
        "ended the verifier early",
        id="os-exit",
    ),
]


@pytest.mark.parametrize(("prelude", "options", "message"), HOSTILE)
def test_hostile_program_could_not_verify(tmp_path: Path, prelude: str, options: dict, message: str) -> None:
    """Should say why it could not verify, within its limits."""
    verdict, _ = _verify(tmp_path, prelude, **options)
    assert verdict.exit_code == Exit.NOT_VERIFIED, format_verdict(verdict, "program")  # type: ignore[attr-defined]
    assert message in (verdict.message or ""), verdict.message  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "spawn",
    [
        # a daemon: double fork and a new session, so it leaves the verifier's process group
        "import os\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
        "        os.execvp('sleep', ['sleep', '{marker}'])\n    os._exit(0)\n",
        # a child that keeps the verifier's stderr open
        dedent(
            """\
            import subprocess
            subprocess.Popen(['sleep', '{marker}'])
            """
        ),
    ],
    ids=["daemon", "holds-stderr"],
)
def test_background_children_are_ended(tmp_path: Path, spawn: str) -> None:
    """Should give a verdict without waiting for the program's own children (they sleep an
    hour: waiting for them would end in the timeout, not OK) and leave none of them behind."""
    marker = str(4000 + os.getpid() % 1000)  # a sleep length no other process uses
    verdict, _ = _verify(tmp_path, spawn.format(marker=marker), timeout=120)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "program")  # type: ignore[attr-defined]
    time.sleep(0.5)
    assert marked(None, f"sleep\0{marker}") == []


def test_flood_of_output_is_bounded(tmp_path: Path) -> None:
    """Should verify a program that prints 100 MB, without the parent holding it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    prelude = dedent(
        """\
        import sys
        sys.stdout.write('x' * 50_000_000)
        sys.stderr.write('y' * 50_000_000)
        """
    )
    verdict, _ = _verify(tmp_path, prelude, timeout=120)
    assert verdict.exit_code == Exit.OK, format_verdict(verdict, "program")  # type: ignore[attr-defined]
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50


def test_ctrl_c_leaves_no_child(tmp_path: Path) -> None:
    """Should end the verifier's child when the CLI is interrupted."""
    import sys

    path = tmp_path / "program.py"
    path.write_text(
        dedent(
            """\
        import time
        time.sleep(4321)
        """
        )
        + MODEL
    )
    mark = new_mark()
    process = subprocess.Popen(
        [sys.executable, "-m", "seq2func", "convert", "--verify", str(path), "-o", os.devnull],
        stderr=subprocess.PIPE,
        env={**os.environ, MARK: mark},
    )
    for _ in range(300):  # until the verifier's child runs the program
        if marked(mark, "seq2func.verify.child"):
            break
        time.sleep(0.1)
    assert marked(mark, "seq2func.verify.child")
    process.send_signal(signal.SIGINT)
    process.wait(timeout=60)
    time.sleep(0.5)
    assert marked(mark, "seq2func.verify.child") == []
