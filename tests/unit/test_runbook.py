"""The runbook and the template agree on the alarms: every alarm docs/operations.md tells ops to act on
exists in template.yaml, and every alarm the template raises is in the runbook (issue 26, item 10: the
runbook promised ApprovalExecutionsFailed, which had been renamed away)."""

from __future__ import annotations

import re
from pathlib import Path

from devstack.template import load

ROOT = Path(__file__).resolve().parents[2]


def _runbook_alarms() -> set[str]:
    text = (ROOT / "docs/operations.md").read_text(encoding="utf-8")
    section = text.split("## Alarms", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for row in re.findall(r"^\| (`[^|]+`) \|", section, flags=re.MULTILINE):
        names |= set(re.findall(r"`([A-Za-z]+)`", row))
    return names


def test_every_alarm_in_the_runbook_is_in_the_template_and_the_other_way_round() -> None:
    template = set(load().of_type("AWS::CloudWatch::Alarm"))
    runbook = _runbook_alarms()
    assert len(runbook) > 10  # the pattern still finds the table
    assert sorted(runbook - template) == []  # promised to ops but not deployed
    assert sorted(template - runbook) == []  # deployed but nobody is told what to do


def test_each_case_event_consumers_last_try_is_its_queues_last_receive() -> None:
    """The notifier and the statistics call a failure on a record's last receive an ERROR (the notifier's
    EmailsNotSent): each queue's redrive says when."""
    from eforms.queued import LAST_RECEIVE

    for name in ("NotificationQueue", "StatisticsQueue"):  # every consumer of case events says its last try
        queue = load().resources[name]["Properties"]
        assert queue["RedrivePolicy"]["maxReceiveCount"] == LAST_RECEIVE, name
