"""The therapynote app: owns the vault, the lock, privacy mode and the screens.

Every database call runs in a thread worker (`TherapyNoteApp.db`); the event loop never
waits on SQL. Locking closes the vault, saves open editors as encrypted drafts and
removes every screen that showed record text.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from therapynote.config import Settings, load_settings
from therapynote.errors import TherapyNoteError, VaultLocked
from therapynote.tui.commands import TherapyNoteCommands
from therapynote.tui.state import EditorSpec, Location

if TYPE_CHECKING:
    from textual.screen import Screen

    from therapynote.tui.screens.create_vault import CreateVaultScreen
    from therapynote.tui.screens.unlock import UnlockScreen
    from therapynote.vault.vault import NewVault, Vault

T = TypeVar("T")

#: Seconds between checks of the idle clock.
IDLE_CHECK_SECONDS = 0.25


class TherapyNoteApp(App[None], inherit_bindings=False):
    """The case notebook in the terminal."""

    TITLE = "therapynote"
    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar[set[Any]] = {TherapyNoteCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="quit",
            priority=True,
            tooltip="Quit (asks only if something is unsaved).",
        ),
        Binding(
            "q",
            "quit",
            "Quit",
            id="quit-q",
            show=False,
            tooltip="Quit (asks only if something is unsaved).",
        ),
        Binding(
            "ctrl+l",
            "lock",
            "Lock",
            id="lock",
            priority=True,
            tooltip="Lock the vault now; unsaved text is kept as an encrypted draft.",
        ),
        Binding(
            "ctrl+z",
            "suspend_locked",
            "Suspend",
            id="suspend",
            show=False,
            tooltip="Lock the vault, then suspend to the shell.",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            id="command-palette",
            priority=True,
            show=False,
            tooltip="Search every command.",
        ),
        Binding(
            "question_mark", "help", "Help", id="help", tooltip="Show every key of this screen."
        ),
        Binding(
            "f2",
            "settings",
            "Settings",
            id="settings",
            show=False,
            tooltip="Practice profile, idle lock, theme, privacy default.",
        ),
    ]

    privacy: reactive[bool] = reactive(False, init=False)
    """Show client codes instead of names everywhere."""

    def __init__(
        self,
        vault_dir: Path,
        *,
        settings: Settings | None = None,
        today: date | None = None,
        demo: bool = False,
        rules_folder: Path | None = None,
    ) -> None:
        super().__init__()
        self.vault_dir = vault_dir
        self.backup_warning = ""
        self.settings = settings if settings is not None else load_settings()
        self.today_override = today
        self.demo = demo
        self.rules_folder = rules_folder
        self.vault: Vault | None = None
        self.location: Location | None = None
        self._db_lock = threading.RLock()
        self._epoch = 0
        self._last_activity = monotonic()
        self._suspending = False
        self._locking = False
        self.packs_cache: tuple[dict[str, Any], tuple[str, ...]] | None = None
        self.first_paint_at: float | None = None

    # ------------------------------------------------------------------ basics
    def today(self) -> date:
        return self.today_override or date.today()

    def client_label(self, code: str, name: str) -> str:
        """How a client is named on screen: the code alone in privacy mode."""
        return code if self.privacy or not name else f"{code} {name}"

    def on_mount(self) -> None:
        try:
            self.set_keymap(self.settings.keymap)
        except Exception:  # noqa: BLE001 - a bad keymap must not stop the app
            self.notify(
                "The keymap in the settings file has an error; using defaults.",
                severity="warning",
                markup=False,
            )
        try:
            self.theme = self.settings.theme
        except Exception:  # noqa: BLE001
            self.theme = "textual-dark"
        self.privacy = self.settings.privacy_default
        for problem in self.settings.problems:
            self.notify(problem, severity="warning", markup=False)
        self.set_interval(IDLE_CHECK_SECONDS, self._check_idle)
        self._install_signal_handlers()
        self.show_entry()

    def show_entry(self) -> None:
        """The unlock screen, or on first run the create-vault screen."""
        from therapynote.tui.screens.create_vault import CreateVaultScreen
        from therapynote.tui.screens.unlock import UnlockScreen
        from therapynote.vault.vault import Vault

        if Vault.exists(self.vault_dir):
            self.push_screen(UnlockScreen())
        else:
            self.push_screen(CreateVaultScreen())

    # ------------------------------------------------------------------ activity and idle lock
    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event,
            events.Key
            | events.MouseDown
            | events.MouseScrollDown
            | events.MouseScrollUp
            | events.Paste,
        ):
            self._last_activity = monotonic()
        await super().on_event(event)

    def touch(self) -> None:
        """Count as activity (used by tests and by long-running screens)."""
        self._last_activity = monotonic()

    def _check_idle(self) -> None:
        if self.vault is None or self._locking:
            return
        if monotonic() - self._last_activity >= self.settings.idle_lock_seconds:
            self.lock(note="Locked after a period without activity.")

    # ------------------------------------------------------------------ database workers
    def db(
        self,
        job: Callable[[Vault], T],
        done: Callable[[T], None] | None = None,
        *,
        failed: Callable[[TherapyNoteError], None] | None = None,
    ) -> None:
        """Run `job(vault)` in a thread; call `done(result)` back on the event loop.

        Results that arrive after a lock are dropped. Errors become one-line messages that
        never contain record text.
        """
        vault = self.vault
        if vault is None:
            return
        epoch = self._epoch

        def run() -> None:
            try:
                with self._db_lock:
                    result = job(vault)
            except VaultLocked:
                return
            except TherapyNoteError as exc:
                self._deliver(epoch, partial(failed or self.report, exc))
                return
            except Exception as exc:  # noqa: BLE001 - reported without its text
                self._deliver(epoch, partial(self.report_unexpected, exc))
                return
            if done is not None:
                self._deliver(epoch, lambda: done(result))

        self.run_worker(run, thread=True, group="db", exit_on_error=False)

    def _deliver(self, epoch: int, fn: Callable[[], None]) -> None:
        def apply() -> None:
            if epoch == self._epoch:
                fn()

        try:
            self.call_from_thread(apply)
        except RuntimeError:
            pass  # the app is closing

    def report(self, exc: TherapyNoteError) -> None:
        self.notify(exc.message, title=exc.title, severity="error", markup=False)

    def report_unexpected(self, exc: BaseException) -> None:
        from therapynote.cli.common import _as_damage

        damaged = _as_damage(exc)
        if damaged is not None:
            self.report(damaged)
            return
        self.notify(
            f"Unexpected error ({type(exc).__name__}); nothing more was changed.",
            severity="error",
            markup=False,
        )

    # ------------------------------------------------------------------ unlock / create
    def unlock(self, passphrase: bytearray, screen: UnlockScreen) -> None:
        """Open the vault in a worker; on success show the main screen (or where we were)."""
        from therapynote.errors import WrongPassphrase
        from therapynote.vault.keys import wipe
        from therapynote.vault.vault import Vault

        directory = self.vault_dir

        def run() -> None:
            try:
                with self._db_lock:
                    vault = Vault.unlock(directory, passphrase, audit_unlock=True)
            except TherapyNoteError as exc:
                wrong = isinstance(exc, WrongPassphrase)
                text = "Wrong passphrase." if wrong else exc.message
                self.call_from_thread(screen.failed, text, wrong_passphrase=wrong)
                return
            except Exception as exc:  # noqa: BLE001
                text = f"The vault could not be opened ({type(exc).__name__})."
                self.call_from_thread(screen.failed, text, wrong_passphrase=False)
                return
            finally:
                wipe(passphrase)
            self.call_from_thread(self._opened, vault)

        self.run_worker(run, thread=True, group="unlock", exit_on_error=False)

    def create_vault(self, passphrase: bytearray, screen: CreateVaultScreen) -> None:
        from therapynote.vault.keys import wipe
        from therapynote.vault.vault import Vault

        directory = self.vault_dir

        def run() -> None:
            try:
                with self._db_lock:
                    created = Vault.create(directory, passphrase)
            except TherapyNoteError as exc:
                self.call_from_thread(screen.failed, exc.message)
                return
            except Exception as exc:  # noqa: BLE001
                self.call_from_thread(
                    screen.failed, f"The vault could not be created ({type(exc).__name__})."
                )
                return
            finally:
                wipe(passphrase)
            self.call_from_thread(self._created, created)

        self.run_worker(run, thread=True, group="unlock", exit_on_error=False)

    def _created(self, created: NewVault) -> None:
        from therapynote.tui.screens.create_vault import RecoveryKeyScreen

        self.vault = created.vault
        self.touch()
        self.switch_screen(RecoveryKeyScreen(created))

    def recovery_confirmed(self) -> None:
        self._show_main()

    def _opened(self, vault: Vault) -> None:
        self.vault = vault
        self.touch()
        self._show_main()

    def _show_main(self) -> None:
        from therapynote.tui.screens.main import MainScreen

        location, self.location = self.location, None
        self.switch_screen(MainScreen(location))
        self.check_backup_age()
        if location is not None:
            for spec in location.editors:
                self.open_editor(spec)

    def open_editor(
        self,
        spec: EditorSpec,
        prefill: dict[str, Any] | None = None,
        on_close: Callable[[bool | None], None] | None = None,
    ) -> None:
        """Push the editor for `spec` (its draft, if any, is restored by the editor)."""
        from therapynote.tui.screens.editors import make_editor

        self.push_screen(make_editor(spec, prefill), callback=on_close)

    # ------------------------------------------------------------------ lock
    def action_lock(self) -> None:
        self.lock()

    def lock(self, *, note: str = "Locked.", then: Callable[[], None] | None = None) -> None:
        """Save drafts, clear every screen with record text, close the vault."""
        from therapynote.tui.screens.editors import EditorScreen
        from therapynote.tui.screens.main import MainScreen
        from therapynote.tui.screens.unlock import UnlockScreen

        vault = self.vault
        if vault is None:
            if then is not None:
                then()
            return
        self._locking = True
        location = Location()
        drafts: list[tuple[str, str, str, dict[str, Any]]] = []
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                location = screen.location()
            elif isinstance(screen, EditorScreen):
                location.editors.append(screen.spec)
                record = screen.draft_record()
                if record is not None:
                    drafts.append(record)
        self.location = location
        self.vault = None
        self._epoch += 1
        self.packs_cache = self.packs_cache  # rule packs hold no record text
        unlock_screen = UnlockScreen(locked_note=note)
        self._clear_screens(unlock_screen)

        def run() -> None:
            try:
                with self._db_lock:
                    for key, kind, code, payload in drafts:
                        try:
                            vault.repo.save_draft(key, kind, code, payload)
                        except Exception:  # noqa: BLE001 - locking must go on
                            pass
                    vault.close()
            finally:
                try:
                    self.call_from_thread(self._locked, then)
                except RuntimeError:
                    pass

        self.run_worker(run, thread=True, group="lock", exit_on_error=False)

    def _clear_screens(self, replacement: Screen[Any]) -> None:
        # Screens are removed (not just hidden): their widgets and text go with them.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(replacement)

    def _locked(self, then: Callable[[], None] | None) -> None:
        self._locking = False
        if then is not None:
            then()

    def action_suspend_locked(self) -> None:
        """ctrl+z: lock first, then suspend to the shell."""
        self.lock(note="Locked when suspended.", then=self._suspend_now)

    def _suspend_now(self) -> None:
        if os.name != "posix" or self.is_headless:
            return
        self._suspending = True
        self.action_suspend_process()

    def _install_signal_handlers(self) -> None:
        if os.name != "posix" or self.is_headless:
            return
        loop = asyncio.get_running_loop()
        previous = signal.getsignal(signal.SIGTSTP)

        def on_tstp(signum: int, frame: Any) -> None:
            if self._suspending:
                self._suspending = False
                if callable(previous):
                    previous(signum, frame)
                return
            loop.call_soon_threadsafe(self.action_suspend_locked)

        signal.signal(signal.SIGTSTP, on_tstp)
        loop.add_signal_handler(signal.SIGHUP, self._on_hangup)

    def _on_hangup(self) -> None:
        self.lock(note="Locked: the terminal went away.", then=self._exit_after_hangup)

    def _exit_after_hangup(self) -> None:
        """The vault is closed; leave even if the vanished terminal cannot be restored."""
        import os
        import threading

        self.exit()
        timer = threading.Timer(3.0, os._exit, args=(129,))
        timer.daemon = True
        timer.start()

    # ------------------------------------------------------------------ status line
    def check_backup_age(self) -> None:
        """Warn in the header when the newest verified backup is too old (or missing)."""
        if not self.settings.backup_reminder:
            return

        def job(vault: Vault) -> str | None:
            from therapynote.backup.status import backup_age_note

            return backup_age_note(vault)

        def done(note: str | None) -> None:
            self.backup_warning = "backup overdue" if note else ""
            self._refresh_subtitle()
            if note:
                self.notify(note, title="Backups", severity="warning", markup=False, timeout=8)

        self.db(job, done)

    def _refresh_subtitle(self) -> None:
        parts = ["privacy mode" if self.privacy else "", self.backup_warning]
        self.sub_title = " · ".join(p for p in parts if p)

    # ------------------------------------------------------------------ privacy
    def watch_privacy(self, privacy: bool) -> None:
        self._refresh_subtitle()
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_privacy", None)
            if callable(refresh):
                refresh()

    def action_toggle_privacy(self) -> None:
        self.privacy = not self.privacy

    # ------------------------------------------------------------------ help, settings, quit
    def action_help(self) -> None:
        from therapynote.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_settings(self) -> None:
        from therapynote.tui.screens.settings import SettingsScreen

        if self.vault is not None and not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def unsaved_editors(self) -> list[Any]:
        from therapynote.tui.screens.editors import EditorScreen

        return [s for s in self.screen_stack if isinstance(s, EditorScreen) and s.is_dirty]

    async def action_quit(self) -> None:
        from therapynote.tui.screens.confirm import ConfirmModal

        if self.unsaved_editors():

            def answer(yes: bool | None) -> None:
                if yes:
                    self.lock(then=self.exit)

            self.push_screen(
                ConfirmModal(
                    "Some text is not saved yet. Keep it as an encrypted draft and quit?",
                    yes="Keep draft and quit",
                    no="Stay",
                ),
                callback=answer,
            )
            return
        self.lock(then=self.exit)

    # ------------------------------------------------------------------ rule packs
    def ensure_packs(self) -> tuple[dict[str, Any], tuple[str, ...]]:
        """Load every rule pack once (call from a worker thread)."""
        if self.packs_cache is None:
            from therapynote import paths
            from therapynote.tui.widgets.rule_panel import load_packs

            folder = self.rules_folder or paths.config_dir() / "rules"
            self.packs_cache = load_packs(folder)
        return self.packs_cache

    def on_unmount(self) -> None:
        """However the app ends, the vault is closed and its writer lock released."""
        vault, self.vault = self.vault, None
        if vault is not None:
            with self._db_lock:
                vault.close()

    def on_ready(self) -> None:
        self.first_paint_at = monotonic()


def run_app(vault_dir: Path, *, demo: bool = False) -> None:
    """Start the app on a vault folder (used by the CLI)."""
    TherapyNoteApp(vault_dir, demo=demo).run()
