"""A few screenshots of the main screen on fixed fictional data (fixed today and seed).

The rule panel's content comes from the rule packs, which change on their own schedule,
so these screenshots show the panel without the engine; its tests cover the content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import TODAY, unlock
from therapynote.config import Settings


@pytest.fixture(autouse=True)
def panel_without_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("therapynote.tui.screens.main.rules_available", lambda: False)


def _app(vault_dir: Path) -> Any:
    from therapynote.tui.app import TherapyNoteApp

    return TherapyNoteApp(
        vault_dir, settings=Settings(idle_lock_seconds=3600, backup_reminder=False), today=TODAY
    )


async def _ready(pilot: Pilot[Any]) -> None:
    await unlock(pilot)
    await pilot.pause(0.3)


def test_main_screen_80x24(snap_compare: Any, vault_dir: Path) -> None:
    assert snap_compare(_app(vault_dir), run_before=_ready, terminal_size=(80, 24))


def test_main_screen_160x48(snap_compare: Any, vault_dir: Path) -> None:
    assert snap_compare(_app(vault_dir), run_before=_ready, terminal_size=(160, 48))


def test_main_screen_80x24_rule_panel_and_privacy(snap_compare: Any, vault_dir: Path) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _ready(pilot)
        await pilot.press("r", "p")
        await pilot.pause(0.3)

    assert snap_compare(_app(vault_dir), run_before=before, terminal_size=(80, 24))
