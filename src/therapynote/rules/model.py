"""Rule packs and rules: the schema every pack file is validated against."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .dates import Period


class Kind(StrEnum):
    """What sort of test a rule is."""

    PERIOD = "period"  # a bright-line period counted from an anchor date
    NEVER = "never"  # absolute, no time limit, no exception mechanism
    INDEFINITE_WITH_BURDEN = "indefinite-with-burden"  # no period; narrow exception, burden on us
    CAVEAT = "caveat"  # a test no date clears, or a standing reminder
    RETENTION = "retention"  # the record must be kept through a date


class Anchor(StrEnum):
    """Which date a rule's clock runs from (see docs/rules.md, "Anchors")."""

    TERMINATION = "termination"
    DISCHARGE = "discharge"
    LAST_SESSION = "last-session"
    LAST_PROFESSIONAL_CONTACT = "last-professional-contact"
    LATER_OF_TERMINATION_LAST_CONTACT = "later-of:termination,last-professional-contact"


#: Anchors in words, for notes shown to the clinician.
ANCHOR_WORDS: dict[str, str] = {
    Anchor.TERMINATION.value: "termination (or the last session, if later)",
    Anchor.DISCHARGE.value: "discharge (termination, or the last session if later)",
    Anchor.LAST_SESSION.value: "last session",
    Anchor.LAST_PROFESSIONAL_CONTACT.value: "last professional contact",
    Anchor.LATER_OF_TERMINATION_LAST_CONTACT.value: (
        "later of termination and the last professional contact"
    ),
}


class AppliesTo(StrEnum):
    """Whose relationship the rule is about."""

    CURRENT = "current"  # current clients only (shown while the episode is open)
    FORMER = "former"  # former clients (clock starts at the end of the latest episode)
    ANY = "any"  # current and former clients alike


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


#: Topics a rule may have.
TOPICS: tuple[str, ...] = (
    "current-client-sexual",
    "former-client-sexual",
    "multiple-relationship",
    "termination",
    "record-retention",
    "psychotherapy-notes",
    "security",
    "duty-to-protect",
    "supervision",
)

#: Topics whose rules are "boundary rules" for the journal-theme guidance.
BOUNDARY_TOPICS: frozenset[str] = frozenset({"current-client-sexual", "former-client-sexual"})

PACK_KINDS: tuple[str, ...] = ("profession", "jurisdiction", "guideline")

CONFIDENCE_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}

VERIFY_TEXT = "verify with your board"


@dataclass(frozen=True)
class Rule:
    """One rule of a pack. Text fields are our own plain-words paraphrases."""

    id: str
    title: str
    topic: str
    kind: str
    summary: str
    citation: str
    url: str
    confidence: str
    checked_on: date
    applies_to: str = AppliesTo.ANY.value
    anchor: str | None = None
    period: Period | None = None
    after: str = ""
    factors: tuple[str, ...] = ()
    burden: str = ""
    source_type: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    verify: bool = False
    # retention parameters
    age_of_majority: int | None = None
    minor_from_age: int | None = None
    minor_period: Period | None = None
    summary_period: Period | None = None

    @property
    def pack(self) -> str:
        """The pack id, the part of the rule id before the first colon."""
        return self.id.split(":", 1)[0]

    @property
    def needs_verification(self) -> bool:
        """True when the panel must show "verify with your board"."""
        return self.verify or self.confidence != Confidence.HIGH.value

    def in_effect_on(self, d: date) -> bool:
        """Whether the rule applies to an event (termination, ...) on `d`."""
        if self.effective_from is not None and d < self.effective_from:
            return False
        return not (self.effective_to is not None and d > self.effective_to)


@dataclass(frozen=True)
class RulePack:
    """One code, guideline or jurisdiction: a file of rules."""

    id: str
    title: str
    kind: str
    description: str
    rules: tuple[Rule, ...] = field(default=())
    source: str = ""  # file path, or "builtin:<name>"

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)
