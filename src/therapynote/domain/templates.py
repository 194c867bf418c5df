"""Progress-note templates: which sections a note has, and parsing a note file into them."""

from __future__ import annotations

import re

from therapynote.errors import InvalidInput

#: Template name -> ordered (section key, heading) pairs.
TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "soap": (
        ("subjective", "Subjective"),
        ("objective", "Objective"),
        ("assessment", "Assessment"),
        ("plan", "Plan"),
    ),
    "dap": (("data", "Data"), ("assessment", "Assessment"), ("plan", "Plan")),
    "birp": (
        ("behavior", "Behavior"),
        ("intervention", "Intervention"),
        ("response", "Response"),
        ("plan", "Plan"),
    ),
    "free": (("note", "Note"),),
}

ALL_SECTION_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(key for sections in TEMPLATES.values() for key, _ in sections)
)

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(?P<name>[A-Za-z]+)\s*:?\s*$")


def check_template(name: str) -> tuple[tuple[str, str], ...]:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise InvalidInput(
            f"unknown note template {name!r}; use one of: {', '.join(TEMPLATES)}"
        ) from None


def section_keys(template: str) -> tuple[str, ...]:
    return tuple(key for key, _ in check_template(template))


def validate_sections(template: str, sections: dict[str, str]) -> dict[str, str]:
    """Keep only known sections, in template order; refuse sections of another template."""
    keys = section_keys(template)
    extra = [k for k in sections if k not in keys]
    if extra:
        raise InvalidInput(
            f"the {template} template has no section {extra[0]!r}; its sections are: "
            + ", ".join(keys)
        )
    return {k: sections[k] for k in keys if k in sections}


def parse_note_text(template: str, text: str) -> dict[str, str]:
    """Split a note file into sections.

    A free note is the whole text. A structured note uses Markdown headings named after
    its sections (`## Subjective`, `# Plan` ...); text before the first heading goes to
    the first section.
    """
    sections = check_template(template)
    if template == "free":
        return {"note": text.strip("\n")}
    by_heading = {heading.lower(): key for key, heading in sections}
    current = sections[0][0]
    parts: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m and m.group("name").lower() in by_heading:
            current = by_heading[m.group("name").lower()]
            continue
        parts.setdefault(current, []).append(line)
    return {k: "\n".join(v).strip("\n") for k, v in parts.items() if "\n".join(v).strip()}


def render_note_text(template: str, sections: dict[str, str]) -> str:
    """The searchable plain text of a note: headings and section bodies."""
    out: list[str] = []
    for key, heading in check_template(template):
        body = sections.get(key, "")
        if body:
            out.append(body if template == "free" else f"{heading}: {body}")
    return "\n\n".join(out)
