"""The main screen: client list, the selected client's tabs, and the rule panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.events import Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane, Tabs

from therapynote.tui.state import EditorSpec, Location
from therapynote.tui.text import day, lit, one_line
from therapynote.tui.widgets.client_list import ClientList
from therapynote.tui.widgets.rule_panel import RulePanel, rules_available
from therapynote.tui.widgets.timeline import Timeline, TimelineData

if TYPE_CHECKING:
    from therapynote.domain.models import (
        Client,
        ClientSummary,
        Contact,
        Diagnosis,
        Episode,
        JournalEntry,
        TherapySession,
        TreatmentGoal,
    )
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.vault.vault import Vault

#: Width from which the rule panel is always shown.
WIDE = 120
TABS: tuple[str, ...] = ("tab-overview", "tab-sessions", "tab-journal", "tab-timeline")


@dataclass
class ClientBundle:
    """Everything the middle column shows for one client (loaded in one worker)."""

    client: Client
    episodes: list[Episode] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)
    goals: list[TreatmentGoal] = field(default_factory=list)
    sessions: list[TherapySession] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)


def load_bundle(vault: Vault, code: str) -> ClientBundle:
    repo = vault.repo
    return ClientBundle(
        client=repo.get_client(code),
        episodes=repo.list_episodes(code),
        contacts=repo.list_contacts(code),
        diagnoses=repo.list_diagnoses(code),
        goals=repo.list_goals(code),
        sessions=repo.list_sessions(code),
        journal=repo.list_journal(code),
    )


class MainScreen(Screen[None]):
    """Clients on the left, the client in the middle, rules on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", id="search", tooltip="Search every record."),
        Binding(
            "r",
            "toggle_rules",
            "Rules",
            id="toggle-rules",
            tooltip="Show or hide the rule panel (always shown from 120 columns).",
        ),
        Binding(
            "p",
            "app.toggle_privacy",
            "Privacy",
            id="privacy",
            tooltip="Show client codes instead of names.",
        ),
        Binding(
            "f",
            "focus_filter",
            "Filter",
            id="client-filter",
            tooltip="Type to filter the client list.",
        ),
        Binding(
            "v",
            "cycle_scope",
            "Active/ended/all",
            id="client-scope",
            show=False,
            tooltip="Show active, ended or all clients.",
        ),
        Binding(
            "c", "new_client", "New client", id="client-new", show=False, tooltip="Add a client."
        ),
        Binding(
            "e",
            "edit_client",
            "Edit client",
            id="client-edit",
            show=False,
            tooltip="Edit the selected client's details.",
        ),
        Binding(
            "t",
            "end_episode",
            "End episode",
            id="episode-end",
            show=False,
            tooltip="Record the termination of the open episode.",
        ),
        Binding(
            "n",
            "new_session",
            "New note",
            id="session-new",
            tooltip="Write a new session note from a template.",
        ),
        Binding(
            "N",
            "new_session_from_previous",
            "Note from previous",
            id="session-new-from-previous",
            show=False,
            tooltip="Start a new note from the previous note's text.",
        ),
        Binding(
            "o",
            "open_selected",
            "Open",
            id="open",
            show=False,
            tooltip="Open the selected session or journal entry.",
        ),
        Binding(
            "s",
            "sign_session",
            "Sign",
            id="session-sign",
            show=False,
            tooltip="Sign the selected draft note (it cannot change afterwards).",
        ),
        Binding(
            "a",
            "addendum",
            "Addendum",
            id="session-addendum",
            show=False,
            tooltip="Add a dated addendum to the selected signed note.",
        ),
        Binding(
            "j",
            "new_journal",
            "Journal entry",
            id="journal-new",
            show=False,
            tooltip="Write a private journal entry about this client.",
        ),
        Binding(
            "b",
            "toggle_supervision",
            "Supervision",
            id="journal-supervision",
            show=False,
            tooltip="Flag the selected journal entry for supervision.",
        ),
        Binding(
            "1",
            "tab('tab-overview')",
            "Overview",
            id="tab-overview",
            show=False,
            tooltip="Show the client's details.",
        ),
        Binding(
            "2",
            "tab('tab-sessions')",
            "Sessions",
            id="tab-sessions",
            show=False,
            tooltip="Show the client's sessions.",
        ),
        Binding(
            "3",
            "tab('tab-journal')",
            "Journal",
            id="tab-journal",
            show=False,
            tooltip="Show the private journal.",
        ),
        Binding(
            "4",
            "tab('tab-timeline')",
            "Timeline",
            id="tab-timeline",
            show=False,
            tooltip="Show the timeline.",
        ),
    ]

    def __init__(self, location: Location | None = None) -> None:
        super().__init__(id="main")
        self.restore = location
        self.bundle: ClientBundle | None = None
        self.show_rules = bool(location and location.show_rules)
        self._pending: str | None = None
        self._load_timer: Timer | None = None
        self._rules_token = 0

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield ClientList(id="sidebar")
            with Vertical(id="client-pane"):
                yield Static(Text("No client selected.", style="dim"), id="client-header")
                with TabbedContent(id="client-tabs"):
                    with TabPane("Overview", id="tab-overview"), VerticalScroll():
                        yield Static(id="overview")
                    with TabPane("Sessions", id="tab-sessions"):
                        yield DataTable(id="sessions-table", cursor_type="row")
                    with TabPane("Journal", id="tab-journal"):
                        yield DataTable(id="journal-table", cursor_type="row")
                    with TabPane("Timeline", id="tab-timeline"), VerticalScroll():
                        yield Timeline(id="timeline")
            yield RulePanel(id="rule-panel")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_width(self.app.size.width)
        sessions = self.query_one("#sessions-table", DataTable)
        for col in ("id", "date", "note", "status", "add.", "first line"):
            sessions.add_column(col, key=col)
        journal = self.query_one("#journal-table", DataTable)
        for col in ("id", "date", "kind", "themes", "int.", "sup.", "first line"):
            journal.add_column(col, key=col)
        if self.restore is not None:
            self.client_list.scope = self.restore.scope
            self.client_list.set_scope(self.restore.scope)
        self.reload_clients(select=self.restore.client_code if self.restore else None)
        if self.restore is not None:
            self.query_one(TabbedContent).active = self.restore.tab
        self.client_list.table.focus()

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")
        self.set_class(width < WIDE, "-narrow")
        self.set_class(self.show_rules, "-show-rules")

    @property
    def client_list(self) -> ClientList:
        return self.query_one(ClientList)

    @property
    def rule_panel(self) -> RulePanel:
        return self.query_one(RulePanel)

    @property
    def code(self) -> str | None:
        return self.bundle.client.code if self.bundle else None

    def location(self) -> Location:
        """Where we are, for returning here after a lock (no record text)."""
        return Location(
            client_code=self.code or self.client_list.current,
            tab=self.query_one(TabbedContent).active or "tab-overview",
            scope=self.client_list.scope,
            show_rules=self.show_rules,
        )

    # ------------------------------------------------------------------ loading
    def reload_clients(self, select: str | None = None) -> None:
        def job(vault: Vault) -> list[ClientSummary]:
            return vault.repo.list_clients(include_archived=True)

        def done(clients: list[ClientSummary]) -> None:
            cl = self.client_list
            cl.current = select or cl.current
            cl.set_clients(clients, self.tn.today(), self.tn.privacy)
            target = select or self.code or cl.current
            if target is None and cl.table.row_count:
                key = cl.table.coordinate_to_cell_key(Coordinate(0, 0)).row_key.value
                target = key
            if target:
                cl.select_code(target)
                self.load_client(target)

        self.tn.db(job, done)

    def load_client(self, code: str) -> None:
        """Load one client's records and rules (each in a worker)."""
        self._pending = code

        def done(bundle: ClientBundle) -> None:
            if bundle.client.code != self._pending:
                return
            self.bundle = bundle
            self.render_client()

        self.tn.db(lambda v: load_bundle(v, code), done)
        self.load_rules(code)

    def reload_client(self) -> None:
        if self.code:
            self.load_client(self.code)
            self.reload_clients()

    def load_rules(self, code: str) -> None:
        panel = self.rule_panel
        if not rules_available():
            panel.show_not_installed()
            return
        self._rules_token += 1
        token = self._rules_token
        app = self.tn
        today = app.today()

        def job(vault: Vault) -> Any:
            from therapynote.rules_bridge import no_termination_days, profile_packs
            from therapynote.tui.widgets.rule_panel import build_content

            packs, problems = app.ensure_packs()
            facts = vault.repo.client_facts(code)
            profile = tuple(profile_packs(vault.repo))
            threshold = no_termination_days(vault.repo)
            return build_content(facts, profile, packs, today, problems, threshold)

        def done(content: Any) -> None:
            if token == self._rules_token:
                panel.show(content)

        self.tn.db(job, done)

    @on(ClientList.Chosen)
    def _client_chosen(self, event: ClientList.Chosen) -> None:
        if self._load_timer is not None:
            self._load_timer.stop()
        if event.activate:
            self.load_client(event.code)
            self.query_one(TabbedContent).focus()
            return
        code = event.code
        self._load_timer = self.set_timer(0.15, lambda: self.load_client(code))

    # ------------------------------------------------------------------ rendering
    def name_of(self, client: Client) -> str:
        return self.tn.client_label(client.code, client.display_name)

    def render_client(self) -> None:
        bundle = self.bundle
        if bundle is None:
            return
        c = bundle.client
        header = Text(end="")
        header.append_text(lit(self.name_of(c), "bold"))
        if c.pronouns and not self.tn.privacy:
            header.append_text(lit(f" ({c.pronouns})"))
        open_ep = next((e for e in reversed(bundle.episodes) if e.is_open), None)
        status = "active" if open_ep else ("ended" if bundle.episodes else "no episode")
        header.append(f"  · {status} · {len(bundle.sessions)} sessions", style="dim")
        self.query_one("#client-header", Static).update(header)
        self.query_one("#overview", Static).update(self.overview_text(bundle))
        self._fill_sessions(bundle)
        self._fill_journal(bundle)
        self.query_one(Timeline).set_data(
            TimelineData(
                today=self.tn.today(),
                sessions=[s.session_date for s in bundle.sessions if s.attendance == "attended"],
                contacts=[x.contact_date for x in bundle.contacts],
                episodes=[(e.start_date, e.end_date) for e in bundle.episodes],
                journal=[(j.written_on, j.intensity) for j in bundle.journal],
            )
        )

    def overview_text(self, b: ClientBundle) -> Text:
        c = b.client
        privacy = self.tn.privacy
        out = Text(end="")

        def field_(label: str, value: object) -> None:
            if value in (None, "", []):
                return
            out.append(f"{label:<16}", style="bold")
            out.append_text(lit(value))
            out.append("\n")

        out.append("Client\n", style="bold underline")
        field_("code", c.code)
        if privacy:
            field_("name", "hidden (privacy mode)")
        else:
            field_("name", c.full_name)
            field_("preferred name", c.preferred_name)
            field_("pronouns", c.pronouns)
            field_("date of birth", day(c.date_of_birth))
            field_("email", c.email)
            field_("phone", c.phone)
            field_("address", c.address)
        field_("referral", c.referral_source)
        field_("tags", ", ".join(c.tags))
        out.append("\nEpisodes of care\n", style="bold underline")
        if not b.episodes:
            out.append("none yet\n", style="dim")
        for e in b.episodes:
            end = f"{day(e.end_date)} ({e.termination_type})" if e.end_date else "open"
            out.append_text(lit(f"{day(e.start_date)} → {end}"))
            out.append("\n")
            if e.closing_summary:
                out.append_text(lit("  " + one_line(e.closing_summary), "italic"))
                out.append("\n")
        out.append("\nDiagnoses\n", style="bold underline")
        if not b.diagnoses:
            out.append("none recorded\n", style="dim")
        for d in b.diagnoses:
            out.append_text(lit(f"{d.code} ({d.system}) {d.description}".rstrip()))
            out.append("\n")
        if b.goals:
            out.append("\nTreatment goals\n", style="bold underline")
            for g in b.goals:
                review = f" (review {day(g.review_on)})" if g.review_on else ""
                out.append_text(lit(f"{g.goal}{review}"))
                out.append("\n")
        out.append("\nOther professional contacts\n", style="bold underline")
        if not b.contacts:
            out.append("none\n", style="dim")
        for x in b.contacts:
            out.append_text(lit(f"{day(x.contact_date)} {x.kind}: {one_line(x.summary)}"))
            out.append("\n")
        return out

    def _fill_sessions(self, b: ClientBundle) -> None:
        table = self.query_one("#sessions-table", DataTable)
        row = table.cursor_row
        table.clear()
        for s in reversed(b.sessions):
            first = next((v for v in s.sections.values() if v), "")
            status = s.status if s.attendance == "attended" else f"{s.status}, {s.attendance}"
            table.add_row(
                lit(s.id),
                lit(day(s.session_date)),
                lit(s.template),
                lit(status),
                lit(s.addendum_count or ""),
                lit(one_line(first, 60)),
                key=str(s.id),
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def _fill_journal(self, b: ClientBundle) -> None:
        table = self.query_one("#journal-table", DataTable)
        row = table.cursor_row
        table.clear()
        for j in reversed(b.journal):
            sup = "✓" if j.discussed_in_supervision_on else ("⚑" if j.bring_to_supervision else "")
            table.add_row(
                lit(j.id),
                lit(day(j.written_on)),
                lit(j.kind),
                lit(", ".join(j.themes)),
                lit(j.intensity),
                lit(sup),
                lit(one_line(j.text, 60)),
                key=str(j.id),
            )
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    def refresh_privacy(self) -> None:
        cl = self.client_list
        cl.privacy = self.tn.privacy
        cl.refresh_rows()
        self.render_client()

    # ------------------------------------------------------------------ selection helpers
    def selected_session(self) -> TherapySession | None:
        if self.bundle is None:
            return None
        table = self.query_one("#sessions-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return next((s for s in self.bundle.sessions if str(s.id) == key), None)

    def selected_journal(self) -> JournalEntry | None:
        if self.bundle is None:
            return None
        table = self.query_one("#journal-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return next((j for j in self.bundle.journal if str(j.id) == key), None)

    def _need_client(self) -> str | None:
        if self.code is None:
            self.notify("Select a client first.", severity="warning", markup=False)
        return self.code

    def _done(self, message: str) -> None:
        self.notify(message, markup=False)
        self.reload_client()

    def _after_editor(self, changed: bool | None) -> None:
        if changed:
            self.reload_client()

    # ------------------------------------------------------------------ actions
    def action_search(self) -> None:
        from therapynote.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(), callback=self.open_hit)

    def open_hit(self, hit: Any) -> None:
        if hit is None:
            return
        self.client_list.select_code(hit.client)
        self.load_client(hit.client)
        if hit.kind in ("session", "addendum"):
            self.query_one(TabbedContent).active = "tab-sessions"
            self.tn.open_editor(
                EditorSpec("session", hit.client, session_id=hit.id), on_close=self._after_editor
            )
        elif hit.kind == "journal":
            self.query_one(TabbedContent).active = "tab-journal"
            self._open_journal_entry(hit.id)
        else:
            self.query_one(TabbedContent).active = "tab-overview"

    def action_toggle_rules(self) -> None:
        self.show_rules = not self.show_rules
        self.set_class(self.show_rules, "-show-rules")
        if self.show_rules:
            self.query_one("#rule-scroll").focus()
        elif self.app.size.width < WIDE:
            self.client_list.table.focus()

    def action_focus_filter(self) -> None:
        self.client_list.filter_input.focus()

    def action_cycle_scope(self) -> None:
        self.client_list.cycle_scope()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        table_id = {"tab-sessions": "#sessions-table", "tab-journal": "#journal-table"}.get(tab)
        if table_id:
            self.query_one(table_id, DataTable).focus()
        else:
            self.query_one(TabbedContent).query_one(Tabs).focus()

    def action_new_client(self) -> None:
        def closed(changed: bool | None) -> None:
            if changed:
                self.reload_clients()

        self.tn.open_editor(EditorSpec("client"), on_close=closed)

    def action_edit_client(self) -> None:
        code = self._need_client()
        if code:
            self.tn.open_editor(EditorSpec("client", code), on_close=self._after_editor)

    def action_end_episode(self) -> None:
        from therapynote.tui.screens.episode import EndEpisodeModal

        code = self._need_client()
        if code is None or self.bundle is None:
            return
        if not any(e.is_open for e in self.bundle.episodes):
            self.notify("This client has no open episode.", markup=False)
            return

        def closed(answer: tuple[Any, str, str] | None) -> None:
            if answer is None:
                return
            end, kind, summary = answer
            self.tn.db(
                lambda v: v.repo.end_episode(code, end, kind, summary),
                lambda _e: self._done("Termination recorded."),
            )

        self.app.push_screen(EndEpisodeModal(self.tn.today()), callback=closed)

    def action_new_session(self) -> None:
        code = self._need_client()
        if code:
            self.query_one(TabbedContent).active = "tab-sessions"
            self.tn.open_editor(EditorSpec("session", code), on_close=self._after_editor)

    def action_new_session_from_previous(self) -> None:
        code = self._need_client()
        if code is None or self.bundle is None:
            return
        notes = [s for s in self.bundle.sessions if any(s.sections.values())]
        if not notes:
            self.notify("There is no previous note to start from.", markup=False)
            return
        self.query_one(TabbedContent).active = "tab-sessions"
        self.tn.open_editor(
            EditorSpec("session", code, from_previous=True), on_close=self._after_editor
        )

    def action_open_selected(self) -> None:
        tab = self.query_one(TabbedContent).active
        if tab == "tab-journal":
            entry = self.selected_journal()
            if entry is not None:
                self._open_journal_entry(entry.id)
            return
        session = self.selected_session()
        if session is not None and self.code:
            self.tn.open_editor(
                EditorSpec("session", self.code, session_id=session.id),
                on_close=self._after_editor,
            )

    @on(DataTable.RowSelected, "#sessions-table")
    @on(DataTable.RowSelected, "#journal-table")
    def _row_opened(self) -> None:
        self.action_open_selected()

    def _open_journal_entry(self, entry_id: int) -> None:
        from therapynote.tui.screens.journal_view import JournalViewScreen

        self.app.push_screen(JournalViewScreen(entry_id), callback=self._after_editor)

    def action_sign_session(self) -> None:
        from therapynote.tui.screens.confirm import ConfirmModal

        session = self.selected_session()
        if session is None:
            self.notify("Select a session on the Sessions tab first.", markup=False)
            return
        if session.is_signed:
            self.notify(f"Session {session.id} is already signed.", markup=False)
            return
        sid = session.id

        def answer(yes: bool | None) -> None:
            if yes:
                self.tn.db(
                    lambda v: v.repo.sign_session(sid),
                    lambda _s: self._done(f"Session {sid} signed."),
                )

        self.app.push_screen(
            ConfirmModal(
                f"Sign session {sid} of {day(session.session_date)}? A signed note cannot be "
                "changed; corrections become dated addenda.",
                yes="Sign",
            ),
            callback=answer,
        )

    def action_addendum(self) -> None:
        session = self.selected_session()
        if session is None or self.code is None:
            self.notify("Select a session on the Sessions tab first.", markup=False)
            return
        if not session.is_signed:
            self.notify("Addenda are for signed notes; edit the draft instead.", markup=False)
            return
        self.tn.open_editor(
            EditorSpec("addendum", self.code, session_id=session.id), on_close=self._after_editor
        )

    def action_new_journal(self) -> None:
        code = self._need_client()
        if code:
            self.query_one(TabbedContent).active = "tab-journal"
            self.tn.open_editor(EditorSpec("journal", code), on_close=self._after_editor)

    def action_toggle_supervision(self) -> None:
        entry = self.selected_journal()
        if entry is None:
            self.notify("Select a journal entry on the Journal tab first.", markup=False)
            return
        eid, bring = entry.id, not entry.bring_to_supervision
        self.tn.db(
            lambda v: v.repo.mark_supervision(eid, bring=bring),
            lambda _e: self.reload_client(),
        )
