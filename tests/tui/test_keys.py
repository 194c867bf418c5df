"""Bindings carry ids, the help is built from them, the palette names every action."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from tests.tui.conftest import run, screen_text, unlock, wait_for


def _screen_classes() -> list[type]:
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.tui.screens.editor_base import EditorScreen
    from therapynote.tui.screens.journal_view import JournalViewScreen
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.search import SearchScreen
    from therapynote.tui.screens.session_editor import SessionEditor
    from therapynote.tui.screens.settings import SettingsScreen

    return [
        TherapyNoteApp,
        MainScreen,
        EditorScreen,
        SessionEditor,
        JournalViewScreen,
        SearchScreen,
        SettingsScreen,
    ]


def test_every_binding_has_an_id_and_palette_title() -> None:
    from therapynote.tui.commands import TITLES

    ids: list[str] = []
    for cls in _screen_classes():
        for b in cls.__dict__.get("BINDINGS", []):
            assert isinstance(b, Binding)
            assert b.id, f"{cls.__name__}: {b.key} has no id"
            ids.append(b.id)
    assert len(ids) == len(set(ids)), "binding ids must be unique"
    for title in TITLES.values():
        noun, _, verb = title.partition(": ")
        assert noun and verb and noun == noun.lower()


def test_help_lists_keys_and_keymap_remaps(make_app: Any) -> None:
    from therapynote.tui.screens.help import HelpScreen
    from therapynote.tui.screens.unlock import UnlockScreen

    app = make_app()
    app.settings.keymap = {"lock": "f12"}

    async def body() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await unlock(pilot)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.pause(0.1)
            text = screen_text(app)
            for binding_id in ("session-new", "search", "privacy", "toggle-rules", "lock"):
                assert binding_id in text
            assert ("everywhere", "f12", "Lock", "lock") in [r[:4] for r in app.screen.rows]
            await pilot.press("escape")
            await pilot.press("f12")
            await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))

    run(body())


def test_palette_runs_noun_verb_commands(make_app: Any) -> None:
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            from textual.command import CommandList, CommandPalette

            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
            await pilot.press(*"view: toggle privacy")
            commands = app.screen.query_one(CommandList)
            await wait_for(pilot, lambda: commands.option_count > 0)
            prompt = str(commands.get_option_at_index(0).prompt)
            assert "view: toggle privacy mode" in prompt
            await pilot.press("down", "enter")
            await wait_for(pilot, lambda: app.privacy)

    run(body())


def test_escape_leaves_the_filter_box(make_app: Any) -> None:
    from textual.widgets import DataTable, Input

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await pilot.press("f")
            assert isinstance(app.focused, Input)
            await pilot.press("x", "escape")
            assert isinstance(app.focused, DataTable)
            await pilot.press("p")
            assert app.privacy
            assert app.screen.query_one("#client-filter", Input).value == "x"

    run(body())
