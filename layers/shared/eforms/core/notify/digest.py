"""The payroll team's digest: new cases told twice a working day in one email, not one email per case.

Payroll works its queue in the desk; the mailbox notice is a nudge, and one email per case was most of what
the service paid SES (docs/cost.md). So a case handed to payroll is *collected* into the next digest slot,
07:00 or 12:00 Stockholm time on a working day of the case's country, and the desk's scheduled run *sends*
each slot once its time has come: one email per language, listing every case collected for it.

Exactly once, both ways:

- **Collecting** is keyed by the hand-off (case and time), claimed in the send ledger, so a redelivered event
  adds nothing. A slot already sent refuses additions (a late event), and the case goes to the next slot.
- **Sending** claims the slot before the email goes out and releases the claim if the send fails, so the next
  run (15 minutes on) sends it; a slot is never sent twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Protocol

from eforms.core.cases.model import PAYROLL_QUEUE, Case, CaseStore
from eforms.core.common.clock import STOCKHOLM, iso
from eforms.core.common.i18n import Language, as_language
from eforms.core.common.workdays import SWEDEN, is_working_day
from eforms.core.forms.catalogue import Catalogue
from eforms.core.notify import emails
from eforms.core.notify.emails import Mailer

SLOT_TIMES = (time(7, 0), time(12, 0))


@dataclass(frozen=True)
class PayrollMailboxes:
    """Where payroll is told of a case: the mailbox of the team that serves its organisation (``centre.json``,
    a team's ``email``), else the centre's one (``PAYROLL_MAILBOX``). Empty: nobody is told by email."""

    default: str
    teams: dict[str, str] = field(default_factory=dict)

    def of(self, team: str) -> str:
        return self.teams.get(team) or self.default


LOOK_BACK_DAYS = 4  # a long weekend of missed runs still sends what waited


class DigestStore(Protocol):
    def add(self, slot: str, case_id: str) -> bool:
        """Put the case in the slot's digest; False if that digest was already sent."""
        ...

    def pending(self, slots: list[str]) -> dict[str, list[str]]:
        """The slots among ``slots`` not yet sent, with the cases collected for them (those that have any)."""
        ...

    def claim(self, slot: str) -> bool:
        """Mark the slot sent; False if it already was."""
        ...

    def release(self, slot: str) -> None:
        """Undo a claim whose send failed."""
        ...


class Ledger(Protocol):
    def claim(self, key: str) -> bool: ...

    def release(self, key: str) -> None: ...


def slot_key(slot: datetime, team: str = PAYROLL_QUEUE) -> str:
    """A team's digest at one time. The one queue of a centre without teams keeps the key it always had, so a
    digest collected before teams is still sent."""
    moment = slot.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")
    return f"digest#{moment}" if team == PAYROLL_QUEUE else f"digest#{team}#{moment}"


def _team_of(key: str) -> str:
    parts = key.split("#")
    return parts[1] if len(parts) == 3 else PAYROLL_QUEUE


def next_slot(after: datetime, country: str = SWEDEN) -> datetime:
    """The first digest time strictly after ``after`` on a working day of ``country`` (Stockholm time)."""
    local = after.astimezone(STOCKHOLM)
    day = local.date()
    for _ in range(30):
        if is_working_day(day, country):
            for at in SLOT_TIMES:
                slot = datetime.combine(day, at, tzinfo=STOCKHOLM)
                if slot > local:
                    return slot
        day += timedelta(days=1)
    raise ValueError(f"no working day within 30 days of {day}")


def slots_due(now: datetime) -> list[datetime]:
    """Every digest time of the last :data:`LOOK_BACK_DAYS` days that has come, oldest first. Working days
    or not: a slot nobody collected for is simply not pending."""
    local = now.astimezone(STOCKHOLM)
    days = [local.date() - timedelta(days=n) for n in range(LOOK_BACK_DAYS, -1, -1)]
    slots = [datetime.combine(day, at, tzinfo=STOCKHOLM) for day in days for at in SLOT_TIMES]
    return [slot for slot in slots if slot <= local]


@dataclass
class Digests:
    store: DigestStore
    ledger: Ledger
    cases: CaseStore
    catalogue: Catalogue
    mailer: Mailer
    payroll_mailbox: PayrollMailboxes
    base_url: str
    clock: Callable[[], datetime]
    #: Every team's queue: each team's digest is its own, to its own mailbox.
    teams: tuple[str, ...] = (PAYROLL_QUEUE,)

    def collect(self, case: Case, handed_at: datetime) -> str | None:
        """Put a case just handed to payroll in its digest; the slot it went to (None: collected before)."""
        if not self.payroll_mailbox.of(case.team) or case.payroll is None:
            return None
        key = "digest-case#" + hashlib.sha256(f"{case.case_id}|{iso(handed_at)}".encode()).hexdigest()
        if not self.ledger.claim(key):
            return None
        try:
            slot = next_slot(handed_at, case.payroll.country)
            while not self.store.add(slot_key(slot, case.team), case.case_id):  # that one went out: the next
                slot = next_slot(slot, case.payroll.country)
        except Exception:
            self.ledger.release(key)
            raise
        return slot_key(slot, case.team)

    def send_due(self) -> int:
        """Send every team's digest whose time has come and that was not sent; how many emails went out."""
        teams = dict.fromkeys((*self.teams, PAYROLL_QUEUE))  # and the one queue's, from before teams
        due = [slot_key(slot, team) for team in teams for slot in slots_due(self.clock())]
        sent = 0
        for slot, case_ids in sorted(self.store.pending(due).items()):
            if not self.store.claim(slot):
                continue  # another run holds it: its cases are not read here
            try:
                cases = [c for c in (self.cases.get(case_id) for case_id in case_ids) if c and c.payroll]
                for email in self._emails(slot, cases):
                    self.mailer.send(email)
                    sent += 1
            except Exception:
                self.store.release(slot)  # the next run sends it (a partial send repeats: rare, and harmless)
                raise
        return sent

    def _emails(self, slot: str, cases: list[Case]) -> list[emails.Email]:
        mailbox = self.payroll_mailbox.of(_team_of(slot))
        if not mailbox:
            return []
        """One email per language the cases' forms are worked in (a centre works in one: usually one email)."""
        by_language: dict[Language, list[tuple[Case, str]]] = {}
        for case in sorted(cases, key=lambda c: (c.payroll.due_date if c.payroll else c.created_at.date(), c.case_id)):
            form = self.catalogue.get(case.form_id, case.form_version)
            language = as_language(form.languages[0])
            by_language.setdefault(language, []).append((case, form.title(language)))
        return [
            emails.payroll_digest(
                listed,
                to=mailbox,
                language=language,
                digest_id=slot.rsplit("#", 1)[1].replace(":", "").replace("-", ""),
                case_url=lambda case: f"{self.base_url}/cases/{case.case_id}",
                queue_url=f"{self.base_url}/app/#/desk",
            )
            for language, listed in sorted(by_language.items())
        ]
