"""Where seq2func leans on another package's internals, the versions it was written against
are pinned, and these tests say when what is installed no longer matches what was copied."""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import inspect
import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REQUIREMENTS = [
    *PROJECT["dependencies"],
    *(r for group in PROJECT["optional-dependencies"].values() for r in group),
]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def _bounds(distribution: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    [requirement] = [r for r in REQUIREMENTS if re.match(rf"{distribution}\b", r)]
    low = re.search(r">=\s*([\d.]+)", requirement)
    high = re.search(r"<\s*([\d.]+)", requirement)
    assert low and high, f"{requirement}: its internals are used, so it needs both bounds"
    return _version(low.group(1)), _version(high.group(1))


@pytest.mark.parametrize("distribution", ["libcst", "pygls"])
def test_the_installed_version_is_within_the_pin(distribution: str) -> None:
    """Should pin, below and above, each package whose internals are used, and run on a
    version inside the pin (the suite is what tests the internals)."""
    low, high = _bounds(distribution)
    installed = _version(importlib.metadata.version(distribution))
    assert low <= installed < high


# the stdio loop `lsp/transport.run_resyncing` copies, and the method it replaces, as pygls
# 2.1 has them; a change means the copy must be read against pygls's new loop again
PYGLS_COPIED = {
    ("pygls.io_", "run_async"): "f488270939ce916b",
    ("pygls.server", "JsonRPCServer._start_io_async"): "22f42491d202610a",
}


@pytest.mark.parametrize(("module", "attribute"), sorted(PYGLS_COPIED))
def test_pygls_still_has_the_loop_the_transport_copies(module: str, attribute: str) -> None:
    """Should find pygls's stdio loop as it was when the transport copied it, or fail until the
    copy has been read against the new one (the copy stays behind the pin until pygls
    resynchronises on a wrong Content-Length itself)."""
    pytest.importorskip("pygls")
    found: object = importlib.import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    source = inspect.getsource(found)  # type: ignore[arg-type]
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == PYGLS_COPIED[(module, attribute)]


def test_libcst_internals_the_scopes_use_are_there() -> None:
    """Should find the visitors `analysis/scopes.py` runs without LibCST's resolver, with the
    arguments it passes (tests/test_scopes.py compares their scopes with the resolver's)."""
    from libcst.metadata.expression_context_provider import ExpressionContextVisitor
    from libcst.metadata.scope_provider import ScopeVisitor

    assert list(inspect.signature(ScopeVisitor.__init__).parameters)[:2] == ["self", "provider"]
    assert callable(ScopeVisitor.infer_accesses)
    assert list(inspect.signature(ExpressionContextVisitor.__init__).parameters)[:3] == [
        "self",
        "provider",
        "context",
    ]
