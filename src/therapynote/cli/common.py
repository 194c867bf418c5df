"""Shared CLI plumbing: options, passphrase sources, opening the vault, output, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from therapynote.errors import (
    ALL_ERRORS,
    InvalidInput,
    NoPassphrase,
    TherapyNoteError,
    VaultDamaged,
    VaultMissing,
)

if TYPE_CHECKING:
    from rich.console import Console

    from therapynote.vault.vault import Vault

VaultOpt = Annotated[
    Path | None,
    typer.Option(
        "--vault",
        help="Vault folder (default: $THERAPYNOTE_VAULT or the per-user data folder).",
        show_default=False,
    ),
]
PassphraseFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the passphrase from this file (first line).",
        show_default=False,
    ),
]
NewPassphraseFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--new-passphrase-file",
        help="Read the new passphrase from this file (else a hidden prompt, asked twice).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; "
    + "; ".join(f"{e.exit_code} {e.title}" for e in ALL_ERRORS)
    + "; 1 unexpected error; 130 interrupted."
)


class ErrorHandlingGroup(TyperGroup):
    """Turns every TherapyNoteError into one line on stderr and its own exit code."""

    def invoke(self, ctx: Any) -> Any:
        debug = bool(ctx.meta.get("therapynote.debug"))
        try:
            return super().invoke(ctx)
        except TherapyNoteError as exc:
            if debug:
                raise
            fail(exc)
        except KeyboardInterrupt:
            typer.echo("therapynote: interrupted; nothing more was changed", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:
            if debug:
                raise
            damaged = _as_damage(exc)
            if damaged is not None:
                fail(damaged)
            typer.echo(
                f"therapynote: unexpected error ({type(exc).__name__}); nothing more was "
                "changed. Run again with --debug for details.",
                err=True,
            )
            raise typer.Exit(1) from None


def _as_damage(exc: BaseException) -> VaultDamaged | None:
    """SQLite corruption surfacing mid-command is reported as a damaged vault."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    markers = ("malformed", "corrupt", "not a database", "hmac", "disk i/o")
    if type(exc).__name__ in {"DatabaseError", "OperationalError"} and any(
        m in text for m in markers
    ):
        return VaultDamaged(
            "the vault is damaged (a page failed to read); run `therapynote check` "
            "and restore from a backup"
        )
    return None


def fail(exc: TherapyNoteError) -> None:
    typer.echo(f"therapynote: {exc.message}", err=True)
    raise typer.Exit(exc.exit_code)


# ---------------------------------------------------------------------- passphrases
def _strip_line(data: bytes) -> bytearray:
    first = data.split(b"\n", 1)[0]
    if first.endswith(b"\r"):
        first = first[:-1]
    return bytearray(first)


def read_passphrase_file(path: Path, what: str = "passphrase file") -> bytearray:
    try:
        data = path.read_bytes()
    except OSError:
        raise InvalidInput(f"cannot read the {what} {path}") from None
    pw = _strip_line(data)
    if not pw:
        raise InvalidInput(f"the {what} {path} is empty")
    return pw


def get_passphrase(passphrase_file: Path | None, *, confirm: bool = False) -> bytearray:
    """The vault passphrase from the first source that is set.

    Order: --passphrase-file, THERAPYNOTE_PASSPHRASE_FILE, THERAPYNOTE_PASSPHRASE_COMMAND,
    THERAPYNOTE_PASSPHRASE, then a hidden prompt on a terminal.
    """
    if passphrase_file is not None:
        return read_passphrase_file(passphrase_file)
    env_file = os.environ.get("THERAPYNOTE_PASSPHRASE_FILE")
    if env_file:
        return read_passphrase_file(Path(env_file), "THERAPYNOTE_PASSPHRASE_FILE")
    command = os.environ.get("THERAPYNOTE_PASSPHRASE_COMMAND")
    if command:
        try:
            out = subprocess.run(
                command, shell=True, capture_output=True, check=True, timeout=120
            ).stdout
        except (subprocess.SubprocessError, OSError):
            raise NoPassphrase("THERAPYNOTE_PASSPHRASE_COMMAND failed") from None
        pw = _strip_line(out)
        if not pw:
            raise NoPassphrase("THERAPYNOTE_PASSPHRASE_COMMAND printed nothing")
        return pw
    env_pw = os.environ.get("THERAPYNOTE_PASSPHRASE")
    if env_pw:
        return bytearray(env_pw.encode("utf-8"))
    return prompt_passphrase("Vault passphrase", confirm=confirm)


def prompt_passphrase(label: str, *, confirm: bool = False) -> bytearray:
    if not sys.stdin.isatty():
        raise NoPassphrase(
            "no passphrase given and no terminal to ask on; use --passphrase-file or "
            "THERAPYNOTE_PASSPHRASE_FILE"
        )
    import getpass

    first = getpass.getpass(f"{label}: ")
    if confirm and getpass.getpass(f"{label} (again): ") != first:
        raise InvalidInput("the two passphrases differ; nothing was changed")
    if not first:
        raise InvalidInput("an empty passphrase is not allowed")
    return bytearray(first.encode("utf-8"))


def get_new_passphrase(new_passphrase_file: Path | None) -> bytearray:
    if new_passphrase_file is not None:
        return read_passphrase_file(new_passphrase_file, "new passphrase file")
    return prompt_passphrase("New passphrase", confirm=True)


# ---------------------------------------------------------------------- vault
def vault_dir(vault: Path | None) -> Path:
    """The vault folder: the command's --vault, else the top-level --vault, else the default."""
    from therapynote.paths import default_vault_dir

    if vault is None:
        from typer._click.globals import get_current_context

        ctx = get_current_context(silent=True)
        root = ctx.find_root() if ctx is not None else None
        if root is not None and isinstance(root.params.get("vault"), Path):
            vault = root.params["vault"]
    return (vault or default_vault_dir()).expanduser()


@contextmanager
def open_vault(
    vault: Path | None, passphrase_file: Path | None, *, writable: bool = True
) -> Iterator[Vault]:
    """Unlock the vault for one command and lock it again afterwards."""
    from therapynote.vault.keys import wipe
    from therapynote.vault.vault import Vault

    directory = vault_dir(vault)
    if not Vault.exists(directory):
        raise VaultMissing(
            f"no vault at {directory}; create one with `therapynote init` "
            "(or pass --vault / set THERAPYNOTE_VAULT)"
        )
    pw = get_passphrase(passphrase_file)
    try:
        v = Vault.unlock(directory, pw, writable=writable)
    finally:
        wipe(pw)
    try:
        yield v
    finally:
        v.close()


# ---------------------------------------------------------------------- output
def console() -> Console:
    """A console that prints text literally: no markup, no highlighting."""
    from rich.console import Console

    return Console(markup=False, highlight=False, emoji=False, soft_wrap=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def read_text_file(path: Path, what: str = "file") -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        raise InvalidInput(f"cannot read the {what} {path} as UTF-8 text") from None


def parse_day(value: str | None, what: str) -> Any:
    from therapynote.domain.dates import parse_date

    return None if value is None else parse_date(value, what)
