"""The session note editor: template sections, sign, and addenda for signed notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from therapynote.domain.models import ATTENDANCE, RISK_LEVELS
from therapynote.domain.templates import TEMPLATES
from therapynote.tui.screens.editor_base import EditorScreen
from therapynote.tui.text import day, lit

if TYPE_CHECKING:
    from datetime import date

    from therapynote.domain.models import TherapySession
    from therapynote.vault.vault import Vault


@dataclass
class SessionRecord:
    session: TherapySession | None
    template: str = "soap"
    sections: dict[str, str] = field(default_factory=dict)
    today: date | None = None


class SessionEditor(EditorScreen):
    """A new or draft note by template sections; a signed note read-only with addenda."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+g",
            "sign",
            "Sign",
            id="editor-sign",
            tooltip="Save and sign this note (it cannot change afterwards).",
        ),
    ]
    kind_title = "Session note"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: TherapySession | None = None
        self.template = self.spec.template or "soap"

    @property
    def signed(self) -> bool:
        return self.session is not None and self.session.is_signed

    def compose_fields(self) -> ComposeResult:
        with Horizontal(classes="row", id="session-meta"):
            yield Label("date")
            yield Input(placeholder="YYYY-MM-DD", id="session-date", classes="date")
            yield Label("template")
            yield Select(
                [(name.upper(), name) for name in TEMPLATES],
                value=self.template,
                allow_blank=False,
                id="session-template",
            )
            yield Label("attendance")
            yield Select(
                [(a, a) for a in ATTENDANCE],
                value="attended",
                allow_blank=False,
                id="session-attendance",
            )
            yield Label("risk")
            yield Select(
                [(r, r) for r in RISK_LEVELS], value="none", allow_blank=False, id="session-risk"
            )
        for name, sections in TEMPLATES.items():
            with Vertical(id=f"sections-{name}", classes="sections"):
                for key, heading in sections:
                    yield Label(heading, classes="section-label")
                    yield TextArea("", id=f"s-{name}-{key}", soft_wrap=True, classes="section")
        with Vertical(id="addenda"):
            yield Label("Addenda", classes="section-label")
            yield Static("", id="addenda-list")
            yield Label("New addendum (dated today; ctrl+s saves it)", classes="section-label")
            yield TextArea("", id="addendum-text", soft_wrap=True, classes="section")

    def on_mount(self) -> None:
        self._show_template(self.template)
        self.query_one("#addenda").display = False

    def _show_template(self, template: str) -> None:
        for name in TEMPLATES:
            self.query_one(f"#sections-{name}").display = name == template

    def _area(self, template: str, key: str) -> TextArea:
        return self.query_one(f"#s-{template}-{key}", TextArea)

    def header_detail(self) -> str:
        if self.session is None:
            return "new draft"
        return f"session {self.session.id} · {self.session.status}"

    # ------------------------------------------------------------------ load / fill
    def load_record(self, vault: Vault) -> SessionRecord:
        repo = vault.repo
        if self.spec.session_id is not None:
            s = repo.get_session(self.spec.session_id)
            if s.is_signed:
                self.draft_key = f"addendum:{s.id}"
            return SessionRecord(s, s.template, dict(s.sections))
        if self.spec.from_previous and self.spec.client_code:
            previous = [
                s for s in repo.list_sessions(self.spec.client_code) if any(s.sections.values())
            ]
            if previous:
                p = previous[-1]
                return SessionRecord(None, p.template, dict(p.sections))
        return SessionRecord(None, self.template, {})

    def fill(self, record: SessionRecord) -> None:
        self.session = record.session
        self.template = record.template
        s = record.session
        self.query_one("#session-date", Input).value = day(s.session_date if s else self.tn.today())
        self.query_one("#session-template", Select).value = record.template
        if s is not None:
            self.query_one("#session-template", Select).disabled = True
            self.query_one("#session-attendance", Select).value = s.attendance
            self.query_one("#session-risk", Select).value = s.risk_level
        self._set_sections(record.template, record.sections)
        if self.signed:
            for widget in self.query("#session-meta Input, #session-meta Select"):
                widget.disabled = True
            for area in self.query(".sections TextArea").results(TextArea):
                area.read_only = True
            self.query_one("#addenda").display = True
            self._show_addenda()
        self.update_header()
        self._focus_first()

    def _focus_first(self) -> None:
        if self.signed:
            self.query_one("#addendum-text", TextArea).focus()
        else:
            key = TEMPLATES[self.template][0][0]
            self._area(self.template, key).focus()

    def _set_sections(self, template: str, values: dict[str, str]) -> None:
        self.template = template
        self._show_template(template)
        for key, _ in TEMPLATES[template]:
            self._area(template, key).text = values.get(key, "")

    def _show_addenda(self) -> None:
        assert self.session is not None
        out = Text(end="")
        for a in self.session.addenda:
            out.append(f"{day(a.written_on)}  ", style="bold")
            out.append_text(lit(a.text))
            out.append("\n")
        if not self.session.addenda:
            out.append("none yet", style="dim")
        self.query_one("#addenda-list", Static).update(out)

    @on(Select.Changed, "#session-template")
    def _template_changed(self, event: Select.Changed) -> None:
        if self.session is not None or event.value == self.template:
            return
        current = self.sections()
        self._set_sections(str(event.value), current)

    # ------------------------------------------------------------------ payload
    def sections(self) -> dict[str, str]:
        return {key: self._area(self.template, key).text for key, _ in TEMPLATES[self.template]}

    def payload(self) -> dict[str, Any]:
        if self.signed:
            return {"addendum": self.query_one("#addendum-text", TextArea).text}
        return {
            "date": self.query_one("#session-date", Input).value,
            "template": self.template,
            "attendance": str(self.query_one("#session-attendance", Select).value),
            "risk_level": str(self.query_one("#session-risk", Select).value),
            "sections": self.sections(),
        }

    def apply_payload(self, payload: dict[str, Any]) -> None:
        if self.signed:
            self.query_one("#addendum-text", TextArea).text = str(payload.get("addendum", ""))
            return
        self.query_one("#session-date", Input).value = str(payload.get("date", ""))
        template = str(payload.get("template", self.template))
        if self.session is not None or template not in TEMPLATES:
            template = self.template
        self.query_one("#session-template", Select).value = template
        for name, selector in (
            ("attendance", "#session-attendance"),
            ("risk_level", "#session-risk"),
        ):
            if payload.get(name):
                self.query_one(selector, Select).value = str(payload[name])
        sections = payload.get("sections") or {}
        self._set_sections(template, {str(k): str(v) for k, v in sections.items()})

    # ------------------------------------------------------------------ save and sign
    def save_record(self, then: Any = None) -> None:
        from therapynote.domain.dates import parse_date
        from therapynote.errors import InvalidInput

        if self.signed:
            self._save_addendum()
            return
        payload = self.payload()
        try:
            when = parse_date(payload["date"], "the session date")
        except InvalidInput as exc:
            self.save_failed(exc)
            return
        sections = {k: v for k, v in payload["sections"].items() if v.strip()}
        meta = {"attendance": payload["attendance"], "risk_level": payload["risk_level"]}
        session = self.session
        code = self.spec.client_code or ""
        template = self.template

        def job(vault: Vault) -> TherapySession:
            if session is None:
                return vault.repo.add_session(
                    code, when, template=template, sections=sections, **meta
                )
            return vault.repo.edit_session(
                session.id, sections=sections, replace_sections=True, session_date=when, **meta
            )

        def done(saved: TherapySession) -> None:
            old_key = self.draft_key
            self.session = saved
            self.draft_key = f"session:{saved.id}"
            if old_key != self.draft_key:
                self.drop_draft_key(old_key)
            self.query_one("#session-template", Select).disabled = True
            self.update_header()
            self.saved(f"Saved as draft session {saved.id}.")
            if then is not None:
                then()

        self.tn.db(job, done, failed=self.save_failed)

    def _save_addendum(self) -> None:
        text = self.payload()["addendum"]
        if not text.strip():
            self.set_status("Write the addendum first.")
            return
        assert self.session is not None
        sid = self.session.id
        today = self.tn.today()

        def job(vault: Vault) -> TherapySession:
            vault.repo.amend_session(sid, text, written_on=today)
            return vault.repo.get_session(sid)

        def done(session: TherapySession) -> None:
            self.session = session
            self._show_addenda()
            self.query_one("#addendum-text", TextArea).text = ""
            self.saved(f"Addendum added to session {sid}.")

        self.tn.db(job, done, failed=self.save_failed)

    def action_sign(self) -> None:
        from therapynote.tui.screens.confirm import ConfirmModal

        if not self.ready or self.signed:
            return

        def sign() -> None:
            assert self.session is not None
            sid = self.session.id

            def done(_s: TherapySession) -> None:
                self.notify(f"Session {sid} signed.", markup=False)
                self.changed = True
                self.dismiss(True)

            self.tn.db(lambda v: v.repo.sign_session(sid), done, failed=self.save_failed)

        def answer(yes: bool | None) -> None:
            if yes:
                if self.is_dirty or self.session is None:
                    self.save_record(then=sign)
                else:
                    sign()

        self.app.push_screen(
            ConfirmModal(
                "Sign this note? A signed note cannot be changed; corrections become "
                "dated addenda.",
                yes="Sign",
            ),
            callback=answer,
        )
