"""Opening a client, writing and signing notes, addenda, the journal and search."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList, Select, TabbedContent, TextArea

from tests.tui.conftest import NEEDLE, open_vault, ready, run, unlock, wait_for
from tests.tui.conftest import main_screen as main_of


def test_open_client_and_switch_tabs(make_app: Any) -> None:
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            first = main.code
            assert first is not None
            await pilot.press("f")
            await pilot.press(*"C-0007", "enter")
            await wait_for(pilot, lambda: main.code == "C-0007")
            assert main.client_list.table.row_count >= 1
            await pilot.press("2")
            assert main.query_one(TabbedContent).active == "tab-sessions"
            await pilot.press("4")
            assert main.query_one(TabbedContent).active == "tab-timeline"
            await pilot.press("v")  # active -> ended
            assert main.client_list.scope == "ended"

    run(body())


def test_write_sign_and_amend_a_session_note(make_app: Any, vault_dir: Any) -> None:
    from therapynote.tui.screens.confirm import ConfirmModal
    from therapynote.tui.screens.session_editor import SessionEditor

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            code = main.code
            count = len(main.bundle.sessions)
            await pilot.press("n")
            await wait_for(pilot, lambda: ready(app, SessionEditor))
            editor = app.screen
            editor.query_one("#session-template", Select).value = "dap"
            await pilot.pause()
            assert editor.template == "dap"
            editor.query_one("#s-dap-data", TextArea).text = "Client arrived on time."
            editor.query_one("#s-dap-plan", TextArea).text = "Continue weekly."
            assert editor.is_dirty
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: editor.session is not None and not editor.is_dirty)
            sid = editor.session.id
            await pilot.press("ctrl+g")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmModal))
            await pilot.click("#yes")
            await wait_for(pilot, lambda: app.screen is main)
            await wait_for(pilot, lambda: len(main.bundle.sessions) == count + 1)
            signed = next(s for s in main.bundle.sessions if s.id == sid)
            assert signed.is_signed and signed.template == "dap"
            # addendum on the (newest-first) selected row
            await pilot.press("2")
            table = main.query_one("#sessions-table")
            table.move_cursor(row=0)
            await pilot.pause()
            assert main.selected_session().id == sid
            await pilot.press("a")
            await wait_for(pilot, lambda: ready(app, SessionEditor))
            editor = app.screen
            assert editor.signed
            assert editor.query_one("#s-dap-data", TextArea).read_only
            editor.query_one("#addendum-text", TextArea).text = "Correction: arrived 5 min late."
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: editor.session.addenda != [])
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is main)
            assert code is not None

    run(body())
    with open_vault(vault_dir) as v:
        s = v.repo.get_session(max(x.id for x in v.repo.list_sessions(code_of(v))))
        assert s.is_signed
        assert [a.text for a in s.addenda] == ["Correction: arrived 5 min late."]
        assert v.repo.list_drafts() == []


def code_of(v: Any) -> str:
    return str(v.repo.list_clients()[0].code)


def test_journal_entry(make_app: Any, vault_dir: Any) -> None:
    from therapynote.tui.screens.journal_editor import JournalEditor

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            before = len(main.bundle.journal)
            await pilot.press("j")
            await wait_for(pilot, lambda: ready(app, JournalEditor))
            ed = app.screen
            ed.query_one("#journal-kind", Select).value = "countertransference"
            ed.query_one("#journal-intensity", Input).value = "7"
            ed.query_one("#journal-themes", Input).value = "rescuing, boredom"
            ed.query_one("#journal-text", TextArea).text = "Noticed a pull to rescue."
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is main)
            await wait_for(pilot, lambda: len(main.bundle.journal) == before + 1)
            entry = main.bundle.journal[-1]
            assert entry.kind == "countertransference" and entry.intensity == 7
            assert entry.themes == ["boredom", "rescuing"]

    run(body())


def test_search_and_open_hit(make_app: Any) -> None:
    from therapynote.tui.screens.search import SearchScreen
    from therapynote.tui.screens.session_editor import SessionEditor

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await pilot.press("slash")
            assert isinstance(app.screen, SearchScreen)
            search = app.screen
            search.query_one("#search-input", Input).value = NEEDLE
            await pilot.press("enter")
            await wait_for(pilot, lambda: len(search.hits) == 1)
            options = search.query_one("#search-results", OptionList)
            assert "«" not in str(options.get_option_at_index(0).prompt)
            assert NEEDLE in str(options.get_option_at_index(0).prompt)
            await pilot.press("enter")
            await wait_for(pilot, lambda: ready(app, SessionEditor))
            editor = app.screen
            assert editor.session is not None and editor.session.id == search.hits[0].id
            assert NEEDLE in editor.query_one("#s-free-note", TextArea).text

    run(body())


def test_edit_a_saved_journal_entry(make_app: Any, vault_dir: Any) -> None:
    from therapynote.tui.screens.journal_editor import JournalEditor
    from therapynote.tui.screens.journal_view import JournalViewScreen

    app = make_app()
    seen: dict[str, int] = {}

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            await wait_for(pilot, lambda: bool(main.bundle and main.bundle.journal))
            entry = main.bundle.journal[0]
            seen["id"] = entry.id
            view = JournalViewScreen(entry.id)
            app.push_screen(view)
            await wait_for(pilot, lambda: view.entry is not None)
            await pilot.press("e")
            await wait_for(pilot, lambda: ready(app, JournalEditor))
            ed = app.screen
            assert ed.query_one("#journal-text", TextArea).text == entry.text
            assert ed.query_one("#journal-intensity", Input).value == str(entry.intensity)
            ed.query_one("#journal-text", TextArea).text = "Revised after supervision."
            ed.query_one("#journal-intensity", Input).value = "3"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: app.screen is view)
            await wait_for(
                pilot, lambda: view.entry is not None and view.entry.text.startswith("Revised")
            )
            assert view.entry.intensity == 3 and view.entry.kind == entry.kind

    run(body())
    with open_vault(vault_dir) as v:
        assert v.repo.get_journal(seen["id"]).text == "Revised after supervision."
