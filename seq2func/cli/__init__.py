"""Command line: parse options, call the API, print. Code and diffs go to stdout,
messages to stderr (as black does). Exit codes are `types.Exit`'s: 0 ok, 1 would change
or different, 2 usage error, 3 could not verify, 123 a file could not be read, parsed
or written. One module per command; `common` holds the options they share."""

from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Iterator

import click

from seq2func import __version__
from seq2func.types import Exit

# each command's module, imported when that command runs (click's lazy group): LibCST and
# black load for convert and check, not for `--version`, and `seq2func lsp` starts its
# analysis process before the server's own imports (tests/test_architecture.py reads these)
COMMANDS = {
    "convert": ("seq2func.cli.convert", "convert"),
    "check": ("seq2func.cli.check", "check_command"),
    "verify": ("seq2func.cli.verify", "verify"),
    "lsp": ("seq2func.cli.lsp", "lsp_command"),
    "schema": ("seq2func.cli.schema", "schema_command"),
}


class Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), name)
        _loaded()
        return command


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="seq2func")
def cli() -> None:
    """Rewrite Keras Sequential models as Functional API code, and prove the rewrite."""


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """LibCST's modules and trees are many small objects that live as long as the run (or
    a file's conversion): at the default thresholds the cyclic collector rescans them again
    and again (a sixth of `seq2func convert` on a small file). So no collection while the
    command's modules load, what they made is frozen out of later collections (`_loaded`),
    and collections come less often. Garbage cycles are still collected; a caller in the
    same process gets its collector back as it was."""
    enabled, previous = gc.isenabled(), gc.get_threshold()
    gc.disable()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*previous)
        (gc.enable if enabled else gc.disable)()


def _loaded() -> None:
    gc.freeze()
    gc.enable()


def main(argv: list[str] | None = None) -> int:
    try:
        with _fewer_collections():
            cli.main(args=argv, prog_name="seq2func", standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as error:
        error.show()
        return Exit.USAGE if isinstance(error, click.UsageError) else error.exit_code
    return Exit.OK
