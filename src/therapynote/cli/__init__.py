"""The `therapynote` command line. Heavy modules are imported inside commands."""

from __future__ import annotations

from typing import Annotated

import typer

from therapynote import __version__
from therapynote.cli import clients, clinical, journal, records, rules, sessions, vault_cmds
from therapynote.cli.backup import backup_app
from therapynote.cli.common import EXIT_CODES_HELP, ErrorHandlingGroup, VaultOpt

app = typer.Typer(
    name="therapynote",
    cls=ErrorHandlingGroup,
    help=(
        "An offline, encrypted case notebook for psychotherapists.\n\n"
        "Run with no command to open the notebook. Every command takes --vault; "
        "commands that print data take --json.\n\n" + EXIT_CODES_HELP
    ),
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    no_args_is_help=False,
    invoke_without_command=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"therapynote {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    vault: VaultOpt = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks (may include record text).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Open the notebook when no command is given."""
    ctx.meta["therapynote.debug"] = debug
    if ctx.invoked_subcommand is None:
        from therapynote.cli.vault_cmds import open_notebook

        open_notebook(vault)


vault_cmds.register(app)
records.register(app)
app.add_typer(clients.client_app, name="client")
app.add_typer(clients.episode_app, name="episode")
app.add_typer(clients.contact_app, name="contact")
app.add_typer(sessions.session_app, name="session")
app.add_typer(journal.journal_app, name="journal")
app.add_typer(clinical.diagnosis_app, name="diagnosis")
app.add_typer(clinical.goal_app, name="goal")
app.add_typer(rules.rules_app, name="rules")
app.add_typer(rules.profile_app, name="profile")
app.add_typer(backup_app, name="backup")


def main() -> None:
    """Console-script entry point."""
    app()
