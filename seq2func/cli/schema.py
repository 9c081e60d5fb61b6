"""`seq2func schema`: the JSON Schema of `--output-format json`, as installed with the package."""

from __future__ import annotations

from pathlib import Path

import click

SCHEMA_PATH = Path(__file__).with_name("output-schema.json")


@click.command("schema")
@click.option("--path", "as_path", is_flag=True, help="Print where the schema file is instead of the schema.")
def schema_command(as_path: bool) -> None:
    """Print the JSON Schema of seq2func's JSON report (--output-format json)."""
    click.echo(str(SCHEMA_PATH) if as_path else SCHEMA_PATH.read_text(), nl=as_path)
