"""Fixtures for the app's tests: one prepared vault per session, copied per test."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Coroutine, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from therapynote.config import Settings

PASSPHRASE = "quiet harbour lantern"
TODAY = date(2026, 3, 1)
#: A word that appears in exactly one note of the prepared vault (search tests).
NEEDLE = "zephyrine"


def run(coro: Coroutine[Any, Any, None]) -> None:
    """Run an async test body (no asyncio plugin needed)."""
    asyncio.run(coro)


@pytest.fixture(autouse=True)
def quiet_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("THERAPYNOTE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("THERAPYNOTE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("THERAPYNOTE_CONFIG_FILE", raising=False)
    monkeypatch.delenv("THERAPYNOTE_IDLE_LOCK_SECONDS", raising=False)
    # A blinking cursor makes screenshots depend on timing.
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    yield


@pytest.fixture(scope="session")
def prepared_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small fictional practice built once (the KDF and the generator are slow)."""
    from therapynote.demo import generate
    from therapynote.vault.vault import Vault

    directory = tmp_path_factory.mktemp("prepared") / "vault"
    created = Vault.create(directory, bytearray(PASSPHRASE.encode()))
    with created.vault as v:
        stats = generate(v.repo, size=12, seed=7, today=TODAY)
        code = stats.codes["active"]
        v.repo.add_session(
            code,
            date(2026, 2, 20),
            template="free",
            sections={"note": f"Talked about the {NEEDLE} lighthouse dream."},
        )
    return directory


@pytest.fixture
def vault_dir(prepared_vault: Path, tmp_path: Path) -> Path:
    target = tmp_path / "vault"
    shutil.copytree(prepared_vault, target)
    return target


@pytest.fixture
def make_app(vault_dir: Path) -> Callable[..., Any]:
    from therapynote.tui.app import TherapyNoteApp

    def factory(idle: int = 3600, **kwargs: Any) -> TherapyNoteApp:
        settings = Settings(idle_lock_seconds=idle)
        return TherapyNoteApp(vault_dir, settings=settings, today=TODAY, **kwargs)

    return factory


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 20) -> None:
    """Pause until `condition()` holds (workers run in threads)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


async def unlock(pilot: Pilot[Any], passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the unlock screen and wait for the main screen's client."""
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.unlock import UnlockScreen

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
    field = app.screen.query_one("#passphrase", Input)
    await wait_for(pilot, lambda: not field.disabled)
    field.value = passphrase
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: any(isinstance(s, MainScreen) and s.bundle is not None for s in app.screen_stack),
    )
    await pilot.pause()


def main_screen(app: Any) -> Any:
    from therapynote.tui.screens.main import MainScreen

    return next(s for s in app.screen_stack if isinstance(s, MainScreen))


def screen_text(app: Any) -> str:
    """The visible text of the current screen (from an SVG screenshot)."""
    import html
    import re

    svg = app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(lines)).replace("\xa0", " ")


def open_vault(directory: Path) -> Any:
    from therapynote.vault.vault import Vault

    return Vault.unlock(directory, bytearray(PASSPHRASE.encode()), writable=False)


def ready(app: Any, screen_type: type) -> bool:
    """The current screen is a loaded editor of this type."""
    return isinstance(app.screen, screen_type) and bool(getattr(app.screen, "ready", False))
