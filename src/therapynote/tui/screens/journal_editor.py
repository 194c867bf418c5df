"""A journal entry, new or saved: kind, themes, intensity, an optional session, supervision."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Label, Select, TextArea

from therapynote.domain.models import JOURNAL_KINDS, JOURNAL_THEMES
from therapynote.tui.screens.editor_base import EditorScreen
from therapynote.tui.text import day

if TYPE_CHECKING:
    from therapynote.domain.models import JournalEntry
    from therapynote.vault.vault import Vault

NO_SESSION = -1


class JournalEditor(EditorScreen):
    """Private process notes (kept apart from the record; excluded from exports)."""

    kind_title = "Journal entry"

    def compose_fields(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("date")
            yield Input(placeholder="YYYY-MM-DD", id="journal-date", classes="date")
            yield Label("kind")
            yield Select(
                [(k, k) for k in JOURNAL_KINDS],
                value=JOURNAL_KINDS[0],
                allow_blank=False,
                id="journal-kind",
            )
            yield Label("intensity 0–10")
            yield Input(
                "0", id="journal-intensity", classes="short", restrict=r"[0-9]*", max_length=2
            )
        with Horizontal(classes="row"):
            yield Label("themes")
            yield Input(placeholder=", ".join(JOURNAL_THEMES[:4]) + " …", id="journal-themes")
        with Horizontal(classes="row"):
            yield Label("session")
            yield Select(
                [("not linked", NO_SESSION)],
                value=NO_SESSION,
                allow_blank=False,
                id="journal-session",
            )
            yield Checkbox("bring to supervision", id="journal-supervision")
        yield Label("Entry", classes="section-label")
        yield TextArea("", id="journal-text", soft_wrap=True, classes="section tall")

    def header_detail(self) -> str:
        return f"entry {self.spec.entry_id}" if self.spec.entry_id is not None else "new entry"

    def load_record(self, vault: Vault) -> tuple[list[tuple[str, int]], JournalEntry | None]:
        sessions = vault.repo.list_sessions(self.spec.client_code or "")
        options = [(f"{day(s.session_date)} (session {s.id})", s.id) for s in reversed(sessions)]
        entry = None
        if self.spec.entry_id is not None:
            entry = vault.repo.get_journal(self.spec.entry_id)
        return options, entry

    def fill(self, record: tuple[list[tuple[str, int]], JournalEntry | None]) -> None:
        options, entry = record
        self.query_one("#journal-session", Select).set_options(
            [("not linked", NO_SESSION), *options]
        )
        self.query_one("#journal-session", Select).value = NO_SESSION
        self.query_one("#journal-date", Input).value = day(self.tn.today())
        if entry is not None:
            self.apply_payload(
                {
                    "date": day(entry.written_on),
                    "kind": entry.kind,
                    "intensity": str(entry.intensity),
                    "themes": ", ".join(entry.themes),
                    "session": entry.session_id if entry.session_id is not None else NO_SESSION,
                    "supervision": entry.bring_to_supervision,
                    "text": entry.text,
                }
            )
        self.query_one("#journal-text", TextArea).focus()

    def payload(self) -> dict[str, Any]:
        session = self.query_one("#journal-session", Select).value
        return {
            "date": self.query_one("#journal-date", Input).value,
            "kind": str(self.query_one("#journal-kind", Select).value),
            "intensity": self.query_one("#journal-intensity", Input).value,
            "themes": self.query_one("#journal-themes", Input).value,
            "session": session if isinstance(session, int) else NO_SESSION,
            "supervision": self.query_one("#journal-supervision", Checkbox).value,
            "text": self.query_one("#journal-text", TextArea).text,
        }

    def apply_payload(self, payload: dict[str, Any]) -> None:
        self.query_one("#journal-date", Input).value = str(payload.get("date", ""))
        if payload.get("kind") in JOURNAL_KINDS:
            self.query_one("#journal-kind", Select).value = str(payload["kind"])
        self.query_one("#journal-intensity", Input).value = str(payload.get("intensity", "0"))
        self.query_one("#journal-themes", Input).value = str(payload.get("themes", ""))
        session = payload.get("session", NO_SESSION)
        select = self.query_one("#journal-session", Select)
        try:
            select.value = int(session)
        except Exception:  # noqa: BLE001 - a session that no longer exists
            select.value = NO_SESSION
        self.query_one("#journal-supervision", Checkbox).value = bool(payload.get("supervision"))
        self.query_one("#journal-text", TextArea).text = str(payload.get("text", ""))

    def save_record(self) -> None:
        from therapynote.domain.dates import parse_date
        from therapynote.errors import InvalidInput

        p = self.payload()
        try:
            when = parse_date(p["date"], "the entry date")
            intensity = int(p["intensity"] or "0")
        except (InvalidInput, ValueError) as exc:
            self.save_failed(
                exc
                if isinstance(exc, InvalidInput)
                else InvalidInput("intensity is a whole number from 0 to 10")
            )
            return
        themes = [t.strip() for t in p["themes"].split(",") if t.strip()]
        session_id = None if p["session"] == NO_SESSION else int(p["session"])
        code = self.spec.client_code or ""

        entry_id = self.spec.entry_id

        def job(vault: Vault) -> JournalEntry:
            if entry_id is not None:
                return vault.repo.edit_journal(
                    entry_id,
                    kind=p["kind"],
                    text_=p["text"],
                    intensity=intensity,
                    themes=themes,
                    session_id=session_id,
                    unlink_session=session_id is None,
                    written_on=when,
                    bring_to_supervision=bool(p["supervision"]),
                )
            return vault.repo.add_journal(
                code,
                kind=p["kind"],
                text_=p["text"],
                intensity=intensity,
                themes=themes,
                session_id=session_id,
                written_on=when,
                bring_to_supervision=bool(p["supervision"]),
            )

        self.tn.db(
            job,
            lambda e: self.saved(f"Journal entry {e.id} saved.", close=True),
            failed=self.save_failed,
        )
