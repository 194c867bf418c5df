"""Journal commands: the private transference / countertransference journal."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from therapynote.cli.common import (
    JsonOpt,
    PassphraseFileOpt,
    VaultOpt,
    console,
    open_vault,
    parse_day,
    print_json,
    read_text_file,
)
from therapynote.errors import InvalidInput

journal_app = typer.Typer(
    help="The private process journal (kept apart from the record; psychotherapy notes).",
    no_args_is_help=True,
)


def journal_json(j: Any, code: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": j.id,
        "date": j.written_on.isoformat(),
        "kind": j.kind,
        "themes": j.themes,
        "intensity": j.intensity,
        "text": j.text,
        "session": j.session_id,
        "bring_to_supervision": j.bring_to_supervision,
        "discussed_in_supervision_on": (
            j.discussed_in_supervision_on.isoformat() if j.discussed_in_supervision_on else None
        ),
    }
    if code is not None:
        data["client"] = code
    return data


@journal_app.command("add")
def journal_add(
    code: Annotated[str, typer.Argument(help="The client's code.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="transference, countertransference, enactment, rupture-repair, reflection.",
        ),
    ],
    intensity: Annotated[int, typer.Option("--intensity", help="0 to 10.")] = 0,
    theme: Annotated[
        list[str] | None,
        typer.Option("--theme", help="A theme, e.g. erotic, idealising, rescuing (repeatable)."),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="The entry.")] = None,
    text_file: Annotated[
        Path | None,
        typer.Option("--text-file", help="Read the entry from a file.", show_default=False),
    ] = None,
    session: Annotated[int | None, typer.Option("--session", help="Link to a session id.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today).")] = None,
    supervision: Annotated[
        bool, typer.Option("--supervision", help="Flag to bring to supervision.")
    ] = False,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add a journal entry."""
    if (text is None) == (text_file is None):
        raise InvalidInput("give the entry as --text or --text-file (one of them)")
    body = text if text is not None else read_text_file(text_file, "text file")  # type: ignore[arg-type]
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        j = v.repo.add_journal(
            code,
            kind=kind,
            text_=body,
            intensity=intensity,
            themes=list(theme or []),
            session_id=session,
            written_on=day,
            bring_to_supervision=supervision,
        )
    if json:
        print_json(journal_json(j, code))
    else:
        typer.echo(f"Added journal entry {j.id} for {code}.")


@journal_app.command("edit")
def journal_edit(
    entry_id: Annotated[int, typer.Argument(help="Journal entry id.")],
    text: Annotated[str | None, typer.Option("--text", help="Replace the entry's text.")] = None,
    text_file: Annotated[
        Path | None,
        typer.Option("--text-file", help="Replace the text from a file.", show_default=False),
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    intensity: Annotated[int | None, typer.Option("--intensity", help="0 to 10.")] = None,
    theme: Annotated[
        list[str] | None, typer.Option("--theme", help="Replace the themes (repeatable).")
    ] = None,
    session: Annotated[int | None, typer.Option("--session", help="Link to a session id.")] = None,
    unlink_session: Annotated[
        bool, typer.Option("--unlink-session", help="Remove the link to a session.")
    ] = False,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD")] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Change a journal entry (the change is recorded in the audit log, not its text)."""
    if text is not None and text_file is not None:
        raise InvalidInput("give the text as --text or --text-file, not both")
    body = read_text_file(text_file, "text file") if text_file is not None else text
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        j = v.repo.edit_journal(
            entry_id,
            text_=body,
            kind=kind,
            intensity=intensity,
            themes=list(theme) if theme is not None else None,
            session_id=session,
            unlink_session=unlink_session,
            written_on=day,
        )
    if json:
        print_json(journal_json(j))
    else:
        typer.echo(f"Updated journal entry {j.id}.")


@journal_app.command("list")
def journal_list(
    code: Annotated[str, typer.Argument(help="The client's code.")],
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List a client's journal entries."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        entries = v.repo.list_journal(code)
    if json:
        print_json([journal_json(j, code) for j in entries])
        return
    out = console()
    for j in entries:
        flag = " [supervision]" if j.bring_to_supervision else ""
        out.print(
            f"{j.id:>5}  {j.written_on}  {j.kind:<19} {j.intensity:>2}/10  "
            f"{', '.join(j.themes)}{flag}"
        )


@journal_app.command("show")
def journal_show(
    entry_id: Annotated[int, typer.Argument(help="Journal entry id.")],
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show one journal entry."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        j = v.repo.get_journal(entry_id)
        code = v.repo.journal_client_code(entry_id)
    if json:
        print_json(journal_json(j, code))
        return
    out = console()
    out.print(f"Journal {j.id}  {code}  {j.written_on}  {j.kind}  intensity {j.intensity}/10")
    if j.themes:
        out.print(f"themes: {', '.join(j.themes)}")
    if j.session_id:
        out.print(f"session: {j.session_id}")
    if j.bring_to_supervision:
        out.print("to bring to supervision")
    out.print("")
    out.print(j.text)


@journal_app.command("supervision")
def journal_supervision(
    entry_id: Annotated[int, typer.Argument(help="Journal entry id.")],
    bring: Annotated[
        bool | None,
        typer.Option("--bring/--no-bring", help="Flag (or unflag) to bring to supervision."),
    ] = None,
    discussed_on: Annotated[
        str | None, typer.Option("--discussed-on", help="Discussed in supervision on YYYY-MM-DD.")
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Mark an entry for supervision, or record when it was discussed."""
    day = parse_day(discussed_on, "--discussed-on")
    with open_vault(vault, passphrase_file) as v:
        j = v.repo.mark_supervision(entry_id, bring=bring, discussed_on=day)
    if json:
        print_json(journal_json(j))
    else:
        typer.echo(f"Updated journal entry {j.id}.")
