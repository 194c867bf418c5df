"""The clinical data model as plain dataclasses (no SQL, no UI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

#: How an episode of care ended.
TERMINATION_TYPES: tuple[str, ...] = (
    "planned",
    "client-initiated",
    "dropped-out",
    "therapist-initiated",
    "transferred",
    "deceased",
    "unknown",
)
#: Professional contacts that are not sessions (ACA A.5.c counts them).
CONTACT_KINDS: tuple[str, ...] = (
    "phone",
    "email",
    "letter",
    "text-message",
    "video",
    "in-person",
    "records-release",
    "other",
)
MODALITIES: tuple[str, ...] = ("in-person", "video", "phone")
ATTENDANCE: tuple[str, ...] = ("attended", "no-show", "late-cancel", "cancelled")
RISK_LEVELS: tuple[str, ...] = ("none", "low", "moderate", "high")
JOURNAL_KINDS: tuple[str, ...] = (
    "transference",
    "countertransference",
    "enactment",
    "rupture-repair",
    "reflection",
)
#: Suggested themes; free themes are allowed too.
JOURNAL_THEMES: tuple[str, ...] = (
    "idealising",
    "erotic",
    "romantic",
    "hostile",
    "dependent",
    "rescuing",
    "boredom",
    "parental",
    "envy",
    "shame",
)


@dataclass
class Client:
    id: int
    code: str
    full_name: str
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    referral_source: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


@dataclass
class Episode:
    id: int
    client_id: int
    start_date: date
    end_date: date | None = None
    termination_type: str | None = None
    closing_summary: str = ""

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def contains(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass
class Contact:
    id: int
    client_id: int
    episode_id: int | None
    contact_date: date
    kind: str
    summary: str = ""


@dataclass
class Addendum:
    id: int
    session_id: int
    written_on: date
    text: str
    created_at: datetime | None = None


@dataclass
class TherapySession:
    id: int
    client_id: int
    episode_id: int
    session_date: date
    start_time: str = ""
    duration_minutes: int = 50
    modality: str = "in-person"
    service_code: str = ""
    attendance: str = "attended"
    fee_cents: int | None = None
    template: str = "soap"
    sections: dict[str, str] = field(default_factory=dict)
    risk_level: str = "none"
    risk_text: str = ""
    status: str = "draft"
    signed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None
    addenda: list[Addendum] = field(default_factory=list)
    addendum_count: int = 0

    @property
    def is_signed(self) -> bool:
        return self.status == "signed"


@dataclass
class JournalEntry:
    id: int
    client_id: int
    session_id: int | None
    written_on: date
    kind: str
    themes: list[str] = field(default_factory=list)
    intensity: int = 0
    text: str = ""
    bring_to_supervision: bool = False
    discussed_in_supervision_on: date | None = None
    created_at: datetime | None = None
    archived_at: datetime | None = None


@dataclass
class Diagnosis:
    id: int
    client_id: int
    code: str
    system: str
    description: str = ""
    diagnosed_on: date | None = None
    resolved_on: date | None = None


@dataclass
class TreatmentGoal:
    id: int
    client_id: int
    goal: str
    review_on: date | None = None
    status: str = "active"


@dataclass
class ClientSummary:
    """One line of the client list."""

    code: str
    full_name: str
    preferred_name: str
    status: str  # active | ended | no-episode | archived
    last_session: date | None
    episodes: int
    sessions: int
    ended_on: date | None = None
