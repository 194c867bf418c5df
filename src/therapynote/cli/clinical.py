"""Diagnoses and treatment goals."""

from __future__ import annotations

from typing import Annotated

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

diagnosis_app = typer.Typer(help="Diagnoses (ICD-10-CM or DSM-5-TR codes).", no_args_is_help=True)
goal_app = typer.Typer(help="Treatment-plan goals with review dates.", no_args_is_help=True)

CodeArg = Annotated[str, typer.Argument(help="The client's code.")]


@diagnosis_app.command("add")
def diagnosis_add(
    code: CodeArg,
    dx: Annotated[str, typer.Option("--code", help="Diagnosis code, e.g. F41.1.")],
    system: Annotated[str, typer.Option("--system", help="ICD-10-CM or DSM-5-TR.")] = "ICD-10-CM",
    description: Annotated[str, typer.Option("--description")] = "",
    date: Annotated[str | None, typer.Option("--date", help="Diagnosed on, YYYY-MM-DD.")] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Record a diagnosis."""
    from therapynote.errors import InvalidInput

    if system not in ("ICD-10-CM", "DSM-5-TR"):
        raise InvalidInput("--system is ICD-10-CM or DSM-5-TR")
    day = parse_day(date, "--date")
    with open_vault(vault, passphrase_file) as v:
        d = v.repo.add_diagnosis(code, dx, system=system, description=description, diagnosed_on=day)
    if json:
        print_json({"id": d.id, "code": d.code, "system": d.system})
    else:
        typer.echo(f"Recorded diagnosis {d.code} for {code}.")


@diagnosis_app.command("list")
def diagnosis_list(
    code: CodeArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List a client's diagnoses."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        rows = v.repo.list_diagnoses(code)
    if json:
        print_json(
            [
                {
                    "id": d.id,
                    "code": d.code,
                    "system": d.system,
                    "description": d.description,
                    "diagnosed_on": d.diagnosed_on.isoformat() if d.diagnosed_on else None,
                }
                for d in rows
            ]
        )
        return
    out = console()
    for d in rows:
        out.print(
            f"{d.id:>4}  {d.code:<8} {d.system:<9} {d.diagnosed_on or '':<10} {d.description}"
        )


@goal_app.command("add")
def goal_add(
    code: CodeArg,
    text: Annotated[str, typer.Option("--text", help="The goal.")],
    review: Annotated[str | None, typer.Option("--review", help="Review date, YYYY-MM-DD.")] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Add a treatment goal."""
    day = parse_day(review, "--review")
    with open_vault(vault, passphrase_file) as v:
        g = v.repo.add_goal(code, text, day)
    if json:
        print_json({"id": g.id, "review_on": g.review_on.isoformat() if g.review_on else None})
    else:
        typer.echo(f"Added goal {g.id} for {code}.")


@goal_app.command("list")
def goal_list(
    code: CodeArg,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List a client's treatment goals."""
    with open_vault(vault, passphrase_file, writable=False) as v:
        rows = v.repo.list_goals(code)
    if json:
        print_json(
            [
                {
                    "id": g.id,
                    "goal": g.goal,
                    "status": g.status,
                    "review_on": g.review_on.isoformat() if g.review_on else None,
                }
                for g in rows
            ]
        )
        return
    out = console()
    for g in rows:
        out.print(f"{g.id:>4}  review {g.review_on or '-':<10} {g.status:<8} {g.goal}")
