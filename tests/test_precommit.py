"""The hooks in .pre-commit-hooks.yaml, run by pre-commit itself (`pre-commit run`, what the
git hook runs) from a repository of this working tree, on a repository with staged files,
the way a commit runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This working tree as a repository of its own, committed (what `pre-commit try-repo`
    does with uncommitted changes; try-repo also installs the hooks anew on every run, where
    `pre-commit run` installs them once for the module): its path and commit."""
    repo = tmp_path_factory.mktemp("hooks") / "seq2func"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "working tree"], cwd=repo, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True)
    return repo, head.stdout.strip()


@pytest.fixture
def run_hook(project: Path, hooks: tuple[Path, str]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run one hook on staged files of `project`, as `git commit` would."""
    repo, rev = hooks

    def run(hook: str, *files: str, verbose: bool = False) -> subprocess.CompletedProcess[str]:
        config = project.parent / f"{hook}.yaml"
        config.write_text(json.dumps({"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": hook}]}]}))
        env = {
            **os.environ,
            "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),  # the hooks installed once
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        command = [sys.executable, "-m", "pre_commit", "run", hook, "-c", str(config), "--files", *files]
        command += ["--verbose"] if verbose else []  # pre-commit shows a passing hook's output only so
        return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)

    return run


def test_check_hook_blocks_duplicated_layers(project: Path, run_hook) -> None:
    failed = run_hook("seq2func-check", "wrong.py", "plain.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "wrong.py:9:1: S2F101 create_base_network() creates 8 layers on every call" in failed.stdout
    passed = run_hook("seq2func-check", "converted.py", "plain.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_convert_hook_blocks_a_convertible_sequential_without_writing(project: Path, run_hook) -> None:
    before = (project / "mlp.py").read_bytes()
    failed = run_hook("seq2func-convert", "mlp.py", "plain.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "mlp.py:8:13: would convert model" in failed.stdout
    assert "To convert them: seq2func convert -i mlp.py plain.py" in failed.stdout  # the one command
    assert (project / "mlp.py").read_bytes() == before  # --check: the commit is blocked, nothing rewritten
    passed = run_hook("seq2func-convert", "converted.py", "plain.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_convert_fix_hook_converts_and_stops_the_commit_like_black(project: Path, run_hook) -> None:
    """The fixing hook rewrites the file and fails with pre-commit's own words; run again on
    the result, it passes."""
    shutil.copy(SAMPLES / "mlp_factory.py", project / "to_fix.py")
    subprocess.run(["git", "add", "to_fix.py"], cwd=project, check=True)
    failed = run_hook("seq2func-convert-fix", "to_fix.py", "plain.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "files were modified by this hook" in failed.stdout
    assert "Model(inputs=inputs, outputs=x" in (project / "to_fix.py").read_text()
    subprocess.run(["git", "add", "to_fix.py"], cwd=project, check=True)
    passed = run_hook("seq2func-convert-fix", "to_fix.py", "plain.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_notebook_cell_that_is_not_python_never_blocks_a_commit(project: Path, run_hook) -> None:
    """Both hooks read the other cells, say which cell they could not read, and pass."""
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
        passed = run_hook(hook, "odd.ipynb", verbose=True)
        assert passed.returncode == 0, hook + passed.stdout + passed.stderr
        said = "not checked" if hook == "seq2func-check" else "left as is"
        assert f"odd.ipynb:cell[1]:1:12: {said} [cell-syntax]" in passed.stdout, passed.stdout
