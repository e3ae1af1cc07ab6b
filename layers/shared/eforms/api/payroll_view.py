"""What payroll alone sees of a case (``GET /cases/{id}``): the pay transactions it gives (docs/records.md
§4) and, once its registration is approved, the pay-run file they wait for or are in (§5)."""

from __future__ import annotations

from typing import Any

from eforms.core.cases.model import Case
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.payroll import pay_runs, transactions


def payroll_part(case: Case, form: FormDefinition) -> dict[str, Any]:
    from eforms.wiring import default_organisation, pay_codes, pay_run_store

    return {
        "transactions": transactions.of_case(case, form.payroll, pay_codes(case.organisation_id)),
        "payRun": pay_runs.whereabouts(pay_run_store(), case, case.organisation_id or default_organisation()),
    }
