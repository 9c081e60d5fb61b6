"""Benchmark verification (run by hand: .venv/bin/python bench/bench_verify.py).

Compares `seq2func verify` and `seq2func convert --verify` on the seed sample with
`python -c "import keras"` plus building the original model once, in time and in peak memory
(max RSS of the child processes); and proving the samples one file at a time against proving
them as one tree (one child serving every file).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "samples" / "seed_sequential.py"
BIN = Path(sys.executable).parent


def measure(command: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a command run in a fresh process tree."""
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, *command], capture_output=True, text=True, check=True)
    seconds, megabytes = out.stdout.split()
    return float(seconds), float(megabytes)


def main() -> None:
    runs = 3
    with tempfile.TemporaryDirectory() as tmp:
        converted = Path(tmp, "seed_functional.py")
        converted.write_text(
            subprocess.run(
                [str(BIN / "seq2func"), "convert", str(SEED)], capture_output=True, text=True, check=True
            ).stdout
        )
        build_once = (
            "import runpy, os; os.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'; import keras; "
            f"runpy.run_path({str(SEED)!r}, run_name='bench')"
        )
        tree = Path(tmp, "tree")
        samples = sorted(p for p in (ROOT / "samples").glob("*.py") if p.name != "seed_wrong_rewrite.py")
        for k, sample in enumerate(samples):
            (tree / str(k)).mkdir(parents=True)
            (tree / str(k) / sample.name).write_bytes(sample.read_bytes())
        if (ROOT / "samples" / "data").exists():
            for k in range(len(samples)):
                subprocess.run(["cp", "-r", str(ROOT / "samples" / "data"), str(tree / str(k))], check=True)
        base = [measure([sys.executable, "-c", "import keras"]) for _ in range(runs)]
        build = [measure([sys.executable, "-c", build_once]) for _ in range(runs)]
        ours = [measure([str(BIN / "seq2func"), "verify", str(SEED), str(converted)]) for _ in range(runs)]
        proof = [
            measure([str(BIN / "seq2func"), "convert", "--verify", "--check", str(SEED)]) for _ in range(runs)
        ]
        one = [
            measure(
                [
                    str(BIN / "seq2func"),
                    "convert",
                    "--verify",
                    "--check",
                    str(next((tree / str(k)).glob("*.py"))),
                ]
            )
            for k in range(len(samples))
        ]
        whole_tree = measure([str(BIN / "seq2func"), "convert", "--verify", "--check", str(tree)])
    t_base = sorted(b[0] for b in base)[runs // 2]
    t_build, m_build = sorted(b[0] for b in build)[runs // 2], sorted(b[1] for b in build)[runs // 2]
    t_ours, m_ours = sorted(o[0] for o in ours)[runs // 2], sorted(o[1] for o in ours)[runs // 2]
    t_proof, m_proof = sorted(o[0] for o in proof)[runs // 2], sorted(o[1] for o in proof)[runs // 2]
    alone = sum(t for t, _ in one)
    print(f"python -c 'import keras'                       {t_base:6.2f} s")
    print(f"import keras + build the original              {t_build:6.2f} s  peak {m_build:6.0f} MB")
    print(f"seq2func verify (seed, two files by name)      {t_ours:6.2f} s  peak {m_ours:6.0f} MB")
    print(f"seq2func convert --verify (seed, per conversion) {t_proof:4.2f} s  peak {m_proof:6.0f} MB")
    print(
        f"per conversion: {t_proof / t_build:.2f}x of import+build (target <= 1.5x); "
        f"memory {m_proof / m_build:.2f}x of building the original alone"
    )
    print(
        f"{len(samples)} sample files: one at a time {alone:.1f} s; as one tree {whole_tree[0]:.1f} s "
        f"({whole_tree[0] / len(samples):.2f} s a file, one child serving them; peak {whole_tree[1]:.0f} MB)"
    )


if __name__ == "__main__":
    main()
