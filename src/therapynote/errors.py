"""Errors a user can meet, each with its own exit code and a one-line message.

Messages never contain client or note text: they name the problem and what to do.
"""

from __future__ import annotations


class TherapyNoteError(Exception):
    """Base class of every error therapynote reports to a user."""

    exit_code: int = 1
    title: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(TherapyNoteError):
    """An option or argument is missing or malformed (Typer uses 2 as well)."""

    exit_code = 2
    title = "usage"


class VaultMissing(TherapyNoteError):
    """There is no vault at the given place."""

    exit_code = 3
    title = "no vault"


class WrongPassphrase(TherapyNoteError):
    """The passphrase or key does not open the vault."""

    exit_code = 4
    title = "wrong passphrase"


class VaultDamaged(TherapyNoteError):
    """The vault file is empty, truncated or fails its integrity checks."""

    exit_code = 5
    title = "vault damaged"


class PlaintextDatabase(TherapyNoteError):
    """The vault file is an unencrypted SQLite database."""

    exit_code = 6
    title = "not encrypted"


class VaultInUse(TherapyNoteError):
    """Another therapynote process holds the vault's writer lock."""

    exit_code = 7
    title = "vault in use"


class NotFound(TherapyNoteError):
    """A client, session or other record does not exist."""

    exit_code = 8
    title = "not found"


class InvalidInput(TherapyNoteError):
    """A value was understood but is not acceptable (a bad date, an unknown kind...)."""

    exit_code = 9
    title = "invalid input"


class Refused(TherapyNoteError):
    """The action would break a rule of the record (a signed note is immutable...)."""

    exit_code = 10
    title = "refused"


class VaultExists(TherapyNoteError):
    """`init` was asked to create a vault where one already is."""

    exit_code = 11
    title = "vault exists"


class NoPassphrase(TherapyNoteError):
    """No passphrase source was given and there is no terminal to prompt on."""

    exit_code = 12
    title = "no passphrase"


class CheckFailed(TherapyNoteError):
    """`check` found problems in the vault."""

    exit_code = 13
    title = "check failed"


class VaultLocked(TherapyNoteError):
    """The vault was locked: its key is gone and no query can run."""

    exit_code = 14
    title = "locked"


class SchemaTooNew(TherapyNoteError):
    """The vault was written by a newer therapynote than this one."""

    exit_code = 15
    title = "newer vault"


class RecoveryFailed(TherapyNoteError):
    """The recovery key does not open this vault's recovery file."""

    exit_code = 16
    title = "recovery failed"


class BackupDamaged(TherapyNoteError):
    """A backup file fails its checksum, its decryption or its checks."""

    exit_code = 20
    title = "backup damaged"


class BackupTruncated(BackupDamaged):
    """A backup file is shorter than when it was written (an interrupted copy)."""

    exit_code = 21
    title = "backup truncated"


class BackupWrongKey(TherapyNoteError):
    """No given identity opens the backup."""

    exit_code = 22
    title = "wrong backup key"


class BackupMissing(TherapyNoteError):
    """The backup file (or any backup at all) is not there."""

    exit_code = 23
    title = "no backup"


class NotABackup(TherapyNoteError):
    """The file is not a therapynote backup (not age, or not our payload)."""

    exit_code = 24
    title = "not a backup"


#: Every error class a user can meet, in exit-code order (used by --help and docs).
ALL_ERRORS: tuple[type[TherapyNoteError], ...] = (
    UsageError,
    VaultMissing,
    WrongPassphrase,
    VaultDamaged,
    PlaintextDatabase,
    VaultInUse,
    NotFound,
    InvalidInput,
    Refused,
    VaultExists,
    NoPassphrase,
    CheckFailed,
    VaultLocked,
    SchemaTooNew,
    RecoveryFailed,
    BackupDamaged,
    BackupTruncated,
    BackupWrongKey,
    BackupMissing,
    NotABackup,
)
