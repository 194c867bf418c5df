"""Unlock-to-first-paint of the app on the demo vault, against a bare Textual app.

Both apps run headless under `run_test()` the same way. For therapynote the clock starts
when the passphrase is submitted (KDF, page check and the first query included) and
stops when the main screen has painted its first client; for the bare app it runs from
entering `run_test()` to its first paint. Prints medians and their ratio.

    PYTHONPATH=src python benchmarks/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello")
        yield Footer()


async def bare_once() -> float:
    app = BareApp()
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return time.perf_counter() - start


async def therapynote_once(vault: Path) -> float:
    from textual.widgets import Input

    from therapynote.config import Settings
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.tui.screens.main import MainScreen
    from therapynote.tui.screens.unlock import UnlockScreen

    app = TherapyNoteApp(vault, settings=Settings(), demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        while not isinstance(app.screen, UnlockScreen):
            await pilot.pause(0.005)
        app.screen.query_one("#passphrase", Input).value = "demo"
        start = time.perf_counter()
        await pilot.press("enter")
        while not (isinstance(app.screen, MainScreen) and app.screen.bundle is not None):
            await asyncio.sleep(0.002)
        await pilot.pause()  # the frame with the client is painted
        elapsed = time.perf_counter() - start
        return elapsed


def build_demo(directory: Path) -> None:
    from therapynote import demo
    from therapynote.vault.vault import Vault

    passphrase = bytearray(demo.DEMO_PASSPHRASE.encode())
    created = Vault.create(directory, passphrase, check_strength=False)
    with created.vault as v:
        demo.generate(v.repo, size=40, seed=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault = Path(tmp) / "demo-vault"
        build_demo(vault)
        bare = [asyncio.run(bare_once()) for _ in range(args.runs)]
        ours = []
        for i in range(args.runs):
            copy = Path(tmp) / f"run-{i}"
            shutil.copytree(vault, copy)
            ours.append(asyncio.run(therapynote_once(copy)))
    b, t = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual app, start to first paint: {b * 1000:7.1f} ms (median of {args.runs})")
    print(f"therapynote, unlock to first paint:     {t * 1000:7.1f} ms (median of {args.runs})")
    print(f"ratio: {t / b:.1f}x; target: under 1 s -> {'met' if t < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
