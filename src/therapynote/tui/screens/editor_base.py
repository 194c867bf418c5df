"""What every editor shares: loading, encrypted draft autosave, save, and asking before leaving.

Drafts are written into the vault (never to plain files) every few seconds while the text
changes, whenever focus moves between fields, and when the vault locks.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import DescendantBlur
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from therapynote.tui.state import EditorSpec
from therapynote.tui.text import lit

if TYPE_CHECKING:
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.vault.vault import Vault

#: Seconds between autosaves of a changed editor.
AUTOSAVE_SECONDS = 3.0


class EditorScreen(Screen[bool]):
    """Base class: subclasses build fields, fill them, read them back and save."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+s", "save", "Save", id="editor-save", priority=True, tooltip="Save to the record."
        ),
        Binding(
            "escape",
            "close",
            "Close",
            id="editor-close",
            tooltip="Close the editor (asks if something is unsaved).",
        ),
    ]
    kind_title = "Editor"

    def __init__(self, spec: EditorSpec, prefill: dict[str, Any] | None = None) -> None:
        super().__init__(classes="editor")
        self.spec = spec
        self.prefill = prefill
        self.draft_key = spec.draft_key
        self.client_name = ""
        self._baseline: dict[str, Any] | None = None
        self._autosaved: dict[str, Any] | None = None
        self.changed = False
        self.ready = False
        self.close_after_save = False

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    # ------------------------------------------------------------------ for subclasses
    def compose_fields(self) -> ComposeResult:
        yield from ()

    def load_record(self, vault: Vault) -> Any:
        """Runs in a worker: read what the editor needs."""
        return None

    def fill(self, record: Any) -> None:
        """Put the record into the fields."""

    def payload(self) -> dict[str, Any]:
        """The editor's current content, as a JSON-able dict."""
        return {}

    def apply_payload(self, payload: dict[str, Any]) -> None:
        """Put a saved draft back into the fields."""

    def save_record(self) -> None:
        """Save to the record (start a worker; call `saved` when done)."""

    def header_detail(self) -> str:
        return ""

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="editor-header")
        with VerticalScroll(id="editor-body"):
            yield from self.compose_fields()
        yield Static("", id="editor-status")
        yield Footer()

    def on_mount(self) -> None:
        self.update_header()
        self.set_status("Loading…")
        key_holder = self

        def job(vault: Vault) -> tuple[Any, dict[str, Any] | None, str]:
            record = key_holder.load_record(vault)
            name = ""
            if key_holder.spec.client_code:
                name = vault.repo.get_client(key_holder.spec.client_code).display_name
            return record, vault.repo.get_draft(key_holder.draft_key), name

        self.tn.db(job, self._loaded, failed=self._load_failed)

    def _load_failed(self, exc: Any) -> None:
        self.tn.report(exc)
        self.dismiss(False)

    def _loaded(self, result: tuple[Any, dict[str, Any] | None, str]) -> None:
        record, draft, name = result
        self.client_name = name
        self.fill(record)
        self._baseline = self.payload()
        if self.prefill:
            self.apply_payload(self.prefill)
        if draft is not None:
            self.apply_payload(draft)
            self._autosaved = draft
            self.set_status("Restored unsaved text from an encrypted draft.")
        else:
            self.set_status("")
        self.ready = True
        self.update_header()
        self.set_interval(AUTOSAVE_SECONDS, self.autosave)

    def update_header(self) -> None:
        out = Text(end="")
        out.append(self.kind_title, style="bold")
        if self.spec.client_code:
            out.append(" · ")
            out.append_text(lit(self.tn.client_label(self.spec.client_code, self.client_name)))
        detail = self.header_detail()
        if detail:
            out.append(" · ")
            out.append_text(lit(detail))
        self.query_one("#editor-header", Static).update(out)

    def refresh_privacy(self) -> None:
        self.update_header()

    def set_status(self, message: str) -> None:
        self.query_one("#editor-status", Static).update(lit(message))

    # ------------------------------------------------------------------ dirty state and drafts
    @property
    def is_dirty(self) -> bool:
        return self.ready and self._baseline is not None and self.payload() != self._baseline

    def draft_record(self) -> tuple[str, str, str, dict[str, Any]] | None:
        """(key, kind, client code, payload) if there is unsaved text."""
        if not self.is_dirty:
            return None
        return self.draft_key, self.spec.kind, self.spec.client_code or "", self.payload()

    def autosave(self) -> None:
        record = self.draft_record()
        if record is None:
            return
        key, kind, code, payload = record
        if payload == self._autosaved:
            return
        self._autosaved = payload

        def done(_: None) -> None:
            self.set_status(f"Draft saved (encrypted) at {datetime.now():%H:%M:%S}.")

        self.tn.db(lambda v: v.repo.save_draft(key, kind, code, payload), done)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self.autosave()

    def saved(self, message: str, *, close: bool = False) -> None:
        """Call after a successful save: the record now holds the text; drop the draft."""
        self.changed = True
        self._baseline = self.payload()
        self._autosaved = None
        key = self.draft_key
        self.tn.db(lambda v: v.repo.delete_draft(key))
        self.set_status(message)
        if close or self.close_after_save:
            self.dismiss(True)

    def save_failed(self, exc: Any) -> None:
        """A save was refused: say why (the message names no record text) and stay."""
        self.close_after_save = False
        self.set_status(getattr(exc, "message", "The record was not saved."))
        self.tn.report(exc)

    def drop_draft_key(self, old_key: str) -> None:
        self.tn.db(lambda v: v.repo.delete_draft(old_key))

    # ------------------------------------------------------------------ actions
    def action_save(self) -> None:
        if self.ready:
            self.save_record()

    def action_close(self) -> None:
        from therapynote.tui.screens.choice import ChoiceModal

        if not self.is_dirty:
            self.dismiss(self.changed)
            return

        def answer(choice: str | None) -> None:
            if choice == "save":
                self.close_after_save = True
                self.save_record()
            elif choice == "draft":
                self.autosave()
                self.dismiss(self.changed)
            elif choice == "discard":
                key = self.draft_key
                self.tn.db(lambda v: v.repo.delete_draft(key))
                self.dismiss(self.changed)

        self.app.push_screen(
            ChoiceModal(
                "This text is not saved yet.",
                [
                    ("save", "Save"),
                    ("draft", "Keep as draft"),
                    ("discard", "Discard"),
                    ("stay", "Stay"),
                ],
            ),
            callback=answer,
        )
