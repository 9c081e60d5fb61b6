"""What a person at a terminal sees: a progress bar and colours on a terminal only (a real
pseudo-terminal here), `NO_COLOR` respected, and a tree's skips counted by reason."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from seq2func.cli import main

CONVERTS = "import keras\nm = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])\n"
UNKNOWN = "import keras\nm = keras.Sequential([keras.layers.Dense(2)])\n"
BAR = "\r\x1b[2K["
COLOUR = "\x1b[32m"  # green: "would convert"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for n in range(3):
        (tmp_path / f"unknown{n}.py").write_text(UNKNOWN)
    (tmp_path / "converts.py").write_text(CONVERTS)
    return tmp_path


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What `seq2func ARGS` writes to stderr when stderr is a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "seq2func", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "TERM": "xterm", **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the other side closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_a_terminal_gets_a_bar_and_colours(tree: Path) -> None:
    """Should redraw one bottom line with the files done of the total, and colour the verbs."""
    shown = on_a_terminal(["convert", "--check", "-j", "1", str(tree)], {})
    assert BAR in shown and "] 4/4 files" in shown and COLOUR in shown
    assert "\r\n      3  input-shape-unknown: pass --input-shape" in shown  # the bar cleared first


def test_no_color_keeps_the_bar_without_colours(tree: Path) -> None:
    shown = on_a_terminal(["convert", "--check", "-j", "1", str(tree)], {"NO_COLOR": "1"})
    assert BAR in shown and "\x1b[3" not in shown


def test_a_pipe_gets_neither(tree: Path) -> None:
    """Should print plain lines when stderr is not a terminal (a CI log, a pipe, a file)."""
    done = subprocess.run(
        [sys.executable, "-m", "seq2func", "convert", "--check", "-j", "1", str(tree)],
        capture_output=True,
        text=True,
        env={**os.environ, "TERM": "xterm"},
        timeout=60,
    )
    assert done.returncode == 1 and "would convert m" in done.stderr
    assert "\r" not in done.stderr and "\x1b" not in done.stderr


def test_quiet_and_machine_formats_get_no_bar(tree: Path) -> None:
    for args in (["-q"], ["--output-format", "json"]):
        assert BAR not in on_a_terminal(["convert", "--check", *args, str(tree)], {})


def test_a_trees_skips_are_counted_by_reason(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should count a tree's models left as they are by reason, and list each with -v."""
    assert main(["convert", "--check", "-j", "1", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "left as is" not in err and "3 left as they are (by reason below)" in err
    assert (
        "Left as they are, by reason (-v lists each):\n      3  input-shape-unknown: pass --input-shape"
        in err
    )
    assert main(["convert", "--check", "-v", "-j", "1", str(tree)]) == 1
    err = capsys.readouterr().err
    assert err.count("left as is [input-shape-unknown]") == 3 and "by reason" not in err
    assert main(["convert", "--check", str(tree / "unknown0.py")]) == 0  # one file: its skip listed
    assert "left as is [input-shape-unknown]" in capsys.readouterr().err
