"""Loading and validating rule packs (built-in package data and user files).

Every problem is reported as a `PackError` that names the file, the line and the field,
so that one bad user file never hides the others.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from .dates import Period, parse_period
from .model import (
    PACK_KINDS,
    TOPICS,
    Anchor,
    AppliesTo,
    Confidence,
    Kind,
    Rule,
    RulePack,
)

_PACK_ID_RE = re.compile(r"^[a-z][a-z0-9-]*$")
_RULE_SECTION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.()\-/_&]*$")
_TOML_LINE_RE = re.compile(r"at line (\d+)")
_RULES_HEADER_RE = re.compile(r"^\s*\[\[\s*rules\s*\]\]\s*(#.*)?$")
_PACK_HEADER_RE = re.compile(r"^\s*\[\s*pack\s*\]\s*(#.*)?$")
_ANY_HEADER_RE = re.compile(r"^\s*\[")

PACK_FIELDS: frozenset[str] = frozenset({"id", "title", "kind", "description"})
RULE_FIELDS: frozenset[str] = frozenset(
    {
        "id",
        "title",
        "topic",
        "kind",
        "applies_to",
        "anchor",
        "period",
        "after",
        "factors",
        "burden",
        "source_type",
        "citation",
        "url",
        "effective_from",
        "effective_to",
        "confidence",
        "checked_on",
        "verify",
        "summary",
        "age_of_majority",
        "minor_from_age",
        "minor_period",
        "summary_period",
    }
)
SOURCE_TYPES: tuple[str, ...] = (
    "ethics",
    "discipline",
    "civil",
    "criminal",
    "federal",
    "guideline",
    "case-law",
    "model-rule",
)


class PackError(ValueError):
    """A problem in one rule-pack file: `str(err)` is "FILE:LINE: field X: message"."""

    def __init__(self, path: str, line: int | None, field: str | None, message: str) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = " ".join(message.split())
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"field {self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class _Lines:
    """Finds the line of a table or key in the raw text (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.rule_starts = [i + 1 for i, s in enumerate(self.lines) if _RULES_HEADER_RE.match(s)]
        self.pack_start = next(
            (i + 1 for i, s in enumerate(self.lines) if _PACK_HEADER_RE.match(s)), None
        )

    def _table_end(self, start: int) -> int:
        for i in range(start, len(self.lines)):
            if _ANY_HEADER_RE.match(self.lines[i]):
                return i
        return len(self.lines)

    def _key(self, start: int | None, key: str) -> int | None:
        if start is None:
            return None
        key_re = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        for i in range(start, self._table_end(start)):
            if key_re.match(self.lines[i]):
                return i + 1
        return start

    def rule(self, index: int, key: str | None = None) -> int | None:
        start = self.rule_starts[index] if index < len(self.rule_starts) else None
        return start if key is None else self._key(start, key)

    def pack(self, key: str | None = None) -> int | None:
        return self.pack_start if key is None else self._key(self.pack_start, key)


class _Checker:
    def __init__(self, path: str, lines: _Lines) -> None:
        self.path = path
        self.lines = lines
        self.errors: list[PackError] = []

    def err(self, line: int | None, field: str | None, message: str) -> None:
        self.errors.append(PackError(self.path, line, field, message))


def _as_date(value: Any) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValueError("must be a date (YYYY-MM-DD)")


def _enum_values(enum: Iterable[Any]) -> list[str]:
    return [e.value for e in enum]


def _parse_rule(raw: Any, index: int, pack_id: str, chk: _Checker, seen: set[str]) -> Rule | None:
    line_of = chk.lines.rule
    n_before = len(chk.errors)
    if not isinstance(raw, dict):
        chk.err(line_of(index), None, "each [[rules]] entry must be a table")
        return None
    for key in sorted(set(raw) - RULE_FIELDS):
        chk.err(line_of(index, key), key, "unknown field (check the spelling)")

    def get_str(key: str, *, required: bool, allow_empty: bool = False) -> str:
        if key not in raw:
            if required:
                chk.err(line_of(index), key, "is required")
            return ""
        value = raw[key]
        if not isinstance(value, str):
            chk.err(line_of(index, key), key, "must be a string")
            return ""
        if not value.strip() and not allow_empty:
            chk.err(line_of(index, key), key, "must not be empty")
        return value.strip()

    def get_choice(key: str, choices: list[str], default: str | None) -> str | None:
        if key not in raw:
            if default is None:
                chk.err(line_of(index), key, f"is required (one of: {', '.join(choices)})")
            return default
        value = raw[key]
        if value not in choices:
            chk.err(line_of(index, key), key, f"{value!r} is not one of: {', '.join(choices)}")
            return default
        return str(value)

    def get_opt(key: str, conv: Callable[[Any], Any]) -> Any:
        if key not in raw:
            return None
        try:
            return conv(raw[key])
        except (ValueError, TypeError) as exc:
            chk.err(line_of(index, key), key, str(exc))
            return None

    def as_period(value: Any) -> Period:
        if not isinstance(value, str):
            raise ValueError('must be a string such as "2y", "18m" or "90d"')
        return parse_period(value)

    def as_age(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
            raise ValueError("must be a whole number of years between 1 and 30")
        return value

    rule_id = get_str("id", required=True)
    if rule_id:
        prefix, _, section = rule_id.partition(":")
        if prefix != pack_id or not _RULE_SECTION_RE.match(section):
            chk.err(
                line_of(index, "id"),
                "id",
                f"{rule_id!r} must look like '{pack_id}:<section>' (the pack id, a colon, "
                "then letters, digits and . ( ) - / _ &)",
            )
        elif rule_id in seen:
            chk.err(line_of(index, "id"), "id", f"{rule_id!r} appears twice in this pack")
        seen.add(rule_id)
    title = get_str("title", required=True)
    summary = get_str("summary", required=True)
    citation = get_str("citation", required=True)
    url = get_str("url", required=True, allow_empty=True)
    if url and not url.startswith(("https://", "http://")):
        chk.err(line_of(index, "url"), "url", "must start with https:// or http:// (or be empty)")
    after = get_str("after", required=False)
    burden = get_str("burden", required=False)
    source_type = get_str("source_type", required=False)
    if source_type and source_type not in SOURCE_TYPES:
        chk.err(
            line_of(index, "source_type"),
            "source_type",
            f"{source_type!r} is not one of: {', '.join(SOURCE_TYPES)}",
        )
    topic = get_choice("topic", list(TOPICS), None)
    kind = get_choice("kind", _enum_values(Kind), None)
    confidence = get_choice("confidence", _enum_values(Confidence), None)
    default_applies = {
        Kind.PERIOD.value: AppliesTo.FORMER.value,
        Kind.INDEFINITE_WITH_BURDEN.value: AppliesTo.FORMER.value,
    }.get(kind or "", AppliesTo.ANY.value)
    applies_to = get_choice("applies_to", _enum_values(AppliesTo), default_applies)
    anchor = get_choice("anchor", _enum_values(Anchor), "") or None
    period = get_opt("period", as_period)
    if "checked_on" not in raw:
        chk.err(line_of(index), "checked_on", "is required (the date the source was read)")
    checked_on = get_opt("checked_on", _as_date)
    effective_from = get_opt("effective_from", _as_date)
    effective_to = get_opt("effective_to", _as_date)
    if effective_from and effective_to and effective_to < effective_from:
        chk.err(line_of(index, "effective_to"), "effective_to", "is before effective_from")
    verify = raw.get("verify", False)
    if not isinstance(verify, bool):
        chk.err(line_of(index, "verify"), "verify", "must be true or false")
        verify = False
    factors_raw = raw.get("factors", [])
    if isinstance(factors_raw, str):
        factors_raw = [factors_raw]
    if not isinstance(factors_raw, list) or not all(
        isinstance(f, str) and f.strip() for f in factors_raw
    ):
        chk.err(line_of(index, "factors"), "factors", "must be a list of non-empty strings")
        factors_raw = []
    age_of_majority = get_opt("age_of_majority", as_age)
    minor_from_age = get_opt("minor_from_age", as_age)
    minor_period = get_opt("minor_period", as_period)
    summary_period = get_opt("summary_period", as_period)

    # kind-specific checks
    if kind in (Kind.PERIOD.value, Kind.RETENTION.value):
        if anchor is None and "anchor" not in raw:
            chk.err(line_of(index), "anchor", f"is required for kind {kind!r}")
        if period is None and "period" not in raw:
            chk.err(line_of(index), "period", f"is required for kind {kind!r}")
    elif kind is not None:
        for key in ("anchor", "period"):
            if key in raw:
                chk.err(line_of(index, key), key, f"does not apply to kind {kind!r}")
    if kind == Kind.PERIOD.value and applies_to == AppliesTo.CURRENT.value:
        chk.err(line_of(index, "applies_to"), "applies_to", "a period rule cannot be 'current'")
    if kind == Kind.PERIOD.value and not after:
        chk.err(line_of(index), "after", "is required for kind 'period' (what applies after)")
    retention_keys = ("age_of_majority", "minor_from_age", "minor_period", "summary_period")
    if kind != Kind.RETENTION.value:
        for key in retention_keys:
            if key in raw:
                chk.err(line_of(index, key), key, "only applies to kind 'retention'")
    elif (minor_period is None) != (age_of_majority is None) or (
        minor_from_age is not None and minor_period is None
    ):
        chk.err(
            line_of(index, "minor_period"),
            "minor_period",
            "minors' retention needs both age_of_majority and minor_period",
        )
    if topic == "supervision":
        chk.err(line_of(index, "topic"), "topic", "'supervision' is reserved for the engine")

    if len(chk.errors) != n_before:
        return None
    assert kind is not None and topic is not None and confidence is not None
    assert applies_to is not None and checked_on is not None
    return Rule(
        id=rule_id,
        title=title,
        topic=topic,
        kind=kind,
        summary=summary,
        citation=citation,
        url=url,
        confidence=confidence,
        checked_on=checked_on,
        applies_to=applies_to,
        anchor=anchor,
        period=period,
        after=after,
        factors=tuple(f.strip() for f in factors_raw),
        burden=burden,
        source_type=source_type,
        effective_from=effective_from,
        effective_to=effective_to,
        verify=verify,
        age_of_majority=age_of_majority,
        minor_from_age=minor_from_age,
        minor_period=minor_period,
        summary_period=summary_period,
    )


def parse_pack_text(text: str, path: str) -> tuple[RulePack | None, list[PackError]]:
    """Parse and validate one pack; return the pack (or None) and every problem found."""
    lines = _Lines(text)
    chk = _Checker(path, lines)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE_RE.search(str(exc))
        chk.err(int(m.group(1)) if m else None, None, f"not valid TOML: {exc}")
        return None, chk.errors
    for key in sorted(set(data) - {"pack", "rules"}):
        chk.err(None, key, "unknown top-level key (expected [pack] and [[rules]])")
    head = data.get("pack")
    if not isinstance(head, dict):
        chk.err(1, "pack", "a [pack] table is required")
        return None, chk.errors
    for key in sorted(set(head) - PACK_FIELDS):
        chk.err(lines.pack(key), f"pack.{key}", "unknown field")
    values: dict[str, str] = {}
    for key in ("id", "title", "kind", "description"):
        value = head.get(key)
        if not isinstance(value, str) or not value.strip():
            chk.err(
                lines.pack(key) if key in head else lines.pack(),
                f"pack.{key}",
                "is required and must be a non-empty string",
            )
            value = ""
        values[key] = value.strip()
    if values["id"] and not _PACK_ID_RE.match(values["id"]):
        chk.err(lines.pack("id"), "pack.id", "must be lower case letters, digits and '-'")
    if values["kind"] and values["kind"] not in PACK_KINDS:
        chk.err(lines.pack("kind"), "pack.kind", f"must be one of: {', '.join(PACK_KINDS)}")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        chk.err(None, "rules", "a pack needs at least one [[rules]] entry")
        raw_rules = []
    seen: set[str] = set()
    rules = [_parse_rule(r, i, values["id"], chk, seen) for i, r in enumerate(raw_rules)]
    if chk.errors:
        return None, chk.errors
    pack = RulePack(
        id=values["id"],
        title=values["title"],
        kind=values["kind"],
        description=values["description"],
        rules=tuple(r for r in rules if r is not None),
        source=path,
    )
    return pack, []


def check_pack_file(path: Path) -> list[PackError]:
    """Every problem in a pack file (an empty list means it is valid)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [PackError(str(path), None, None, f"cannot read: {exc}")]
    return parse_pack_text(text, str(path))[1]


def load_pack_file(path: Path) -> RulePack:
    """Load one pack file; raise the first `PackError` found."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(str(path), None, None, f"cannot read: {exc}") from exc
    pack, errors = parse_pack_text(text, str(path))
    if pack is None:
        raise errors[0]
    return pack


def load_builtin_packs() -> dict[str, RulePack]:
    """The packs shipped with therapynote, by id, sorted by id."""
    folder = resources.files("therapynote.rules").joinpath("packs")
    packs: dict[str, RulePack] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name.removesuffix(".toml")):
        if not entry.name.endswith(".toml"):
            continue
        name = f"builtin:{entry.name}"
        pack, errors = parse_pack_text(entry.read_text(encoding="utf-8"), name)
        if pack is None:
            raise errors[0]
        if f"{pack.id}.toml" != entry.name:
            raise PackError(name, None, "pack.id", f"{pack.id!r} does not match the file name")
        packs[pack.id] = pack
    return packs


def load_user_packs(folder: Path) -> tuple[dict[str, RulePack], list[PackError]]:
    """Load every *.toml in `folder` (in name order). Bad files are reported, not fatal.

    A missing folder is not an error. When two user files share a pack id, the first (by
    file name) wins and the second is reported.
    """
    packs: dict[str, RulePack] = {}
    errors: list[PackError] = []
    folder = Path(folder)
    if not folder.is_dir():
        return packs, errors
    for path in sorted(folder.glob("*.toml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(PackError(str(path), None, None, f"cannot read: {exc}"))
            continue
        pack, file_errors = parse_pack_text(text, str(path))
        if pack is None:
            errors.extend(file_errors)
            continue
        if pack.id in packs:
            errors.append(
                PackError(
                    str(path),
                    _Lines(text).pack("id"),
                    "pack.id",
                    f"{pack.id!r} is already defined by {packs[pack.id].source}",
                )
            )
            continue
        packs[pack.id] = pack
    return packs, errors


def all_packs(user_folder: Path | None) -> tuple[dict[str, RulePack], list[PackError]]:
    """Built-in packs plus user packs; a user pack with a built-in id replaces it."""
    packs = load_builtin_packs()
    if user_folder is None:
        return packs, []
    user, errors = load_user_packs(user_folder)
    packs.update(user)
    return packs, errors
