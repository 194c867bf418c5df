"""The command palette: every action as "noun: verb", built from the live bindings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

#: Binding id -> palette title. Bindings without an entry do not appear in the palette.
TITLES: dict[str, str] = {
    "quit": "app: quit",
    "lock": "vault: lock now",
    "suspend": "vault: lock and suspend to the shell",
    "help": "app: show keys",
    "settings": "settings: open",
    "search": "search: find in records",
    "toggle-rules": "view: toggle rule panel",
    "privacy": "view: toggle privacy mode",
    "client-filter": "client: filter the list",
    "client-scope": "client: show active / ended / all",
    "client-new": "client: add",
    "client-edit": "client: edit details",
    "episode-end": "episode: record termination",
    "session-new": "session: new note from template",
    "session-new-from-previous": "session: new note from the previous note",
    "open": "record: open selected",
    "session-sign": "session: sign selected note",
    "session-addendum": "session: add addendum",
    "journal-new": "journal: new entry",
    "journal-supervision": "journal: flag selected entry for supervision",
    "tab-overview": "client: show overview",
    "tab-sessions": "client: show sessions",
    "tab-journal": "client: show journal",
    "tab-timeline": "client: show timeline",
    "editor-save": "editor: save",
    "editor-close": "editor: close",
    "editor-sign": "session: save and sign this note",
    "journal-view-bring": "journal: flag for supervision",
    "journal-view-discussed": "journal: mark discussed in supervision today",
    "settings-save": "settings: save",
}


class TherapyNoteCommands(Provider):
    """Commands for the screen the palette was opened from, plus "client: open …"."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        from therapynote.tui.screens.main import MainScreen

        screen = self.screen
        app = self.app
        found: dict[str, tuple[str, str, Callable[[], Any]]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            title = TITLES.get(binding.id or "")
            if title and title not in found:
                found[title] = (
                    title,
                    binding.tooltip or binding.description,
                    partial(self._run, active.node, binding.action),
                )
        found["theme: change"] = ("theme: change", "Pick a colour theme.", app.action_change_theme)
        if isinstance(screen, MainScreen):
            privacy = bool(getattr(app, "privacy", False))
            for client in screen.client_list.clients:
                name = "" if privacy else f" {client.preferred_name or client.full_name}"
                title = f"client: open {client.code}{name}"
                found[title] = (
                    title,
                    f"Open client {client.code}.",
                    partial(self._open_client, screen, client.code),
                )
        return list(found.values())

    @staticmethod
    async def _run(node: Any, action: str) -> None:
        await node.run_action(action)

    @staticmethod
    def _open_client(screen: Any, code: str) -> None:
        screen.client_list.select_code(code)
        screen.load_client(code)

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            if not title.startswith("client: open "):
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
