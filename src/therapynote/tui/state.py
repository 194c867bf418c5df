"""Where the user is: enough to return them to the same place after a lock (no record text)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EditorSpec:
    """Which editor is open, on which record; also names its draft."""

    kind: str  # session | addendum | journal | client
    client_code: str | None = None
    session_id: int | None = None
    template: str | None = None
    from_previous: bool = False
    entry_id: int | None = None

    @property
    def draft_key(self) -> str:
        if self.kind == "session":
            if self.session_id is not None:
                return f"session:{self.session_id}"
            return f"session:new:{self.client_code}"
        if self.kind == "addendum":
            return f"addendum:{self.session_id}"
        if self.kind == "journal":
            if self.entry_id is not None:
                return f"journal:{self.entry_id}"
            return f"journal:new:{self.client_code}"
        return f"client:{self.client_code or 'new'}"


@dataclass
class Location:
    """The main screen's state and the editors open above it."""

    client_code: str | None = None
    tab: str = "tab-overview"
    scope: str = "active"
    show_rules: bool = False
    editors: list[EditorSpec] = field(default_factory=list)
