"""Files: walking trees the way black does, and writing back safely."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
        ".ipynb_checkpoints",
    }
)


def _gitignore(directory: Path) -> Any:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:  # none, or unreadable: the walk reports an unreadable directory itself
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _is_venv(directory: Path) -> bool:
    try:
        return (directory / "pyvenv.cfg").exists()
    except OSError:  # unreadable: the walk reports it when it tries to list it
        return False


def iter_python_files(
    root: Path, exclude: frozenset[str] = frozenset(), errors: list[tuple[Path, OSError, bool]] | None = None
) -> Iterator[Path]:
    """Python files below `root`, skipping VCS, virtualenvs, build output and .gitignore'd paths.
    Directories that cannot be read go to `errors` (when given) instead of passing silently."""
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
        except OSError as error:
            if errors is not None:
                errors.append((directory, error, True))
            entries = []
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if entry.name in SKIP_DIRS or entry.name in exclude or _is_venv(path):
                    continue
                if not ignored(path, True):
                    yield from walk(path)
            elif entry.name.endswith((".py", ".ipynb")) and not ignored(path, False):
                try:
                    regular = entry.is_file()  # follows symlinks; a FIFO or device is not
                except OSError as error:  # a symlink loop
                    if errors is not None:
                        errors.append((path, error, False))
                    continue
                if regular:
                    yield path
        if spec is not None:
            specs.pop()

    yield from walk(root)


class ChangedMeanwhile(OSError):
    """The file on disk is no longer the text that was converted."""


def write_back(path: Path, original: bytes, new: bytes, *, read_only_too: bool = False) -> None:
    """Replace the file's `original` bytes with `new`, or raise OSError and change nothing.

    Refuses read-only files and files changed since they were read; writes through
    symlinks to their targets; keeps mode, owner and hard links."""
    target = Path(os.path.realpath(path))
    info = target.stat()
    if not stat.S_IMODE(info.st_mode) & 0o222 and not read_only_too:
        raise OSError("the file is read-only (--write-read-only writes it, keeping its mode)")
    with target.open("rb") as f:
        if f.read() != original:
            raise ChangedMeanwhile("the file changed while seq2func ran; run it again")
    if info.st_nlink > 1:  # a rename would split the links: rewrite the one inode
        with target.open("r+b") as f:
            f.write(new)
            f.truncate()
        return
    write_atomic(target, new, info)


def write_atomic(path: Path, data: bytes, info: os.stat_result | None = None) -> None:
    """Replace `path` with `data` in one rename, keeping the file's mode and owner."""
    info = info or path.stat()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".s2f")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(tmp, info.st_uid, info.st_gid)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
