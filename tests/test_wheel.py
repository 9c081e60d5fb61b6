"""The package as a user installs it: the built wheel in a fresh virtual environment (its
dependencies from the package index), the README's conversion run from there, and every
path the help names present in the installed package."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_built_wheel_installs_and_converts_from_a_fresh_environment(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        timeout=600,
    )
    [wheel] = (tmp_path / "dist").glob("seq2func-*.whl")
    venv.create(tmp_path / "env", with_pip=True)
    python = tmp_path / "env" / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        timeout=600,
    )
    seq2func = tmp_path / "env" / "bin" / "seq2func"
    sample = tmp_path / "seed_sequential.py"
    sample.write_text((ROOT / "samples" / "seed_sequential.py").read_text())
    converted = subprocess.run(
        [str(seq2func), "convert", str(sample), "--diff"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert converted.returncode == 0, converted.stderr
    # the same conversion as the source tree's
    from seq2func import convert_file

    expected = convert_file(ROOT / "samples" / "seed_sequential.py").new_text
    assert sample.read_text() != expected and "+    seq = Model(inputs=inputs, outputs=x)" in converted.stdout
    subprocess.run([str(seq2func), "convert", "-i", str(sample)], check=True, timeout=120)
    assert sample.read_text() == expected
    report = subprocess.run(
        [str(seq2func), "convert", str(sample), "--check", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.returncode == 0 and json.loads(report.stdout)["summary"]["changed"] == 0
    helped = subprocess.run([str(seq2func), "convert", "--help"], capture_output=True, text=True, timeout=60)
    assert "JSON Schema: `seq2func schema`" in " ".join(helped.stdout.split())
    where = subprocess.run([str(seq2func), "schema", "--path"], capture_output=True, text=True, timeout=60)
    schema = Path(where.stdout.strip())
    assert schema.is_relative_to(tmp_path / "env") and schema.is_file()
    printed = subprocess.run([str(seq2func), "schema"], capture_output=True, text=True, timeout=60)
    assert json.loads(printed.stdout) == json.loads(schema.read_text())
    assert json.loads(printed.stdout)["$schema"]
