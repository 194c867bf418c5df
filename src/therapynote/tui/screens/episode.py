"""Record a termination: the end date and how the episode ended."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from therapynote.domain.models import TERMINATION_TYPES


class EndEpisodeModal(ModalScreen[tuple[date, str, str] | None]):
    """Dismisses with (end date, termination type, closing summary) or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="episode-cancel"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__(classes="dialog-screen")
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Record the termination of the open episode", classes="box-title")
            with Horizontal(classes="row"):
                yield Label("end date")
                yield Input(self.today.isoformat(), id="episode-end", classes="date")
            with Horizontal(classes="row"):
                yield Label("how it ended")
                yield Select(
                    [(t, t) for t in TERMINATION_TYPES],
                    value="planned",
                    allow_blank=False,
                    id="episode-type",
                )
            yield Input(placeholder="closing summary (optional)", id="episode-summary")
            yield Static("", id="episode-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record", id="episode-ok", variant="primary")
                yield Button("Cancel", id="episode-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        from therapynote.domain.dates import parse_date
        from therapynote.errors import InvalidInput

        if event.button.id != "episode-ok":
            self.dismiss(None)
            return
        try:
            end = parse_date(self.query_one("#episode-end", Input).value, "the end date")
        except InvalidInput as exc:
            self.query_one("#episode-message", Static).update(exc.message)
            return
        kind = str(self.query_one("#episode-type", Select).value)
        self.dismiss((end, kind, self.query_one("#episode-summary", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
