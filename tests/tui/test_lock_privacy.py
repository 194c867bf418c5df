"""Locking (by key, idle, quit), drafts that survive it, and privacy mode."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import TextArea

from tests.tui.conftest import main_screen as main_of
from tests.tui.conftest import open_vault, run, screen_text, unlock, wait_for

DRAFT = "Half-written thought about the session."


async def _start_note(pilot: Any) -> Any:
    from therapynote.tui.screens.session_editor import SessionEditor

    app = pilot.app
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, SessionEditor) and app.screen.ready)
    editor = app.screen
    editor.query_one("#s-soap-subjective", TextArea).text = DRAFT
    return editor


def _assert_locked(app: Any) -> None:
    from therapynote.tui.screens.editor_base import EditorScreen
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.unlock import UnlockScreen

    assert isinstance(app.screen, UnlockScreen)
    assert app.vault is None
    assert not any(isinstance(s, MainScreen | EditorScreen) for s in app.screen_stack)
    assert DRAFT not in screen_text(app)


async def _assert_draft_back(pilot: Any) -> None:
    from therapynote.tui.screens.session_editor import SessionEditor

    app = pilot.app
    await unlock(pilot)
    await wait_for(pilot, lambda: isinstance(app.screen, SessionEditor) and app.screen.ready)
    assert app.screen.query_one("#s-soap-subjective", TextArea).text == DRAFT
    assert app.screen.is_dirty


def test_lock_by_key_keeps_the_draft(make_app: Any, vault_dir: Any) -> None:
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            main.action_tab("tab-sessions")
            code = main.code
            await _start_note(pilot)
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: not app._locking)
            _assert_locked(app)
            with open_vault(vault_dir) as v:  # the draft is in the (encrypted) vault
                assert (f"session:new:{code}", "session", code) in v.repo.list_drafts()
            await _assert_draft_back(pilot)
            assert main_of(app).query_one("TabbedContent").active == "tab-sessions"

    run(body())


def test_idle_lock_keeps_the_draft(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(idle=1)

    async def body() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await unlock(pilot)
            await _start_note(pilot)
            await wait_for(pilot, lambda: app.vault is None, timeout=5)
            await wait_for(pilot, lambda: not app._locking)
            _assert_locked(app)
            app.settings.idle_lock_seconds = 3600
            await _assert_draft_back(pilot)

    run(body())


def test_idle_seconds_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    from therapynote.config import load_settings

    monkeypatch.setenv("THERAPYNOTE_IDLE_LOCK_SECONDS", "2")
    assert load_settings(tmp_path / "none.toml").idle_lock_seconds == 2


def test_quit_asks_only_when_something_is_unsaved(make_app: Any) -> None:
    from therapynote.tui.screens.confirm import ConfirmModal

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await unlock(pilot)
            await _start_note(pilot)
            await pilot.press("ctrl+q")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
            await pilot.press("escape")
            await pilot.press("escape")  # leave the editor: it asks too
            from therapynote.tui.screens.choice import ChoiceModal

            await wait_for(pilot, lambda: isinstance(app.screen, ChoiceModal))
            await pilot.click("#choice-discard")
            await wait_for(pilot, lambda: app.screen is main_of(app))
            await pilot.press("q")
            await wait_for(pilot, lambda: app.vault is None)
        assert app.return_code in (0, None)

    run(body())


def test_privacy_mode_hides_every_name(make_app: Any, vault_dir: Any) -> None:
    with open_vault(vault_dir) as v:
        clients = v.repo.list_clients(include_archived=True)
    names = {c.full_name for c in clients} | {c.preferred_name for c in clients if c.preferred_name}
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            visible = screen_text(app)
            assert any(n in visible for n in names)
            await pilot.press("p")
            await pilot.pause()
            assert app.privacy
            for tab in ("tab-overview", "tab-sessions", "tab-journal", "tab-timeline"):
                main.action_tab(tab)
                await pilot.pause()
                text = screen_text(app)
                assert not [n for n in names if n in text], tab
            await pilot.press("ctrl+p")
            await pilot.press(*"client: open")
            await pilot.pause(0.3)
            assert not [n for n in names if n in screen_text(app)]
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is main)
            await pilot.press("p")
            assert not app.privacy

    run(body())
