"""Make the user guide's screenshots with the app itself (Textual's `save_screenshot`).

Builds a fictional demo practice (fixed seed and date) in a temporary folder, drives the
app headless and writes SVGs to docs/screenshots/. Re-run after changing the UI:

    PYTHONPATH=src python scripts/make_screenshots.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
TODAY = date(2026, 3, 1)


async def until(pilot: Any, condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause(0.02)
    raise RuntimeError("the app did not reach the expected state")


async def shoot(
    vault: Path,
    name: str,
    size: tuple[int, int],
    steps: Callable[[Any], Awaitable[None]] | None = None,
) -> None:
    from textual.widgets import Input

    from therapynote.config import Settings
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.unlock import UnlockScreen

    settings = Settings(idle_lock_seconds=3600, backup_reminder=False)
    app = TherapyNoteApp(vault, settings=settings, today=TODAY, demo=True)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        if name != "unlock":
            app.screen.query_one("#passphrase", Input).value = "demo"
            await pilot.press("enter")
            await until(
                pilot, lambda: isinstance(app.screen, MainScreen) and app.screen.bundle is not None
            )
            await pilot.pause(0.3)
        if steps is not None:
            await steps(pilot)
            await pilot.pause(0.3)
        app.save_screenshot(f"{name}.svg", str(OUT))
        print(f"wrote {OUT / (name + '.svg')}")


def build(vault: Path) -> None:
    from therapynote import demo
    from therapynote.vault.vault import Vault

    created = Vault.create(vault, bytearray(demo.DEMO_PASSPHRASE.encode()), check_strength=False)
    with created.vault as v:
        v.repo.set_setting("demo", "true")
        demo.generate(v.repo, size=40, seed=7, today=TODAY)


async def main() -> None:
    from textual.widgets import Input

    async def rules_privacy(pilot: Any) -> None:
        await pilot.press("r", "p")

    async def sessions(pilot: Any) -> None:
        await pilot.press("2")

    async def timeline(pilot: Any) -> None:
        await pilot.press("4")

    async def editor(pilot: Any) -> None:
        await pilot.press("n")
        await pilot.pause(0.5)

    async def search(pilot: Any) -> None:
        await pilot.press("slash")
        pilot.app.screen.query_one("#search-input", Input).value = "sleep"
        await pilot.press("enter")
        await pilot.pause(0.5)

    async def help_(pilot: Any) -> None:
        await pilot.press("question_mark")

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["THERAPYNOTE_CONFIG_DIR"] = str(Path(tmp) / "config")
        vault = Path(tmp) / "demo-vault"
        build(vault)
        await shoot(vault, "unlock", (80, 24))
        await shoot(vault, "main-wide", (160, 48))
        await shoot(vault, "main-80x24", (80, 24))
        await shoot(vault, "rules-privacy-80x24", (80, 24), rules_privacy)
        await shoot(vault, "sessions", (120, 36), sessions)
        await shoot(vault, "timeline", (120, 36), timeline)
        await shoot(vault, "session-editor", (120, 36), editor)
        await shoot(vault, "search", (120, 36), search)
        await shoot(vault, "help", (120, 40), help_)


if __name__ == "__main__":
    asyncio.run(main())
