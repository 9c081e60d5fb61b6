"""How many Sequential constructions convert, why the others do not, and how long a file
takes (run by hand):

    .venv/bin/python bench/bench_coverage.py [--infer-shapes] [-v] [DIR ...]   # default: bench/corpus
    .venv/bin/python bench/bench_coverage.py --verify [--python PY] [DIR ...]   # prove each (slow)

`bench/corpus/` holds tutorial-style scripts written for this measure (MNIST/CIFAR/IMDB
tutorials, the TF quickstart, sklearn pipelines, tf.data, transfer learning, GANs, an
autoencoder, a Keras Tuner builder, blocks inside subclassed layers, CSV data, a project's
own Keras re-export). Prints, per style, the constructions found and converted, the skips by
reason code (with -v, each skip's place), and the time per file. With --infer-shapes, files whose models lack an input
shape are run as `convert --infer-shapes` runs them (TensorFlow needed; slow). With --verify,
every file that converts is proven as `convert --verify` proves it (on copies), and the
verdicts are counted: equivalent, different (each listed: the converter's bugs), or not
verified (the program could not run offline: files, downloads, packages not installed).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from seq2func.api import Batch, VerifySettings, convert_bytes, convert_paths
from seq2func.types import Options

ROOT = Path(__file__).resolve().parent


def prove_all(files: list[Path], python: str | None, whole: bool = False) -> None:
    """`convert --verify` over copies of the files that convert (no data files beside them,
    no network); the verdicts counted per conversion, each one not proven listed with why."""
    import shutil
    import tempfile

    counts = Counter[str]()
    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for n, path in enumerate(files):
            copy = Path(scratch) / f"{n}-{path.name}"
            shutil.copyfile(path, copy)
            started = time.perf_counter()
            report = convert_paths(
                [str(copy)], Options(), Batch(verify=VerifySettings(python=python, whole=whole))
            )
            [file] = report.files
            proofs = file.conversion_proofs()
            if not file.changed or proofs is None:
                continue
            times.append(time.perf_counter() - started)
            counts["files"] += 1
            if file.verdict is not None and file.verdict.program:
                print(f"  PROGRAM DIFFERS  {path.relative_to(ROOT)}: {file.verdict.program[0][:110]}")
            conversions = file.result.conversions if file.result is not None else []
            for conversion, proof in zip(conversions, proofs, strict=True):
                counts[proof["verdict"]] += 1
                where = f"{path.relative_to(ROOT)}:{conversion.location}"
                if proof["verdict"] == "equivalent" and proof["shape_confirmed"] is False:
                    counts["unconfirmed"] += 1
                    print(f"  unconfirmed      {where}: {proof['shape'][:110]}")
                elif proof["verdict"] != "equivalent":
                    print(f"  {proof['verdict']:16} {where}: {(proof['reasons'] or [''])[0][:110]}")
    total = counts["equivalent"] + counts["different"] + counts["unproven"]
    print(
        f"{counts['files']} files, {total} conversions: {counts['equivalent']} proven equivalent "
        f"({counts['equivalent'] / max(total, 1):.0%}; {counts['unconfirmed']} on a shape not confirmed by running), "
        f"{counts['different']} different, {counts['unproven']} not proven"
    )
    if times:
        print(f"per file: median {statistics.median(times):.1f} s, max {max(times):.1f} s")


def main(argv: list[str]) -> None:
    if "--verify" in argv:
        python = argv[argv.index("--python") + 1] if "--python" in argv else None
        rest = [a for a in argv if a != python]
        folders = [Path(a) for a in rest if not a.startswith("-")] or [ROOT / "corpus"]
        files = sorted(p for f in folders for p in [*f.rglob("*.py"), *f.rglob("*.ipynb")])
        prove_all(files, python, whole="--whole-program" in argv)
        return
    infer = "--infer-shapes" in argv
    verbose = "-v" in argv
    folders = [Path(a) for a in argv if not a.startswith("-")] or [ROOT / "corpus"]
    files = sorted(p for folder in folders for p in [*folder.rglob("*.py"), *folder.rglob("*.ipynb")])
    for style in ("model", "shared"):
        options = Options(style=style, infer_shapes=infer)  # type: ignore[arg-type]
        totals = {kind: Counter[str]() for kind in (".py", ".ipynb")}
        reasons, times = Counter[str](), []
        for path in files:
            started = time.perf_counter()
            try:
                result, _ = convert_bytes(
                    path.read_bytes(), options, notebook=path.suffix == ".ipynb", path=str(path)
                )
            except Exception as error:  # a file that does not parse: counted, not fatal
                reasons[f"error: {type(error).__name__}"] += 1
                continue
            times.append(time.perf_counter() - started)
            totals[path.suffix].update(
                converted=len(result.conversions), found=len(result.conversions) + len(result.skips), files=1
            )
            reasons.update(skip.code for skip in result.skips)
            if verbose and style == "model":
                for skip in result.skips:
                    print(
                        f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{skip.location.line}: {skip.code}"
                    )
        found = sum(t["found"] for t in totals.values())
        converted = sum(t["converted"] for t in totals.values())
        print(
            f"--style {style}{' --infer-shapes' if infer else ''}: {found} constructions found in "
            f"{len(files)} files, {converted} converted ({converted / max(found, 1):.0%})"
        )
        for kind, total in totals.items():
            print(
                f"  {kind:7} {total['files']:4} files: {total['converted']} of {total['found']} converted "
                f"({total['converted'] / max(total['found'], 1):.0%})"
            )
        for code, count in reasons.most_common():
            print(f"  {count:3} {code}")
        if times:
            print(
                f"  per file: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
