"""The client list: filter as you type, active / ended / all, codes, names, status, recency."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable, Input, Tab, Tabs

from therapynote.domain.models import ClientSummary
from therapynote.tui.text import lit, since_words

SCOPES: tuple[str, ...] = ("active", "ended", "all")
#: Short status marks for the narrow list (the overview spells the status out).
STATUS_MARKS: dict[str, str] = {"active": "●", "no-episode": "○", "ended": "■", "archived": "▫"}


def in_scope(client: ClientSummary, scope: str) -> bool:
    if scope == "all":
        return True
    if scope == "ended":
        return client.status in ("ended", "archived")
    return client.status in ("active", "no-episode")


def matches(client: ClientSummary, query: str, privacy: bool) -> bool:
    q = query.strip().casefold()
    if not q:
        return True
    if q in client.code.casefold():
        return True
    if privacy:
        return False
    return q in client.full_name.casefold() or q in client.preferred_name.casefold()


class FilterInput(Input):
    """The filter box; escape goes back to the list and keeps the filter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "leave",
            "Back to the list",
            show=False,
            id="client-filter-leave",
            tooltip="Leave the filter box (the filter stays).",
        ),
    ]

    def action_leave(self) -> None:
        self.screen.query_one("#client-table", DataTable).focus()


class ClientList(Vertical):
    """Left column. Posts `ClientList.Chosen` when the highlighted client changes."""

    class Chosen(Message):
        def __init__(self, code: str, activate: bool) -> None:
            super().__init__()
            self.code = code
            self.activate = activate

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.clients: list[ClientSummary] = []
        self.scope = "active"
        self.privacy = False
        self.today = date.today()
        self.current: str | None = None
        self._suppress = False

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="filter clients", id="client-filter")
        yield Tabs(
            Tab("Active", id="scope-active"),
            Tab("Ended", id="scope-ended"),
            Tab("All", id="scope-all"),
            id="client-scope",
        )
        table: DataTable[object] = DataTable(
            id="client-table", cursor_type="row", zebra_stripes=True
        )
        yield table

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#client-table", DataTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#client-filter", Input)

    def set_clients(self, clients: list[ClientSummary], today: date, privacy: bool) -> None:
        self.clients = clients
        self.today = today
        self.privacy = privacy
        self.refresh_rows()

    def set_scope(self, scope: str) -> None:
        self.query_one("#client-scope", Tabs).active = f"scope-{scope}"

    def cycle_scope(self) -> None:
        self.set_scope(SCOPES[(SCOPES.index(self.scope) + 1) % len(SCOPES)])

    @on(Tabs.TabActivated, "#client-scope")
    def _scope_changed(self, event: Tabs.TabActivated) -> None:
        scope = (event.tab.id or "scope-active").removeprefix("scope-")
        if scope != self.scope:
            self.scope = scope
            self.refresh_rows()

    @on(Input.Changed, "#client-filter")
    def _filter_changed(self) -> None:
        self.refresh_rows()

    @on(Input.Submitted, "#client-filter")
    def _filter_submitted(self) -> None:
        self.table.focus()
        if self.table.row_count:
            self._choose_row(self.table.cursor_row, activate=True)

    def shown(self) -> list[ClientSummary]:
        query = self.filter_input.value
        return [
            c for c in self.clients if in_scope(c, self.scope) and matches(c, query, self.privacy)
        ]

    def refresh_rows(self) -> None:
        table = self.table
        self._suppress = True
        table.clear(columns=True)
        table.add_column("code", key="code")
        if not self.privacy:
            table.add_column("name", key="name", width=11)
        table.add_column("st.", key="status", width=3)
        table.add_column("last", key="last", width=5)
        selected_row = 0
        for i, c in enumerate(self.shown()):
            cells = [lit(c.code)]
            if not self.privacy:
                cells.append(lit(c.preferred_name or c.full_name))
            cells.append(lit(STATUS_MARKS.get(c.status, "?")))
            cells.append(lit(since_words(c.last_session, self.today)))
            table.add_row(*cells, key=c.code)
            if c.code == self.current:
                selected_row = i
        if table.row_count:
            table.move_cursor(row=selected_row)
        self._suppress = False

    def select_code(self, code: str) -> None:
        """Highlight `code`, widening the scope if the client is not shown."""
        self.current = code
        if code not in {c.code for c in self.shown()}:
            self.filter_input.value = ""
            client = next((c for c in self.clients if c.code == code), None)
            if client is not None and not in_scope(client, self.scope):
                self.scope = "all"
                self.set_scope("all")
        self.refresh_rows()

    @on(DataTable.RowHighlighted, "#client-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self._suppress:
            return
        self._choose_row(event.cursor_row, activate=False)

    @on(DataTable.RowSelected, "#client-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._choose_row(event.cursor_row, activate=True)

    def _choose_row(self, row: int, *, activate: bool) -> None:
        table = self.table
        if not table.row_count or row < 0:
            return
        key = table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        if key is None:
            return
        if key != self.current or activate:
            self.current = key
            self.post_message(self.Chosen(key, activate))

    def clear(self) -> None:
        self.clients = []
        self.current = None
        self.table.clear()
