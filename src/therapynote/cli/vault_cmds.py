"""Vault commands: init, passwd, recover, check, demo, and the no-command default."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from therapynote.cli.common import (
    JsonOpt,
    NewPassphraseFileOpt,
    PassphraseFileOpt,
    VaultOpt,
    console,
    get_new_passphrase,
    get_passphrase,
    open_vault,
    print_json,
    vault_dir,
)
from therapynote.errors import CheckFailed, InvalidInput, VaultMissing

if TYPE_CHECKING:
    pass


def init(
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    recovery_key_out: Annotated[
        Path | None,
        typer.Option(
            "--recovery-key-out",
            help="Write the recovery key to this new file (mode 600) instead of showing it.",
            show_default=False,
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Create a new encrypted vault and its one-time recovery key."""
    from therapynote.errors import VaultExists
    from therapynote.vault.files import write_new_private
    from therapynote.vault.keys import wipe
    from therapynote.vault.vault import Vault

    directory = vault_dir(vault)
    if Vault.exists(directory):
        raise VaultExists(f"a vault already exists at {directory}; nothing was changed")
    if recovery_key_out is not None:
        if recovery_key_out.exists():
            raise InvalidInput(f"{recovery_key_out} already exists; name a new file")
        if not recovery_key_out.parent.is_dir():
            raise InvalidInput(f"the folder of {recovery_key_out} does not exist")
    pw = get_passphrase(passphrase_file, confirm=True)
    try:
        created = Vault.create(directory, pw)
    finally:
        wipe(pw)
    try:
        if recovery_key_out is not None:
            write_new_private(recovery_key_out, created.recovery_identity.encode("ascii"))
    finally:
        created.vault.close()
    if json:
        print_json(
            {
                "vault": str(directory),
                "recovery_recipient": created.recovery_recipient,
                "recovery_key_file": str(recovery_key_out) if recovery_key_out else None,
                "recovery_key": None if recovery_key_out else created.recovery_identity,
            }
        )
        return
    out = console()
    out.print(f"Created an encrypted vault at {directory}")
    if recovery_key_out is not None:
        out.print(f"Recovery key written to {recovery_key_out} (mode 600).")
        out.print("Move it offline now: print it or copy it to a USB stick kept in a safe place,")
        out.print("then delete it from this computer. It is the only way in if you forget the")
        out.print("passphrase, and therapynote will not show it again.")
    else:
        out.print("")
        out.print("RECOVERY KEY (shown once; store it offline, never next to the laptop):")
        out.print("")
        out.print(created.recovery_identity.rstrip("\n"))
        out.print("")
        out.print(
            "Save these lines to a file to use with `therapynote recover --recovery-key FILE`"
        )
        out.print("or with the standard `age -d -i FILE` tool.")


def passwd(
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    new_passphrase_file: NewPassphraseFileOpt = None,
) -> None:
    """Change the vault passphrase (re-keys the database; recovery file rewritten)."""
    from therapynote.vault.keys import wipe

    with open_vault(vault, passphrase_file) as v:
        new = get_new_passphrase(new_passphrase_file)
        try:
            v.change_passphrase(new)
            v.repo.record_event("passwd", "vault")
        finally:
            wipe(new)
    typer.echo("Passphrase changed. The recovery key still works; recovery.age was rewritten.")


def recover(
    recovery_key: Annotated[
        Path,
        typer.Option("--recovery-key", help="The recovery key file (an age identity file)."),
    ],
    vault: VaultOpt = None,
    new_passphrase_file: NewPassphraseFileOpt = None,
) -> None:
    """Open the vault with the recovery key and set a new passphrase."""
    from therapynote.cli.common import read_text_file
    from therapynote.vault.keys import wipe
    from therapynote.vault.vault import Vault

    directory = vault_dir(vault)
    if not Vault.exists(directory):
        raise VaultMissing(f"no vault at {directory}")
    identity = read_text_file(recovery_key, "recovery key file")
    new = get_new_passphrase(new_passphrase_file)
    try:
        v = Vault.recover(directory, identity, new)
    finally:
        wipe(new)
    v.close()
    typer.echo("Vault recovered: the new passphrase is set and the recovery key still works.")


def check(
    vault: VaultOpt = None,
    passphrase_file: PassphraseFileOpt = None,
    json: JsonOpt = False,
) -> None:
    """Verify the vault: page HMACs, structure, search index, audit chain, files."""
    from therapynote.backup.status import backup_age_note

    with open_vault(vault, passphrase_file, writable=False) as v:
        report = v.check()
        backup_note = backup_age_note(v)
        if backup_note:
            report.notes.append(backup_note)
    if json:
        print_json(
            {
                "ok": report.ok,
                "steps": report.steps,
                "problems": report.problems,
                "notes": report.notes,
            }
        )
    else:
        out = console()
        for step, result in report.steps.items():
            out.print(f"{step:>14}: {result}")
        for note in report.notes:
            out.print(f"note: {note}")
        for problem in report.problems:
            out.print(f"problem: {problem}")
        out.print("vault OK" if report.ok else "vault has problems")
    if not report.ok:
        raise CheckFailed(
            f"{len(report.problems)} problem(s) found; restore from a backup if data is damaged"
        )


def demo(
    vault: VaultOpt = None,
    no_open: Annotated[
        bool, typer.Option("--no-open", help="Build the demo vault (if needed) and exit.")
    ] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build a fresh demo vault (the old one is replaced).")
    ] = False,
    size: Annotated[int, typer.Option("--size", min=9, max=5000, help="Number of clients.")] = 40,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fictional practice.")] = 7,
) -> None:
    """Open a demo vault of fictional clients (passphrase: demo)."""
    import shutil

    from therapynote import demo as demo_mod
    from therapynote.paths import demo_vault_dir
    from therapynote.vault.vault import Vault

    directory = (vault or demo_vault_dir()).expanduser()
    if rebuild and Vault.exists(directory):
        if not (directory / "vault.toml").exists() or not _is_demo(directory):
            raise InvalidInput(f"{directory} is not a demo vault; refusing to replace it")
        shutil.rmtree(directory)
    if not Vault.exists(directory):
        created = Vault.create(
            directory, bytearray(demo_mod.DEMO_PASSPHRASE.encode()), check_strength=False
        )
        with created.vault as v:
            v.repo.set_setting("demo", "true")
            demo_mod.generate(v.repo, size=size, seed=seed)
        typer.echo(f"Built the demo vault at {directory} (passphrase: demo; fictional clients).")
    if no_open:
        return
    from therapynote.tui.app import run_app

    run_app(directory, demo=True)


def _is_demo(directory: Path) -> bool:
    from therapynote.demo import DEMO_PASSPHRASE
    from therapynote.errors import TherapyNoteError
    from therapynote.vault.vault import Vault

    try:
        with Vault.unlock(directory, bytearray(DEMO_PASSPHRASE.encode()), writable=False) as v:
            return v.repo.get_setting("demo") == "true"
    except TherapyNoteError:
        return False


def open_notebook(vault: Path | None) -> None:
    """What `therapynote` with no command does: open the app (first run: create a vault)."""
    from therapynote.tui.app import run_app

    run_app(vault_dir(vault))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(passwd)
    app.command()(recover)
    app.command()(check)
    app.command()(demo)
