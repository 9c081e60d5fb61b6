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
    """Why the printed text is not what the README shows, if it is not: the lines shown, one
    after another from the first printed line to the last, except where a `…` line stands for
    lines left out (and a `…` within a line for part of it)."""
    lines = [line.rstrip() for line in printed.splitlines() if line.strip()]  # a diff's context
    at, gap = 0, False  # line may carry trailing blanks the README drops
    for want in expected:
        if want.strip() in ("…", "...", "  …"):
            gap = True
            continue
        pattern = re.compile(
            "^" + ".*".join(re.escape(part) for part in re.split(r"…|\.\.\.(?!\))", want.rstrip())) + "$"
        )
        found = next(
            (i for i in range(at, len(lines) if gap else min(at + 1, len(lines))) if pattern.match(lines[i])),
            None,
        )
        if found is None:
            where = f"after {lines[at - 1]!r}" if at else "first"
            return f"missing, {'in order' if gap else 'next'}: {want!r} ({where}; printed next: {lines[at : at + 1]})"
        at, gap = found + 1, False
    if at < len(lines) and not gap:
        return f"printed but not shown (and no …): {lines[at]!r}"
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
        (["a", "b", "c"], "a\nb\nc\n", None),
        (["a", "c"], "a\nb\nc\n", "missing, next: 'c' (after 'a'; printed next: ['b'])"),
        (["a", "b"], "a\nb\nc\n", "printed but not shown (and no …): 'c'"),
        (["a", "…"], "a\nb\nc\n", None),
        (["x: … (y)"], "x: long text (y)\n", None),
        (["z"], "a\n", "missing, next: 'z' (first; printed next: ['a'])"),
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
