"""Files: walking trees the way black does, project config, atomic writes."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # black brings tomli on 3.10
    import tomli as tomllib

# Directory names never worth walking into.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".eggs",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "build",
        "dist",
        "site-packages",
        "node_modules",
        "_build",
    }
)


def find_project_root(paths: list[Path]) -> Path | None:
    """The nearest directory above all paths holding pyproject.toml, .git or .hg."""
    if not paths:
        paths = [Path.cwd()]
    resolved = [p.resolve() for p in paths]
    common = Path(os.path.commonpath([str(p) for p in resolved]))
    for directory in (common, *common.parents):
        if any((directory / marker).exists() for marker in ("pyproject.toml", ".git", ".hg")):
            return directory
    return None


@lru_cache(maxsize=32)
def _read_pyproject(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def load_config(root: Path | None) -> dict[str, Any]:
    """[tool.seq2func] with dashes turned to underscores; line length falls back to [tool.black]."""
    if root is None or not (root / "pyproject.toml").is_file():
        return {}
    tool = _read_pyproject(root / "pyproject.toml").get("tool", {})
    config = {key.replace("-", "_"): value for key, value in tool.get("seq2func", {}).items()}
    black_length = tool.get("black", {}).get("line-length")
    if "line_length" not in config and isinstance(black_length, int):
        config["line_length"] = black_length
    return config


def _gitignore(directory: Path) -> Any:
    ignore = directory / ".gitignore"
    if not ignore.is_file():
        return None
    import pathspec

    try:
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def iter_python_files(root: Path, exclude: frozenset[str] = frozenset()) -> Iterator[Path]:
    """Python files below `root`, skipping VCS, virtualenvs, build output and .gitignore'd paths."""
    specs: list[tuple[Path, Any]] = []

    def ignored(path: Path, is_dir: bool) -> bool:
        for base, spec in specs:
            rel = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False

    def walk(directory: Path) -> Iterator[Path]:
        spec = _gitignore(directory)
        if spec is not None:
            specs.append((directory, spec))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIP_DIRS or entry.name in exclude or (path / "pyvenv.cfg").exists():
                    continue
                if not ignored(path, True):
                    yield from walk(path)
            elif entry.name.endswith(".py") and entry.is_file() and not ignored(path, False):
                yield path
        if spec is not None:
            specs.pop()

    yield from walk(root)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename, keeping the file's mode."""
    mode = path.stat().st_mode
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".s2f")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
