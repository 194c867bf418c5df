"""Markup and escape sequences typed into every text field stay literal and run nothing."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea

from tests.tui.conftest import main_screen as main_of
from tests.tui.conftest import open_vault, ready, run, screen_text, unlock, wait_for

CLICK = "[@click=app.quit]quit[/]"
BOLD = "[bold red]x[/]"
ESC = "\x1b[31mred\x1b[0m"
NASTY = f"{BOLD} {CLICK} {ESC}"


def test_markup_in_every_field_is_shown_literally(make_app: Any, vault_dir: Any) -> None:
    from therapynote.tui.screens.client_form import FIELDS, ClientForm
    from therapynote.tui.screens.journal_editor import JournalEditor
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.session_editor import SessionEditor

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            # a client whose every field holds markup
            await pilot.press("c")
            await wait_for(pilot, lambda: ready(app, ClientForm))
            form = app.screen
            for name, _, _ in FIELDS:
                if name != "date_of_birth":
                    form.query_one(f"#client-{name}", Input).value = NASTY
            form.query_one("#client-intake", Input).value = "2026-01-05"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            await wait_for(
                pilot, lambda: any(c.full_name == NASTY for c in main.client_list.clients)
            )
            code = next(c.code for c in main.client_list.clients if c.full_name == NASTY)
            main.client_list.select_code(code)
            main.load_client(code)
            await wait_for(pilot, lambda: main.code == code)
            # a session note and a journal entry full of markup
            await pilot.press("n")
            await wait_for(pilot, lambda: ready(app, SessionEditor))
            for key in ("subjective", "objective", "assessment", "plan"):
                app.screen.query_one(f"#s-soap-{key}", TextArea).text = NASTY
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen.session is not None)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is main)
            await pilot.press("j")
            await wait_for(pilot, lambda: ready(app, JournalEditor))
            app.screen.query_one("#journal-themes", Input).value = NASTY
            app.screen.query_one("#journal-text", TextArea).text = NASTY
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is main)
            await wait_for(pilot, lambda: len(main.bundle.journal) == 1)
            for tab in ("tab-overview", "tab-sessions", "tab-journal"):
                main.action_tab(tab)
                await pilot.pause()
                text = screen_text(app)
                assert CLICK in text, tab
                assert BOLD in text, tab
                assert "\x1b" not in text
                assert "\\x1b[31mred" in text, tab
            # the client list row and the header show the literal name too
            assert "[bold red]" in screen_text(app)
            # clicking the literal "[@click=app.quit]" text runs nothing
            await pilot.click("#client-header", offset=(20, 0))
            await pilot.pause()
            assert app.is_running and app.vault is not None
            # search results show the literal text
            await pilot.press("slash")
            app.screen.query_one("#search-input", Input).value = "click"
            await pilot.press("enter")
            await wait_for(pilot, lambda: len(app.screen.hits) > 0)
            assert "[@click=app.quit]" in screen_text(app) or "@click=app.quit" in screen_text(app)
            await pilot.press("escape")

    run(body())
    with open_vault(vault_dir) as v:
        client = next(c for c in v.repo.list_clients() if c.full_name == NASTY)
        assert v.repo.get_client(client.code).email == NASTY
