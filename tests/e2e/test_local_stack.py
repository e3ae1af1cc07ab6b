"""The README's promise, over real HTTP: post a leave application with curl-like calls and read it back."""

from __future__ import annotations

import base64
import http.client
import json
import re
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.conftest import DEV_RUN, Http, start_stack
from tests.support.samples import LEAVE

pytestmark = pytest.mark.e2e


def test_a_leave_application_round_trip(stack: Http) -> None:
    anna = stack.token("anna")
    status, forms = stack.json("GET", "/forms", token=anna)
    assert status == 200
    assert "leave-application" in {f["formId"] for f in forms["forms"]}

    status, case = stack.json("POST", "/cases", token=anna, payload={"formId": "leave-application", "data": LEAVE})
    assert status == 201
    path = f"/cases/{case['caseId']}"
    status, read = stack.json("GET", path, token=anna)
    assert status == 200
    expected = {**case, "mayDecide": False, "viewerId": "anna", "actions": ["withdraw"], "awaitsYou": False}
    assert {key: value for key, value in read.items() if key != "next"} == expected
    assert (read["next"]["waitingOn"], read["next"]["who"]) == ("approver", "Maria Lind")  # the receipt
    assert stack.json("GET", path, token=stack.token("maria"))[0] == 200
    status, hidden = stack.json("GET", path, token=stack.token("erik"))
    assert (status, hidden["code"]) == (404, "case_not_found")
    assert case["caseId"] in [
        c["caseId"] for c in stack.json("GET", "/cases?scope=team", token=stack.token("maria"))[1]["items"]
    ]


def test_swedish_field_errors(stack: Http) -> None:
    bad = {"formId": "leave-application", "data": {**LEAVE, "period": {"from": "2026-12-30", "to": "2026-12-01"}}}
    status, problem = stack.json("POST", "/cases", token=stack.token("anna"), payload=bad)
    assert status == 422
    assert problem["errors"] == [
        {"pointer": "/data/period/to", "code": "date_order", "message": "Slutdatumet får inte vara före startdatumet."}
    ]


def test_the_manager_gets_a_link_that_opens_the_decision_page(stack: Http) -> None:
    """Through the running stack: the workflow emails Maria, and her link opens the page over HTTP."""
    import time

    status, case = stack.json(
        "POST", "/cases", token=stack.token("anna"), payload={"formId": "leave-application", "data": LEAVE}
    )
    assert status == 201
    deadline = time.monotonic() + 20
    link = None
    while time.monotonic() < deadline and link is None:
        emails = stack.json("GET", "/dev/mailbox")[1]["emails"]
        mine = [m for m in emails if m["case_id"] == case["caseId"] and m["kind"] == "approval-initial"]
        if mine:
            link = re.search(r"(/decisions/[A-Za-z0-9_-]+)", mine[0]["text"])
        time.sleep(0.1)
    assert link, "no approval email arrived"
    status, headers, page = stack.request("GET", link.group(1))
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    assert "Ledighetsansökan från Anna Andersson" in page.decode()


def _forged(claims: dict[str, object]) -> str:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, other_key, algorithm="RS256")


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["roles"] = ["payroll"]
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged_payload}.{signature}"


def test_missing_forged_tampered_and_garbage_tokens_are_refused(stack: Http) -> None:
    genuine = stack.token("anna")
    header = json.loads(base64.urlsafe_b64decode(genuine.split(".")[0] + "=="))
    claims = jwt.decode(genuine, options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")  # type: ignore[arg-type]
    for token in (None, "garbage", _forged(claims), _tampered(genuine), unsigned, genuine[:-5]):
        status, _, body = stack.request("GET", "/cases", token=token)
        assert (status, json.loads(body)) == (401, {"message": "Unauthorized"}), token
    assert header["alg"] == "RS256"
    status, _, _ = stack.request("GET", "/cases", token=genuine)
    assert status == 200


def test_expired_tokens_are_refused() -> None:
    """The front's check is DevIssuer.verify; an expired token never reaches a handler."""
    from devstack.tokens import DevIssuer

    issuer = DevIssuer(issuer="http://127.0.0.1:1")
    assert issuer.verify(issuer.sign({"sub": "anna"})) is not None
    assert issuer.verify(issuer.sign({"sub": "anna"}, lifetime=-1)) is None
    assert issuer.verify(issuer.sign({"sub": "anna"}, now=0)) is None
    assert DevIssuer(issuer="http://127.0.0.1:2").verify(issuer.sign({"sub": "anna"})) is None  # wrong issuer


def test_api_gateway_refusals(stack: Http) -> None:
    anna = stack.token("anna")
    assert stack.request("GET", "/no-such-route", token=anna)[0] == 404
    assert stack.request("DELETE", "/cases", token=anna)[0] == 404
    huge = b'{"formId": "leave-application", "data": {"comment": "' + b"x" * (11 * 1024 * 1024) + b'"}}'
    status, _, _body = stack.request(
        "POST", "/cases", token=anna, body=huge, headers={"Content-Type": "application/json"}
    )
    assert status == 413


def test_a_10_mb_string_is_refused_by_the_function(stack: Http) -> None:
    body = json.dumps({"formId": "leave-application", "data": {"comment": "x" * 10_000_000}}).encode()
    status, _, raw = stack.request(
        "POST", "/cases", token=stack.token("anna"), body=body, headers={"Content-Type": "application/json"}
    )
    assert (status, json.loads(raw)["code"]) == (413, "payload_too_large")


def test_the_dev_issuer_publishes_its_keys(stack: Http) -> None:
    status, jwks = stack.json("GET", "/.well-known/jwks.json")
    assert status == 200
    assert jwks["keys"][0]["alg"] == "RS256"
    status, _reply = stack.json("POST", "/dev/token", payload={"persona": "mallory"})
    assert status == 400


def test_the_dev_identity_provider_answers_bad_oauth_requests_with_400_and_never_redirects(stack: Http) -> None:
    """The HTTP side of the code flow the deployed web client uses (the rules themselves: unit tests)."""
    foreign = urlencode(
        {
            "response_type": "code",
            "client_id": "eforms-local",
            "redirect_uri": "https://evil.example/steal",
            "code_challenge": "c" * 43,
            "code_challenge_method": "S256",
            "persona": "anna",
        }
    )
    status, headers, raw = stack.request("GET", f"/dev/authorize?{foreign}")
    assert (status, json.loads(raw)["error"], "location" in headers) == (400, "invalid_request", False)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    refused = [
        (b"grant_type=password", "unsupported_grant_type"),
        (b"grant_type=authorization_code&code=x", "invalid_grant"),
    ]
    for body, error in refused:
        status, _, raw = stack.request("POST", "/dev/oauth/token", body=body, headers=form)
        assert (status, json.loads(raw)["error"]) == (400, error)


def test_the_front_answers_head_unknown_methods_preflights_and_bursts_like_api_gateway(stack: Http) -> None:
    anna = stack.token("anna")
    status, headers, body = stack.request("HEAD", "/forms", token=anna)
    assert (status, body) == (200, b"")  # the headers a GET would have, without the body
    assert headers["content-type"].startswith("application/json")
    get_status = stack.request("GET", "/decisions/not-a-live-token")[0]
    assert stack.request("HEAD", "/decisions/not-a-live-token")[:3:2] == (get_status, b"")

    status, headers, body = stack.request("BREW", "/forms", token=anna)
    assert (status, json.loads(body)) == (405, {"message": "Method Not Allowed"})
    assert "GET" in headers["allow"]

    # A preflight with a body, on a kept-alive connection: the next request is answered as itself.
    host, port = stack.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("OPTIONS", "/forms", body=b"GET /dev/mailbox HTTP/1.1\r\n\r\n")
    first = connection.getresponse()
    first.read()
    connection.request("GET", "/forms", headers={"Authorization": f"Bearer {anna}"})
    second = connection.getresponse()
    assert (first.status, second.status) == (204, 200)
    assert "forms" in json.loads(second.read())
    connection.close()

    with ThreadPoolExecutor(50) as pool:  # a burst of 50 at once: none refused at the door
        statuses = list(pool.map(lambda _: stack.request("GET", "/forms", token=anna)[0], range(50)))
    assert statuses == [200] * 50


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_the_run_command_stops_on_a_signal_within_seconds_and_frees_its_ports(signum: int) -> None:
    """``python3 dev run`` is the stack's own process (the dev script execs it), so a signal sent to what the
    user started stops the stack, and it is gone within seconds — with a workflow waiting for a decision."""
    process, http = start_stack([*DEV_RUN, "--port", "0", "--quiet", "--empty"], timeout=120)  # may build the client
    ports = [int(url.rsplit(":", 1)[1]) for url in (http.base, http.aws)]
    try:
        status, _ = http.json(
            "POST", "/cases", token=http.token("anna"), payload={"formId": "leave-application", "data": LEAVE}
        )
        assert status == 201  # its workflow now waits on a thread for Maria's decision
        started = time.monotonic()
        process.send_signal(signum)
        process.wait(timeout=10)
        assert time.monotonic() - started < 7
        for port in ports:  # nothing listens any more: the port can be listened on again (as a restart would)
            with socket.socket() as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", port))
                probe.listen()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_demo_fills_every_organisations_desk_and_figures(stack: Http) -> None:
    """`python3 dev run` files the demo cases through its own API (devstack/demo.py): the centre's own, and each
    customer's, worked by the team that serves it — so every organisation has follow-up figures at a first
    look. (Filed in the background as the stack starts: looked for until they are there.)"""
    import time
    from datetime import date

    month = date.today().isoformat()[:7]
    readers = {"lonecentrum": "pia", "sundsvik": "pia", "norrby": "siv", "skovby-gymnasium": "mads"}
    tokens = {persona: stack.token(persona) for persona in set(readers.values())}
    deadline, missing = time.monotonic() + 90, dict(readers)
    while missing and time.monotonic() < deadline:
        for organisation, persona in list(missing.items()):
            query = f"/statistics?organisation={organisation}&from={month}&to={month}"
            status, figures = stack.json("GET", query, token=tokens[persona])
            assert status == 200, figures
            if figures["total"]["at_payroll"] > 0:
                del missing[organisation]
        time.sleep(1)
    assert not missing, f"no demo figures for {sorted(missing)}"
