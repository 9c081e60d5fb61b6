import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient, client_capabilities

sys.path.insert(0, str(Path(__file__).parent))  # tests/programs.py, tests/lsp_client.py
from lsp_client import SERVER

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest_lsp.fixture(config=SERVER)
async def vscode(lsp_client: LanguageClient):
    """`seq2func lsp` driven by a client with VS Code's capabilities."""
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


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


@pytest.fixture(scope="module")
def one_verifier() -> Iterator[None]:
    """The verifications of a test module share one child process, as a tree's files do
    (`runner.serving`): TensorFlow is imported once per module and worker, and each request
    still runs in fresh namespaces with the process's changes put back."""
    from seq2func.verify import serving

    with serving():
        yield
