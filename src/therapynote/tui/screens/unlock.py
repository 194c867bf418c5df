"""The unlock screen: a hidden passphrase input and clear messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from therapynote.tui.text import lit

if TYPE_CHECKING:
    from therapynote.tui.app import TherapyNoteApp

#: Seconds to wait before the next try, by number of failures so far (then stays at the last).
FAILURE_DELAYS: tuple[float, ...] = (0, 1, 2, 4, 8, 15, 30)


def failure_delay(failures: int) -> float:
    """The pause after `failures` wrong passphrases: none after one, then growing."""
    if failures <= 1:
        return 0.0
    return float(FAILURE_DELAYS[min(failures - 1, len(FAILURE_DELAYS) - 1)])


class UnlockScreen(Screen[None]):
    """Ask for the passphrase; the app does the unlocking in a worker."""

    def __init__(self, *, locked_note: str = "") -> None:
        super().__init__(id="unlock")
        self.locked_note = locked_note
        self.failures = 0

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    def compose(self) -> ComposeResult:
        with Center(), Vertical(classes="panel-box"):
            yield Static("therapynote", classes="box-title")
            yield Static(lit(f"Vault: {self.tn.vault_dir}"), classes="dim")
            if self.tn.demo:
                yield Static("Demo vault of fictional clients: the passphrase is demo.")
            if self.locked_note:
                yield Static(self.locked_note, id="locked-note")
            yield Input(placeholder="passphrase", password=True, id="passphrase")
            yield Button("Unlock", id="unlock-button", variant="primary")
            yield Static("", id="unlock-message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @property
    def message(self) -> Static:
        return self.query_one("#unlock-message", Static)

    @on(Input.Submitted, "#passphrase")
    @on(Button.Pressed, "#unlock-button")
    def submit(self) -> None:
        field = self.query_one("#passphrase", Input)
        if field.disabled or not field.value:
            return
        passphrase = bytearray(field.value.encode("utf-8"))
        field.value = ""
        self.set_busy(True, "Unlocking…")
        self.tn.unlock(passphrase, self)

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.query_one("#passphrase", Input).disabled = busy
        self.query_one("#unlock-button", Button).disabled = busy
        self.message.update(message)
        if not busy:
            self.query_one("#passphrase", Input).focus()

    def failed(self, message: str, *, wrong_passphrase: bool) -> None:
        """Show why the vault did not open; after repeated wrong passphrases, wait longer."""
        if wrong_passphrase:
            self.failures += 1
        delay = failure_delay(self.failures) if wrong_passphrase else 0.0
        if delay:
            self.set_busy(True, f"{message} Try again in {delay:.0f} s.")
            self.set_timer(delay, lambda: self.set_busy(False, message))
        else:
            self.set_busy(False, message)
