"""Backup commands: create, verify, restore, list, prune, config."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from therapynote.cli.common import (
    JsonOpt,
    PassphraseFileOpt,
    VaultOpt,
    console,
    get_new_passphrase,
    open_vault,
    print_json,
    vault_dir,
)
from therapynote.errors import InvalidInput, TherapyNoteError, UsageError

if TYPE_CHECKING:
    from therapynote.backup.progress import Reporter
    from therapynote.backup.store import BackupEntry

backup_app = typer.Typer(
    help=(
        "Encrypted backups: create, verify, restore, list, prune. Backups are age files "
        "readable with the recovery key and the standard age tool (see docs/backup.md)."
    ),
    no_args_is_help=True,
)

DirOpt = Annotated[
    Path | None,
    typer.Option(
        "--dir",
        help="Backup folder (default: the backup_dir setting, else backups/ beside the vault).",
        show_default=False,
    ),
]
IdentityOpt = Annotated[
    Path | None,
    typer.Option(
        "--identity",
        help="An age identity file (e.g. the recovery key); no vault or passphrase needed.",
        show_default=False,
    ),
]


def _reporter() -> Reporter | None:
    from therapynote.backup.progress import RichReporter

    return RichReporter() if sys.stderr.isatty() else None


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"  # pragma: no cover


def _counts_line(counts: dict[str, int] | None) -> str:
    if not counts:
        return ""
    keys = ("clients", "sessions", "journal_entries")
    return ", ".join(f"{counts.get(k, 0)} {k.replace('_', ' ')}" for k in keys)


# ---------------------------------------------------------------------- create
@backup_app.command("create")
def create(
    to: Annotated[
        Path | None,
        typer.Option("--to", help="Backup folder (default: backup_dir setting, else backups/)."),
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option("--recipient", help="Also encrypt to this age recipient (repeatable)."),
    ] = None,
    recipients_file: Annotated[
        Path | None,
        typer.Option("--recipients-file", help="Also encrypt to the recipients in this file."),
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Back up the vault (it may be open elsewhere) and verify the backup at once."""
    from therapynote.backup.create import create_and_verify
    from therapynote.backup.keys import parse_recipient, read_recipients_file
    from therapynote.backup.status import configured_dir

    extra = list(recipient or [])
    if recipients_file is not None:
        extra += read_recipients_file(recipients_file)
    for text in extra:
        parse_recipient(text)  # refuse a bad recipient before asking for the passphrase
    with open_vault(vault, passphrase_file, writable=False) as v:
        default_dir = configured_dir(v)
        out_dir = to.expanduser().absolute() if to is not None else default_dir
        created = create_and_verify(v, out_dir, extra, reporter=_reporter())
    m = created.manifest
    if json:
        print_json(
            {
                "path": str(created.path),
                "sha256": m.sha256,
                "size": m.size,
                "created": m.created,
                "counts": m.counts,
                "recipients": m.recipients,
                "verified_at": m.verified_at,
            }
        )
        return
    out = console()
    out.print(f"Backup written and verified: {created.path}")
    out.print(f"  {_size(m.size)}, {_counts_line(m.counts)}; encrypted to {m.recipients} key(s)")
    out.print(f"  sha256 {m.sha256}")
    if out_dir != default_dir.expanduser().absolute():
        out.print(f"  Note: `backup list`, `prune` and `check` look in {default_dir}; to make this")
        out.print(f"  folder the default, run `therapynote backup config --set-dir {out_dir}`.")


# ---------------------------------------------------------------------- verify
def _vault_id_from_meta(directory: Path) -> str | None:
    from therapynote.backup.store import vault_id_for
    from therapynote.vault.sidefiles import read_meta

    meta = read_meta(directory)
    return vault_id_for(meta.recovery_recipient) if meta and meta.recovery_recipient else None


def _pick(entries: list[BackupEntry], latest: bool) -> list[Path]:
    from therapynote.errors import BackupMissing

    if not entries:
        raise BackupMissing("there is no backup in that folder yet")
    return [entries[-1].path] if latest else [e.path for e in entries]


@backup_app.command("verify")
def verify(
    file: Annotated[
        Path | None, typer.Argument(help="The backup file.", show_default=False)
    ] = None,
    latest: Annotated[bool, typer.Option("--latest", help="Verify the newest backup.")] = False,
    all_: Annotated[bool, typer.Option("--all", help="Verify every backup.")] = False,
    identity: IdentityOpt = None,
    directory: DirOpt = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Decrypt a backup completely and check everything in it (nothing is written)."""
    from therapynote.backup.create import backup_identities
    from therapynote.backup.keys import read_identity_file
    from therapynote.backup.status import configured_dir, vault_id
    from therapynote.backup.store import default_backup_dir, list_backups
    from therapynote.backup.verify import verify_backup

    if sum([file is not None, latest, all_]) != 1:
        raise UsageError("give exactly one of FILE, --latest or --all")
    vid: str | None = None
    if identity is not None:
        identities = read_identity_file(identity)
        folder = directory or default_backup_dir(vault_dir(vault))
        vid = _vault_id_from_meta(vault_dir(vault))
    else:
        with open_vault(vault, passphrase_file, writable=False) as v:
            identities = backup_identities(v)
            folder = directory or configured_dir(v)
            vid = vault_id(v)
    files = [file] if file is not None else _pick(list_backups(folder, vid), latest)
    results: list[dict[str, Any]] = []
    first_error: TherapyNoteError | None = None
    out = console()
    for path in files:
        try:
            report = verify_backup(path, identities, reporter=_reporter())
        except TherapyNoteError as exc:
            if len(files) == 1:
                raise
            first_error = first_error or exc
            results.append({"path": str(path), "ok": False, "error": exc.message})
            if not json:
                out.print(f"FAILED {path.name}: {exc.message}")
            continue
        results.append(report.to_json())
        if not json:
            created = report.header.get("created", "")
            counts = _counts_line(report.header.get("counts"))
            out.print(f"OK     {path.name} (made {created}; {counts})")
    if json:
        print_json(results[0] if file is not None else results)
    if first_error is not None:
        raise first_error


# ---------------------------------------------------------------------- restore
@backup_app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="The backup file to restore.")],
    to: Annotated[
        Path | None,
        typer.Option("--to", help="A new vault folder to restore into.", show_default=False),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the current vault (it is kept aside as a dated copy, not deleted).",
        ),
    ] = False,
    new_passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--new-passphrase-file",
            help="The restored vault's passphrase (first line of this file).",
            show_default=False,
        ),
    ] = None,
    recovery_key: Annotated[
        Path | None,
        typer.Option(
            "--recovery-key",
            help="Open the backup with this recovery key file (no passphrase needed).",
            show_default=False,
        ),
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Restore a backup under a new passphrase (verified first; nothing is ever deleted)."""
    from therapynote.backup.create import backup_identities
    from therapynote.backup.keys import read_identity_file
    from therapynote.backup.restore import restore_backup
    from therapynote.vault.keys import wipe
    from therapynote.vault.vault import check_new_passphrase

    if (to is None) == (not replace):
        raise UsageError("give exactly one of --to NEW_VAULT_FOLDER or --replace")
    target = to.expanduser() if to is not None else vault_dir(vault)
    if not file.is_file():
        from therapynote.errors import BackupMissing

        raise BackupMissing(f"no backup file at {file}")
    if recovery_key is not None:
        identities = read_identity_file(recovery_key)
    else:
        with open_vault(vault, passphrase_file, writable=False) as v:
            identities = backup_identities(v)
    new = get_new_passphrase(new_passphrase_file)
    try:
        check_new_passphrase(new)
        result = restore_backup(
            file, identities, target, new, replace=replace, reporter=_reporter()
        )
    finally:
        wipe(new)
    if json:
        print_json(
            {
                "vault": str(result.directory),
                "backup": str(result.backup),
                "created": result.header.get("created"),
                "counts": result.header.get("counts"),
                "moved_aside": [str(p) for p in result.moved_aside],
            }
        )
        return
    out = console()
    out.print(f"Restored {file.name} into {result.directory} under the new passphrase.")
    out.print(
        f"  backup made {result.header.get('created')}: {_counts_line(result.header.get('counts'))}"
    )
    for p in result.moved_aside:
        out.print(f"  kept the previous file as {p}")


# ---------------------------------------------------------------------- list / prune
def _entries(
    directory: Path | None, vault: Path | None, passphrase_file: Path | None
) -> tuple[Path, list[BackupEntry]]:
    from therapynote.backup.status import configured_dir, vault_id
    from therapynote.backup.store import list_backups

    if directory is not None:
        return directory, list_backups(directory, _vault_id_from_meta(vault_dir(vault)))
    with open_vault(vault, passphrase_file, writable=False) as v:
        folder = configured_dir(v)
        vid = vault_id(v)
    return folder, list_backups(folder, vid)


def _entry_json(e: BackupEntry) -> dict[str, Any]:
    m = e.manifest
    return {
        "path": str(e.path),
        "created": m.created if m else None,
        "size": e.path.stat().st_size,
        "counts": m.counts if m else None,
        "verified_at": m.verified_at if m else None,
        "last_verify": m.last_verify if m else None,
    }


@backup_app.command("list")
def list_cmd(
    directory: DirOpt = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """List backups, oldest first: date, size, counts, when last verified."""
    folder, entries = _entries(directory, vault, passphrase_file)
    if json:
        print_json([_entry_json(e) for e in entries])
        return
    out = console()
    if not entries:
        out.print(f"No backups in {folder} yet; make one with `therapynote backup create`.")
        return
    out.print(f"Backups in {folder}:")
    for e in entries:
        m = e.manifest
        if m is None:
            out.print(f"  {e.path.name}  {_size(e.path.stat().st_size)}  (no manifest)")
            continue
        verified = m.verified_at[:19] + "Z" if m.verified_at else "never"
        if m.last_verify not in (None, "ok"):
            verified = f"FAILED ({m.last_verify})"
        out.print(
            f"  {e.path.name}  {m.created[:19]}Z  {_size(m.size)}  {_counts_line(m.counts)}"
            f"  verified: {verified}"
        )


@backup_app.command("prune")
def prune(
    keep_daily: Annotated[int, typer.Option("--keep-daily", help="Newest per day, N days.")] = 0,
    keep_weekly: Annotated[
        int, typer.Option("--keep-weekly", help="Newest per ISO week, N weeks.")
    ] = 0,
    keep_monthly: Annotated[
        int, typer.Option("--keep-monthly", help="Newest per month, N months.")
    ] = 0,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show what would go.")] = False,
    directory: DirOpt = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Remove old backups (never the newest verified one); prints what it removes."""
    from therapynote.backup.prune import plan_prune, remove_backup

    folder, entries = _entries(directory, vault, passphrase_file)
    plan = plan_prune(entries, daily=keep_daily, weekly=keep_weekly, monthly=keep_monthly)
    if not dry_run:
        for e in plan.remove:
            remove_backup(e)
    if json:
        print_json(
            {
                "dry_run": dry_run,
                "removed": [str(e.path) for e in plan.remove],
                "kept": [{"path": str(e.path), "why": why} for e, why in plan.keep],
            }
        )
        return
    out = console()
    verb = "would remove" if dry_run else "removed"
    for e in plan.remove:
        out.print(f"{verb} {e.path.name}")
    for e, why in plan.keep:
        out.print(f"kept {e.path.name} ({', '.join(why)})")
    summary = "would be removed" if dry_run else "removed"
    out.print(f"{len(plan.remove)} backup(s) {summary}, {len(plan.keep)} kept in {folder}")


# ---------------------------------------------------------------------- config
@backup_app.command("config")
def config(
    set_dir: Annotated[
        Path | None, typer.Option("--set-dir", help="Default backup folder.", show_default=False)
    ] = None,
    warn_days: Annotated[
        int | None,
        typer.Option("--warn-days", min=1, help="`check` warns when backups are older."),
    ] = None,
    add_recipient: Annotated[
        list[str] | None,
        typer.Option("--add-recipient", help="Always also encrypt to this age recipient."),
    ] = None,
    remove_recipient: Annotated[
        list[str] | None,
        typer.Option("--remove-recipient", help="Stop encrypting to this extra recipient."),
    ] = None,
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Show or change backup settings (folder, warning age, extra recipients)."""
    from therapynote.backup import keys as bk
    from therapynote.backup.status import configured_dir
    from therapynote.backup.status import warn_days as current_warn_days

    changing = set_dir is not None or warn_days is not None or add_recipient or remove_recipient
    with open_vault(vault, passphrase_file, writable=bool(changing)) as v:
        repo = v.repo
        extra = bk.recipient_lines(repo.get_setting(bk.SETTING_RECIPIENTS) or "")
        if changing:
            for text in add_recipient or []:
                bk.parse_recipient(text)
                if text.strip() not in extra:
                    extra.append(text.strip())
            for text in remove_recipient or []:
                if text.strip() not in extra:
                    raise InvalidInput("that recipient is not one of the extra backup recipients")
                extra.remove(text.strip())
            with repo.transaction() as conn:
                if set_dir is not None:
                    repo.set_setting(bk.SETTING_DIR, str(set_dir.expanduser().absolute()), conn)
                if warn_days is not None:
                    repo.set_setting(bk.SETTING_WARN_DAYS, str(warn_days), conn)
                if add_recipient or remove_recipient:
                    repo.set_setting(bk.SETTING_RECIPIENTS, "\n".join(extra), conn)
        keys = {
            "backup": repo.get_setting("backup_recipient"),
            "recovery": repo.get_setting("recovery_recipient"),
            "extra": extra,
        }
        data: dict[str, Any] = {
            "dir": str(configured_dir(v)),
            "warn_days": current_warn_days(v),
            "recipients": keys,
        }
    if json:
        print_json(data)
        return
    out = console()
    out.print(f"backup folder: {data['dir']}")
    out.print(f"check warns after: {data['warn_days']} days")
    out.print(f"backup identity: {keys['backup']}")
    out.print(f"recovery key:    {keys['recovery']}")
    for r in extra:
        out.print(f"extra recipient: {r}")
