"""What this caller may do with this case now: the one answer the client shows and the handlers check.

The lifecycle table says which transitions a status allows and in which capacity; a person also needs the
capacity itself (payroll, the filer, the one asked to decide) and may meet finer rules — four-eyes (the
officer who registered never checks), the way the form finishes (a certificate request only by delivering
its certificate), a certificate uploaded before it is sent, a step waiting for an appointment. Each action
here is one row of all that; :func:`available` lists the actions open to the caller, in the order of the
work (claim → ask → register → check → close), and :func:`require` refuses one that is not, with the same
errors the handlers always gave. The case view carries ``available`` as ``actions``, so the web client
shows exactly those and writes none of these rules again (issue 26, item 12).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from eforms.core.approval import approvers
from eforms.core.cases import lifecycle
from eforms.core.cases.model import Case, Status
from eforms.core.common.errors import Conflict, DomainError, Forbidden, NotFound
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory

#: The actions that may finish each kind of form (``x-eform.desk.completion``): what the form promised is
#: what ends it. A question may be answered, or end in a registration (a pay correction). Dismissing fits all.
FINISHED_BY = {
    "registration": frozenset({"registered", "registration_approved"}),
    "answer": frozenset({"resolved", "registered", "registration_approved"}),
    "certificate": frozenset({"certificate_delivered"}),
}
_FINISHING = frozenset().union(*FINISHED_BY.values())


@dataclass(frozen=True)
class Context:
    caller: Caller
    case: Case
    form: FormDefinition
    directory: Directory
    today: date


Rule = Callable[[Context], DomainError | None]


def _none(_: Context) -> DomainError | None:
    return None


@dataclass(frozen=True)
class Action:
    name: str  # what the client shows and calls
    transition: str  # the lifecycle action it makes: its sources are the statuses it may start from
    party: Callable[[Context], bool]  # the capacity it needs; anyone else is told there is no such case
    rule: Rule = _none  # a finer rule, as the error it gives (None: fine)

    def open_to(self, context: Context) -> bool:
        return (
            self.party(context)
            and context.case.status in lifecycle.rule_for(self.transition).sources
            and self.rule(context) is None
        )


def _payroll(c: Context) -> bool:
    return c.caller.is_payroll


def _filer(c: Context) -> bool:
    return c.caller.id == c.case.applicant.id


def _sender(c: Context) -> bool:
    """The sender's side of the thread: whoever filed the case and, when filed for someone, that person."""
    return c.caller.id in (c.case.applicant.id, c.case.subject.id)


def fits(form: FormDefinition, transition: str) -> DomainError | None:
    """Whether ``transition`` may finish a case of ``form`` (None) or the conflict it is."""
    completion = form.desk.completion
    if transition in _FINISHING and transition not in FINISHED_BY[completion]:
        return Conflict("action_not_for_form", completion=completion)
    return None


def _fitting(transition: str) -> Rule:
    return lambda c: fits(c.form, transition)


def _not_yours_yet(c: Context) -> DomainError | None:
    assignee = c.case.payroll.assignee if c.case.payroll else None
    return Conflict("already_yours") if assignee is not None and assignee.id == c.caller.id else None


def _four_eyes(c: Context) -> DomainError | None:
    """The second officer checks a registration: never the one who made it (on every path)."""
    registration = c.case.payroll.registration if c.case.payroll else None
    return Forbidden("four_eyes_same_officer") if registration is None or registration.by.id == c.caller.id else None


def _certificate_to_send(c: Context) -> DomainError | None:
    """A certificate goes out from its preview: uploaded and not sent (or, on paper, without an upload)."""
    from eforms.core.desk.closing import document_required  # the form's condition: jsonschema, only here

    problem = fits(c.form, "certificate_delivered")
    if problem is not None:
        return problem
    certificate = c.case.payroll.certificate if c.case.payroll else None
    if certificate is None and document_required(c.form, c.case.data):
        return Conflict("certificate_missing")
    return None


def _not_rated_yet(c: Context) -> DomainError | None:
    """A case is rated once, by either of its senders."""
    return Conflict("already_rated") if any(e.action == "rated" for e in c.case.history) else None


def _appointment(c: Context) -> DomainError | None:
    return (
        None if approvers.awaits_appointment(c.case) else Conflict("approver_not_missing", status=c.case.status.value)
    )


def _decides(c: Context) -> bool:
    return approvers.may_decide(c.directory, c.caller, c.case, c.today)


def _returned_to_them(c: Context) -> bool:
    return _filer(c) and c.case.correction is not None


def _answers_completion(c: Context) -> bool:
    return _filer(c) and c.case.status == Status.AWAITING_COMPLETION


def _shares(c: Context) -> bool:
    from eforms.core.documents.sharing import may_share  # the manager line: read only for a signed case

    return c.case.pdf_key is not None and may_share(c.caller, c.case, c.directory, c.today)


#: Every action a person takes on a case, in the order of the work.
ACTIONS: tuple[Action, ...] = (
    Action("decide", "approved", _decides),
    Action("appoint_approver", "approver_appointed", _payroll, _appointment),
    Action("claim", "claimed", _payroll, _not_yours_yet),
    Action("assign", "assigned", _payroll),
    Action("request_completion", "completion_requested", _payroll),
    Action("register", "registered", _payroll, _fitting("registered")),
    Action("approve_registration", "registration_approved", _payroll, _four_eyes),
    Action("return_registration", "registration_returned", _payroll, _four_eyes),
    Action("upload_certificate", "certificate_uploaded", _payroll, _fitting("certificate_delivered")),
    Action("send_certificate", "certificate_delivered", _payroll, _certificate_to_send),
    Action("resolve", "resolved", _payroll, _fitting("resolved")),
    Action("dismiss", "dismissed", _payroll),
    Action("message", "message_from_payroll", lambda c: _payroll(c) or _sender(c)),
    Action("resubmit", "resubmitted", _returned_to_them),
    Action("answer_completion", "completion_provided", _answers_completion),
    Action("withdraw", "withdrawn", _filer),
    Action("share_pdf", "pdf_shared", _shares),
    Action("rate", "rated", _sender, _not_rated_yet),
)
_BY_NAME = {action.name: action for action in ACTIONS}


def available(context: Context) -> list[str]:
    """The actions open to the caller on the case now, in the order of the work."""
    return [action.name for action in ACTIONS if action.open_to(context)]


def require(context: Context, name: str) -> None:
    """Refuse ``name`` unless it is open to the caller now: not their part is a 404 (they learn nothing of
    the case from it), a status the table does not allow a 409 naming it, a finer rule its own error."""
    action = _BY_NAME[name]
    if not action.party(context):
        raise NotFound("case_not_found")
    lifecycle.check(context.case, action.transition)
    problem = action.rule(context)
    if problem is not None:
        raise problem


def transition_of(name: str) -> str:
    return _BY_NAME[name].transition
