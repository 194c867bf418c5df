"""A drawn timeline of one client: sessions, contacts, episodes and journal intensity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rich.text import Text
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"
LABEL_WIDTH = 10


@dataclass
class TimelineData:
    """Dates only: nothing clinical is drawn beyond counts and intensities."""

    today: date
    sessions: list[date] = field(default_factory=list)
    contacts: list[date] = field(default_factory=list)
    episodes: list[tuple[date, date | None]] = field(default_factory=list)
    journal: list[tuple[date, int]] = field(default_factory=list)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def draw(data: TimelineData, width: int) -> Text:
    """Draw the timeline into `width` columns, one column per month (or more per column)."""
    out = Text(end="")
    dates = data.sessions + data.contacts + [d for d, _ in data.journal]
    dates += [s for s, _ in data.episodes] + [e for _, e in data.episodes if e]
    if not dates:
        out.append("Nothing to draw yet: no sessions, contacts or episodes.", style="dim")
        return out
    first = _month_index(min(dates))
    last = max(_month_index(data.today), _month_index(max(dates)))
    months = last - first + 1
    cols = max(width - LABEL_WIDTH - 1, 10)
    per = max(1, -(-months // cols))  # months per column, rounded up
    ncols = -(-months // per)

    def col(d: date) -> int:
        return min((_month_index(d) - first) // per, ncols - 1)

    sessions = [0] * ncols
    for d in data.sessions:
        sessions[col(d)] += 1
    contacts = [0] * ncols
    for d in data.contacts:
        contacts[col(d)] += 1
    intensity = [-1] * ncols
    for d, level in data.journal:
        intensity[col(d)] = max(intensity[col(d)], level)
    episode = [" "] * ncols
    for start, end in data.episodes:
        a = col(start)
        b = col(end) if end is not None else col(data.today)
        for i in range(a, b + 1):
            episode[i] = "━"
        episode[a] = "┣"
        if end is not None:
            episode[b] = "┫"
    top = max(sessions) or 1

    def row(label: str, cells: str, style: str) -> None:
        out.append(f"{label:<{LABEL_WIDTH}} ", style="bold")
        out.append(cells, style=style)
        out.append("\n")

    row("episodes", "".join(episode), "cyan")
    row(
        "sessions",
        "".join(BLOCKS[-(-n * 8 // top)] if n else "·" for n in sessions),
        "green",
    )
    row("contacts", "".join("◆" if n else " " for n in contacts), "yellow")
    row(
        "journal",
        "".join(
            BLOCKS[-(-lvl * 8 // 10)] if lvl > 0 else ("·" if lvl == 0 else " ")
            for lvl in intensity
        ),
        "magenta",
    )
    start_label = f"{first // 12}-{first % 12 + 1:02d}"
    end_label = f"{last // 12}-{last % 12 + 1:02d}"
    gap = max(ncols - len(start_label) - len(end_label), 1)
    out.append(" " * (LABEL_WIDTH + 1) + start_label + " " * gap + end_label + "\n", style="dim")
    unit = "month" if per == 1 else f"{per} months"
    out.append(
        f"one column = {unit}; sessions: height = sessions in the column; journal: highest "
        "intensity (0–10); ┣ start, ┫ end of an episode",
        style="dim",
    )
    return out


class Timeline(Widget):
    """Draws `TimelineData`; re-draws on resize."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.data: TimelineData | None = None

    def set_data(self, data: TimelineData | None) -> None:
        self.data = data
        self.refresh(layout=True)

    def render(self) -> Text:
        if self.data is None:
            return Text("", end="")
        return draw(self.data, self.size.width)
