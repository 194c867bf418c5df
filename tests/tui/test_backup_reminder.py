"""The header warns when the newest verified backup is missing or too old."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import run, unlock, wait_for


def test_header_warns_without_a_recent_backup(make_app: Any) -> None:
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await wait_for(pilot, lambda: "backup overdue" in app.sub_title)

    run(body())


def test_reminder_can_be_turned_off(make_app: Any) -> None:
    app = make_app()
    app.settings.backup_reminder = False

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await pilot.pause(0.3)
            assert "backup" not in app.sub_title

    run(body())


def test_no_warning_after_a_fresh_backup(make_app: Any, vault_dir: Any) -> None:
    from tests.tui.conftest import PASSPHRASE
    from therapynote.backup.create import create_and_verify
    from therapynote.backup.status import configured_dir
    from therapynote.vault.vault import Vault

    with Vault.unlock(vault_dir, bytearray(PASSPHRASE.encode()), writable=False) as v:
        create_and_verify(v, configured_dir(v), [])
    app = make_app()

    async def body() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await unlock(pilot)
            await pilot.pause(0.5)
            assert "backup" not in app.sub_title

    run(body())
