"""Bad input and unkind file systems: every outcome is converted, unchanged, or a clean
`path: reason` with exit 123, and nothing is ever half written."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from textwrap import dedent

import pytest

from seq2func.cli import main
from seq2func.core.files import ChangedMeanwhile, write_back

MODEL = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    """
)
CONVERTED = (
    "import keras\ninputs = keras.Input(shape=(2,))\nx = keras.layers.Dense(1)(inputs)\n"
    "m = keras.Model(inputs=inputs, outputs=x)\n"
)
SEQ = dedent(
    """\
    import keras
    m = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    """
)

NAMED_INPUTS = [
    pytest.param(
        b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + MODEL.encode(), 0, "convert m", id="latin-1-cookie"
    ),
    pytest.param(b"# caf\xe9\n" + MODEL.encode(), 123, "cannot decode", id="undecodable"),
    pytest.param("# café\n".encode("utf-16") + MODEL.encode("utf-16")[2:], 123, "", id="utf-16-bom"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 123, "binary", id="binary"),
    pytest.param(MODEL.encode() + b"x = 1\x00\n", 123, "binary", id="nul-byte"),
    pytest.param(b"", 0, "", id="empty"),
    pytest.param(MODEL.encode() + b"y = " + b" + ".join([b"a"] * 900) + b"\n", 0, "convert m", id="long-sum"),
    pytest.param(
        MODEL.encode() + b"y = " + b"f(" * 150 + b")" * 150 + b"\n", 0, "convert m", id="nested-calls"
    ),
    pytest.param(
        MODEL.encode() + b"y = " + b"(" * 250 + b"1" + b")" * 250 + b"\n",
        123,
        "cannot parse",
        id="too-nested",
    ),
    pytest.param(MODEL.encode() + b"s = '" + b"x" * 200_000 + b"'\n", 0, "convert m", id="long-line"),
    pytest.param(b"def f(:\n", 123, "cannot parse", id="syntax-error"),
    pytest.param(MODEL.encode() + b"return m\n", 123, "'return' outside function", id="return-outside"),
    pytest.param(
        MODEL.encode() + b"nonlocal q\n", 123, "nonlocal declaration not allowed", id="nonlocal-module"
    ),
    # CPython refuses what IPython runs in a notebook
    pytest.param(MODEL.encode() + b"await m\n", 123, "'await' outside function", id="await-outside"),
    pytest.param(
        b"import asyncio\nawait asyncio.sleep(0)\n", 123, "'await' outside function", id="await-no-keras"
    ),
    pytest.param(
        MODEL.encode() + b"async with m:\n    pass\n",
        123,
        "'async' outside function",
        id="async-with-outside",
    ),
    pytest.param(
        MODEL.encode() + b"async def f():\n    await m\n", 0, "convert m", id="await-in-a-coroutine"
    ),
    pytest.param(
        b"import keras\nif True:\n\tm = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])\n",
        0,
        "convert m",
        id="tab-indented",
    ),
]


@pytest.mark.parametrize(("data", "code", "message"), NAMED_INPUTS)
def test_named_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, code: int, message: str
) -> None:
    """Should convert, leave, or refuse with path:line:col and exit 123 — never crash or echo junk."""
    path = tmp_path / "model.py"
    path.write_bytes(data)
    assert main(["convert", "--check", str(path)]) == (1 if code == 0 and b"Sequential" in data else code)
    err = capsys.readouterr().err
    assert message in err
    if code == 123:
        assert f"error: {path}:" in err
    assert path.read_bytes() == data


def test_large_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should refuse a 50 MB file at once with the reason, and read a large file with no model cheaply."""
    huge = tmp_path / "huge.py"
    huge.write_bytes(MODEL.encode() + b"x = 1\n" * 8_500_000)  # 51 MB
    assert main(["convert", "--check", str(huge)]) == 123
    assert "is more than the 20 MB a file may have" in capsys.readouterr().err
    plain = tmp_path / "plain.py"
    plain.write_bytes(b"x = 1\n" * 1_000_000)  # 6 MB, no Keras: decoded and syntax-checked only
    assert main(["convert", "--check", str(plain)]) == 0


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should report a missing file and exit 123."""
    assert main(["convert", "--check", str(tmp_path / "nope.py")]) == 123
    assert "cannot read" in capsys.readouterr().err


def test_fifo_named_and_in_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should refuse a FIFO named on the command line and pass one in a tree by, without hanging."""
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    (tmp_path / "model.py").write_text(MODEL)
    assert main(["convert", "--check", str(fifo)]) == 123
    assert "not a regular file" in capsys.readouterr().err
    assert main(["convert", "--check", str(tmp_path)]) == 1


def test_symlink_loop_in_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should report a symlink loop named like a Python file, and convert the rest."""
    (tmp_path / "loop.py").symlink_to(tmp_path / "loop.py")
    (tmp_path / "model.py").write_text(MODEL)
    assert main(["convert", "-i", str(tmp_path)]) == 123
    assert "loop.py:1:1: cannot read: Too many levels of symbolic links" in capsys.readouterr().err
    assert (tmp_path / "model.py").read_text() == CONVERTED


def test_read_only_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should not rewrite a read-only file, even as root."""
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    path.chmod(0o444)
    assert main(["convert", "-i", str(path)]) == 123
    assert "read-only" in capsys.readouterr().err
    assert path.read_text() == MODEL
    assert main(["convert", "-i", "--write-read-only", str(path)]) == 0
    assert path.read_text() == CONVERTED and stat.S_IMODE(path.stat().st_mode) == 0o444


def test_symlink_written_through(tmp_path: Path) -> None:
    """Should convert the target of a symlink and keep the link a link."""
    target = tmp_path / "real.py"
    target.write_text(MODEL)
    link = tmp_path / "link.py"
    link.symlink_to(target)
    assert main(["convert", "-i", str(link)]) == 0
    assert link.is_symlink() and target.read_text() == CONVERTED


def test_hard_links_kept(tmp_path: Path) -> None:
    """Should rewrite the one inode, so every hard link sees the conversion."""
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(MODEL)
    os.link(first, second)
    assert main(["convert", "-i", str(first)]) == 0
    assert second.read_text() == CONVERTED and first.stat().st_ino == second.stat().st_ino


def test_changed_meanwhile_is_not_clobbered(tmp_path: Path) -> None:
    """Should refuse to write over a file that changed after it was read."""
    path = tmp_path / "model.py"
    path.write_text(MODEL + "# edited meanwhile\n")
    with pytest.raises(ChangedMeanwhile):
        write_back(path, MODEL.encode(), CONVERTED.encode())
    assert path.read_text().endswith("# edited meanwhile\n")


def test_deleted_meanwhile_is_not_recreated(tmp_path: Path) -> None:
    """Should not bring back a file deleted after it was read."""
    path = tmp_path / "model.py"
    with pytest.raises(OSError):
        write_back(path, MODEL.encode(), CONVERTED.encode())
    assert not path.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_owner_kept(tmp_path: Path) -> None:
    """Should keep the file's owner and group when root rewrites it."""
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    os.chown(path, 65534, 65534)
    assert main(["convert", "-i", str(path)]) == 0
    info = path.stat()
    assert (info.st_uid, info.st_gid) == (65534, 65534) and path.read_text() == CONVERTED


def test_output_into_missing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should report -o into a directory that does not exist, with exit 123."""
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    assert main(["convert", str(path), "-o", str(tmp_path / "no" / "out.py")]) == 123
    assert "cannot write" in capsys.readouterr().err


def test_output_onto_input(tmp_path: Path) -> None:
    """Should treat -o onto the input file as an in-place rewrite."""
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    assert main(["convert", str(path), "-o", str(path)]) == 0
    assert path.read_text() == CONVERTED


def test_one_bad_file_does_not_stop_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Should convert the good files, report the bad one, and exit 123 at the end."""
    (tmp_path / "a.py").write_text(MODEL)
    (tmp_path / "b.py").write_bytes(b"import keras\nm = keras.Sequential(\n")
    (tmp_path / "c.py").write_text(MODEL)
    assert main(["convert", "-i", str(tmp_path)]) == 123
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'b.py'}:" in err and "2 files written" in err
    assert (tmp_path / "a.py").read_text() == CONVERTED == (tmp_path / "c.py").read_text()


def _as_unprivileged() -> list[str]:
    """A command prefix that runs without the power to read what permissions forbid: another
    user when not root is not needed; as root, root without CAP_DAC_OVERRIDE/READ_SEARCH."""
    if os.geteuid() != 0:
        return []
    if not Path("/usr/bin/setpriv").exists():
        pytest.skip("setpriv (util-linux) is needed to drop root's file capabilities")
    caps = "-dac_override,-dac_read_search"
    return ["/usr/bin/setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]


def test_unreadable_directory(tmp_path: Path) -> None:
    """Should report a directory it may not read (without the permission), and go on."""
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "model.py").write_text(MODEL)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "model.py").write_text(MODEL)
    (tmp_path / "secret").chmod(0)
    try:
        run = subprocess.run(
            [*_as_unprivileged(), sys.executable, "-m", "seq2func", "convert", "--check", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        (tmp_path / "secret").chmod(0o755)
    assert run.returncode == 123, run.stderr
    assert f"{tmp_path / 'secret'}:1:1: cannot read the directory: Permission denied" in run.stderr
    assert "would convert" in run.stderr


def _tree(root: Path, files: int) -> list[Path]:
    paths = []
    for i in range(files):
        path = root / f"pkg{i % 20}" / f"m{i}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"# file {i}\n" + MODEL)
        paths.append(path)
    return paths


def _each_whole(paths: list[Path]) -> tuple[int, int]:
    """(original, converted): every file must be one of the two, whole."""
    original = converted = 0
    for i, path in enumerate(paths):
        text = path.read_text()
        if text == f"# file {i}\n" + MODEL:
            original += 1
        else:
            assert text == f"# file {i}\n" + CONVERTED, path
            converted += 1
    return original, converted


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_parallel_run_leaves_whole_files(tmp_path: Path, signum: int) -> None:
    """Should leave each of 2,000 files either as it was or fully converted, no temp files, no workers."""
    paths = _tree(tmp_path, 2000)
    process = subprocess.Popen(
        [sys.executable, "-m", "seq2func", "convert", "-i", "-j", "2", str(tmp_path)],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(3.0)
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    assert process.returncode in (0, 130, -signum), err
    original, converted = _each_whole(paths)
    assert original + converted == 2000
    assert not list(tmp_path.rglob("*.s2f"))
    leftover = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "worker processes outlived the run"
    if converted and process.returncode == 130:
        assert "written" in err


def test_two_runs_at_once(tmp_path: Path) -> None:
    """Should end with every file converted once, whole, when two -i runs race over one tree."""
    paths = _tree(tmp_path, 300)
    command = [sys.executable, "-m", "seq2func", "convert", "-i", "-q", str(tmp_path)]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    codes = [run.wait(timeout=300) for run in runs]
    assert set(codes) <= {0, 123}, [run.stderr.read() for run in runs if run.stderr]
    assert _each_whole(paths) == (0, 300)


# -- faults while writing: every write path leaves the old bytes or the new ones ----------------


def in_place(tmp: Path) -> tuple[list[str], Path, bytes]:
    path = tmp / "model.py"
    path.write_text(MODEL)
    return ["convert", "-i", str(path)], path, MODEL.encode()


def hard_linked(tmp: Path) -> tuple[list[str], Path, bytes]:
    args, path, before = in_place(tmp)
    os.link(path, tmp / "link.py")
    return args, path, before


def output_new(tmp: Path) -> tuple[list[str], Path, bytes]:
    (tmp / "model.py").write_text(MODEL)
    return ["convert", str(tmp / "model.py"), "-o", str(tmp / "out.py")], tmp / "out.py", b""


def output_over(tmp: Path) -> tuple[list[str], Path, bytes]:
    args, out, _ = output_new(tmp)
    out.write_bytes(b"# an older output\n")
    return args, out, b"# an older output\n"


def check_fix(tmp: Path) -> tuple[list[str], Path, bytes]:
    path = tmp / "towers.py"
    source = (Path(__file__).parent.parent / "samples" / "seed_wrong_rewrite.py").read_bytes()
    path.write_bytes(source)
    return ["check", "--fix", str(path)], path, source


WRITE_PATHS = [in_place, hard_linked, output_new, output_over, check_fix]


def failing(real, errno_: int, at: int):
    """`real` (os.pwrite or os.fsync), failing with `errno_` at its `at`-th call; a failing
    pwrite first writes half of what it was given, as a filling disk does."""
    calls = [0]

    def fake(fd, *args):
        calls[0] += 1
        if calls[0] != at:
            return real(fd, *args)
        if args and len(args[0]) > 1:
            real(fd, args[0][: len(args[0]) // 2], *args[1:])
        raise OSError(errno_, os.strerror(errno_))

    return fake


FAULTS = {
    "full disk in the copy": ("pwrite", errno.ENOSPC, 1),
    "full disk in place": ("pwrite", errno.ENOSPC, 2),
    "quota at flush": ("fsync", errno.EDQUOT, 1),
    "quota at flush in place": ("fsync", errno.EDQUOT, 2),
}


@pytest.mark.parametrize("fault", [*FAULTS, "read-only directory", "vanished directory"])
@pytest.mark.parametrize("write_path", WRITE_PATHS, ids=lambda f: f.__name__)
def test_a_write_that_fails_loses_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    write_path,
    fault: str,
) -> None:
    """Should leave the file's old bytes or the new ones, never others, and no temporary
    file, when a write fails at any step; the old ones with exit 123 and a reason."""
    import seq2func.core.files as files

    clean = tmp_path / "clean"
    clean.mkdir()
    args, path, _ = write_path(clean)
    assert main(args) in (0, 1)  # check --fix exits 1: it found what it fixed
    after = path.read_bytes()
    tmp_path = tmp_path / "faulty"
    tmp_path.mkdir()
    args, path, before = write_path(tmp_path)
    if fault in FAULTS:
        name, errno_, at = FAULTS[fault]
        monkeypatch.setattr(files.os, name, failing(getattr(os, name), errno_, at))
    elif fault == "read-only directory":  # root ignores mode bits: the file system says no

        def refuse(*args, **kwargs):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    else:
        real = files.tempfile.mkstemp

        def vanish(*args, **kwargs):
            shutil.rmtree(tmp_path)
            return real(*args, **kwargs)

        monkeypatch.setattr(files.tempfile, "mkstemp", vanish)
    code = main(args)
    monkeypatch.undo()
    err = capsys.readouterr().err
    now = path.read_bytes() if path.exists() else b""
    if code != 123:  # the fault hit no step of this path
        assert now == after, err
        return
    assert "not written" in err or "cannot write" in err, err
    if fault == "vanished directory":
        assert not tmp_path.exists()  # nothing was made again
        return
    assert now == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left"
    if write_path is hard_linked:
        assert (tmp_path / "link.py").read_bytes() == before


def test_a_failed_in_place_write_is_undone_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should put the original bytes back when the in-place write of a hard-linked file fails
    after it began (the disk filled after the copy proved there was room)."""
    import seq2func.core.files as files

    _, path, before = hard_linked(tmp_path)
    new = CONVERTED.encode() * 50
    monkeypatch.setattr(files.os, "pwrite", failing(os.pwrite, errno.ENOSPC, 2))
    with pytest.raises(OSError, match="No space"):
        write_back(path, before, new)
    monkeypatch.undo()
    assert path.read_bytes() == before == (tmp_path / "link.py").read_bytes()


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real 64 KiB file system, filled up (root only: it is mounted)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)]).returncode
    ):
        pytest.skip("mounting a small file system needs root")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.parametrize("write_path", WRITE_PATHS, ids=lambda f: f.__name__)
def test_a_full_disk_loses_nothing(tiny_disk: Path, capsys: pytest.CaptureFixture[str], write_path) -> None:
    """Should leave every file whole on a real file system with no room left."""
    args, path, before = write_path(tiny_disk)
    with contextlib.suppress(OSError), open(tiny_disk / "filler", "wb", buffering=0) as filler:
        while True:  # to the last byte
            filler.write(b"\0" * 512)
    code = main(args)
    err = capsys.readouterr().err
    assert code == 123 and "No space left on device" in err, err
    assert (path.read_bytes() if path.exists() else b"") == before
    assert not [p.name for p in tiny_disk.iterdir() if p.name.startswith(".")]


def test_named_paths_that_cannot_be_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Should report a symlink loop, or a file that may not be looked at (an unreadable
    directory, an unreadable file), as `path:1:1: cannot read: ...` with exit 123."""
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    assert main(["convert", str(tmp_path / "a.py")]) == 123
    assert (
        f"{tmp_path / 'a.py'}:1:1: cannot read: Too many levels of symbolic links" in capsys.readouterr().err
    )
    hidden = tmp_path / "locked" / "model.py"
    hidden.parent.mkdir()
    hidden.write_text(MODEL)
    real_stat = os.stat

    def refuse(path, *args, **kwargs):  # root reads everything: the file system says no here
        if str(path).startswith(str(hidden.parent)):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", refuse)
    for args in (["convert", str(hidden)], ["check", str(hidden)], ["convert", "--diff", str(hidden.parent)]):
        assert main(args) == 123, args
        assert ":1:1: cannot read" in capsys.readouterr().err
