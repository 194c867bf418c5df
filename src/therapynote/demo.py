"""A generator of fictional practices: the demo vault and the benchmarks' large vaults.

Every name and every word of every note is synthetic. The generator is deterministic for a
given size, seed and "today", so tests and benchmarks can rely on its shape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from therapynote.domain.models import JOURNAL_KINDS
from therapynote.domain.templates import section_keys

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from therapynote.store.repository import Repository

DEMO_PASSPHRASE = "demo"

FIRST = (
    "Avery",
    "Brisa",
    "Caspian",
    "Delphine",
    "Emrys",
    "Fennimore",
    "Giedre",
    "Halvard",
    "Ilse",
    "Jorun",
    "Kestrel",
    "Linnea",
    "Marisol",
    "Nilo",
    "Oriane",
    "Pell",
    "Quilla",
    "Rosalind",
    "Soren",
    "Tamsin",
    "Ulla",
    "Vesna",
    "Wren",
    "Xanthe",
    "Yannick",
    "Zoë",
    "Anouk",
    "Bram",
    "Cosima",
    "Dagny",
    "Eero",
    "Fiora",
)
LAST = (
    "Ødegård",
    "Ashdown",
    "Birchall",
    "Corvino",
    "Dunmore",
    "Elsworth",
    "Fairweather",
    "Gallowglass",
    "Hollinrake",
    "Islington",
    "Jessamine",
    "Kittredge",
    "Larkspur",
    "Merriweather",
    "Nethercott",
    "Oakhampton",
    "Pennywhistle",
    "Quenby",
    "Ravensworth",
    "Silverthorn",
    "Thistlewood",
    "Underhay",
    "Vantongeren",
    "Whitlock",
    "Yarborough",
    "Zellweger",
)
PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")
REFERRALS = (
    "self",
    "primary care physician",
    "former client",
    "employee assistance",
    "school counsellor",
    "online directory",
)

SUBJECTIVE = (
    "Reports sleeping poorly for most of the week and waking early with worry about work.",
    "Describes a calmer week; used the breathing exercise twice before meetings.",
    "Says the argument with a sibling left them feeling dismissed and tearful for days.",
    "Reports low mood in the mornings, improving by afternoon; appetite unchanged.",
    "Notices more irritability at home; links it to the approaching anniversary of a loss.",
    "Shares a dream about an empty house and wonders what it means.",
    "Reports panic symptoms on the train twice this week, each lasting about ten minutes.",
    "Feels proud of setting a limit with a manager; anxious about the consequences.",
    "Describes grief coming in waves; some days feel almost ordinary.",
    "Reports drinking less this week and sleeping better as a result.",
)
OBJECTIVE = (
    "Arrived on time, casually dressed, good eye contact, speech of normal rate.",
    "Appeared tired; affect constricted but brightened when discussing a friend.",
    "Tearful at points; able to regulate with grounding. Thought process linear.",
    "Restless in the chair early in the session, settled as it went on.",
    "Engaged and reflective; affect congruent with content.",
)
ASSESSMENT = (
    "Symptoms of generalised anxiety continue to ease; avoidance is reducing.",
    "Mood remains low but stable; no change in risk. Working alliance is good.",
    "Grief process appears to be moving; anger emerging as an available feeling.",
    "Panic cycle well understood by client; catastrophic interpretations still strong.",
    "Progress toward goal of assertive communication is steady.",
)
PLAN = (
    "Continue weekly sessions. Practise the thought record twice before next session.",
    "Review sleep diary next week; consider referral to primary care if unchanged.",
    "Graded exposure: ride two stops on the train with the coping card.",
    "Explore family history of loss; bring photographs if client wishes.",
    "Fortnightly sessions from next month as agreed; review goals in six weeks.",
)
INTERVENTIONS = (
    "Used cognitive restructuring on the belief that mistakes lead to rejection.",
    "Practised paced breathing and a grounding exercise in session.",
    "Reflected and validated the feeling of being overlooked; explored its history.",
    "Psychoeducation on the panic cycle, drawn together on paper.",
    "Empty-chair work addressing the late parent.",
)
JOURNAL_TEXT = (
    "Noticed I wanted to rescue them from the feeling instead of staying with it.",
    "Felt a pull to be the good parent today; I talked more than usual.",
    "Found my attention drifting; boredom may be a defence against their despair.",
    "A flash of irritation when they dismissed the homework. Whose irritation is it?",
    "They idealise me and I enjoy it more than I should. Bring to supervision.",
    "We had a rupture over the cancelled session and repaired it well by the end.",
    "An enactment: I ran over time again, as if I could not let them go.",
    "Strong sense of warmth and closeness; watch the boundary, discuss in supervision.",
    "Reflection on my own grief being stirred by this work.",
)
THEMES = ("idealising", "hostile", "dependent", "rescuing", "boredom", "parental", "shame")


@dataclass
class DemoStats:
    clients: int = 0
    sessions: int = 0
    signed: int = 0
    addenda: int = 0
    journal: int = 0
    contacts: int = 0
    codes: dict[str, str] = field(default_factory=dict)  # role -> client code


def _years_ago(today: date, years: float) -> date:
    return today - timedelta(days=round(years * 365.25))


class _Builder:
    def __init__(self, repo: Repository, conn: Connection, rng: random.Random, today: date) -> None:
        self.repo = repo
        self.conn = conn
        self.rng = rng
        self.today = today
        self.stats = DemoStats()
        self.used_names: set[str] = set()

    def name(self) -> str:
        while True:
            candidate = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if candidate not in self.used_names or len(self.used_names) > 700:
                self.used_names.add(candidate)
                return candidate

    def client(self, start: date, *, dob: date | None = None) -> str:
        full = self.name()
        if dob is None:
            dob = start - timedelta(days=self.rng.randint(20 * 365, 70 * 365))
        c = self.repo.add_client(
            full,
            preferred_name=full.split()[0] if self.rng.random() < 0.3 else "",
            pronouns=self.rng.choice(PRONOUNS),
            date_of_birth=dob,
            referral_source=self.rng.choice(REFERRALS),
            intake_date=start,
            conn=self.conn,
        )
        self.stats.clients += 1
        return c.code

    def note(self, template: str) -> dict[str, str]:
        r = self.rng
        bank = {
            "subjective": SUBJECTIVE,
            "objective": OBJECTIVE,
            "assessment": ASSESSMENT,
            "plan": PLAN,
            "data": SUBJECTIVE,
            "behavior": OBJECTIVE,
            "intervention": INTERVENTIONS,
            "response": ASSESSMENT,
        }
        if template == "free":
            return {"note": " ".join(r.sample(SUBJECTIVE + INTERVENTIONS + PLAN, 4))}
        return {key: " ".join(r.sample(bank[key], 2)) for key in section_keys(template)}

    def sessions(
        self,
        code: str,
        start: date,
        end: date,
        *,
        weekly: bool = True,
        journal_rate: float = 0.15,
        themes: tuple[str, ...] = (),
    ) -> date:
        """Sessions from start to end; returns the date of the last one."""
        r = self.rng
        day = start
        last = start
        template = r.choice(("soap", "soap", "dap", "birp", "free"))
        step = 7 if weekly else 14
        while day <= end:
            attendance = r.choices(
                ("attended", "no-show", "late-cancel", "cancelled"), (90, 3, 3, 4)
            )[0]
            sections = (
                self.note(template)
                if attendance == "attended"
                else {section_keys(template)[0]: "Client did not attend; message left."}
            )
            s = self.repo.add_session(
                code,
                day,
                template=template,
                sections=sections,
                start_time=f"{r.randint(8, 18):02d}:00",
                duration_minutes=50,
                modality=r.choices(("in-person", "video", "phone"), (6, 3, 1))[0],
                service_code="90834",
                attendance=attendance,
                fee_cents=r.choice((12000, 15000)),
                risk_level=r.choices(("none", "low", "moderate"), (85, 12, 3))[0],
                conn=self.conn,
            )
            self.stats.sessions += 1
            if attendance == "attended":
                last = day
            if (self.today - day).days > 14:
                self.repo.sign_session(s.id, conn=self.conn)
                self.stats.signed += 1
                if r.random() < 0.02:
                    self.repo.amend_session(
                        s.id,
                        "Addendum: corrected the date of the next appointment.",
                        written_on=min(self.today, day + timedelta(days=3)),
                        conn=self.conn,
                    )
                    self.stats.addenda += 1
            if attendance == "attended" and r.random() < journal_rate:
                kind = JOURNAL_KINDS[self.stats.journal % len(JOURNAL_KINDS)]
                chosen = list(themes) + r.sample(THEMES, r.randint(0, 2))
                self.repo.add_journal(
                    code,
                    kind=kind,
                    text_=r.choice(JOURNAL_TEXT),
                    intensity=r.randint(1, 9),
                    themes=chosen,
                    session_id=s.id,
                    written_on=day,
                    bring_to_supervision=r.random() < 0.3,
                    conn=self.conn,
                )
                self.stats.journal += 1
            day += timedelta(days=step + r.choice((0, 0, 0, 7)) if r.random() < 0.1 else step)
        return last

    def end(self, code: str, on: date, kind: str = "planned") -> None:
        self.repo.end_episode(code, on, kind, "Goals reviewed; ending agreed.", conn=self.conn)

    def contact(self, code: str, on: date, kind: str, summary: str) -> None:
        self.repo.add_contact(code, on, kind, summary, conn=self.conn)
        self.stats.contacts += 1


def generate(
    repo: Repository, *, size: int = 40, seed: int = 7, today: date | None = None
) -> DemoStats:
    """Fill an empty vault with a fictional practice of about `size` clients.

    The first nine clients cover the cases the rule panel must handle: active, ended six
    months, twenty-three months, three years and six years ago, a drop-out with no
    termination recorded, a returning client, a minor, and a later professional contact.
    """
    today = today or date.today()
    rng = random.Random(seed)
    with repo.transaction() as conn:
        b = _Builder(repo, conn, rng, today)
        roles = b.stats.codes

        code = b.client(_years_ago(today, 2))
        b.sessions(code, _years_ago(today, 2), today - timedelta(days=2))
        roles["active"] = code

        for role, years, kind in (
            ("ended-6-months", 0.5, "planned"),
            ("ended-23-months", 23 / 12, "planned"),
            ("ended-3-years", 3, "client-initiated"),
            ("ended-6-years", 6, "planned"),
        ):
            end = _years_ago(today, years)
            start = end - timedelta(days=rng.randint(200, 600))
            code = b.client(start)
            themes = ("erotic",) if role == "ended-23-months" else ()
            last = b.sessions(
                code, start, end - timedelta(days=7), journal_rate=0.25, themes=themes
            )
            b.end(code, max(end, last), kind)
            roles[role] = code

        start = _years_ago(today, 1.2)
        code = b.client(start)
        b.sessions(code, start, today - timedelta(days=160))
        roles["dropped-out"] = code

        start = _years_ago(today, 5)
        code = b.client(start)
        last = b.sessions(code, start, _years_ago(today, 4))
        b.end(code, last + timedelta(days=7), "planned")
        second = today - timedelta(days=100)
        repo.start_episode(code, second, conn=conn)
        b.sessions(code, second, today - timedelta(days=3))
        roles["returned"] = code

        start = _years_ago(today, 0.8)
        code = b.client(start, dob=_years_ago(today, 15.3))
        b.sessions(code, start, today - timedelta(days=5))
        b.contact(code, start + timedelta(days=30), "phone", "Call with parent about scheduling.")
        roles["minor"] = code

        end = _years_ago(today, 2.3)
        start = end - timedelta(days=400)
        code = b.client(start)
        last = b.sessions(code, start, end - timedelta(days=7))
        b.end(code, max(end, last), "transferred")
        b.contact(
            code,
            _years_ago(today, 0.7),
            "records-release",
            "Records sent to the new provider at the client's written request.",
        )
        roles["later-contact"] = code

        while b.stats.clients < size:
            years_back = rng.uniform(0.2, 7.0)
            start = _years_ago(today, years_back)
            length = timedelta(days=rng.randint(60, 900))
            end = min(start + length, today - timedelta(days=1))
            code = b.client(start)
            last = b.sessions(code, start, end, weekly=rng.random() < 0.8)
            if end < today - timedelta(days=60) and rng.random() < 0.85:
                b.end(
                    code,
                    max(last, end) + timedelta(days=rng.randint(0, 14)),
                    rng.choice(("planned", "planned", "client-initiated", "transferred")),
                )
            if rng.random() < 0.2:
                b.contact(
                    code,
                    min(today, last + timedelta(days=rng.randint(1, 90))),
                    rng.choice(("phone", "email", "letter")),
                    "Brief scheduling contact.",
                )
    return b.stats
