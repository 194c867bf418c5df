"""Creating a vault and unlocking it."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from textual.widgets import Button, Input, Static

from tests.tui.conftest import PASSPHRASE, TODAY, run, unlock, wait_for
from therapynote.config import Settings


def test_create_vault_shows_recovery_key_once(tmp_path: Path) -> None:
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.tui.screens.create_vault import CreateVaultScreen, RecoveryKeyScreen
    from therapynote.tui.screens.main import MainScreen
    from therapynote.vault.vault import Vault

    directory = tmp_path / "new-vault"
    app = TherapyNoteApp(directory, settings=Settings(), today=TODAY)

    async def body() -> None:
        async with app.run_test(size=(100, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, CreateVaultScreen))
            screen = app.screen
            screen.query_one("#new-passphrase", Input).value = "short"
            strength = screen.query_one("#strength", Static)
            await wait_for(pilot, lambda: "too short" in str(strength.render()))
            screen.query_one("#new-passphrase", Input).value = PASSPHRASE
            screen.query_one("#new-again", Input).value = PASSPHRASE + "x"
            await pilot.click("#create-button")
            message = screen.query_one("#create-message", Static)
            await wait_for(pilot, lambda: "differ" in str(message.render()))
            screen.query_one("#new-passphrase", Input).value = PASSPHRASE
            screen.query_one("#new-again", Input).value = PASSPHRASE
            await pilot.click("#create-button")
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryKeyScreen))
            recovery = app.screen
            assert isinstance(recovery, RecoveryKeyScreen)
            key = recovery._key
            assert key.startswith("AGE-SECRET-KEY-")
            cont = recovery.query_one("#continue-button", Button)
            wrong = "ZZZZ" if key[-4:] != "ZZZZ" else "YYYY"
            recovery.query_one("#confirm-last4", Input).value = wrong
            await pilot.pause()
            assert cont.disabled
            out = tmp_path / "recovery.txt"
            recovery.query_one("#save-path", Input).value = str(out)
            await pilot.click("#save-button")
            await wait_for(pilot, out.exists)
            assert key in out.read_text()
            assert stat.S_IMODE(out.stat().st_mode) == 0o600
            recovery.query_one("#confirm-last4", Input).value = key[-4:].lower()
            await wait_for(pilot, lambda: not cont.disabled)
            await pilot.click("#continue-button")
            await wait_for(pilot, lambda: isinstance(app.screen, MainScreen))
            assert Vault.exists(directory)
            assert app.vault is not None
            await pilot.press("ctrl+q")
            await wait_for(pilot, lambda: app.vault is None)

    run(body())


def test_unlock_wrong_then_right(make_app: Any) -> None:
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.unlock import UnlockScreen, failure_delay

    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
            screen = app.screen
            field = screen.query_one("#passphrase", Input)
            field.value = "not the passphrase"
            await pilot.press("enter")
            message = screen.query_one("#unlock-message", Static)
            await wait_for(pilot, lambda: "Wrong passphrase" in str(message.render()))
            assert field.value == ""
            assert app.vault is None
            assert isinstance(app.screen, UnlockScreen)
            await unlock(pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.vault is not None

    run(body())
    assert failure_delay(1) == 0 and failure_delay(2) < failure_delay(4) <= 30
