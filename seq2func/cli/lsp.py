"""`seq2func lsp`: start the analysis process first (its imports run beside the server's
own), then the language server."""

from __future__ import annotations

import click

from seq2func.lsp.worker import AnalysisProcess


@click.command("lsp")
@click.option(
    "--tcp", metavar="[HOST:]PORT", help="Serve over TCP instead of stdio, for debugging (host: 127.0.0.1)."
)
def lsp_command(tcp: str | None) -> None:
    """Start the language server (code actions and diagnostics) over stdio."""
    if tcp is not None and not tcp.rpartition(":")[2].isdigit():
        raise click.BadParameter(f"{tcp!r} is not [HOST:]PORT", param_hint="--tcp")
    analyser = AnalysisProcess()  # its imports overlap the server's own
    try:
        from seq2func.lsp.server import serve  # pygls: an extra, loaded when asked for
    except ImportError as error:
        analyser.close()
        raise click.ClickException(
            f"the language server needs pygls: pip install 'seq2func[lsp]' ({error})"
        ) from None
    serve(tcp, analyser)
