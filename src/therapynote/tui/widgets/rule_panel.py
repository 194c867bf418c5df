"""The rule panel: time since termination and every rule status for the selected client.

The rule engine (`therapynote.rules`) is imported lazily; without it the panel says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from therapynote.tui.text import lit

DISCLAIMER = "A reminder, not legal advice. Check your code and your board."
NOT_INSTALLED = "rule engine not installed"
VERIFY = "verify with your board"

STATE_LABELS: dict[str, str] = {
    "current-client": "current client",
    "no-termination": "no termination recorded",
    "permanent": "permanent",
    "in-force": "in force",
    "caveat": "caveat",
    "after-period": "period passed",
    "retention": "record retention",
}


@dataclass(frozen=True)
class PanelLine:
    """One rule status, flattened to text the panel shows (built off the event loop)."""

    rule_id: str
    title: str
    state: str
    dates: str
    detail: str
    citation: str
    confidence: str
    verify: bool


@dataclass(frozen=True)
class PanelContent:
    """Everything the panel shows for one client."""

    code: str
    packs: tuple[str, ...]
    since: str
    situation_notes: tuple[str, ...]
    lines: tuple[PanelLine, ...]
    problems: tuple[str, ...] = ()
    installed: bool = True


def rules_available() -> bool:
    """Whether the rule engine can be imported in this installation."""
    try:
        import therapynote.rules  # noqa: F401
    except ImportError:
        return False
    return True


def load_packs(user_folder: Path | None) -> tuple[dict[str, Any], tuple[str, ...]]:
    """All packs (built-in and user) and problems naming bad user pack files."""
    from therapynote.rules import all_packs

    packs, errors = all_packs(user_folder)
    return dict(packs), tuple(str(e) for e in errors)


def _dates(status: Any) -> str:
    state = status.state
    if state == "in-force" and status.through is not None:
        return f"through {status.through.isoformat()}"
    if state == "after-period" and status.from_ is not None:
        return f"from {status.from_.isoformat()}"
    if state == "retention" and status.through is not None:
        return f"keep the record through {status.through.isoformat()}"
    if state == "permanent":
        return "no end date"
    return ""


def build_content(
    record_facts: Any,
    profile: tuple[str, ...],
    packs: dict[str, Any],
    on: date,
    problems: tuple[str, ...] = (),
    no_termination_days: int = 90,
) -> PanelContent:
    """Evaluate the client's facts against the active packs (pure; runs in a worker)."""
    from therapynote.rules import evaluate, format_elapsed
    from therapynote.rules_bridge import to_rule_facts

    active = [packs[p] for p in profile if p in packs]
    missing = tuple(
        f"unknown pack {p!r} in the practice profile" for p in profile if p not in packs
    )
    ev = evaluate(to_rule_facts(record_facts), active, on, no_termination_days=no_termination_days)
    if ev.time_since_termination is not None:
        since = "Since termination: " + format_elapsed(ev.time_since_termination)
    elif ev.situation == "no-termination":
        since = "No termination recorded."
    else:
        since = "Therapy is ongoing (open episode)."
    lines: list[PanelLine] = []
    for s in ev.statuses:
        rule = s.rule
        detail = s.note
        if s.state == "after-period" and rule.after:
            detail = detail or rule.after
        lines.append(
            PanelLine(
                rule_id=rule.id,
                title=rule.title,
                state=s.state,
                dates=_dates(s),
                detail=detail,
                citation=rule.citation,
                confidence=rule.confidence,
                verify=bool(rule.needs_verification),
            )
        )
    return PanelContent(
        code=record_facts.code,
        packs=tuple(p for p in profile if p in packs),
        since=since,
        situation_notes=tuple(ev.anchor_notes),
        lines=tuple(lines),
        problems=problems + missing,
    )


class RulePanel(Vertical):
    """The right-hand panel. `show(content)` fills it; `clear()` empties it (on lock)."""

    def compose(self) -> ComposeResult:
        yield Static("Rules", id="rule-title")
        with VerticalScroll(id="rule-scroll"):
            yield Static(id="rule-body")
        yield Static(DISCLAIMER, id="rule-disclaimer")

    def on_mount(self) -> None:
        self.clear()

    @property
    def body(self) -> Static:
        return self.query_one("#rule-body", Static)

    def clear(self, message: str = "Select a client to see the rules that apply.") -> None:
        self.content: PanelContent | None = None
        self.body.update(Text(message, style="dim"))

    def show_not_installed(self) -> None:
        self.content = None
        self.body.update(Text(NOT_INSTALLED, style="italic"))

    def show(self, content: PanelContent) -> None:
        self.content = content
        out = Text(end="")
        out.append(f"{content.code}\n", style="bold")
        out.append(lit(content.since))
        out.append("\n")
        for note in content.situation_notes:
            out.append_text(lit(note, "italic"))
            out.append("\n")
        out.append("packs: " + (", ".join(content.packs) or "none") + "\n", style="dim")
        for problem in content.problems:
            out.append_text(lit(problem, "bold"))
            out.append("\n")
        for line in content.lines:
            out.append("\n")
            out.append_text(lit(line.title, "bold"))
            out.append("\n")
            out.append(f" {STATE_LABELS.get(line.state, line.state)} ", style="reverse")
            if line.dates:
                out.append(" ")
                out.append_text(lit(line.dates))
            out.append("\n")
            if line.detail:
                out.append_text(lit(line.detail))
                out.append("\n")
            out.append_text(lit(f"{line.rule_id} · {line.citation}", "dim"))
            out.append("\n")
            out.append_text(lit(f"confidence: {line.confidence}", "dim"))
            if line.verify:
                out.append(" · ")
                out.append(VERIFY, style="bold")
            out.append("\n")
        if not content.lines:
            out.append("\nNo rules of the active packs apply.\n", style="dim")
        self.body.update(out)
