"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself (`pre-commit try-repo`), on a
repository with staged files, the way a commit runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

pytestmark = pytest.mark.skipif(
    not (ROOT / ".git").exists() or shutil.which("git") is None, reason="needs the git checkout and git"
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository with staged files: the seed's wrong rewrite, a model to convert,
    the same model converted, and a file with no Keras at all."""
    root = tmp_path_factory.mktemp("project")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    shutil.copy(SAMPLES / "seed_wrong_rewrite.py", root / "wrong.py")
    shutil.copy(SAMPLES / "mlp_factory.py", root / "mlp.py")
    (root / "plain.py").write_text("x = 1\n")
    from seq2func import convert_file

    (root / "converted.py").write_text(convert_file(SAMPLES / "mlp_factory.py").new_text)
    subprocess.run(["git", "add", "."], cwd=root, check=True)
    return root


def run_hook(
    project: Path, hook: str, *files: str, verbose: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),  # one hook environment per run
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--files", *files]
    command += ["--verbose"] if verbose else []  # pre-commit shows a passing hook's output only so
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)


def test_check_hook_blocks_duplicated_layers(project: Path) -> None:
    failed = run_hook(project, "seq2func-check", "wrong.py", "plain.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "wrong.py:9:1: S2F101 create_base_network() creates 8 layers on every call" in failed.stdout
    passed = run_hook(project, "seq2func-check", "converted.py", "plain.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_convert_hook_blocks_a_convertible_sequential_without_writing(project: Path) -> None:
    before = (project / "mlp.py").read_bytes()
    failed = run_hook(project, "seq2func-convert", "mlp.py", "plain.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "mlp.py:8:13: would convert model" in failed.stdout
    assert (project / "mlp.py").read_bytes() == before  # --check: the commit is blocked, nothing rewritten
    passed = run_hook(project, "seq2func-convert", "converted.py", "plain.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_convert_fix_hook_converts_and_stops_the_commit_like_black(project: Path) -> None:
    """The fixing hook rewrites the file and fails with pre-commit's own words; run again on
    the result, it passes."""
    shutil.copy(SAMPLES / "mlp_factory.py", project / "to_fix.py")
    subprocess.run(["git", "add", "to_fix.py"], cwd=project, check=True)
    failed = run_hook(project, "seq2func-convert-fix", "to_fix.py", "plain.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "files were modified by this hook" in failed.stdout
    assert "Model(inputs=inputs, outputs=x" in (project / "to_fix.py").read_text()
    subprocess.run(["git", "add", "to_fix.py"], cwd=project, check=True)
    passed = run_hook(project, "seq2func-convert-fix", "to_fix.py", "plain.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_notebook_cell_that_is_not_python_never_blocks_a_commit(project: Path) -> None:
    """Both hooks read the other cells, say which cell they could not read, and pass."""
    import json

    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "a",
            "metadata": {},
            "outputs": [],
            "source": ["def broken(:\n", "    pass\n"],
        },
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "b",
            "metadata": {},
            "outputs": [],
            "source": [
                "import keras\n",
                "m = keras.Model(keras.Input((3,)), keras.Input((3,)))  # Sequential-free\n",
            ],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (project / "odd.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
    subprocess.run(["git", "add", "odd.ipynb"], cwd=project, check=True)
    for hook in ("seq2func-check", "seq2func-convert"):
        passed = run_hook(project, hook, "odd.ipynb", verbose=True)
        assert passed.returncode == 0, hook + passed.stdout + passed.stderr
        said = "not checked" if hook == "seq2func-check" else "left as is"
        assert f"odd.ipynb:cell[1]:1:12: {said} [cell-syntax]" in passed.stdout, passed.stdout
