"""Every retention a form declares is one the bucket expires: a PDF or attachment is tagged with its form's
``retentionYears``, and only a lifecycle rule for that exact tag value ever deletes it. A form declaring a
class the template has no rule for would keep its documents for ever — this test fails first."""

from __future__ import annotations

from typing import Any

import pytest

from devstack.template import ROOT, load
from eforms.core.forms.catalogue import Catalogue

BUCKETS = ("CaseDocumentsBucket", "RecordsBucket")  # the working documents, and the write-once records


def _expiry_by_retention(bucket_id: str) -> dict[str, int]:
    bucket = load().resources[bucket_id]["Properties"]
    rules: list[dict[str, Any]] = bucket["LifecycleConfiguration"]["Rules"]
    expiry = {}
    for rule in rules:
        filters = rule.get("TagFilters", [])
        if rule.get("Status") == "Enabled" and len(filters) == 1 and filters[0]["Key"] == "retentionYears":
            expiry[filters[0]["Value"]] = int(rule["ExpirationInDays"])
    return expiry


@pytest.mark.parametrize("bucket_id", BUCKETS)
def test_every_declared_retention_has_a_lifecycle_rule_that_keeps_documents_long_enough(bucket_id: str) -> None:
    catalogue = Catalogue(ROOT / "schemas")
    declared = {
        catalogue.get(form_id, version).retention_years
        for form_id in catalogue.form_ids()
        for version in catalogue.versions(form_id)
    }
    expiry = _expiry_by_retention(bucket_id)
    missing = sorted(years for years in declared if str(years) not in expiry)
    assert missing == [], f"add a Retain<N>Years lifecycle rule to {bucket_id} for {missing}"
    for years in declared:
        # Never sooner than the declared years (leap days included), and not more than a month later.
        assert years * 366 <= expiry[str(years)] <= years * 366 + 31, years


@pytest.mark.parametrize("bucket_id", BUCKETS)
def test_the_rules_cannot_match_each_other(bucket_id: str) -> None:
    """One value, one rule: two rules for the same tag would make the shorter one silently win."""
    bucket = load().resources[bucket_id]["Properties"]
    values = [
        rule["TagFilters"][0]["Value"]
        for rule in bucket["LifecycleConfiguration"]["Rules"]
        if rule.get("TagFilters") and rule["TagFilters"][0]["Key"] == "retentionYears"
    ]
    assert len(values) == len(set(values))


def test_pay_run_files_are_kept_as_the_accounting_act_says() -> None:
    """Tagged with their own retention (docs/records.md §5), which needs a rule of its own."""
    from eforms.core.payroll.pay_runs import RETENTION_YEARS

    days = _expiry_by_retention("RecordsBucket")[str(RETENTION_YEARS)]
    assert RETENTION_YEARS * 366 <= days <= RETENTION_YEARS * 366 + 31
