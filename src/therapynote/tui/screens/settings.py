"""Settings: practice profile (rule packs, stored in the vault), idle lock, theme, privacy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from therapynote.tui.text import lit
from therapynote.tui.widgets.rule_panel import NOT_INSTALLED, rules_available

if TYPE_CHECKING:
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.vault.vault import Vault


class SettingsScreen(Screen[bool]):
    """Dismisses with True when something was saved."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="settings-save",
            priority=True,
            tooltip="Save the settings.",
        ),
        Binding("escape", "close", "Close", id="settings-close", tooltip="Back."),
    ]

    def __init__(self) -> None:
        super().__init__(id="settings", classes="editor")
        self.packs: list[tuple[str, str]] = []
        self.profile: tuple[str, ...] = ()

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    def compose(self) -> ComposeResult:
        s = self.tn.settings
        yield Header()
        with VerticalScroll(id="editor-body"):
            yield Static(
                "Practice profile: the codes and jurisdictions that bind you",
                classes="section-label",
            )
            if rules_available():
                yield SelectionList[str](id="settings-packs")
            else:
                yield Static(NOT_INSTALLED, classes="dim")
            with Horizontal(classes="row"):
                yield Label("lock after idle (seconds)", classes="field-label")
                yield Input(
                    str(s.idle_lock_seconds),
                    id="settings-idle",
                    restrict=r"[0-9]*",
                    classes="short",
                )
            with Horizontal(classes="row"):
                yield Label("theme", classes="field-label")
                themes = sorted(self.app.available_themes)
                yield Select(
                    [(t, t) for t in themes],
                    value=s.theme if s.theme in themes else self.app.theme,
                    allow_blank=False,
                    id="settings-theme",
                )
            yield Checkbox("start in privacy mode", s.privacy_default, id="settings-privacy")
            yield Button("Save", id="settings-save-button", variant="primary")
            yield Static("", id="settings-message")
        yield Footer()

    def on_mount(self) -> None:
        if not rules_available():
            return
        app = self.tn

        def job(vault: Vault) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
            from therapynote.rules_bridge import profile_packs

            packs, _problems = app.ensure_packs()
            listing = sorted((pid, getattr(p, "title", pid)) for pid, p in packs.items())
            return listing, tuple(profile_packs(vault.repo))

        def done(result: tuple[list[tuple[str, str]], tuple[str, ...]]) -> None:
            self.packs, self.profile = result
            selection = self.query_one("#settings-packs", SelectionList)
            selection.clear_options()
            for pid, title in self.packs:
                selection.add_option((lit(f"{pid:<12} {title}"), pid, pid in self.profile))

        self.tn.db(job, done)

    def chosen_packs(self) -> list[str]:
        if not rules_available():
            return []
        selection: SelectionList[str] = self.query_one("#settings-packs", SelectionList)
        chosen = set(selection.selected)
        # keep the profile's order for packs that stay, then new ones alphabetically
        ordered = [p for p in self.profile if p in chosen]
        ordered += sorted(chosen - set(ordered))
        return ordered

    @on(Button.Pressed, "#settings-save-button")
    def action_save(self) -> None:
        from therapynote.config import save_settings

        message = self.query_one("#settings-message", Static)
        raw = self.query_one("#settings-idle", Input).value
        if not raw or int(raw) < 1:
            message.update("The idle lock needs a whole number of seconds, 1 or more.")
            return
        s = self.tn.settings
        s.idle_lock_seconds = int(raw)
        s.theme = str(self.query_one("#settings-theme", Select).value)
        s.privacy_default = self.query_one("#settings-privacy", Checkbox).value
        try:
            self.app.theme = s.theme
        except Exception:  # noqa: BLE001
            pass
        try:
            path = save_settings(s)
        except OSError as exc:
            message.update(f"Could not write the settings file ({type(exc).__name__}).")
            return
        packs = self.chosen_packs()
        if rules_available() and packs and tuple(packs) != self.profile:
            self.save_profile(packs)
        message.update(lit(f"Saved to {path}."))

    def save_profile(self, packs: list[str]) -> None:
        from therapynote.rules_bridge import set_profile

        def done(_: Any) -> None:
            self.profile = tuple(packs)
            from therapynote.tui.screens.main import MainScreen

            for screen in self.app.screen_stack:
                if isinstance(screen, MainScreen) and screen.code:
                    screen.load_rules(screen.code)

        self.tn.db(lambda v: set_profile(v.repo, packs), done)

    def action_close(self) -> None:
        self.dismiss(True)
