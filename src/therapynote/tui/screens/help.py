"""Help: every key of the screen it was opened from, generated from the live bindings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from therapynote.tui.widgets.rule_panel import DISCLAIMER


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str, str, str, str]]:
    """(group, key, description, id, tooltip) for each active binding of `screen`."""
    rows: list[tuple[str, str, str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if binding.system or not binding.description and not binding.id:
            continue
        node = active.node
        group = (
            "everywhere"
            if isinstance(node, App)
            else ("this screen" if isinstance(node, Screen) else type(node).__name__)
        )
        display = screen.app.get_key_display(replace(binding, key=key, key_display=None))
        if (display, binding.action) in seen:
            continue
        seen.add((display, binding.action))
        rows.append((group, display, binding.description, binding.id or "", binding.tooltip))
    order = {"this screen": 0, "everywhere": 1}
    rows.sort(key=lambda r: (order.get(r[0], 2), r[0], r[3] == ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys; binding ids are what the `[keymap]` table of the settings file uses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,q", "close", "Close", id="help-close", tooltip="Close the help."
        ),
    ]

    def __init__(self, target: Screen[Any]) -> None:
        super().__init__(id="help", classes="dialog-screen")
        self.rows = binding_rows(target)

    def compose(self) -> ComposeResult:
        out = Text(end="")
        out.append("Keys\n", style="bold underline")
        group = None
        for g, key, description, binding_id, tooltip in self.rows:
            if g != group:
                out.append(f"\n{g}\n", style="bold")
                group = g
            out.append(f"  {key:<14}", style="bold")
            out.append(f"{description:<22}")
            out.append(f"{binding_id:<28}", style="dim")
            out.append(f"{tooltip}\n", style="italic")
        out.append(
            '\nRemap a key in the settings file\'s [keymap] table by its id, e.g. lock = "f12".\n'
            'The command palette (ctrl+p) lists every action as "noun: verb".\n',
            style="dim",
        )
        out.append(f"\n{DISCLAIMER}\n", style="dim")
        with VerticalScroll(classes="dialog wide"):
            yield Static(out, id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
