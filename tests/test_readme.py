"""The README's walkthrough, run as a newcomer runs it: every `$` command of its console
blocks, top to bottom, on a copy of the samples, with `seq2func` on PATH; what each prints
must hold the lines the README shows (`…` and `...` stand for what it leaves out)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def console_steps(text: str) -> list[tuple[int, str, list[str]]]:
    """(line in the README, command, the lines shown after it) for each `$ ` command."""
    steps: list[tuple[int, str, list[str]]] = []
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            inside = line.strip() == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            steps.append((number, line[2:], []))
        elif steps and line.strip():
            steps[-1][2].append(line)
    return steps


def shown_in(expected: list[str], printed: str) -> str | None:
    """Why the printed text does not hold the expected lines in order (each `…` a gap), if not."""
    lines = printed.splitlines()
    at = 0
    for want in expected:
        if want.strip() in ("…", "...", "  …"):
            continue
        pattern = re.compile(
            "^" + ".*".join(re.escape(part) for part in re.split(r"…|\.\.\.(?!\))", want)) + "$"
        )
        # a diff's context line may carry trailing blanks the README drops
        found = next((i for i in range(at, len(lines)) if pattern.match(lines[i].rstrip())), None)
        if found is None:
            return f"missing, in order: {want!r}"
        at = found + 1
    return None


def test_the_walkthrough_parses() -> None:
    """Should find the walkthrough's commands (a change of the README's format must not
    leave the next test checking nothing)."""
    steps = console_steps(README.read_text())
    assert len(steps) >= 7 and all(command.startswith(("seq2func", "cp ")) for _, command, _ in steps)


@pytest.mark.parametrize(
    ("expected", "printed", "why"),
    [
        (["a", "…", "c"], "a\nb\nc\n", None),
        (["c", "a"], "a\nb\nc\n", "missing, in order: 'a'"),
        (["x: … (y)"], "x: long text (y)\n", None),
        (["z"], "a\n", "missing, in order: 'z'"),
    ],
)
def test_the_matcher(expected: list[str], printed: str, why: str | None) -> None:
    assert shown_in(expected, printed) == why


@pytest.mark.tensorflow
def test_every_walkthrough_command_prints_what_the_readme_shows(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NO_COLOR", None)
    for number, command, expected in console_steps(README.read_text()):
        done = subprocess.run(
            command,
            shell=True,
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
        )
        why = shown_in(expected, done.stdout)
        assert why is None, f"README.md:{number}: {command}\n{why}\nit printed:\n{done.stdout}"
    assert (ROOT / "samples" / "seed_wrong_rewrite.py").read_text() == (
        tmp_path / "samples" / "seed_wrong_rewrite.py"
    ).read_text()  # the walkthrough left the samples it works on as they were
