"""Session commands: progress notes by template, signing and addenda."""

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

session_app = typer.Typer(
    help="Therapy sessions and their progress notes (SOAP, DAP, BIRP or free).",
    no_args_is_help=True,
)

IdArg = Annotated[int, typer.Argument(help="Session id (as printed by `session add --json`).")]
Section = Annotated[str | None, typer.Option(show_default=False)]


def _sections(**values: str | None) -> dict[str, str]:
    return {k: v for k, v in values.items() if v is not None}


def session_json(s: Any, code: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": s.id,
        "date": s.session_date.isoformat(),
        "start_time": s.start_time,
        "duration_minutes": s.duration_minutes,
        "modality": s.modality,
        "service_code": s.service_code,
        "attendance": s.attendance,
        "fee_cents": s.fee_cents,
        "template": s.template,
        "sections": s.sections,
        "risk_level": s.risk_level,
        "risk_text": s.risk_text,
        "status": s.status,
        "signed_at": s.signed_at.isoformat() if s.signed_at else None,
        "episode": s.episode_id,
        "addenda": [
            {"id": a.id, "date": a.written_on.isoformat(), "text": a.text} for a in s.addenda
        ]
        if s.addenda
        else [],
        "addendum_count": s.addendum_count,
    }
    if code is not None:
        data["client"] = code
    return data


def _fee(fee: str | None) -> int | None:
    if fee is None:
        return None
    try:
        value = round(float(fee) * 100)
    except ValueError:
        raise InvalidInput("--fee is an amount such as 120 or 120.50") from None
    return value


@session_app.command("add")
def session_add(
    code: Annotated[str, typer.Argument(help="The client's code.")],
    date: Annotated[str, typer.Option("--date", help="Session date, YYYY-MM-DD.")],
    template: Annotated[str, typer.Option("--template", help="soap, dap, birp or free.")] = "soap",
    note_file: Annotated[
        Path | None,
        typer.Option(
            "--note-file",
            help="Read the note from a file (## headings for sections).",
            show_default=False,
        ),
    ] = None,
    subjective: Section = None,
    objective: Section = None,
    assessment: Section = None,
    plan: Section = None,
    data: Section = None,
    behavior: Section = None,
    intervention: Section = None,
    response: Section = None,
    note: Annotated[str | None, typer.Option("--note", help="The text of a free note.")] = None,
    time: Annotated[str, typer.Option("--time", help="Start time, HH:MM.")] = "",
    duration: Annotated[int, typer.Option("--duration", help="Minutes.")] = 50,
    modality: Annotated[str, typer.Option("--modality", help="in-person, video, phone.")] = (
        "in-person"
    ),
    attendance: Annotated[
        str, typer.Option("--attendance", help="attended, no-show, late-cancel, cancelled.")
    ] = "attended",
    service_code: Annotated[str, typer.Option("--service-code", help="e.g. CPT 90834.")] = "",
    fee: Annotated[str | None, typer.Option("--fee", help="Fee, e.g. 120.00.")] = None,
    risk_level: Annotated[str, typer.Option("--risk-level", help="none, low, moderate, high.")] = (
        "none"
    ),
    risk_text: Annotated[str, typer.Option("--risk-text", help="Risk assessment text.")] = "",
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add a session with its note (a draft until signed)."""
    from therapynote.domain.templates import check_template, parse_note_text

    check_template(template)
    day = parse_day(date, "--date")
    given = _sections(
        subjective=subjective,
        objective=objective,
        assessment=assessment,
        plan=plan,
        data=data,
        behavior=behavior,
        intervention=intervention,
        response=response,
        note=note,
    )
    if note_file is not None:
        if given:
            raise InvalidInput("give the note either as --note-file or as section options")
        given = parse_note_text(template, read_text_file(note_file, "note file"))
    with open_vault(vault, passphrase_file) as v:
        s = v.repo.add_session(
            code,
            day,
            template=template,
            sections=given,
            start_time=time,
            duration_minutes=duration,
            modality=modality,
            service_code=service_code,
            attendance=attendance,
            fee_cents=_fee(fee),
            risk_level=risk_level,
            risk_text=risk_text,
        )
    if json:
        print_json(session_json(s, code))
    else:
        typer.echo(f"Added session {s.id} for {code} on {s.session_date} (draft).")


@session_app.command("edit")
def session_edit(
    session_id: IdArg,
    subjective: Section = None,
    objective: Section = None,
    assessment: Section = None,
    plan: Section = None,
    data: Section = None,
    behavior: Section = None,
    intervention: Section = None,
    response: Section = None,
    note: Annotated[str | None, typer.Option("--note", help="The text of a free note.")] = None,
    note_file: Annotated[
        Path | None,
        typer.Option("--note-file", help="Replace the whole note from a file.", show_default=False),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD")] = None,
    time: Annotated[str | None, typer.Option("--time")] = None,
    duration: Annotated[int | None, typer.Option("--duration")] = None,
    modality: Annotated[str | None, typer.Option("--modality")] = None,
    attendance: Annotated[str | None, typer.Option("--attendance")] = None,
    service_code: Annotated[str | None, typer.Option("--service-code")] = None,
    fee: Annotated[str | None, typer.Option("--fee")] = None,
    risk_level: Annotated[str | None, typer.Option("--risk-level")] = None,
    risk_text: Annotated[str | None, typer.Option("--risk-text")] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Change a draft note (signed notes are immutable: use `session amend`)."""
    from therapynote.domain.templates import parse_note_text

    sections = _sections(
        subjective=subjective,
        objective=objective,
        assessment=assessment,
        plan=plan,
        data=data,
        behavior=behavior,
        intervention=intervention,
        response=response,
        note=note,
    )
    meta: dict[str, Any] = {
        k: v
        for k, v in (
            ("start_time", time),
            ("duration_minutes", duration),
            ("modality", modality),
            ("attendance", attendance),
            ("service_code", service_code),
            ("risk_level", risk_level),
            ("risk_text", risk_text),
        )
        if v is not None
    }
    if date is not None:
        meta["session_date"] = parse_day(date, "--date")
    if fee is not None:
        meta["fee_cents"] = _fee(fee)
    with open_vault(vault, passphrase_file) as v:
        replace = False
        if note_file is not None:
            if sections:
                raise InvalidInput("give the note either as --note-file or as section options")
            current = v.repo.get_session(session_id)
            sections = parse_note_text(current.template, read_text_file(note_file, "note file"))
            replace = True
        s = v.repo.edit_session(
            session_id, sections=sections or None, replace_sections=replace, **meta
        )
    if json:
        print_json(session_json(s))
    else:
        typer.echo(f"Updated session {s.id}.")


@session_app.command("sign")
def session_sign(
    session_id: IdArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Sign a note: it can no longer be changed (corrections become dated addenda)."""
    with open_vault(vault, passphrase_file) as v:
        s = v.repo.sign_session(session_id)
    if json:
        print_json(session_json(s))
    else:
        typer.echo(f"Signed session {s.id}.")


@session_app.command("amend")
def session_amend(
    session_id: IdArg,
    text: Annotated[str | None, typer.Option("--text", help="The addendum text.")] = None,
    text_file: Annotated[
        Path | None,
        typer.Option("--text-file", help="Read the addendum from a file.", show_default=False),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="Addendum date (default today).")] = (
        None
    ),
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add a dated addendum to a signed note."""
    if (text is None) == (text_file is None):
        raise InvalidInput("give the addendum as --text or --text-file (one of them)")
    body = text if text is not None else read_text_file(text_file, "text file")  # type: ignore[arg-type]
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        a = v.repo.amend_session(session_id, body, day)
    if json:
        print_json({"id": a.id, "session": a.session_id, "date": a.written_on.isoformat()})
    else:
        typer.echo(f"Added an addendum to session {session_id}.")


@session_app.command("show")
def session_show(
    session_id: IdArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show a note with its addenda."""
    from therapynote.domain.templates import check_template

    with open_vault(vault, passphrase_file, writable=False) as v:
        s = v.repo.get_session(session_id)
        code = v.repo.session_client_code(session_id)
    if json:
        print_json(session_json(s, code))
        return
    out = console()
    status = f"signed {s.signed_at:%Y-%m-%d %H:%M} UTC" if s.signed_at else "draft"
    out.print(
        f"Session {s.id}  {code}  {s.session_date} {s.start_time}  {s.duration_minutes} min"
        f"  {s.modality}  {s.attendance}  [{s.template.upper()}, {status}]"
    )
    for key, heading in check_template(s.template):
        if key in s.sections:
            out.print("")
            out.print(f"{heading}:")
            out.print(s.sections[key])
    if s.risk_level != "none" or s.risk_text:
        out.print("")
        out.print(f"Risk ({s.risk_level}): {s.risk_text}")
    for a in s.addenda:
        out.print("")
        out.print(f"Addendum {a.written_on}:")
        out.print(a.text)


@session_app.command("list")
def session_list(
    code: Annotated[str, typer.Argument(help="The client's code.")],
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List a client's sessions."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        sessions = v.repo.list_sessions(code)
    if json:
        print_json([session_json(s, code) for s in sessions])
        return
    out = console()
    for s in sessions:
        extra = f" +{s.addendum_count} addend." if s.addendum_count else ""
        out.print(
            f"{s.id:>6}  {s.session_date}  {s.attendance:<11} {s.template:<4} {s.status}{extra}"
        )


@session_app.command("archive")
def session_archive(
    session_id: IdArg, vault: VaultOpt = None, passphrase_file: PassphraseFileOpt = None
) -> None:
    """Archive a draft session entered by mistake (signed sessions stay in the record)."""
    with open_vault(vault, passphrase_file) as v:
        v.repo.archive_session(session_id)
    typer.echo(f"Archived session {session_id}.")
