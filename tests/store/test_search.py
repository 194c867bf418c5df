"""Full-text search over a demo practice of 1,800 sessions."""

from __future__ import annotations

from datetime import date

from therapynote.store.search import literal_query, search


def test_search_finds_note_word_among_demo_sessions(demo_vault) -> None:  # type: ignore[no-untyped-def]
    with demo_vault.open(writable=False) as v:
        assert v.repo.counts()["sessions"] >= 1500
        hits = search(v.engine, "breathing", limit=20)
        assert 0 < len(hits) <= 20
        assert all("«" in h.snippet and "»" in h.snippet for h in hits)
        assert {h.kind for h in hits} <= {"session", "addendum", "journal", "client"}
        ranks = [h.rank for h in hits]
        assert ranks == sorted(ranks)
        sessions = [h for h in hits if h.kind == "session"]
        assert sessions
        note = v.repo.get_session(sessions[0].id)
        assert "breathing" in " ".join(note.sections.values()).lower()


def test_search_each_kind(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Oriane Quellmarch", code="C-0200")
        s = repo.add_session("C-0200", date(2024, 1, 1), sections={"plan": "zephyrine walk"})
        repo.sign_session(s.id)
        repo.amend_session(s.id, "zephyrine addendum")
        repo.add_journal("C-0200", kind="reflection", text_="zephyrine reverie")
        kinds = sorted(h.kind for h in search(v.engine, "zephyrine"))
        assert kinds == ["addendum", "journal", "session"]
        client_hits = search(v.engine, "Quellmarch")
        assert [(h.kind, h.client) for h in client_hits] == [("client", "C-0200")]
        repo.update_client("C-0200", full_name="Oriane Vantwell")
        assert search(v.engine, "Quellmarch") == []
        assert [h.kind for h in search(v.engine, "Vantwell")] == ["client"]


def test_malformed_fts_syntax_falls_back_to_words(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        v.repo.add_client("Pell Testwell", code="C-0201")
        v.repo.add_session("C-0201", date(2024, 1, 1), sections={"plan": "don't stop"})
        assert [h.kind for h in search(v.engine, "don't \"stop")] == ["session"]
        assert [h.kind for h in search(v.engine, "C-0201")] == ["client"]
        assert [h.kind for h in search(v.engine, "stop (")] == ["session"]


def test_literal_query_quotes_tokens() -> None:
    assert literal_query('a "b" c* (') == '"a" """b""" "c"*'
