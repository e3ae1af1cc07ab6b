"""The one reminder a draft gets before it goes: three working days ahead, sent once, in its owner's language.

The desk's scheduled run (every 15 minutes) reads the drafts whose reminder day has come from a sparse
index and sends each through the send ledger the notifier uses: the key names the draft and the expiry it
warns of, so a run that stopped half-way, or two runs at once, send it once; a draft saved again has a new
expiry and earns a new reminder. A send that fails releases its key and is counted; the next run sends it.
The email names the form, never the answers, and links to the draft behind sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.forms.catalogue import Catalogue
from eforms.core.identity.directory import Directory
from eforms.core.intake.drafts import Draft
from eforms.core.notify import emails
from eforms.core.notify.emails import Mailer
from eforms.core.notify.notifier import SentLedger

#: Days back a run also looks, so reminders missed while the schedule was off still go out (before expiry).
LOOKBACK_DAYS = 7


class DueDrafts(Protocol):
    def due(self, day: date) -> list[Draft]:
        """The drafts whose reminder falls on ``day`` and has not been sent."""
        ...

    def reminded(self, draft: Draft, at: datetime) -> None:
        """Take the draft off the list of those due (unless it was saved again since)."""
        ...


class RemindersNotSent(Exception):
    """Some reminders could not be sent this run (their keys were released: the next run sends them)."""

    def __init__(self, failed: int, sent: int) -> None:
        super().__init__(f"{failed} draft reminders not sent")
        self.failed, self.sent = failed, sent


@dataclass
class DraftReminders:
    drafts: DueDrafts
    catalogue: Catalogue
    directory: Directory
    mailer: Mailer
    ledger: SentLedger
    clock: Clock
    base_url: str

    def send_due(self) -> int:
        """Send every due reminder; the number sent. Raises ``RemindersNotSent`` after trying them all if any failed."""
        now = self.clock()
        today = stockholm_date(now)
        sent = failed = 0
        for back in range(LOOKBACK_DAYS, -1, -1):
            for draft in self.drafts.due(today - timedelta(days=back)):
                try:
                    sent += self._remind(draft, now)
                except Exception:  # SES refusing one: the others still go, and this one next run
                    failed += 1
        if failed:
            raise RemindersNotSent(failed, sent)
        return sent

    def _remind(self, draft: Draft, now: datetime) -> int:
        to = draft.contact_email or (row.email if (row := self.directory.get(draft.owner_id)) else "")
        key = f"draft-reminder#{draft.draft_id}#{int(draft.expires_at.timestamp())}"
        if draft.expires_at <= now or not to or not self.ledger.claim(key):
            self.drafts.reminded(draft, now)  # gone, nobody to tell, or told already: off the list
            return 0
        try:
            self.mailer.send(self._email(draft, to))
        except Exception:
            self.ledger.release(key)
            raise
        self.drafts.reminded(draft, now)
        return 1

    def _email(self, draft: Draft, to: str) -> emails.Email:
        form = self.catalogue.get(draft.form_id, draft.form_version)
        url = f"{self.base_url}/app/#/drafts/{draft.draft_id}"
        expires = stockholm_date(draft.expires_at)
        return emails.draft_reminder(
            form, draft_id=draft.draft_id, to=to, language=draft.language, expires=expires, url=url
        )
