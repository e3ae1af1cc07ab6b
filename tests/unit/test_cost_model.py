"""bench/cost.py's arithmetic: the counts it measures become the dollars docs/cost.md quotes."""

from __future__ import annotations

import math

import pytest

from bench import cost


def test_the_case_mix_is_a_whole_month() -> None:
    assert math.isclose(sum(cost.MIX.values()), 1.0)


def test_dynamodb_units_follow_item_size_and_transactions_cost_double() -> None:
    small = {"pk": {"S": "CASE#1"}, "sk": {"S": "META"}}
    assert cost._dynamodb_units("GetItem", {}, {"Item": small}) == (1.0, 0.0)
    big = {"pk": {"S": "x" * 5000}}
    assert cost._dynamodb_units("PutItem", {"Item": big}, {}) == (0.0, 5.0)  # 1 KB per write unit
    assert cost._dynamodb_units("Query", {}, {"Items": [big, big]}) == (3.0, 0.0)  # 4 KB per read unit
    transaction = {"TransactItems": [{"Put": {"Item": small}}, {"Update": {"Key": small}}]}
    assert cost._dynamodb_units("TransactWriteItems", transaction, {}) == (0.0, 4.0)


def test_one_walk_is_priced_item_by_item() -> None:
    walk = cost.Walk(transitions=10, http_requests=4, event_chunks=2, write_units=8, read_units=4)
    walk.durations["SubmitCaseFunction"] = [100.2, 99.0]  # billed per started millisecond
    walk.calls["sesv2:SendEmail"] = 3
    items = cost.cost_per_case(walk, {"SubmitCaseFunction": 512})
    prices = cost.PRICES
    assert items["Lambda requests"] == pytest.approx(2 * prices["lambda_request"])
    assert items["Lambda duration"] == pytest.approx(0.5 * 0.200 * prices["lambda_gb_second_arm"])
    assert items["Step Functions transitions"] == pytest.approx(10 * prices["sfn_standard_transition"])
    # the walks file without a receipt (the default); the share who ask for one is added, and the case's
    # share of the payroll mailbox's digests
    emails = 3 + cost.RECEIPT_SHARE + cost.DIGESTS_PER_CASE
    assert items["SES emails"] == pytest.approx(emails * prices["ses_email"])
    assert items["HTTP API requests"] == pytest.approx(4 * prices["http_api_request"])
    assert items["DynamoDB writes"] == pytest.approx(8 * prices["dynamodb_write_request_unit"])
    assert items["SQS requests"] == pytest.approx(4 * prices["sqs_request"])  # receive + delete per event
    assert items["S3 requests"] == 0  # no PDF in this walk: no upload, no downloads
    assert items["X-Ray traces"] == pytest.approx(prices["xray_trace"])  # the execution; API requests untraced


def test_tracing_every_function_adds_a_trace_per_api_request() -> None:
    walk = cost.Walk(transitions=10, http_requests=4)
    items = cost.cost_per_case(walk, {}, tracing="Active")
    assert items["X-Ray traces"] == pytest.approx(5 * cost.PRICES["xray_trace"])
    assert cost.function_tracing() == "PassThrough"  # what the template deploys unless told otherwise


def test_the_other_ses_plan_is_priced_per_email() -> None:
    walk = cost.Walk(transitions=1, http_requests=1)
    walk.calls["sesv2:SendEmail"] = 2
    walks = dict.fromkeys(cost.MIX, walk)
    plans = cost.alternatives(walks, {}, "PassThrough")
    measured, vdm = (
        plans["as measured (FunctionTracing=PassThrough, SES pay as you go)"],
        plans["SES with Virtual Deliverability Manager"],
    )
    emails = 2 + cost.RECEIPT_SHARE + cost.DIGESTS_PER_CASE
    assert vdm - measured == pytest.approx(emails * cost.PRICES["ses_vdm_email"])
    assert plans["FunctionTracing=Active"] - measured == pytest.approx(cost.PRICES["xray_trace"])
