"""A question with several answers, as a modal screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from therapynote.tui.text import lit


class ChoiceModal(ModalScreen[str]):
    """Dismiss with the chosen answer's id; escape gives `cancel_id`."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice-cancel")]

    def __init__(
        self, question: str, choices: list[tuple[str, str]], cancel_id: str = "stay"
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.choices = choices
        self.cancel_id = cancel_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(lit(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for i, (choice_id, label) in enumerate(self.choices):
                    yield Button(
                        label, id=f"choice-{choice_id}", variant="primary" if i == 0 else "default"
                    )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(self.cancel_id)
