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
    import pathspec  # only to walk a folder: a named file needs no .gitignore

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


def is_directory(raw: str) -> bool:
    """Whether `raw` names a directory; False where it cannot be looked at (reading it then
    says why, with the path)."""
    try:
        return Path(raw).is_dir()
    except OSError:
        return False


class ChangedMeanwhile(OSError):
    """The file on disk is no longer the text that was converted."""


def write_back(path: Path, original: bytes, new: bytes, *, read_only_too: bool = False) -> None:
    """Replace the file's `original` bytes with `new`, or raise OSError and leave `original`.

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
        rewrite_in_place(target, original, new)
        return
    write_atomic(target, new, info)


def rewrite_in_place(path: Path, original: bytes, new: bytes) -> None:
    """Overwrite the file's one inode so that it holds `new`, or, when any step fails,
    `original` again (put back from memory) before the error is raised."""
    # a whole copy first: a full disk or a quota fails here, before the file is touched
    write_atomic(path, new, keep=False)
    fd = os.open(path, os.O_RDWR)
    try:
        try:
            if len(new) > len(original) and hasattr(os, "posix_fallocate"):
                with contextlib.suppress(OSError):  # not every file system can; the write then says
                    os.posix_fallocate(fd, 0, len(new))
            _put(fd, new)
        except BaseException as error:
            try:
                _put(fd, original)  # into blocks the file already holds
            except OSError as again:
                raise OSError(
                    f"{error}; putting the original bytes back failed too ({again}): check the file"
                ) from error
            raise
    finally:
        os.close(fd)


def _put(fd: int, data: bytes) -> None:
    """The file behind `fd` holds exactly `data`, on disk."""
    view, done = memoryview(data), 0
    while done < len(data):
        done += os.pwrite(fd, view[done:], done)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


def write_atomic(path: Path, data: bytes, info: os.stat_result | None = None, *, keep: bool = True) -> None:
    """Replace (or create) `path` with `data` in one rename, keeping the file's mode and
    owner (`info`, or the file's own); the data is on disk before the rename. With
    keep=False the copy is only written, to show there is room for it, and removed."""
    if info is None and keep:
        with contextlib.suppress(FileNotFoundError):
            info = path.stat()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".s2f")
    try:
        try:
            _put(fd, data)
        finally:
            os.close(fd)
        if not keep:
            return
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
            if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(PermissionError):  # only root may give a file away
                    os.chown(tmp, info.st_uid, info.st_gid)
        else:  # a new file: the mode a plain open() would give it
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
