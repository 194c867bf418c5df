"""Helpers that keep clinical text literal: never parsed as markup, never run as actions."""

from __future__ import annotations

from datetime import date

from rich.text import Text

MARK_OPEN = "«"
MARK_CLOSE = "»"


def lit(value: object, style: str = "") -> Text:
    """Literal text: `[bold]` or `[@click=app.quit]` in `value` stays as typed."""
    text = "" if value is None else str(value)
    # Control characters (escape sequences) are shown as visible symbols, never sent.
    clean = "".join(
        ch if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127) else f"\\x{ord(ch):02x}"
        for ch in text
    )
    return Text(clean, style=style, no_wrap=False, end="")


def one_line(value: object, limit: int = 0) -> str:
    """A single line of plain text (newlines folded), cut to `limit` characters."""
    text = " ".join(str(value or "").split())
    if limit and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text


def snippet_text(snippet: str) -> Text:
    """A search snippet with its «» match marks turned into highlighting, literally."""
    out = Text(end="")
    rest = snippet
    while rest:
        start = rest.find(MARK_OPEN)
        if start < 0:
            out.append_text(lit(rest))
            break
        out.append_text(lit(rest[:start]))
        end = rest.find(MARK_CLOSE, start + 1)
        if end < 0:
            out.append_text(lit(rest[start + 1 :], "bold reverse"))
            break
        out.append_text(lit(rest[start + 1 : end], "bold reverse"))
        rest = rest[end + 1 :]
    return out


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def since_words(last: date | None, today: date) -> str:
    """ "3 d", "5 wk", "7 mo", "2 y" since a date, for narrow columns."""
    if last is None:
        return "—"
    days = (today - last).days
    if days < 0:
        return "future"
    if days < 14:
        return f"{days} d"
    if days < 60:
        return f"{days // 7} wk"
    if days < 730:
        return f"{days // 30} mo"
    return f"{days // 365} y"
