"""Secure messages on a case, both ways: payroll ↔ the sender (whoever filed it and, when filed for someone,
that employee).

A message is stored with the case (encrypted at rest like it), in the same transaction as the history entry
that announces it; the case records whose turn it is (``waiting``) so the queue shows where a reply waits.
Text only, never HTML: the web client renders it as text. The email announcing a message says only that
there is one, with a link to the case.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from eforms.core.cases.lifecycle import Role
from eforms.core.cases.model import Case, Message, Person
from eforms.core.common.bodies import Body
from eforms.core.common.errors import Conflict, NotFound
from eforms.core.desk.services import DeskServices, is_sender
from eforms.core.identity.caller import Caller

MAX_TEXT = 4000
MAX_MESSAGES = 200  # a thread this long belongs on the phone; it also bounds the case's partition


def side_of(caller: Caller, case: Case) -> str:
    """``payroll`` or ``sender``; anyone else may not write on this case (404, as if it did not exist)."""
    if is_sender(caller, case):
        return "sender"
    if caller.is_payroll:
        return "payroll"
    raise NotFound("case_not_found")


def parse_message(body: Any) -> str:
    request = Body(body, {"text"})
    text = request.text("text", required=True, limit=MAX_TEXT)
    request.done()
    return text


def written(desk: DeskServices, caller: Caller, side: str, text: str, kind: str = "message") -> Message:
    """A message by ``caller`` on ``side``, written now."""
    return Message(at=desk.clock(), author=Person(caller.id, caller.name), side=side, text=text, kind=kind)


def appended(case: Case, message: Message, *, waiting: str | None) -> dict[str, Any]:
    """The case fields that add ``message`` to the thread and say whose turn it is now (``waiting``).

    Every way a message joins a case — a plain message, a completion request or answer, a closing word —
    goes through here, so the thread and its counters cannot drift apart.
    """
    assert case.payroll is not None  # threads are on cases at the desk
    payroll = dataclasses.replace(case.payroll, waiting=waiting, messages=case.payroll.messages + 1)
    return {"payroll": payroll, "messages": [*case.messages, message]}


def post(desk: DeskServices, caller: Caller, case: Case, body: Any) -> Case:
    side = side_of(caller, case)
    text = parse_message(body)
    if len(case.messages) >= MAX_MESSAGES:
        raise Conflict("thread_full", limit=MAX_MESSAGES)
    message = written(desk, caller, side, text)

    def update(now: Case) -> dict[str, Any]:
        return appended(now, message, waiting="sender" if side == "payroll" else "payroll")

    action, role = (
        ("message_from_payroll", Role.PAYROLL) if side == "payroll" else ("message_from_sender", Role.APPLICANT)
    )
    # Two people writing at once are not in conflict: each message applies to the case as it is then.
    changed = desk.change(case, action, caller, role, version=None, update=update, new_message=message)
    desk.writer.store.mark_read(case.case_id, caller.id, message.at)  # one's own message is read
    changed.read_up_to[caller.id] = message.at
    return changed


def mark_read(desk: DeskServices, caller: Caller, case: Case) -> Case:
    """The reader has seen every message so far (bookkeeping: no version, no history)."""
    side_of(caller, case)
    if case.messages:
        latest = case.messages[-1].at
        desk.writer.store.mark_read(case.case_id, caller.id, latest)
        case.read_up_to[caller.id] = latest
    return case


def thread(caller: Caller, case: Case) -> list[tuple[Message, bool]]:
    """The messages, oldest first, each with whether it is unread for the caller."""
    side_of(caller, case)
    seen = case.read_up_to.get(caller.id)
    return [(m, m.author.id != caller.id and (seen is None or m.at > seen)) for m in case.messages]
