"""The rule panel follows the practice profile (needs the rule engine)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.conftest import TODAY, open_vault, run, screen_text, unlock, wait_for
from tests.tui.conftest import main_screen as main_of


def test_panel_says_not_legal_advice_and_handles_a_missing_engine(make_app: Any) -> None:
    from therapynote.tui.widgets.rule_panel import DISCLAIMER, NOT_INSTALLED, rules_available

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(130, 40)) as pilot:
            await unlock(pilot)
            assert "not legal advice" in DISCLAIMER
            assert "not legal advice" in screen_text(app)
            if not rules_available():
                assert NOT_INSTALLED in screen_text(app)

    run(body())


def test_changing_the_profile_changes_the_panel(make_app: Any, vault_dir: Any) -> None:
    pytest.importorskip("therapynote.rules")
    from textual.widgets import SelectionList

    from therapynote.tui.screens.settings import SettingsScreen

    with open_vault(vault_dir) as v:
        ended = next(c.code for c in v.repo.list_clients() if c.status == "ended")
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await unlock(pilot)
            main = main_of(app)
            main.client_list.select_code(ended)
            main.load_client(ended)
            panel = main.rule_panel
            await wait_for(pilot, lambda: panel.content is not None and panel.content.code == ended)
            assert panel.content.packs == ("apa",)
            assert {line.rule_id.split(":")[0] for line in panel.content.lines} == {"apa"}
            assert "Since termination" in panel.content.since
            await pilot.press("f2")
            await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
            settings = app.screen
            selection = settings.query_one("#settings-packs", SelectionList)
            await wait_for(pilot, lambda: selection.option_count > 5)
            selection.select("aca")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: settings.profile == ("apa", "aca"))
            await pilot.press("escape")
            await wait_for(pilot, lambda: "aca" in panel.content.packs)
            assert "aca" in {line.rule_id.split(":")[0] for line in panel.content.lines}

    run(body())
    with open_vault(vault_dir) as v:
        assert v.repo.get_setting("profile.packs") == '["apa", "aca"]'
    assert TODAY.year == 2026
