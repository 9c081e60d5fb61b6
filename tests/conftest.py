import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(Path(__file__).parent))  # tests/programs.py, the program generator


@pytest.fixture
def samples() -> Path:
    return SAMPLES
