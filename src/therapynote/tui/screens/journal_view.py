"""One journal entry, read-only, with its supervision flags."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from therapynote.tui.text import day, lit

if TYPE_CHECKING:
    from therapynote.domain.models import JournalEntry
    from therapynote.tui.app import TherapyNoteApp


class JournalViewScreen(Screen[bool]):
    """Shows an entry literally; `b` flags it for supervision, `d` marks it discussed today."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="journal-view-close", tooltip="Back."),
        Binding(
            "b",
            "toggle_bring",
            "Bring to supervision",
            id="journal-view-bring",
            tooltip="Flag or unflag the entry for supervision.",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="journal-view-edit",
            tooltip="Change this entry (the change is audited).",
        ),
        Binding(
            "d",
            "discussed",
            "Discussed today",
            id="journal-view-discussed",
            tooltip="Mark the entry as discussed in supervision today.",
        ),
    ]

    def __init__(self, entry_id: int) -> None:
        super().__init__(classes="editor")
        self.entry_id = entry_id
        self.entry: JournalEntry | None = None
        self.code = ""
        self.changed = False

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="editor-body"):
            yield Static(id="journal-entry")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        eid = self.entry_id

        def job(v: object) -> tuple[JournalEntry, str]:
            from therapynote.vault.vault import Vault

            assert isinstance(v, Vault)
            return v.repo.get_journal(eid), v.repo.journal_client_code(eid)

        def done(result: tuple[JournalEntry, str]) -> None:
            self.entry, self.code = result
            self.render_entry()

        self.tn.db(job, done)

    def render_entry(self) -> None:
        e = self.entry
        if e is None:
            return
        out = Text(end="")
        out.append("Journal entry ", style="bold")
        out.append_text(lit(f"{e.id} · {self.code} · {day(e.written_on)} · {e.kind}"))
        out.append("\n")
        out.append_text(lit(f"themes: {', '.join(e.themes) or '—'} · intensity {e.intensity}/10"))
        if e.session_id:
            out.append_text(lit(f" · session {e.session_id}"))
        out.append("\n")
        flags = []
        if e.bring_to_supervision:
            flags.append("bring to supervision")
        if e.discussed_in_supervision_on:
            flags.append(f"discussed in supervision on {day(e.discussed_in_supervision_on)}")
        out.append_text(lit("supervision: " + ("; ".join(flags) or "not flagged"), "italic"))
        out.append("\n\n")
        out.append_text(lit(e.text))
        self.query_one("#journal-entry", Static).update(out)

    def _mark(self, *, bring: bool | None = None, discussed_on: date | None = None) -> None:
        eid = self.entry_id

        def job(v: object) -> JournalEntry:
            from therapynote.vault.vault import Vault

            assert isinstance(v, Vault)
            return v.repo.mark_supervision(eid, bring=bring, discussed_on=discussed_on)

        def done(entry: JournalEntry) -> None:
            self.entry = entry
            self.changed = True
            self.render_entry()

        self.tn.db(job, done)

    def action_toggle_bring(self) -> None:
        if self.entry is not None:
            self._mark(bring=not self.entry.bring_to_supervision)

    def action_discussed(self) -> None:
        if self.entry is not None:
            self._mark(discussed_on=self.tn.today())

    def action_edit(self) -> None:
        if self.entry is None:
            return
        from therapynote.tui.state import EditorSpec

        def closed(saved: bool | None) -> None:
            if saved:
                self.changed = True
                self.load()

        spec = EditorSpec(kind="journal", client_code=self.code, entry_id=self.entry_id)
        self.tn.open_editor(spec, on_close=closed)

    def action_close(self) -> None:
        self.dismiss(self.changed)
