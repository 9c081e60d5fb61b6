import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
sys.path.insert(0, str(Path(__file__).parent))  # tests/programs.py, the program generator


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `tensorflow` skip, with the reason, where TensorFlow is not installed
    (CI installs it, so there they all run)."""
    import importlib.util

    if importlib.util.find_spec("tensorflow") is not None:
        return
    skip = pytest.mark.skip(reason="TensorFlow is not installed: pip install 'seq2func[verify]'")
    for item in items:
        if "tensorflow" in item.keywords:
            item.add_marker(skip)
