"""The differential check of the proof against the data sources the static reader reads
(`tests/data_programs.py`), shared by `tests/test_loader_differential.py` (a bounded number)
and `bench/bench_loaders.py` (a thousand and more).

Each generated program is converted; the original and the converted program then run for real
(real Keras, the folder of images beside them); independently, seq2func proves the conversion,
half the time with the folder beside the program and half the time without it (its stand-ins
make one and read it with the real loader). A conversion whose program fails where the
original runs must be called different, or refused; a conversion called equivalent must run
where the original runs.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from data_programs import DataProgram, generate, make_folder, notebook_json

from seq2func.api import Batch, VerifySettings, convert_bytes, convert_paths
from seq2func.notebook import load
from seq2func.types import Options

RUNNER = Path(__file__).resolve().parent / "data_programs.py"


@dataclass
class Case:
    seed: int
    program: DataProgram
    converted: str | None  # None: seq2func left it as it is
    original_ran: str = ""
    converted_ran: str = ""
    verdict: str = ""  # equivalent, different, could not verify


def _texts(program: DataProgram) -> tuple[bytes, bool]:
    if program.cells:
        return notebook_json(program).encode(), True
    return program.source.encode(), False


def _code(data: bytes, notebook: bool) -> str:
    if not notebook:
        return data.decode()
    return "\n".join("".join(c["source"]) for c in load(data)["cells"] if c["cell_type"] == "code") + "\n"


def check(seeds: list[int], work: Path, prove: bool = True) -> tuple[list[Case], list[str]]:
    """The cases of `seeds`, and every way the proof failed its promise, in words (`prove`
    False: only how the programs ran, each conversion that breaks its program a problem)."""
    cases = []
    oracle_root, proof_root = work / "oracle", work / "proof"
    for seed in seeds:
        rng = random.Random(seed)
        program = generate(rng)
        data, notebook = _texts(program)
        result, new = convert_bytes(data, Options(), notebook=notebook)
        case = Case(seed, program, _code(new, notebook) if result.conversions else None)
        cases.append(case)
        folder = oracle_root / str(seed)
        folder.mkdir(parents=True)
        make_folder(str(folder), rng)
        proof = proof_root / str(seed)
        proof.mkdir(parents=True)
        (proof / f"program{'.ipynb' if notebook else '.py'}").write_bytes(data)
        if rng.random() < 0.5:  # the proof reads the same folder; otherwise it makes its own
            shutil.copytree(folder / "pictures", proof / "pictures")
    pairs = [
        {
            "original": _code(_texts(c.program)[0], bool(c.program.cells)),
            "converted": c.converted or "",
            "folder": str(oracle_root / str(c.seed)),
        }
        for c in cases
    ]
    (work / "pairs.json").write_text(json.dumps(pairs))
    subprocess.run(
        [sys.executable, str(RUNNER), str(work / "pairs.json"), str(work / "ran.json")],
        check=True,
        timeout=3600,
    )
    for case, (before, after) in zip(cases, json.loads((work / "ran.json").read_text()), strict=True):
        case.original_ran, case.converted_ran = before, after
    verdicts = {}
    if prove:
        report = convert_paths([str(proof_root)], Options(), Batch(verify=VerifySettings(timeout=300)))
        verdicts = {Path(f.path).parent.name: f.verdict for f in report.files}
    problems = []
    for case in cases:
        verdict = verdicts.get(str(case.seed))
        case.verdict = verdict.word if verdict is not None else "not converted" if prove else "-"
        if case.converted is None or case.original_ran != "ran":
            continue
        if case.converted_ran != "ran" and case.verdict != "different":
            problems.append(
                f"seed {case.seed} ({case.program.description}): the converted program {case.converted_ran}, "
                f"the original ran, and the proof said {case.verdict}"
            )
    return cases, problems
