"""How the language-server tests start `seq2func lsp` (shared by the test modules and conftest)."""

from __future__ import annotations

import sys

from pytest_lsp import ClientServerConfig

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "seq2func", "lsp"])
