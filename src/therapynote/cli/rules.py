"""The rule panel on the command line: rules, rules list/show/check, and the practice profile."""

from __future__ import annotations

from datetime import date
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
)
from therapynote.errors import InvalidInput, NotFound

NOT_ADVICE = "A reminder, not legal advice: check the current text with your board."

profile_app = typer.Typer(
    help="The practice profile: the codes and jurisdictions that bind you.",
    no_args_is_help=True,
)
PackOpt = Annotated[
    list[str] | None,
    typer.Option("--pack", help="A rule pack id, e.g. apa, aca, us-ca (repeatable)."),
]


class RulesGroup(typer.core.TyperGroup):
    """`rules CLIENT` evaluates; `rules list|show|check` are subcommands."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args.insert(0, "client")
        return super().resolve_command(ctx, args)


rules_app = typer.Typer(
    cls=RulesGroup,
    help="Which ethics and legal rules bind you for a client today (`therapynote rules C-0001`).",
    no_args_is_help=True,
)


@rules_app.command("client", hidden=True)
def rules_client(
    code: Annotated[str, typer.Argument(help="The client's code.")],
    on: Annotated[str | None, typer.Option("--on", help="Evaluate as of YYYY-MM-DD.")] = None,
    pack: PackOpt = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """The time since termination and every rule that applies, strictest first."""
    from therapynote import rules_bridge
    from therapynote.rules import evaluate, evaluation_to_json

    day: date = parse_day(on, "--on") or date.today()
    packs = _packs_with_warnings()
    with open_vault(vault, passphrase_file, writable=False) as v:
        names = list(pack) if pack else rules_bridge.profile_packs(v.repo)
        chosen = rules_bridge.resolve_packs(names, packs)
        facts = rules_bridge.to_rule_facts(v.repo.client_facts(code))
        threshold = rules_bridge.no_termination_days(v.repo)
    ev = evaluate(facts, chosen, day, no_termination_days=threshold)
    if json:
        print_json(evaluation_to_json(code, day, ev))
        return
    _print_evaluation(code, day, ev, [p.id for p in chosen])


def _packs_with_warnings() -> dict[str, Any]:
    """All packs; each invalid user pack file is named on stderr and skipped."""
    from therapynote import rules_bridge

    packs, errors = rules_bridge.load_packs()
    for err in errors:
        typer.echo(f"therapynote: warning: user rule pack skipped: {err}", err=True)
    return packs


def _print_evaluation(code: str, day: date, ev: Any, pack_ids: list[str]) -> None:
    from therapynote.rules import format_elapsed

    out = console()
    out.print(f"{code} on {day}  (packs: {', '.join(pack_ids)})")
    if ev.time_since_termination is not None:
        out.print(
            f"Therapy ended {ev.termination_date}: {format_elapsed(ev.time_since_termination)} ago"
        )
    elif ev.situation == "no-termination":
        out.print("No termination recorded and no recent contact: may still count as a client.")
    else:
        out.print("Current client (open episode of care).")
    for s in ev.statuses:
        dates = []
        if s.through:
            dates.append(f"through {s.through}")
        if s.from_:
            dates.append(f"from {s.from_}")
        verify = "  [verify with your board]" if s.rule.needs_verification else ""
        out.print("")
        out.print(f"{s.state:<15} {s.rule.id}  {s.rule.title}  {' '.join(dates)}{verify}")
        out.print(f"    {s.rule.summary}")
        if s.note:
            out.print(f"    {s.note}")
        if s.state == "after-period" and s.rule.after:
            out.print(f"    Now: {s.rule.after}")
        out.print(f"    {s.rule.citation} (confidence {s.rule.confidence})")
    out.print("")
    out.print(NOT_ADVICE)


@rules_app.command("list")
def rules_list(
    pack: PackOpt = None,
    json: JsonOpt = False,
) -> None:
    """List the rule packs (or the rules of the given packs)."""
    from therapynote import rules_bridge

    packs = _packs_with_warnings()
    if pack:
        chosen = rules_bridge.resolve_packs(list(pack), packs)
        rows = [
            {
                "rule": r.id,
                "pack": p.id,
                "kind": str(r.kind),
                "title": r.title,
                "confidence": str(r.confidence),
            }
            for p in chosen
            for r in p.rules
        ]
        if json:
            print_json(rows)
        else:
            out = console()
            for row in rows:
                out.print(
                    f"{row['rule']:<32} {row['kind']:<22} {row['confidence']:<7} {row['title']}"
                )
        return
    if json:
        print_json(
            [
                {"pack": p.id, "title": p.title, "kind": str(p.kind), "rules": len(p.rules)}
                for p in packs.values()
            ]
        )
        return
    out = console()
    for p in packs.values():
        out.print(f"{p.id:<12} {len(p.rules):>3} rules  {p.title}")


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. apa:10.08(a).")],
    json: JsonOpt = False,
) -> None:
    """Show one rule with its citation, confidence and summary."""
    from therapynote import rules_bridge

    packs = rules_bridge.available_packs()
    pack_id = rule_id.split(":", 1)[0]
    rule = None
    if pack_id in packs:
        rule = next((r for r in packs[pack_id].rules if r.id == rule_id), None)
    if rule is None:
        raise NotFound(f"no rule {rule_id}; see `therapynote rules list --pack PACK`")
    data = {
        "rule": rule.id,
        "title": rule.title,
        "topic": str(rule.topic),
        "kind": str(rule.kind),
        "anchor": str(rule.anchor) if rule.anchor else None,
        "period": str(rule.period) if rule.period else None,
        "after": rule.after,
        "summary": rule.summary,
        "citation": rule.citation,
        "url": rule.url,
        "confidence": str(rule.confidence),
        "checked_on": rule.checked_on.isoformat(),
        "verify": rule.needs_verification,
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
    }
    if json:
        print_json(data)
        return
    out = console()
    for key, value in data.items():
        if value not in (None, ""):
            out.print(f"{key:>14}: {value}")
    out.print(NOT_ADVICE)


@rules_app.command("check")
def rules_check(
    file: Annotated[Path, typer.Argument(help="A user rule pack (TOML) to validate.")],
) -> None:
    """Validate a user rule pack; prints FILE:LINE: field: problem for each error."""
    from therapynote.rules import check_pack_file

    if not file.is_file():
        raise InvalidInput(f"cannot read {file}")
    errors = check_pack_file(file)
    if errors:
        for err in errors:
            typer.echo(str(err), err=True)
        raise typer.Exit(9)
    typer.echo(f"{file}: valid rule pack")


@profile_app.command("set")
def profile_set(
    pack: Annotated[list[str], typer.Option("--pack", help="A rule pack id (repeatable).")],
    no_termination_days: Annotated[
        int | None,
        typer.Option(
            "--no-termination-days",
            help="Days without contact before an open episode is flagged (default 90).",
        ),
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
) -> None:
    """Set the professions and jurisdictions that bind you."""
    from therapynote import rules_bridge

    with open_vault(vault, passphrase_file) as v:
        rules_bridge.set_profile(v.repo, list(pack), no_termination_days)
    typer.echo(f"Profile set: {', '.join(dict.fromkeys(pack))}")


@profile_app.command("show")
def profile_show(
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show the practice profile."""
    from therapynote import rules_bridge

    with open_vault(vault, passphrase_file, writable=False) as v:
        names = rules_bridge.profile_packs(v.repo)
        days = rules_bridge.no_termination_days(v.repo)
    if json:
        print_json({"packs": names, "no_termination_days": days})
        return
    typer.echo(f"packs: {', '.join(names)}")
    typer.echo(f"no-termination threshold: {days} days")
