"""The repository: every read and write of clinical records, returning domain objects.

Each public method runs in its own short transaction (or in the caller's, via `conn=`), so no
connection is left checked out between calls and locking the vault closes everything.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from therapynote.domain import templates
from therapynote.domain.dates import iso_ts, now_utc, parse_ts
from therapynote.domain.models import (
    ATTENDANCE,
    CONTACT_KINDS,
    JOURNAL_KINDS,
    MODALITIES,
    RISK_LEVELS,
    TERMINATION_TYPES,
    Addendum,
    Client,
    ClientSummary,
    Contact,
    Diagnosis,
    Episode,
    JournalEntry,
    TherapySession,
    TreatmentGoal,
)
from therapynote.errors import InvalidInput, NotFound, Refused
from therapynote.store import audit

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine, RowMapping

#: Client fields that `update_client` may change.
CLIENT_FIELDS = (
    "full_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "referral_source",
    "tags",
)
#: Session fields other than the note that `edit_session` may change (drafts only).
SESSION_META_FIELDS = (
    "session_date",
    "start_time",
    "duration_minutes",
    "modality",
    "service_code",
    "attendance",
    "fee_cents",
    "risk_level",
    "risk_text",
)
#: Tables that hold records (used for counts and round-trip checks).
RECORD_TABLES = (
    "settings",
    "clients",
    "episodes",
    "contacts",
    "sessions",
    "addenda",
    "journal_entries",
    "diagnoses",
    "treatment_goals",
    "drafts",
    "audit_events",
)
FTS_TABLES = ("sessions_fts", "addenda_fts", "journal_fts", "clients_fts")


@dataclass(frozen=True)
class SearchHit:
    kind: str  # client | session | addendum | journal
    client: str  # client code
    id: int
    day: date | None
    snippet: str
    rank: float


@dataclass(frozen=True)
class ClientRecordFacts:
    """What the rule engine needs about one client, straight from the records."""

    code: str
    date_of_birth: date | None
    episodes: tuple[Episode, ...]
    attended_session_dates: tuple[date, ...]
    contact_dates: tuple[date, ...]
    journal_themes: frozenset[str]
    journal_kinds: frozenset[str]


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _check_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    if value not in choices:
        raise InvalidInput(f"unknown {what} {value!r}; use one of: {', '.join(choices)}")
    return value


class Repository:
    """Reads and writes clinical records on one vault engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def transaction(self, conn: Connection | None = None) -> Iterator[Connection]:
        """A write transaction, or the caller's if one is given."""
        if conn is not None:
            yield conn
            return
        with self._engine.begin() as new:
            yield new

    def _q(self, conn: Connection, sql: str, **params: Any) -> list[RowMapping]:
        from sqlalchemy import text

        return list(conn.execute(text(sql), params).mappings())

    def _x(self, conn: Connection, sql: str, **params: Any) -> Any:
        from sqlalchemy import exc, text

        try:
            return conn.execute(text(sql), params)
        except exc.IntegrityError as e:
            message = str(e.orig) if e.orig is not None else ""
            if "therapynote:" in message:
                raise Refused(message.split("therapynote:", 1)[1].strip()) from None
            raise InvalidInput(
                "the record breaks a rule of the vault (duplicate or missing link)"
            ) from None

    def _update(self, c: Connection, table: str, row_id: int, values: dict[str, Any]) -> None:
        """`UPDATE table SET <values>, updated_at = now WHERE id = row_id` (keys are ours)."""
        sets = ", ".join(f"{k} = :{k}" for k in values)
        self._x(
            c,
            f"UPDATE {table} SET {sets}, updated_at = :ts WHERE id = :id",
            id=row_id,
            ts=iso_ts(now_utc()),
            **values,
        )

    # ------------------------------------------------------------------ settings
    def get_setting(self, key: str, conn: Connection | None = None) -> str | None:
        with self.transaction(conn) as c:
            rows = self._q(c, "SELECT value FROM settings WHERE key = :k", k=key)
        return str(rows[0]["value"]) if rows else None

    def set_setting(self, key: str, value: str, conn: Connection | None = None) -> None:
        with self.transaction(conn) as c:
            self._x(
                c,
                "INSERT INTO settings(key, value) VALUES (:k, :v) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                k=key,
                v=value,
            )
            if not key.startswith("secret."):
                audit.record(c, "update", "setting", key)

    def record_event(
        self,
        action: str,
        entity: str,
        entity_id: str | int = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        with self.transaction() as c:
            audit.record(c, action, entity, entity_id, detail)

    # ------------------------------------------------------------------ clients
    def _client_row(self, c: Connection, code: str) -> RowMapping:
        rows = self._q(c, "SELECT * FROM clients WHERE code = :code", code=code)
        if not rows:
            raise NotFound(f"no client with code {code}; see `therapynote client list`")
        return rows[0]

    @staticmethod
    def _client(row: RowMapping) -> Client:
        return Client(
            id=row["id"],
            code=row["code"],
            full_name=row["full_name"],
            preferred_name=row["preferred_name"],
            pronouns=row["pronouns"],
            date_of_birth=_d(row["date_of_birth"]),
            email=row["email"],
            phone=row["phone"],
            address=row["address"],
            referral_source=row["referral_source"],
            tags=list(json.loads(row["tags"])),
            created_at=parse_ts(row["created_at"]),
            updated_at=parse_ts(row["updated_at"]),
            archived_at=parse_ts(row["archived_at"]),
        )

    def next_client_code(self, conn: Connection | None = None) -> str:
        with self.transaction(conn) as c:
            codes = self._q(c, "SELECT code FROM clients WHERE code GLOB 'C-[0-9]*'")
        numbers = [int(r["code"][2:]) for r in codes if r["code"][2:].isdigit()]
        return f"C-{(max(numbers) + 1 if numbers else 1):04d}"

    def add_client(
        self,
        full_name: str,
        *,
        code: str | None = None,
        preferred_name: str = "",
        pronouns: str = "",
        date_of_birth: date | None = None,
        email: str = "",
        phone: str = "",
        address: str = "",
        referral_source: str = "",
        tags: list[str] | None = None,
        intake_date: date | None = None,
        conn: Connection | None = None,
    ) -> Client:
        if not full_name.strip():
            raise InvalidInput("a client needs a name")
        with self.transaction(conn) as c:
            code = (code or self.next_client_code(c)).strip()
            if not code or any(ch.isspace() for ch in code):
                raise InvalidInput("a client code is one word, such as C-0007")
            if self._q(c, "SELECT 1 FROM clients WHERE code = :code", code=code):
                raise Refused(f"client code {code} is already in use; choose another --code")
            ts = iso_ts(now_utc())
            result = self._x(
                c,
                "INSERT INTO clients (code, full_name, preferred_name, pronouns, date_of_birth, "
                "email, phone, address, referral_source, tags, created_at, updated_at) VALUES "
                "(:code, :full_name, :preferred_name, :pronouns, :dob, :email, :phone, :address, "
                ":referral, :tags, :ts, :ts)",
                code=code,
                full_name=full_name.strip(),
                preferred_name=preferred_name,
                pronouns=pronouns,
                dob=_iso(date_of_birth),
                email=email,
                phone=phone,
                address=address,
                referral=referral_source,
                tags=json.dumps(tags or []),
                ts=ts,
            )
            client_id = int(result.lastrowid)
            audit.record(c, "create", "client", code)
            if intake_date is not None:
                self._insert_episode(c, client_id, intake_date, "intake")
            return self._client(self._client_row(c, code))

    def get_client(self, code: str, conn: Connection | None = None) -> Client:
        with self.transaction(conn) as c:
            return self._client(self._client_row(c, code))

    def update_client(self, code: str, conn: Connection | None = None, **fields: Any) -> Client:
        unknown = set(fields) - set(CLIENT_FIELDS)
        if unknown:
            raise InvalidInput(f"cannot change client field {sorted(unknown)[0]!r}")
        if not fields:
            raise InvalidInput("nothing to change: give at least one field option")
        if "full_name" in fields and not str(fields["full_name"]).strip():
            raise InvalidInput("a client needs a name")
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            values = dict(fields)
            if "date_of_birth" in values:
                values["date_of_birth"] = _iso(values["date_of_birth"])
            if "tags" in values:
                values["tags"] = json.dumps(values["tags"])
            self._update(c, "clients", row["id"], values)
            audit.record(c, "update", "client", code, {"fields": sorted(values)})
            return self._client(self._client_row(c, code))

    def archive_client(self, code: str, conn: Connection | None = None) -> Client:
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            if row["archived_at"]:
                raise Refused(f"client {code} is already archived")
            self._x(
                c,
                "UPDATE clients SET archived_at = :ts, updated_at = :ts WHERE id = :id",
                ts=iso_ts(now_utc()),
                id=row["id"],
            )
            audit.record(c, "archive", "client", code)
            return self._client(self._client_row(c, code))

    def list_clients(self, *, include_archived: bool = False) -> list[ClientSummary]:
        sql = """
        SELECT c.code, c.full_name, c.preferred_name, c.archived_at,
          (SELECT count(*) FROM episodes e WHERE e.client_id = c.id) AS episodes,
          (SELECT count(*) FROM sessions s WHERE s.client_id = c.id AND s.archived_at IS NULL)
             AS sessions,
          (SELECT max(s.session_date) FROM sessions s WHERE s.client_id = c.id
             AND s.archived_at IS NULL AND s.attendance = 'attended') AS last_session,
          (SELECT e.end_date FROM episodes e WHERE e.client_id = c.id
             ORDER BY e.start_date DESC, e.id DESC LIMIT 1) AS latest_end,
          (SELECT e.id FROM episodes e WHERE e.client_id = c.id
             ORDER BY e.start_date DESC, e.id DESC LIMIT 1) AS latest_episode
        FROM clients c
        """
        if not include_archived:
            sql += " WHERE c.archived_at IS NULL"
        sql += " ORDER BY c.code"
        out: list[ClientSummary] = []
        with self._engine.connect() as c:
            for r in self._q(c, sql):
                if r["archived_at"]:
                    status = "archived"
                elif r["latest_episode"] is None:
                    status = "no-episode"
                elif r["latest_end"] is None:
                    status = "active"
                else:
                    status = "ended"
                out.append(
                    ClientSummary(
                        code=r["code"],
                        full_name=r["full_name"],
                        preferred_name=r["preferred_name"],
                        status=status,
                        last_session=_d(r["last_session"]),
                        episodes=r["episodes"],
                        sessions=r["sessions"],
                        ended_on=_d(r["latest_end"]),
                    )
                )
        return out

    # ------------------------------------------------------------------ episodes
    @staticmethod
    def _episode(row: RowMapping) -> Episode:
        return Episode(
            id=row["id"],
            client_id=row["client_id"],
            start_date=date.fromisoformat(row["start_date"]),
            end_date=_d(row["end_date"]),
            termination_type=row["termination_type"],
            closing_summary=row["closing_summary"],
        )

    def _episodes(self, c: Connection, client_id: int) -> list[Episode]:
        rows = self._q(
            c,
            "SELECT * FROM episodes WHERE client_id = :cid ORDER BY start_date, id",
            cid=client_id,
        )
        return [self._episode(r) for r in rows]

    def list_episodes(self, code: str) -> list[Episode]:
        with self._engine.connect() as c:
            return self._episodes(c, self._client_row(c, code)["id"])

    def _insert_episode(self, c: Connection, client_id: int, start: date, source: str) -> int:
        ts = iso_ts(now_utc())
        result = self._x(
            c,
            "INSERT INTO episodes (client_id, start_date, start_source, created_at, updated_at) "
            "VALUES (:cid, :start, :source, :ts, :ts)",
            cid=client_id,
            start=start.isoformat(),
            source=source,
            ts=ts,
        )
        episode_id = int(result.lastrowid)
        audit.record(c, "create", "episode", episode_id)
        return episode_id

    def start_episode(self, code: str, start: date, conn: Connection | None = None) -> Episode:
        """Open a new episode of care (a returning client)."""
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            episodes = self._episodes(c, row["id"])
            if episodes and episodes[-1].is_open:
                raise Refused(
                    f"client {code} already has an open episode (since "
                    f"{episodes[-1].start_date}); end it first with `therapynote episode end`"
                )
            if episodes and episodes[-1].end_date is not None and start <= episodes[-1].end_date:
                raise InvalidInput(
                    f"a new episode must start after the last one ended ({episodes[-1].end_date})"
                )
            new_id = self._insert_episode(c, row["id"], start, "intake")
            return self._episode(self._q(c, "SELECT * FROM episodes WHERE id = :i", i=new_id)[0])

    def end_episode(
        self,
        code: str,
        end: date,
        termination_type: str,
        closing_summary: str = "",
        conn: Connection | None = None,
    ) -> Episode:
        """Record the termination of the client's open episode."""
        _check_choice(termination_type, TERMINATION_TYPES, "termination type")
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            episodes = self._episodes(c, row["id"])
            if not episodes or not episodes[-1].is_open:
                raise Refused(f"client {code} has no open episode to end")
            ep = episodes[-1]
            if end < ep.start_date:
                raise InvalidInput(f"the episode started on {ep.start_date}; it cannot end before")
            later = self._q(
                c,
                "SELECT max(session_date) AS d FROM sessions WHERE episode_id = :e "
                "AND archived_at IS NULL",
                e=ep.id,
            )[0]["d"]
            if later and date.fromisoformat(later) > end:
                raise InvalidInput(
                    f"this episode has a session on {later}, after {end}; "
                    "end it on or after its last session"
                )
            self._x(
                c,
                "UPDATE episodes SET end_date = :end, termination_type = :tt, "
                "closing_summary = :summary, updated_at = :ts WHERE id = :id",
                end=end.isoformat(),
                tt=termination_type,
                summary=closing_summary,
                ts=iso_ts(now_utc()),
                id=ep.id,
            )
            audit.record(c, "end", "episode", ep.id, {"kind": termination_type})
            return self._episode(self._q(c, "SELECT * FROM episodes WHERE id = :i", i=ep.id)[0])

    def _episode_for_session(self, c: Connection, client_id: int, code: str, day: date) -> int:
        """The episode a session on `day` belongs to, creating or widening the first one."""
        episodes = self._episodes(c, client_id)
        if not episodes:
            return self._insert_episode(c, client_id, day, "first-session")
        for ep in episodes:
            if ep.contains(day):
                return ep.id
        first = episodes[0]
        if day < first.start_date:
            # Entering history: the first episode starts at the earliest session.
            self._x(
                c,
                "UPDATE episodes SET start_date = :d, updated_at = :ts WHERE id = :id",
                d=day.isoformat(),
                ts=iso_ts(now_utc()),
                id=first.id,
            )
            return first.id
        last = episodes[-1]
        if last.end_date is not None and day > last.end_date:
            raise Refused(
                f"client {code}'s last episode ended on {last.end_date}; if they have returned, "
                f"start a new episode first (`therapynote episode start {code} --date {day}`)"
            )
        raise InvalidInput(
            f"{day} falls between two of client {code}'s episodes of care; check the date"
        )

    # ------------------------------------------------------------------ contacts
    def add_contact(
        self,
        code: str,
        day: date,
        kind: str,
        summary: str = "",
        conn: Connection | None = None,
    ) -> Contact:
        _check_choice(kind, CONTACT_KINDS, "contact kind")
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            episodes = self._episodes(c, row["id"])
            episode_id = None
            for ep in episodes:
                if ep.start_date <= day:
                    episode_id = ep.id  # the latest episode begun by then (post-termination too)
            result = self._x(
                c,
                "INSERT INTO contacts (client_id, episode_id, contact_date, kind, summary, "
                "created_at) VALUES (:cid, :eid, :d, :kind, :summary, :ts)",
                cid=row["id"],
                eid=episode_id,
                d=day.isoformat(),
                kind=kind,
                summary=summary,
                ts=iso_ts(now_utc()),
            )
            contact_id = int(result.lastrowid)
            audit.record(c, "create", "contact", contact_id, {"kind": kind})
            return Contact(contact_id, row["id"], episode_id, day, kind, summary)

    def list_contacts(self, code: str) -> list[Contact]:
        with self._engine.connect() as c:
            row = self._client_row(c, code)
            rows = self._q(
                c,
                "SELECT * FROM contacts WHERE client_id = :cid AND archived_at IS NULL "
                "ORDER BY contact_date, id",
                cid=row["id"],
            )
        return [
            Contact(
                r["id"],
                r["client_id"],
                r["episode_id"],
                date.fromisoformat(r["contact_date"]),
                r["kind"],
                r["summary"],
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ sessions
    @staticmethod
    def _session(row: RowMapping) -> TherapySession:
        return TherapySession(
            id=row["id"],
            client_id=row["client_id"],
            episode_id=row["episode_id"],
            session_date=date.fromisoformat(row["session_date"]),
            start_time=row["start_time"],
            duration_minutes=row["duration_minutes"],
            modality=row["modality"],
            service_code=row["service_code"],
            attendance=row["attendance"],
            fee_cents=row["fee_cents"],
            template=row["template"],
            sections=dict(json.loads(row["sections"])),
            risk_level=row["risk_level"],
            risk_text=row["risk_text"],
            status=row["status"],
            signed_at=parse_ts(row["signed_at"]),
            created_at=parse_ts(row["created_at"]),
            updated_at=parse_ts(row["updated_at"]),
            archived_at=parse_ts(row["archived_at"]),
        )

    @staticmethod
    def _check_session_meta(meta: dict[str, Any]) -> None:
        if "modality" in meta:
            _check_choice(meta["modality"], MODALITIES, "modality")
        if "attendance" in meta:
            _check_choice(meta["attendance"], ATTENDANCE, "attendance")
        if "risk_level" in meta:
            _check_choice(meta["risk_level"], RISK_LEVELS, "risk level")
        if "duration_minutes" in meta and not 0 <= int(meta["duration_minutes"]) <= 24 * 60:
            raise InvalidInput("duration must be between 0 and 1440 minutes")
        if meta.get("fee_cents") is not None and int(meta["fee_cents"]) < 0:
            raise InvalidInput("a fee cannot be negative")

    def add_session(
        self,
        code: str,
        day: date,
        *,
        template: str = "soap",
        sections: dict[str, str] | None = None,
        start_time: str = "",
        duration_minutes: int = 50,
        modality: str = "in-person",
        service_code: str = "",
        attendance: str = "attended",
        fee_cents: int | None = None,
        risk_level: str = "none",
        risk_text: str = "",
        conn: Connection | None = None,
    ) -> TherapySession:
        clean = templates.validate_sections(template, sections or {})
        meta = {
            "start_time": start_time,
            "duration_minutes": duration_minutes,
            "modality": modality,
            "service_code": service_code,
            "attendance": attendance,
            "fee_cents": fee_cents,
            "risk_level": risk_level,
            "risk_text": risk_text,
        }
        self._check_session_meta(meta)
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            if row["archived_at"]:
                raise Refused(f"client {code} is archived; sessions cannot be added")
            episode_id = self._episode_for_session(c, row["id"], code, day)
            ts = iso_ts(now_utc())
            result = self._x(
                c,
                "INSERT INTO sessions (client_id, episode_id, session_date, start_time, "
                "duration_minutes, modality, service_code, attendance, fee_cents, template, "
                "sections, note_text, risk_level, risk_text, status, created_at, updated_at) "
                "VALUES (:cid, :eid, :day, :start_time, :duration_minutes, :modality, "
                ":service_code, :attendance, :fee_cents, :template, :sections, :note_text, "
                ":risk_level, :risk_text, 'draft', :ts, :ts)",
                cid=row["id"],
                eid=episode_id,
                day=day.isoformat(),
                template=template,
                sections=json.dumps(clean),
                note_text=templates.render_note_text(template, clean),
                ts=ts,
                **meta,
            )
            session_id = int(result.lastrowid)
            audit.record(c, "create", "session", session_id, {"template": template})
            return self._get_session(c, session_id)

    def _get_session(self, c: Connection, session_id: int) -> TherapySession:
        rows = self._q(c, "SELECT * FROM sessions WHERE id = :i", i=session_id)
        if not rows:
            raise NotFound(f"no session with id {session_id}")
        session = self._session(rows[0])
        session.addenda = [
            Addendum(
                r["id"],
                r["session_id"],
                date.fromisoformat(r["written_on"]),
                r["text"],
                parse_ts(r["created_at"]),
            )
            for r in self._q(
                c, "SELECT * FROM addenda WHERE session_id = :i ORDER BY id", i=session_id
            )
        ]
        session.addendum_count = len(session.addenda)
        return session

    def get_session(self, session_id: int) -> TherapySession:
        with self._engine.connect() as c:
            return self._get_session(c, session_id)

    def session_client_code(self, session_id: int) -> str:
        with self._engine.connect() as c:
            rows = self._q(
                c,
                "SELECT c.code FROM sessions s JOIN clients c ON c.id = s.client_id "
                "WHERE s.id = :i",
                i=session_id,
            )
        if not rows:
            raise NotFound(f"no session with id {session_id}")
        return str(rows[0]["code"])

    def list_sessions(self, code: str, *, include_archived: bool = False) -> list[TherapySession]:
        with self._engine.connect() as c:
            row = self._client_row(c, code)
            sql = "SELECT * FROM sessions WHERE client_id = :cid"
            if not include_archived:
                sql += " AND archived_at IS NULL"
            rows = self._q(c, sql + " ORDER BY session_date, id", cid=row["id"])
            sessions = [self._session(r) for r in rows]
            counts = {
                r["session_id"]: r["n"]
                for r in self._q(
                    c,
                    "SELECT a.session_id, count(*) AS n FROM addenda a JOIN sessions s "
                    "ON s.id = a.session_id WHERE s.client_id = :cid GROUP BY a.session_id",
                    cid=row["id"],
                )
            }
        for s in sessions:
            s.addendum_count = counts.get(s.id, 0)
        return sessions

    def edit_session(
        self,
        session_id: int,
        *,
        sections: dict[str, str] | None = None,
        replace_sections: bool = False,
        conn: Connection | None = None,
        **meta: Any,
    ) -> TherapySession:
        """Change a draft note's sections (merged unless `replace_sections`) or its details."""
        unknown = set(meta) - set(SESSION_META_FIELDS)
        if unknown:
            raise InvalidInput(f"cannot change session field {sorted(unknown)[0]!r}")
        if not sections and not meta:
            raise InvalidInput("nothing to change: give a section or another field option")
        self._check_session_meta(meta)
        with self.transaction(conn) as c:
            current = self._get_session(c, session_id)
            if current.is_signed:
                raise Refused(
                    f"session {session_id} is signed and cannot be changed; "
                    f"add an addendum with `therapynote session amend {session_id}`"
                )
            if current.archived_at is not None:
                raise Refused(f"session {session_id} is archived")
            values: dict[str, Any] = dict(meta)
            fields = sorted(meta)
            if "session_date" in values:
                new_day = values["session_date"]
                code = self._q(c, "SELECT code FROM clients WHERE id = :i", i=current.client_id)[0][
                    "code"
                ]
                values["episode_id"] = self._episode_for_session(
                    c, current.client_id, code, new_day
                )
                values["session_date"] = new_day.isoformat()
            if sections is not None:
                merged = dict(sections) if replace_sections else {**current.sections, **sections}
                merged = {k: v for k, v in merged.items() if v != ""}
                clean = templates.validate_sections(current.template, merged)
                values["sections"] = json.dumps(clean)
                values["note_text"] = templates.render_note_text(current.template, clean)
                fields += sorted(f"section:{k}" for k in sections)
            self._update(c, "sessions", session_id, values)
            audit.record(c, "update", "session", session_id, {"fields": fields})
            return self._get_session(c, session_id)

    def sign_session(self, session_id: int, conn: Connection | None = None) -> TherapySession:
        with self.transaction(conn) as c:
            current = self._get_session(c, session_id)
            if current.is_signed:
                raise Refused(f"session {session_id} is already signed")
            if current.archived_at is not None:
                raise Refused(f"session {session_id} is archived")
            if current.attendance == "attended" and not any(current.sections.values()):
                raise Refused(f"session {session_id} has an empty note; write it before signing")
            self._x(
                c,
                "UPDATE sessions SET status = 'signed', signed_at = :ts, updated_at = :ts "
                "WHERE id = :id",
                ts=iso_ts(now_utc()),
                id=session_id,
            )
            audit.record(c, "sign", "session", session_id)
            return self._get_session(c, session_id)

    def amend_session(
        self,
        session_id: int,
        addendum_text: str,
        written_on: date | None = None,
        conn: Connection | None = None,
    ) -> Addendum:
        if not addendum_text.strip():
            raise InvalidInput("an addendum needs text")
        with self.transaction(conn) as c:
            current = self._get_session(c, session_id)
            if not current.is_signed:
                raise Refused(
                    f"session {session_id} is a draft; change it with "
                    f"`therapynote session edit {session_id}` (addenda are for signed notes)"
                )
            day = written_on or date.today()
            ts = iso_ts(now_utc())
            result = self._x(
                c,
                "INSERT INTO addenda (session_id, written_on, text, created_at) "
                "VALUES (:sid, :day, :text, :ts)",
                sid=session_id,
                day=day.isoformat(),
                text=addendum_text,
                ts=ts,
            )
            addendum_id = int(result.lastrowid)
            audit.record(c, "addendum", "session", session_id)
            return Addendum(addendum_id, session_id, day, addendum_text, parse_ts(ts))

    def archive_session(self, session_id: int, conn: Connection | None = None) -> None:
        with self.transaction(conn) as c:
            current = self._get_session(c, session_id)
            if current.is_signed:
                raise Refused(f"session {session_id} is signed and stays in the record")
            self._x(
                c,
                "UPDATE sessions SET archived_at = :ts, updated_at = :ts WHERE id = :id",
                ts=iso_ts(now_utc()),
                id=session_id,
            )
            audit.record(c, "archive", "session", session_id)

    # ------------------------------------------------------------------ journal
    @staticmethod
    def _journal(row: RowMapping) -> JournalEntry:
        return JournalEntry(
            id=row["id"],
            client_id=row["client_id"],
            session_id=row["session_id"],
            written_on=date.fromisoformat(row["written_on"]),
            kind=row["kind"],
            themes=list(json.loads(row["themes"])),
            intensity=row["intensity"],
            text=row["text"],
            bring_to_supervision=bool(row["bring_to_supervision"]),
            discussed_in_supervision_on=_d(row["discussed_in_supervision_on"]),
            created_at=parse_ts(row["created_at"]),
            archived_at=parse_ts(row["archived_at"]),
        )

    def add_journal(
        self,
        code: str,
        *,
        kind: str,
        text_: str,
        intensity: int = 0,
        themes: list[str] | None = None,
        session_id: int | None = None,
        written_on: date | None = None,
        bring_to_supervision: bool = False,
        conn: Connection | None = None,
    ) -> JournalEntry:
        _check_choice(kind, JOURNAL_KINDS, "journal kind")
        if not 0 <= intensity <= 10:
            raise InvalidInput("intensity is a whole number from 0 to 10")
        if not text_.strip():
            raise InvalidInput("a journal entry needs text")
        clean_themes = sorted({t.strip().lower() for t in themes or [] if t.strip()})
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            if session_id is not None:
                owner = self._q(c, "SELECT client_id FROM sessions WHERE id = :i", i=session_id)
                if not owner:
                    raise NotFound(f"no session with id {session_id}")
                if owner[0]["client_id"] != row["id"]:
                    raise InvalidInput(f"session {session_id} belongs to another client")
            ts = iso_ts(now_utc())
            result = self._x(
                c,
                "INSERT INTO journal_entries (client_id, session_id, written_on, kind, themes, "
                "intensity, text, bring_to_supervision, created_at, updated_at) VALUES "
                "(:cid, :sid, :day, :kind, :themes, :intensity, :text, :sup, :ts, :ts)",
                cid=row["id"],
                sid=session_id,
                day=(written_on or date.today()).isoformat(),
                kind=kind,
                themes=json.dumps(clean_themes),
                intensity=intensity,
                text=text_,
                sup=int(bring_to_supervision),
                ts=ts,
            )
            entry_id = int(result.lastrowid)
            audit.record(c, "create", "journal", entry_id, {"kind": kind})
            return self._journal(
                self._q(c, "SELECT * FROM journal_entries WHERE id = :i", i=entry_id)[0]
            )

    def edit_journal(
        self,
        entry_id: int,
        *,
        text_: str | None = None,
        kind: str | None = None,
        themes: list[str] | None = None,
        intensity: int | None = None,
        session_id: int | None = None,
        unlink_session: bool = False,
        written_on: date | None = None,
        bring_to_supervision: bool | None = None,
        discussed_in_supervision_on: date | None = None,
        conn: Connection | None = None,
    ) -> JournalEntry:
        """Change a journal entry (process notes are the clinician's own; changes are audited)."""
        values: dict[str, Any] = {}
        if text_ is not None:
            if not text_.strip():
                raise InvalidInput("a journal entry needs text")
            values["text"] = text_
        if kind is not None:
            values["kind"] = _check_choice(kind, JOURNAL_KINDS, "journal kind")
        if themes is not None:
            values["themes"] = json.dumps(sorted({t.strip().lower() for t in themes if t.strip()}))
        if intensity is not None:
            if not 0 <= intensity <= 10:
                raise InvalidInput("intensity is a whole number from 0 to 10")
            values["intensity"] = intensity
        if written_on is not None:
            values["written_on"] = written_on.isoformat()
        if bring_to_supervision is not None:
            values["bring_to_supervision"] = int(bring_to_supervision)
        if discussed_in_supervision_on is not None:
            values["discussed_in_supervision_on"] = discussed_in_supervision_on.isoformat()
        if unlink_session:
            values["session_id"] = None
        with self.transaction(conn) as c:
            rows = self._q(c, "SELECT * FROM journal_entries WHERE id = :i", i=entry_id)
            if not rows:
                raise NotFound(f"no journal entry with id {entry_id}")
            if rows[0]["archived_at"]:
                raise Refused(f"journal entry {entry_id} is archived")
            if session_id is not None and not unlink_session:
                owner = self._q(c, "SELECT client_id FROM sessions WHERE id = :i", i=session_id)
                if not owner:
                    raise NotFound(f"no session with id {session_id}")
                if owner[0]["client_id"] != rows[0]["client_id"]:
                    raise InvalidInput(f"session {session_id} belongs to another client")
                values["session_id"] = session_id
            if not values:
                raise InvalidInput("nothing to change: give at least one field option")
            self._update(c, "journal_entries", entry_id, values)
            audit.record(c, "update", "journal", entry_id, {"fields": sorted(values)})
            return self._journal(
                self._q(c, "SELECT * FROM journal_entries WHERE id = :i", i=entry_id)[0]
            )

    def get_journal(self, entry_id: int) -> JournalEntry:
        with self._engine.connect() as c:
            rows = self._q(c, "SELECT * FROM journal_entries WHERE id = :i", i=entry_id)
        if not rows:
            raise NotFound(f"no journal entry with id {entry_id}")
        return self._journal(rows[0])

    def journal_client_code(self, entry_id: int) -> str:
        with self._engine.connect() as c:
            rows = self._q(
                c,
                "SELECT c.code FROM journal_entries j JOIN clients c ON c.id = j.client_id "
                "WHERE j.id = :i",
                i=entry_id,
            )
        if not rows:
            raise NotFound(f"no journal entry with id {entry_id}")
        return str(rows[0]["code"])

    def list_journal(self, code: str) -> list[JournalEntry]:
        with self._engine.connect() as c:
            row = self._client_row(c, code)
            rows = self._q(
                c,
                "SELECT * FROM journal_entries WHERE client_id = :cid AND archived_at IS NULL "
                "ORDER BY written_on, id",
                cid=row["id"],
            )
        return [self._journal(r) for r in rows]

    def mark_supervision(
        self, entry_id: int, *, bring: bool | None = None, discussed_on: date | None = None
    ) -> JournalEntry:
        """Flag an entry for supervision, or record when it was discussed (clears the flag)."""
        if discussed_on is not None and bring is None:
            bring = False
        return self.edit_journal(
            entry_id, bring_to_supervision=bring, discussed_in_supervision_on=discussed_on
        )

    # ------------------------------------------------------------------ diagnoses, goals
    def add_diagnosis(
        self,
        code: str,
        dx_code: str,
        *,
        system: str = "ICD-10-CM",
        description: str = "",
        diagnosed_on: date | None = None,
        conn: Connection | None = None,
    ) -> Diagnosis:
        if not dx_code.strip():
            raise InvalidInput("a diagnosis needs a code")
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            result = self._x(
                c,
                "INSERT INTO diagnoses (client_id, code, system, description, diagnosed_on, "
                "created_at) VALUES (:cid, :code, :system, :desc, :day, :ts)",
                cid=row["id"],
                code=dx_code.strip(),
                system=system,
                desc=description,
                day=_iso(diagnosed_on),
                ts=iso_ts(now_utc()),
            )
            dx_id = int(result.lastrowid)
            audit.record(c, "create", "diagnosis", dx_id)
            return Diagnosis(dx_id, row["id"], dx_code.strip(), system, description, diagnosed_on)

    def list_diagnoses(self, code: str) -> list[Diagnosis]:
        with self._engine.connect() as c:
            row = self._client_row(c, code)
            rows = self._q(
                c,
                "SELECT * FROM diagnoses WHERE client_id = :cid AND archived_at IS NULL "
                "ORDER BY id",
                cid=row["id"],
            )
        return [
            Diagnosis(
                r["id"],
                r["client_id"],
                r["code"],
                r["system"],
                r["description"],
                _d(r["diagnosed_on"]),
                _d(r["resolved_on"]),
            )
            for r in rows
        ]

    def add_goal(
        self, code: str, goal: str, review_on: date | None = None, conn: Connection | None = None
    ) -> TreatmentGoal:
        if not goal.strip():
            raise InvalidInput("a goal needs text")
        with self.transaction(conn) as c:
            row = self._client_row(c, code)
            result = self._x(
                c,
                "INSERT INTO treatment_goals (client_id, goal, review_on, created_at) "
                "VALUES (:cid, :goal, :day, :ts)",
                cid=row["id"],
                goal=goal,
                day=_iso(review_on),
                ts=iso_ts(now_utc()),
            )
            goal_id = int(result.lastrowid)
            audit.record(c, "create", "goal", goal_id)
            return TreatmentGoal(goal_id, row["id"], goal, review_on)

    def list_goals(self, code: str) -> list[TreatmentGoal]:
        with self._engine.connect() as c:
            row = self._client_row(c, code)
            rows = self._q(
                c,
                "SELECT * FROM treatment_goals WHERE client_id = :cid AND archived_at IS NULL "
                "ORDER BY id",
                cid=row["id"],
            )
        return [
            TreatmentGoal(r["id"], r["client_id"], r["goal"], _d(r["review_on"]), r["status"])
            for r in rows
        ]

    # ------------------------------------------------------------------ facts for rules
    def client_facts(self, code: str) -> ClientRecordFacts:
        with self._engine.connect() as c:
            row = self._client_row(c, code)
            cid = row["id"]
            episodes = tuple(self._episodes(c, cid))
            sessions = tuple(
                date.fromisoformat(r["session_date"])
                for r in self._q(
                    c,
                    "SELECT session_date FROM sessions WHERE client_id = :cid "
                    "AND archived_at IS NULL AND attendance = 'attended' ORDER BY session_date",
                    cid=cid,
                )
            )
            contacts = tuple(
                date.fromisoformat(r["contact_date"])
                for r in self._q(
                    c,
                    "SELECT contact_date FROM contacts WHERE client_id = :cid "
                    "AND archived_at IS NULL ORDER BY contact_date",
                    cid=cid,
                )
            )
            themes: set[str] = set()
            kinds: set[str] = set()
            for r in self._q(
                c,
                "SELECT kind, themes FROM journal_entries WHERE client_id = :cid "
                "AND archived_at IS NULL",
                cid=cid,
            ):
                kinds.add(r["kind"])
                themes.update(json.loads(r["themes"]))
        return ClientRecordFacts(
            code=code,
            date_of_birth=_d(row["date_of_birth"]),
            episodes=episodes,
            attended_session_dates=sessions,
            contact_dates=contacts,
            journal_themes=frozenset(themes),
            journal_kinds=frozenset(kinds),
        )

    # ------------------------------------------------------------------ drafts
    def save_draft(self, key: str, kind: str, client_code: str, payload: dict[str, Any]) -> None:
        """Keep unsaved editor content (autosave); one draft per editor key, replaced."""
        with self.transaction() as c:
            self._x(
                c,
                "INSERT INTO drafts(key, client_code, kind, payload, updated_at) "
                "VALUES (:k, :code, :kind, :p, :ts) ON CONFLICT(key) DO UPDATE SET "
                "payload = excluded.payload, updated_at = excluded.updated_at",
                k=key,
                code=client_code,
                kind=kind,
                p=json.dumps(payload, sort_keys=True),
                ts=iso_ts(now_utc()),
            )

    def get_draft(self, key: str) -> dict[str, Any] | None:
        with self._engine.connect() as c:
            rows = self._q(c, "SELECT payload FROM drafts WHERE key = :k", k=key)
        return dict(json.loads(rows[0]["payload"])) if rows else None

    def delete_draft(self, key: str) -> None:
        with self.transaction() as c:
            self._x(c, "DELETE FROM drafts WHERE key = :k", k=key)

    def list_drafts(self) -> list[tuple[str, str, str]]:
        """(key, kind, client code) of every draft, newest first."""
        with self._engine.connect() as c:
            rows = self._q(
                c, "SELECT key, kind, client_code FROM drafts ORDER BY updated_at DESC, key"
            )
        return [(str(r["key"]), str(r["kind"]), str(r["client_code"])) for r in rows]

    # ------------------------------------------------------------------ maintenance
    def counts(self) -> dict[str, int]:
        with self._engine.connect() as c:
            return {
                t: int(self._q(c, f"SELECT count(*) AS n FROM {t}")[0]["n"]) for t in RECORD_TABLES
            }

    def verify_audit_chain(self) -> list[str]:
        with self._engine.connect() as c:
            return audit.verify_chain(c)

    def audit_events(self, limit: int = 50) -> list[audit.AuditEvent]:
        with self._engine.connect() as c:
            rows = self._q(c, "SELECT * FROM audit_events ORDER BY id DESC LIMIT :n", n=limit)
        return [
            audit.AuditEvent(
                r["id"],
                r["at"],
                r["action"],
                r["entity"],
                r["entity_id"],
                r["detail"],
                r["prev_hash"],
                r["hash"],
            )
            for r in rows
        ]
