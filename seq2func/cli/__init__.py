"""Command line: parse options, call the API, print. Code and diffs go to stdout,
messages to stderr (as black does). Exit codes are `types.Exit`'s: 0 ok, 1 would change
or different, 2 usage error, 3 could not verify, 123 a file could not be read, parsed
or written. One module per command; `common` holds the options they share."""

from __future__ import annotations

import click

from seq2func import __version__
from seq2func.cli.check import check_command
from seq2func.cli.common import say
from seq2func.cli.convert import convert
from seq2func.cli.verify import lsp_command, verify
from seq2func.types import Exit


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="seq2func")
def cli() -> None:
    """Rewrite Keras Sequential models as Functional API code, and prove the rewrite."""


for command in (convert, check_command, verify, lsp_command):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="seq2func", standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.exceptions.Abort:
        say("Aborted.")
        return 130
    except click.ClickException as error:
        error.show()
        return Exit.USAGE if isinstance(error, click.UsageError) else error.exit_code
    return Exit.OK
