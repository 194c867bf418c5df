"""First run: create a vault (passphrase twice) and show its recovery key once."""

from __future__ import annotations

import string
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from therapynote.tui.text import lit

if TYPE_CHECKING:
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.vault.vault import NewVault

MIN_CHARS = 8


def strength_hint(passphrase: str) -> tuple[str, str]:
    """A rough strength word and advice; length counts most."""
    n = len(passphrase)
    classes = sum(
        any(ch in group for ch in passphrase)
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    ) + any(not ch.isalnum() for ch in passphrase)
    words = len(passphrase.split())
    if n < MIN_CHARS:
        return "too short", f"at least {MIN_CHARS} characters; a few unrelated words work well"
    score = n + 3 * classes + 4 * max(words - 1, 0)
    if score < 20:
        return "weak", "longer is better: add another unrelated word"
    if score < 32:
        return "fair", "good; one more word makes it strong"
    return "strong", "a good passphrase; keep it somewhere only you can reach"


def recovery_key_line(identity_text: str) -> str:
    """The AGE-SECRET-KEY line of the recovery key text."""
    lines = [ln.strip() for ln in identity_text.splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("AGE-SECRET-KEY-"):
            return line
    return lines[-1] if lines else ""


class CreateVaultScreen(Screen[None]):
    """Passphrase twice, with a strength hint; the app creates the vault in a worker."""

    def compose(self) -> ComposeResult:
        with Center(), Vertical(classes="panel-box"):
            yield Static("Create your vault", classes="box-title")
            yield Static(lit(f"No vault yet at {self.tn.vault_dir}."), classes="dim")
            yield Static(
                "Choose a passphrase. Nobody can reset it for you: a recovery key is made next."
            )
            yield Input(placeholder="passphrase", password=True, id="new-passphrase")
            yield Static("", id="strength")
            yield Input(placeholder="the same passphrase again", password=True, id="new-again")
            yield Button("Create vault", id="create-button", variant="primary")
            yield Static("", id="create-message")
        yield Footer()

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    def on_mount(self) -> None:
        self.query_one("#new-passphrase", Input).focus()

    @on(Input.Changed, "#new-passphrase")
    def update_hint(self, event: Input.Changed) -> None:
        word, advice = strength_hint(event.value) if event.value else ("", "")
        self.query_one("#strength", Static).update(f"strength: {word} — {advice}" if word else "")

    @on(Input.Submitted, "#new-passphrase")
    def next_field(self) -> None:
        self.query_one("#new-again", Input).focus()

    @on(Input.Submitted, "#new-again")
    @on(Button.Pressed, "#create-button")
    def create(self) -> None:
        first = self.query_one("#new-passphrase", Input)
        again = self.query_one("#new-again", Input)
        message = self.query_one("#create-message", Static)
        if len(first.value) < MIN_CHARS:
            message.update(f"The passphrase needs at least {MIN_CHARS} characters.")
            first.focus()
            return
        if first.value != again.value:
            message.update("The two passphrases differ; type them again.")
            again.value = ""
            again.focus()
            return
        passphrase = bytearray(first.value.encode("utf-8"))
        first.value = again.value = ""
        first.disabled = again.disabled = True
        self.query_one("#create-button", Button).disabled = True
        message.update("Creating the vault…")
        self.tn.create_vault(passphrase, self)

    def failed(self, text: str) -> None:
        for field in self.query(Input):
            field.disabled = False
        self.query_one("#create-button", Button).disabled = False
        self.query_one("#create-message", Static).update(text)
        self.query_one("#new-passphrase", Input).focus()


class RecoveryKeyScreen(Screen[None]):
    """Show the recovery key once; continue only after its last 4 characters are typed."""

    def __init__(self, created: NewVault) -> None:
        super().__init__(id="recovery")
        self._identity_text = created.recovery_identity
        self._key = recovery_key_line(created.recovery_identity)

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="panel-box wide"):
            yield Static("Your recovery key (shown once)", classes="box-title")
            yield Static(
                "Write it down or save it to a file, then move it offline (printed, or on a "
                "USB stick in a safe place; never next to this laptop). It opens the vault "
                "and its backups if you forget the passphrase. therapynote will not show it "
                "again."
            )
            yield Static(lit(self._key), id="recovery-key", classes="secret")
            with Horizontal(classes="row"):
                yield Input(placeholder="save to file: /path/to/recovery-key.txt", id="save-path")
                yield Button("Save to file", id="save-button")
            yield Static("", id="save-message")
            yield Static("To confirm you have it, type its last 4 characters:")
            yield Input(placeholder="last 4 characters", id="confirm-last4", max_length=4)
            yield Button("Continue", id="continue-button", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#confirm-last4", Input).focus()

    def matches(self, typed: str) -> bool:
        return len(typed) == 4 and typed.upper() == self._key[-4:].upper()

    @on(Input.Changed, "#confirm-last4")
    def check_last4(self, event: Input.Changed) -> None:
        self.query_one("#continue-button", Button).disabled = not self.matches(event.value)

    @on(Input.Submitted, "#confirm-last4")
    @on(Button.Pressed, "#continue-button")
    def done(self) -> None:
        if not self.matches(self.query_one("#confirm-last4", Input).value):
            self.query_one("#save-message", Static).update(
                "Those are not the last 4 characters of the key."
            )
            return
        self._identity_text = ""
        self._key = ""
        self.tn.recovery_confirmed()

    @on(Input.Submitted, "#save-path")
    @on(Button.Pressed, "#save-button")
    def save(self) -> None:
        from therapynote.errors import TherapyNoteError
        from therapynote.vault.files import write_new_private

        raw = self.query_one("#save-path", Input).value.strip()
        out = self.query_one("#save-message", Static)
        if not raw:
            out.update("Type where to save the key first.")
            return
        path = Path(raw).expanduser()
        if path.exists():
            out.update(lit(f"{path} already exists; name a new file."))
            return
        if not path.parent.is_dir():
            out.update(lit(f"The folder {path.parent} does not exist."))
            return
        try:
            write_new_private(path, self._identity_text.encode("ascii"))
        except (OSError, TherapyNoteError) as exc:
            out.update(lit(f"Could not write the file ({type(exc).__name__})."))
            return
        out.update(lit(f"Saved to {path} (mode 600). Move it offline."))
