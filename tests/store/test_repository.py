"""The repository on real SQLCipher files: episodes, sessions, signing, journal, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import exc, text

from therapynote.errors import InvalidInput, NotFound, Refused

D = date.fromisoformat


def test_history_entry_first_episode_starts_at_earliest_session(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Avery Testwell", code="C-0100")
        repo.add_session("C-0100", D("2021-05-03"), sections={"plan": "p"})
        repo.add_session("C-0100", D("2019-02-11"), sections={"plan": "p"})
        repo.add_session("C-0100", D("2020-07-01"), sections={"plan": "p"})
        episodes = repo.list_episodes("C-0100")
        assert len(episodes) == 1
        assert episodes[0].start_date == D("2019-02-11")
        assert episodes[0].is_open


def test_intake_date_starts_episode(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        v.repo.add_client("Brisa Testwell", code="C-0101", intake_date=D("2018-01-08"))
        assert v.repo.list_episodes("C-0101")[0].start_date == D("2018-01-08")


def test_returning_client_needs_new_episode(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Caspian Testwell", code="C-0102")
        repo.add_session("C-0102", D("2022-01-10"), sections={"plan": "p"})
        repo.end_episode("C-0102", D("2022-06-01"), "planned")
        with pytest.raises(Refused, match="start a new episode"):
            repo.add_session("C-0102", D("2023-03-01"), sections={"plan": "p"})
        with pytest.raises(InvalidInput, match="after the last one ended"):
            repo.start_episode("C-0102", D("2022-05-01"))
        repo.start_episode("C-0102", D("2023-02-20"))
        s = repo.add_session("C-0102", D("2023-03-01"), sections={"plan": "p"})
        episodes = repo.list_episodes("C-0102")
        assert [e.is_open for e in episodes] == [False, True]
        assert s.episode_id == episodes[1].id
        # A session back-dated into the first episode still lands there.
        old = repo.add_session("C-0102", D("2022-03-01"), sections={"plan": "p"})
        assert old.episode_id == episodes[0].id
        with pytest.raises(InvalidInput, match="between two"):
            repo.add_session("C-0102", D("2022-12-01"), sections={"plan": "p"})


def test_end_episode_rules(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Delphine Testwell", code="C-0103")
        with pytest.raises(Refused, match="no open episode"):
            repo.end_episode("C-0103", D("2024-01-01"), "planned")
        repo.start_episode("C-0103", D("2024-01-02"))
        with pytest.raises(InvalidInput, match="cannot end before"):
            repo.end_episode("C-0103", D("2024-01-01"), "planned")
        repo.add_session("C-0103", D("2024-01-10"), sections={"plan": "p"})
        with pytest.raises(InvalidInput, match="session on 2024-01-10"):
            repo.end_episode("C-0103", D("2024-01-09"), "planned")
        with pytest.raises(InvalidInput, match="termination type"):
            repo.end_episode("C-0103", D("2024-02-01"), "fired")
        ep = repo.end_episode("C-0103", D("2024-02-01"), "dropped-out")
        assert ep.end_date == D("2024-02-01") and ep.termination_type == "dropped-out"


def test_contact_after_termination_is_kept_with_last_episode(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Emrys Testwell", code="C-0104")
        repo.add_session("C-0104", D("2023-01-10"), sections={"plan": "p"})
        ep = repo.end_episode("C-0104", D("2023-05-01"), "planned")
        k = repo.add_contact("C-0104", D("2024-06-10"), "records-release")
        assert k.episode_id == ep.id
        facts = repo.client_facts("C-0104")
        assert facts.contact_dates == (D("2024-06-10"),)
        assert facts.attended_session_dates == (D("2023-01-10"),)


def test_signed_session_is_immutable_in_python_and_sql(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Fennimore Testwell", code="C-0105")
        s = repo.add_session("C-0105", D("2024-02-01"), sections={"subjective": "draft text"})
        s = repo.edit_session(s.id, sections={"plan": "added"})
        assert s.sections == {"subjective": "draft text", "plan": "added"}
        repo.sign_session(s.id)
        with pytest.raises(Refused, match="signed"):
            repo.edit_session(s.id, sections={"plan": "changed"})
        with pytest.raises(Refused, match="signed"):
            repo.archive_session(s.id)
        with v.engine.begin() as conn, pytest.raises(exc.IntegrityError, match="signed session"):
            conn.execute(text("UPDATE sessions SET note_text = 'x' WHERE id = :i"), {"i": s.id})
        with v.engine.begin() as conn, pytest.raises(exc.IntegrityError, match="never deleted"):
            conn.execute(text("DELETE FROM sessions WHERE id = :i"), {"i": s.id})
        a = repo.amend_session(s.id, "a dated correction", D("2024-02-05"))
        with v.engine.begin() as conn, pytest.raises(exc.IntegrityError):
            conn.execute(text("UPDATE addenda SET text = 'x' WHERE id = :i"), {"i": a.id})
        with v.engine.begin() as conn, pytest.raises(exc.IntegrityError):
            conn.execute(text("DELETE FROM addenda WHERE id = :i"), {"i": a.id})
        got = repo.get_session(s.id)
        assert got.sections["plan"] == "added"
        assert [x.text for x in got.addenda] == ["a dated correction"]


def test_addendum_only_on_signed_and_sign_needs_text(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Giedre Testwell", code="C-0106")
        s = repo.add_session("C-0106", D("2024-02-01"))
        with pytest.raises(Refused, match="draft"):
            repo.amend_session(s.id, "x")
        with pytest.raises(Refused, match="empty note"):
            repo.sign_session(s.id)
        no_show = repo.add_session("C-0106", D("2024-02-08"), attendance="no-show")
        assert repo.sign_session(no_show.id).is_signed
        with v.engine.begin() as conn, pytest.raises(exc.IntegrityError, match="signed"):
            conn.execute(
                text(
                    "INSERT INTO addenda (session_id, written_on, text, created_at) "
                    "VALUES (:i, '2024-01-01', 'x', 'now')"
                ),
                {"i": s.id},
            )


def test_clinical_rows_are_never_deleted(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        v.repo.add_client("Halvard Testwell", code="C-0107")
        v.repo.add_session("C-0107", D("2024-01-01"), sections={"plan": "p"})
        v.repo.add_journal("C-0107", kind="reflection", text_="x")
        v.repo.add_contact("C-0107", D("2024-01-02"), "phone")
        for table in ("clients", "episodes", "journal_entries", "contacts", "audit_events"):
            with v.engine.begin() as conn, pytest.raises(exc.IntegrityError):
                conn.execute(text(f"DELETE FROM {table}"))
        archived = v.repo.archive_client("C-0107")
        assert archived.archived_at is not None
        assert v.repo.list_clients() == []
        assert [c.status for c in v.repo.list_clients(include_archived=True)] == ["archived"]


def test_journal_entries(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Ilse Testwell", code="C-0108")
        repo.add_client("Jorun Testwell", code="C-0109")
        s = repo.add_session("C-0108", D("2024-02-01"), sections={"plan": "p"})
        j = repo.add_journal(
            "C-0108",
            kind="countertransference",
            text_="pull to rescue",
            intensity=7,
            themes=["Erotic", "rescuing", "erotic"],
            session_id=s.id,
            bring_to_supervision=True,
        )
        assert j.themes == ["erotic", "rescuing"] and j.bring_to_supervision
        with pytest.raises(InvalidInput, match="another client"):
            repo.add_journal("C-0109", kind="reflection", text_="x", session_id=s.id)
        with pytest.raises(InvalidInput, match="0 to 10"):
            repo.add_journal("C-0108", kind="reflection", text_="x", intensity=11)
        with pytest.raises(InvalidInput, match="journal kind"):
            repo.add_journal("C-0108", kind="dream", text_="x")
        marked = repo.mark_supervision(j.id, discussed_on=D("2024-03-01"))
        assert marked.discussed_in_supervision_on == D("2024-03-01")
        assert not marked.bring_to_supervision
        assert repo.client_facts("C-0108").journal_themes == {"erotic", "rescuing"}


def test_client_codes_and_lookup(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        assert repo.add_client("Kestrel Testwell").code == "C-0001"
        assert repo.add_client("Linnea Testwell").code == "C-0002"
        with pytest.raises(Refused, match="already in use"):
            repo.add_client("Marisol Testwell", code="C-0002")
        with pytest.raises(NotFound):
            repo.get_client("C-9999")
        with pytest.raises(InvalidInput, match="needs a name"):
            repo.add_client("   ")
        updated = repo.update_client("C-0001", preferred_name="Kes", tags=["couples"])
        assert updated.display_name == "Kes" and updated.tags == ["couples"]


def test_audit_chain_is_verified_and_tamper_is_found(vault) -> None:  # type: ignore[no-untyped-def]
    with vault.open() as v:
        repo = v.repo
        repo.add_client("Nilo Testwell", code="C-0110")
        s = repo.add_session("C-0110", D("2024-01-01"), sections={"plan": "secret plan words"})
        repo.sign_session(s.id)
        assert repo.verify_audit_chain() == []
        events = repo.audit_events(100)
        actions = {e.action for e in events}
        assert {"init", "create", "sign"} <= actions
        assert all("secret plan words" not in e.detail for e in events)
        with v.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_no_update"))
            conn.execute(text("UPDATE audit_events SET action = 'forged' WHERE id = 2"))
        assert any("altered" in p for p in repo.verify_audit_chain())


def test_journal_entry_can_be_edited_and_search_follows(vault) -> None:  # type: ignore[no-untyped-def]
    from therapynote.store.search import search

    with vault.open() as v:
        repo = v.repo
        repo.add_client("Wren Testwell", code="C-0111")
        s = repo.add_session("C-0111", D("2024-02-01"), sections={"plan": "p"})
        j = repo.add_journal("C-0111", kind="reflection", text_="first quillfeather thought")
        edited = repo.edit_journal(
            j.id,
            text_="second lanternfish thought",
            kind="enactment",
            themes=["Rescuing"],
            intensity=4,
            session_id=s.id,
        )
        assert (edited.kind, edited.themes, edited.intensity, edited.session_id) == (
            "enactment",
            ["rescuing"],
            4,
            s.id,
        )
        assert search(v.engine, "quillfeather") == []
        assert [h.id for h in search(v.engine, "lanternfish")] == [j.id]
        assert repo.edit_journal(j.id, unlink_session=True).session_id is None
        with pytest.raises(InvalidInput, match="nothing to change"):
            repo.edit_journal(j.id)
        with pytest.raises(NotFound):
            repo.edit_journal(999, text_="x")
        assert repo.verify_audit_chain() == []
