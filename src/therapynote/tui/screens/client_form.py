"""Add a client or edit a client's details."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label

from therapynote.tui.screens.editor_base import EditorScreen
from therapynote.tui.text import day

if TYPE_CHECKING:
    from therapynote.domain.models import Client
    from therapynote.vault.vault import Vault

#: (field, label, identifying: hidden in privacy mode)
FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("full_name", "full name", True),
    ("preferred_name", "preferred name", True),
    ("pronouns", "pronouns", False),
    ("date_of_birth", "date of birth", True),
    ("email", "email", True),
    ("phone", "phone", True),
    ("address", "address", True),
    ("referral_source", "referral", False),
    ("tags", "tags (comma-separated)", False),
)


class ClientForm(EditorScreen):
    """Client details; on a new client also the intake date (opens the first episode)."""

    kind_title = "Client"

    def compose_fields(self) -> ComposeResult:
        for name, label, _ in FIELDS:
            with Horizontal(classes="row"):
                yield Label(label, classes="field-label")
                yield Input(id=f"client-{name}")
        if self.spec.client_code is None:
            with Horizontal(classes="row"):
                yield Label("intake date", classes="field-label")
                yield Input(placeholder="YYYY-MM-DD (optional)", id="client-intake")

    def header_detail(self) -> str:
        return "new client" if self.spec.client_code is None else "details"

    def load_record(self, vault: Vault) -> Client | None:
        if self.spec.client_code is None:
            return None
        return vault.repo.get_client(self.spec.client_code)

    def fill(self, record: Client | None) -> None:
        if record is not None:
            for name, _, _ in FIELDS:
                value = getattr(record, name)
                if name == "tags":
                    value = ", ".join(value)
                elif name == "date_of_birth":
                    value = day(value)
                self.query_one(f"#client-{name}", Input).value = str(value or "")
        self.refresh_privacy()
        self.query_one("#client-full_name", Input).focus()

    def refresh_privacy(self) -> None:
        super().refresh_privacy()
        for name, _, identifying in FIELDS:
            if identifying:
                self.query_one(f"#client-{name}", Input).password = self.tn.privacy

    def payload(self) -> dict[str, Any]:
        out = {name: self.query_one(f"#client-{name}", Input).value for name, _, _ in FIELDS}
        if self.spec.client_code is None:
            out["intake"] = self.query_one("#client-intake", Input).value
        return out

    def apply_payload(self, payload: dict[str, Any]) -> None:
        for name, _, _ in FIELDS:
            if name in payload:
                self.query_one(f"#client-{name}", Input).value = str(payload[name])
        if self.spec.client_code is None and "intake" in payload:
            self.query_one("#client-intake", Input).value = str(payload["intake"])

    def save_record(self) -> None:
        from therapynote.domain.dates import parse_date
        from therapynote.errors import InvalidInput

        p = self.payload()
        try:
            dob = (
                parse_date(p["date_of_birth"], "the date of birth")
                if p["date_of_birth"].strip()
                else None
            )
            intake = (
                parse_date(p["intake"], "the intake date") if p.get("intake", "").strip() else None
            )
        except InvalidInput as exc:
            self.save_failed(exc)
            return
        fields: dict[str, Any] = {name: p[name] for name, _, _ in FIELDS}
        fields["date_of_birth"] = dob
        fields["tags"] = [t.strip() for t in p["tags"].split(",") if t.strip()]
        code = self.spec.client_code

        def job(vault: Vault) -> Client:
            if code is None:
                name = fields.pop("full_name")
                return vault.repo.add_client(name, intake_date=intake, **fields)
            return vault.repo.update_client(code, **fields)

        self.tn.db(
            job,
            lambda c: self.saved(f"Client {c.code} saved.", close=True),
            failed=self.save_failed,
        )
