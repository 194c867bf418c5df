"""The initial clinical schema: clients, episodes, contacts, sessions, addenda, journal,
diagnoses, goals, settings, the hash-chained audit log, full-text search and the triggers
that make signed notes immutable.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STATEMENTS = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE clients (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        full_name TEXT NOT NULL,
        preferred_name TEXT NOT NULL DEFAULT '',
        pronouns TEXT NOT NULL DEFAULT '',
        date_of_birth TEXT,
        email TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        referral_source TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        archived_at TEXT
    )""",
    """CREATE TABLE episodes (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        start_date TEXT NOT NULL,
        start_source TEXT NOT NULL DEFAULT 'first-session'
            CHECK (start_source IN ('intake', 'first-session')),
        end_date TEXT,
        termination_type TEXT,
        closing_summary TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK (end_date IS NULL OR end_date >= start_date),
        CHECK ((end_date IS NULL) = (termination_type IS NULL))
    )""",
    "CREATE INDEX episodes_client ON episodes(client_id, start_date)",
    """CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        episode_id INTEGER REFERENCES episodes(id),
        contact_date TEXT NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        archived_at TEXT
    )""",
    "CREATE INDEX contacts_client ON contacts(client_id, contact_date)",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        episode_id INTEGER NOT NULL REFERENCES episodes(id),
        session_date TEXT NOT NULL,
        start_time TEXT NOT NULL DEFAULT '',
        duration_minutes INTEGER NOT NULL DEFAULT 50 CHECK (duration_minutes >= 0),
        modality TEXT NOT NULL DEFAULT 'in-person',
        service_code TEXT NOT NULL DEFAULT '',
        attendance TEXT NOT NULL DEFAULT 'attended',
        fee_cents INTEGER,
        template TEXT NOT NULL,
        sections TEXT NOT NULL DEFAULT '{}',
        note_text TEXT NOT NULL DEFAULT '',
        risk_level TEXT NOT NULL DEFAULT 'none',
        risk_text TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'signed')),
        signed_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        archived_at TEXT,
        CHECK ((status = 'signed') = (signed_at IS NOT NULL))
    )""",
    "CREATE INDEX sessions_client ON sessions(client_id, session_date)",
    """CREATE TABLE addenda (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        written_on TEXT NOT NULL,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX addenda_session ON addenda(session_id)",
    """CREATE TABLE journal_entries (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        session_id INTEGER REFERENCES sessions(id),
        written_on TEXT NOT NULL,
        kind TEXT NOT NULL,
        themes TEXT NOT NULL DEFAULT '[]',
        intensity INTEGER NOT NULL DEFAULT 0 CHECK (intensity BETWEEN 0 AND 10),
        text TEXT NOT NULL,
        bring_to_supervision INTEGER NOT NULL DEFAULT 0,
        discussed_in_supervision_on TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        archived_at TEXT
    )""",
    "CREATE INDEX journal_client ON journal_entries(client_id, written_on)",
    """CREATE TABLE diagnoses (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        code TEXT NOT NULL,
        system TEXT NOT NULL DEFAULT 'ICD-10-CM',
        description TEXT NOT NULL DEFAULT '',
        diagnosed_on TEXT,
        resolved_on TEXT,
        created_at TEXT NOT NULL,
        archived_at TEXT
    )""",
    """CREATE TABLE treatment_goals (
        id INTEGER PRIMARY KEY,
        client_id INTEGER NOT NULL REFERENCES clients(id),
        goal TEXT NOT NULL,
        review_on TEXT,
        status TEXT NOT NULL DEFAULT 'active',
        created_at TEXT NOT NULL,
        archived_at TEXT
    )""",
    """CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '{}',
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    )""",
    # --- Immutability: signed notes, addenda, the audit log; nothing clinical is deleted.
    """CREATE TRIGGER sessions_signed_no_update BEFORE UPDATE ON sessions
        WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'therapynote: a signed session cannot be changed'); END""",
    """CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
        BEGIN SELECT RAISE(ABORT, 'therapynote: sessions are archived, never deleted'); END""",
    """CREATE TRIGGER addenda_no_update BEFORE UPDATE ON addenda
        BEGIN SELECT RAISE(ABORT, 'therapynote: an addendum cannot be changed'); END""",
    """CREATE TRIGGER addenda_no_delete BEFORE DELETE ON addenda
        BEGIN SELECT RAISE(ABORT, 'therapynote: an addendum cannot be deleted'); END""",
    """CREATE TRIGGER addenda_only_signed BEFORE INSERT ON addenda
        WHEN (SELECT status FROM sessions WHERE id = NEW.session_id) IS NOT 'signed'
        BEGIN SELECT RAISE(ABORT, 'therapynote: addenda are for signed sessions'); END""",
    """CREATE TRIGGER clients_no_delete BEFORE DELETE ON clients
        BEGIN SELECT RAISE(ABORT, 'therapynote: clients are archived, never deleted'); END""",
    """CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal_entries
        BEGIN SELECT RAISE(ABORT, 'therapynote: journal entries are archived, not deleted');
        END""",
    """CREATE TRIGGER episodes_no_delete BEFORE DELETE ON episodes
        BEGIN SELECT RAISE(ABORT, 'therapynote: episodes are never deleted'); END""",
    """CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
        BEGIN SELECT RAISE(ABORT, 'therapynote: contacts are archived, never deleted'); END""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'therapynote: the audit log is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'therapynote: the audit log is append-only'); END""",
    # --- Full-text search: external-content FTS5 tables kept in step by triggers.
    """CREATE VIRTUAL TABLE sessions_fts USING fts5(
        note_text, risk_text, content='sessions', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER sessions_fts_ai AFTER INSERT ON sessions BEGIN
        INSERT INTO sessions_fts(rowid, note_text, risk_text)
        VALUES (new.id, new.note_text, new.risk_text); END""",
    """CREATE TRIGGER sessions_fts_au AFTER UPDATE OF note_text, risk_text ON sessions BEGIN
        INSERT INTO sessions_fts(sessions_fts, rowid, note_text, risk_text)
        VALUES ('delete', old.id, old.note_text, old.risk_text);
        INSERT INTO sessions_fts(rowid, note_text, risk_text)
        VALUES (new.id, new.note_text, new.risk_text); END""",
    """CREATE VIRTUAL TABLE addenda_fts USING fts5(
        text, content='addenda', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER addenda_fts_ai AFTER INSERT ON addenda BEGIN
        INSERT INTO addenda_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE VIRTUAL TABLE journal_fts USING fts5(
        text, themes, content='journal_entries', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER journal_fts_ai AFTER INSERT ON journal_entries BEGIN
        INSERT INTO journal_fts(rowid, text, themes) VALUES (new.id, new.text, new.themes); END""",
    """CREATE TRIGGER journal_fts_au AFTER UPDATE OF text, themes ON journal_entries BEGIN
        INSERT INTO journal_fts(journal_fts, rowid, text, themes)
        VALUES ('delete', old.id, old.text, old.themes);
        INSERT INTO journal_fts(rowid, text, themes) VALUES (new.id, new.text, new.themes); END""",
    """CREATE VIRTUAL TABLE clients_fts USING fts5(
        code, full_name, preferred_name, content='clients', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER clients_fts_ai AFTER INSERT ON clients BEGIN
        INSERT INTO clients_fts(rowid, code, full_name, preferred_name)
        VALUES (new.id, new.code, new.full_name, new.preferred_name); END""",
    """CREATE TRIGGER clients_fts_au AFTER UPDATE OF code, full_name, preferred_name ON clients
        BEGIN
        INSERT INTO clients_fts(clients_fts, rowid, code, full_name, preferred_name)
        VALUES ('delete', old.id, old.code, old.full_name, old.preferred_name);
        INSERT INTO clients_fts(rowid, code, full_name, preferred_name)
        VALUES (new.id, new.code, new.full_name, new.preferred_name); END""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("therapynote never downgrades a vault")
