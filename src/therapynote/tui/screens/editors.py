"""Build the right editor screen for an `EditorSpec`."""

from __future__ import annotations

from typing import Any

from therapynote.tui.screens.editor_base import EditorScreen
from therapynote.tui.state import EditorSpec

__all__ = ["EditorScreen", "make_editor"]


def make_editor(spec: EditorSpec, prefill: dict[str, Any] | None = None) -> EditorScreen:
    from therapynote.tui.screens.client_form import ClientForm
    from therapynote.tui.screens.journal_editor import JournalEditor
    from therapynote.tui.screens.session_editor import SessionEditor

    if spec.kind in ("session", "addendum"):
        return SessionEditor(spec, prefill)
    if spec.kind == "journal":
        return JournalEditor(spec, prefill)
    return ClientForm(spec, prefill)
