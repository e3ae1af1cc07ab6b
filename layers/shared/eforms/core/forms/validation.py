"""Validating form data against its schema, with the cross-field rules forms need, as field errors.

The rules are declared in the schema, never in code, so a new form needs no change here:

* ``format: date`` (strict ``YYYY-MM-DD``), ``format: email``, ``format: personnummer`` (checksum and
  date checked, samordningsnummer accepted), ``format: cpr`` (a Danish CPR number: a real birth date);
* ``x-dateOrder: {"start": "from", "end": "to"}`` on an object: the end date is not before the start;
* ``x-notInPast: true`` on a date: not before today in Europe/Stockholm;
* every date within the form's window (``x-eform.dateWindow``, by default 10 years back and 5 ahead);
* ``x-ruleMessage`` on a schema node (typically one ``allOf`` entry holding one rule): when a keyword of that
  node fails, the error is ``form_rule`` with the form's own explanation (translated under ``x-en``,
  ``x-da``, …) instead of the generic text — for rules JSON Schema states well but a generic message
  explains badly (incompatible choices, e.g.);
* ``x-minWorkingDays: {"start": "from", "end": "to", "days": 21}`` on an object: the period spans at least
  that many Swedish working days (useful mostly in an approval step's condition, see ``routes``);
* ``x-rows`` on an array of rows: times in order, a row's length within bounds, no overlapping rows
  (``row_rules``);
* ``x-totals`` on the root: hours per group computed from the rows; sums the sender gives must match
  (``totals``).

Two validators per form version, each built once and kept for the container's life (building one per
request is the classic cold-path waste): the compiled ``verdict`` decides, in tens of microseconds, and
only a refused document goes to ``field_errors`` for the list of what is wrong, field by field. The
checks behind the ``x-`` keywords and formats are written once, in ``rules``, for both. "Today" reaches
them through a context variable, so a cached validator stays correct across midnight.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eforms.core.common.errors import FieldError
from eforms.core.forms import rules, verdict
from eforms.core.forms.catalogue import FormDefinition


def validate(form: FormDefinition, data: Any, *, today: date, base: str = "") -> list[FieldError]:
    """Every problem with ``data`` for ``form``, sorted by pointer; an empty list means valid.

    ``base`` is prefixed to every pointer, so errors can point into the request body (``/data/...``).
    """
    with rules.as_of(today, form.date_window):
        if verdict.accepts(form, data):
            return []
        from eforms.core.forms import field_errors  # jsonschema: loaded on the first invalid document only

        return field_errors.explain(form, data, base=base)
