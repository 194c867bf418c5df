"""Client, episode and contact commands."""

from __future__ import annotations

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
)

client_app = typer.Typer(help="Add, list, show, edit and archive clients.", no_args_is_help=True)
episode_app = typer.Typer(
    help="Episodes of care: record a termination, or a returning client's new start.",
    no_args_is_help=True,
)
contact_app = typer.Typer(
    help="Professional contacts that are not sessions (calls, letters, records releases).",
    no_args_is_help=True,
)

CodeArg = Annotated[str, typer.Argument(help="The client's code, e.g. C-0007.")]


def client_json(c: Any) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.full_name,
        "preferred_name": c.preferred_name,
        "pronouns": c.pronouns,
        "date_of_birth": c.date_of_birth.isoformat() if c.date_of_birth else None,
        "email": c.email,
        "phone": c.phone,
        "address": c.address,
        "referral_source": c.referral_source,
        "tags": c.tags,
        "archived": c.archived_at is not None,
    }


def episode_json(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "start": e.start_date.isoformat(),
        "end": e.end_date.isoformat() if e.end_date else None,
        "termination_type": e.termination_type,
        "closing_summary": e.closing_summary,
    }


@client_app.command("add")
def client_add(
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    code: Annotated[str | None, typer.Option("--code", help="Code (default: next C-NNNN).")] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="Date of birth, YYYY-MM-DD.")] = None,
    preferred_name: Annotated[str, typer.Option("--preferred-name")] = "",
    pronouns: Annotated[str, typer.Option("--pronouns")] = "",
    email: Annotated[str, typer.Option("--email")] = "",
    phone: Annotated[str, typer.Option("--phone")] = "",
    referral: Annotated[str, typer.Option("--referral", help="Referral source.")] = "",
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")] = None,
    intake_date: Annotated[
        str | None,
        typer.Option("--intake-date", help="Start of the first episode (default: first session)."),
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add a client. Sessions may be dated in the past: history can be entered later."""
    dob_d = parse_day(dob, "--dob")
    intake = parse_day(intake_date, "--intake-date")
    with open_vault(vault, passphrase_file) as v:
        c = v.repo.add_client(
            name,
            code=code,
            date_of_birth=dob_d,
            preferred_name=preferred_name,
            pronouns=pronouns,
            email=email,
            phone=phone,
            referral_source=referral,
            tags=list(tag or []),
            intake_date=intake,
        )
    if json:
        print_json(client_json(c))
    else:
        typer.echo(f"Added client {c.code}.")


@client_app.command("list")
def client_list(
    all_: Annotated[bool, typer.Option("--all", help="Include archived clients.")] = False,
    status: Annotated[
        str | None, typer.Option("--status", help="Only: active, ended, no-episode, archived.")
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List clients with their status and last session."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        rows = v.repo.list_clients(include_archived=all_ or status == "archived")
    if status:
        rows = [r for r in rows if r.status == status]
    if json:
        print_json(
            [
                {
                    "code": r.code,
                    "name": r.full_name,
                    "preferred_name": r.preferred_name,
                    "status": r.status,
                    "last_session": r.last_session.isoformat() if r.last_session else None,
                    "ended_on": r.ended_on.isoformat() if r.ended_on else None,
                    "episodes": r.episodes,
                    "sessions": r.sessions,
                }
                for r in rows
            ]
        )
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for col in ("code", "name", "status", "last session", "ended", "sessions"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            Text(r.code),
            Text(r.full_name),
            Text(r.status),
            Text(str(r.last_session or "")),
            Text(str(r.ended_on or "")),
            Text(str(r.sessions)),
        )
    console().print(table)


@client_app.command("show")
def client_show(
    code: CodeArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show a client's details, episodes, diagnoses and contacts."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        repo = v.repo
        c = repo.get_client(code)
        episodes = repo.list_episodes(code)
        contacts = repo.list_contacts(code)
        diagnoses = repo.list_diagnoses(code)
        sessions = repo.list_sessions(code)
    data = client_json(c)
    data["episodes"] = [episode_json(e) for e in episodes]
    data["contacts"] = [
        {"id": k.id, "date": k.contact_date.isoformat(), "kind": k.kind, "summary": k.summary}
        for k in contacts
    ]
    data["diagnoses"] = [
        {"code": d.code, "system": d.system, "description": d.description} for d in diagnoses
    ]
    data["sessions"] = len(sessions)
    if json:
        print_json(data)
        return
    out = console()
    out.print(f"{c.code}  {c.full_name}" + (f" ({c.preferred_name})" if c.preferred_name else ""))
    for label, value in (
        ("pronouns", c.pronouns),
        ("born", c.date_of_birth),
        ("email", c.email),
        ("phone", c.phone),
        ("referral", c.referral_source),
        ("tags", ", ".join(c.tags)),
        ("archived", c.archived_at),
    ):
        if value:
            out.print(f"  {label}: {value}")
    out.print(f"  sessions: {len(sessions)}")
    for e in episodes:
        end = f"{e.end_date} ({e.termination_type})" if e.end_date else "open"
        out.print(f"  episode {e.id}: {e.start_date} to {end}")
    for k in contacts:
        out.print(f"  contact {k.contact_date} {k.kind}: {k.summary}")
    for d in diagnoses:
        out.print(f"  diagnosis {d.code} ({d.system}) {d.description}")


@client_app.command("edit")
def client_edit(
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    dob: Annotated[str | None, typer.Option("--dob", help="YYYY-MM-DD")] = None,
    preferred_name: Annotated[str | None, typer.Option("--preferred-name")] = None,
    pronouns: Annotated[str | None, typer.Option("--pronouns")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    address: Annotated[str | None, typer.Option("--address")] = None,
    referral: Annotated[str | None, typer.Option("--referral")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Replace tags.")] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Change a client's details."""
    fields: dict[str, Any] = {}
    for key, value in (
        ("full_name", name),
        ("preferred_name", preferred_name),
        ("pronouns", pronouns),
        ("email", email),
        ("phone", phone),
        ("address", address),
        ("referral_source", referral),
    ):
        if value is not None:
            fields[key] = value
    if dob is not None:
        fields["date_of_birth"] = parse_day(dob, "--dob")
    if tag is not None:
        fields["tags"] = list(tag)
    with open_vault(vault, passphrase_file) as v:
        c = v.repo.update_client(code, **fields)
    if json:
        print_json(client_json(c))
    else:
        typer.echo(f"Updated client {c.code}.")


@client_app.command("archive")
def client_archive(
    code: CodeArg, vault: VaultOpt = None, passphrase_file: PassphraseFileOpt = None
) -> None:
    """Archive a client (records are kept; nothing clinical is deleted)."""
    with open_vault(vault, passphrase_file) as v:
        v.repo.archive_client(code)
    typer.echo(f"Archived client {code}; the record is kept.")


@episode_app.command("end")
def episode_end(
    code: CodeArg,
    date: Annotated[str, typer.Option("--date", help="Termination date, YYYY-MM-DD.")],
    type_: Annotated[
        str,
        typer.Option(
            "--type",
            help="planned, client-initiated, dropped-out, therapist-initiated, transferred, "
            "deceased or unknown.",
        ),
    ],
    summary: Annotated[str, typer.Option("--summary", help="Closing summary.")] = "",
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record the termination of the client's open episode of care."""
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        e = v.repo.end_episode(code, day, type_, summary)
    if json:
        print_json(episode_json(e))
    else:
        typer.echo(f"Episode {e.id} of {code} ended on {e.end_date} ({e.termination_type}).")


@episode_app.command("start")
def episode_start(
    code: CodeArg,
    date: Annotated[str, typer.Option("--date", help="Start date, YYYY-MM-DD.")],
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Open a new episode for a returning client (every post-termination clock restarts)."""
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        e = v.repo.start_episode(code, day)
    if json:
        print_json(episode_json(e))
    else:
        typer.echo(f"Episode {e.id} of {code} started on {e.start_date}.")


@episode_app.command("list")
def episode_list(
    code: CodeArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List a client's episodes of care."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        episodes = v.repo.list_episodes(code)
    if json:
        print_json([episode_json(e) for e in episodes])
        return
    out = console()
    for e in episodes:
        end = f"{e.end_date} ({e.termination_type})" if e.end_date else "open"
        out.print(f"{e.id}: {e.start_date} to {end}")


@contact_app.command("add")
def contact_add(
    code: CodeArg,
    date: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            help="phone, email, letter, text-message, video, in-person, records-release, other.",
        ),
    ],
    summary: Annotated[str, typer.Option("--summary", help="What the contact was about.")] = "",
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a professional contact (it can move post-termination clocks)."""
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        k = v.repo.add_contact(code, day, kind, summary)
    if json:
        print_json({"id": k.id, "date": k.contact_date.isoformat(), "kind": k.kind})
    else:
        typer.echo(f"Recorded a {k.kind} contact with {code} on {k.contact_date}.")


@contact_app.command("list")
def contact_list(
    code: CodeArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List a client's professional contacts."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        contacts = v.repo.list_contacts(code)
    if json:
        print_json(
            [
                {
                    "id": k.id,
                    "date": k.contact_date.isoformat(),
                    "kind": k.kind,
                    "summary": k.summary,
                }
                for k in contacts
            ]
        )
        return
    out = console()
    for k in contacts:
        out.print(f"{k.id}: {k.contact_date} {k.kind} {k.summary}")
