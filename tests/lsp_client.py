"""How the language-server tests start `seq2func lsp` (shared by the test modules and conftest)."""

from __future__ import annotations

import sys

from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import make_test_lsp_client


def editor_like_client() -> LanguageClient:
    """pytest-lsp's client, taking the registrations a real editor takes (the server asks to
    watch pyproject.toml); what it was asked to register is kept in `registered`."""
    client = make_test_lsp_client()
    client.registered = []  # type: ignore[attr-defined]

    @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
    def register(params: lsp.RegistrationParams) -> None:
        client.registered += [r.method for r in params.registrations]  # type: ignore[attr-defined]

    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "seq2func", "lsp"], client_factory=editor_like_client
)
