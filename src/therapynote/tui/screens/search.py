"""Full-text search across clients, notes, addenda and the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from therapynote.tui.text import day, lit, snippet_text

if TYPE_CHECKING:
    from therapynote.store.repository import SearchHit
    from therapynote.tui.app import TherapyNoteApp
    from therapynote.vault.vault import Vault

SEARCH_DELAY = 0.3
LIMIT = 40


class SearchScreen(ModalScreen["SearchHit | None"]):
    """Type to search; Enter on a result opens it in place."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="search-close", tooltip="Close the search."),
        Binding(
            "down",
            "to_results",
            "Results",
            id="search-results",
            show=False,
            tooltip="Move to the results.",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="search", classes="dialog-screen")
        self.hits: list[SearchHit] = []
        self._timer: Timer | None = None
        self._token = 0

    @property
    def tn(self) -> TherapyNoteApp:
        from therapynote.tui.app import TherapyNoteApp

        assert isinstance(self.app, TherapyNoteApp)
        return self.app

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Input(
                placeholder="search notes, addenda, journal, clients (anx* OR grief)",
                id="search-input",
            )
            yield Static("", id="search-status")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.run_search(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.run_search(event.value, focus_results=True)

    def run_search(self, query: str, *, focus_results: bool = False) -> None:
        from therapynote.store.search import search

        status = self.query_one("#search-status", Static)
        if not query.strip():
            self.show_hits([])
            status.update("")
            return
        self._token += 1
        token = self._token

        def job(vault: Vault) -> list[SearchHit]:
            return search(vault.engine, query, limit=LIMIT)

        def done(hits: list[SearchHit]) -> None:
            if token != self._token:
                return
            self.show_hits(hits)
            status.update(f"{len(hits)} result(s)" + (" — Enter opens" if hits else ""))
            if focus_results and hits:
                self.query_one("#search-results", OptionList).focus()

        def failed(exc: object) -> None:
            status.update(lit(getattr(exc, "message", "The search failed.")))

        self.tn.db(job, done, failed=failed)

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.hits = hits
        options = self.query_one("#search-results", OptionList)
        options.clear_options()
        privacy = self.tn.privacy
        for i, hit in enumerate(hits):
            prompt = Text(end="")
            prompt.append(f"{hit.kind:<9}", style="bold")
            prompt.append_text(lit(f"{hit.client:<8} {day(hit.day):<11}"))
            if privacy and hit.kind == "client":
                prompt.append("(name hidden in privacy mode)", style="dim")
            else:
                prompt.append_text(snippet_text(hit.snippet))
            options.add_option(Option(prompt, id=str(i)))
        if hits:
            options.highlighted = 0

    def refresh_privacy(self) -> None:
        self.show_hits(self.hits)

    @on(OptionList.OptionSelected, "#search-results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        if 0 <= index < len(self.hits):
            self.dismiss(self.hits[index])

    def action_to_results(self) -> None:
        self.query_one("#search-results", OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)
