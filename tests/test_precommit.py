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


def run_hook(project: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"),  # one hook environment per run
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--files", *files]
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
