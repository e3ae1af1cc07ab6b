"""Webhooks as data: the subscribers file, the resources it becomes, signatures, and one delivery's rules."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from devstack import webhooks
from devstack.template import ROOT, TEMPLATE, Template, load
from eforms.core.integrations import signing
from eforms.core.integrations.webhooks import (
    Auth,
    Deliverer,
    MalformedEvent,
    UnknownQueue,
    delivered,
    retry_delay,
    targets,
)


def _example() -> list[webhooks.Subscriber]:
    """The commented example at the top of webhooks.yaml, uncommented: both kinds, both auths."""
    lines = (ROOT / "webhooks.yaml").read_text().splitlines()
    start = lines.index("# subscribers:")
    example = [line.removeprefix("# ").removeprefix("#") for line in lines[start:] if line.startswith("#")]
    return webhooks.SubscribersFile.model_validate(yaml.safe_load("\n".join(example))).subscribers


def test_the_template_holds_what_webhooks_yaml_declares() -> None:
    assert webhooks.main(["--check"]) == 0, "run python3 dev webhooks"


def test_the_standard_webhooks_test_vector() -> None:
    """The Standard Webhooks specification's own example, so off-the-shelf receivers agree with us."""
    key = base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = b'{"test": 2432232314}'
    sent = signing.signature(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert sent == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signing.verifies(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, f"v1,old {sent}", now=1614265400)
    assert not signing.verifies(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, sent, now=1614265330 + 301)
    assert not signing.verifies(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body + b" ", sent, now=1614265330)


@pytest.mark.parametrize(
    ("declared", "complaint"),
    [
        ({"name": "a1", "events": ["case.finished"], "url": "https://x.se/h", "signed": True}, "not a case event"),
        ({"name": "a1", "events": ["case.submitted"], "url": "https://x.se/h"}, "needs auth"),
        ({"name": "a1", "events": ["case.submitted"], "url": "http://x.se/h", "signed": True}, "url"),
        ({"name": "A b", "events": ["case.submitted"], "url": "https://x.se/h", "signed": True}, "name"),
        ({"name": "a1", "events": [], "url": "https://x.se/h", "signed": True}, "events"),
        (
            {"name": "a1", "events": ["case.submitted"], "url": "https://x.se/h", "signed": True, "secret": "s"},
            "secret",
        ),
        (
            {"name": "a1", "events": ["case.submitted"], "url": "https://x.se/h", "auth": {"type": "basic"}},
            "auth",
        ),
        (
            {
                "name": "a1",
                "events": ["case.submitted"],
                "url": "https://x.se/h",
                "signed": True,
                "organisations": ["x"],
            },
            "not an organisation in organisations/: x",
        ),
    ],
)
def test_a_subscriber_the_platform_cannot_deliver_to_is_refused_with_the_reason(
    declared: dict[str, Any], complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        webhooks.SubscribersFile.model_validate({"subscribers": [declared]})


def test_two_subscribers_may_not_share_a_name() -> None:
    one = {"name": "archive", "events": ["case.submitted"], "url": "https://x.se/h", "signed": True}
    with pytest.raises(ValidationError, match="share a name"):
        webhooks.SubscribersFile.model_validate({"subscribers": [one, one]})


def test_each_subscriber_gets_its_own_dead_letter_queue_alarm_and_least_privilege() -> None:
    subscribers = _example()
    made = webhooks.resources(subscribers)
    document = {**load().document, "Resources": {**load().resources, **made}}
    merged = Template(document)
    for s in subscribers:
        rule = made[f"{s.logical}Rule"]["Properties"]
        assert rule["EventPattern"]["detail-type"] == s.events
        if s.organisations:  # the rule itself filters: another organisation's event never reaches the queue
            assert rule["EventPattern"]["detail"] == {"organisationId": s.organisations}
        [target] = rule["Targets"]
        assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [f"{s.logical}DeadLetterQueue", "Arn"]}}
        alarm = made[f"{s.logical}DeadLettered"]["Properties"]
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        for queue in merged.of_type("AWS::SQS::Queue"):
            if queue.startswith(s.logical):
                assert merged.resources[queue]["Properties"]["KmsMasterKeyId"] == {"Ref": "CaseDataKey"}
    # Secrets are named, never written: the connection reads the API key at deploy time.
    unsigned = next(s for s in subscribers if not s.signed)
    oauth = made[f"{unsigned.logical}Connection"]["Properties"]["AuthParameters"]["OAuthParameters"]
    assert oauth["ClientParameters"]["ClientSecret"].startswith("{{resolve:secretsmanager:")
    # The delivery function reads only its subscribers' secrets and changes only their queues' messages.
    [secrets, queues] = made["WebhookDeliveryFunction"]["Properties"]["Policies"][1]["Statement"]
    assert secrets["Action"] == "secretsmanager:GetSecretValue"
    assert "*" not in json.dumps(secrets["Resource"]).replace("-*", "")
    assert queues["Resource"] == [{"Fn::GetAtt": [f"{s.logical}Queue", "Arn"]} for s in subscribers if s.signed]
    assert "WebhookDeliveryFunctionLogs" in made


def test_the_generated_template_passes_cfn_lint(tmp_path: Path) -> None:
    import subprocess
    import sys

    merged = tmp_path / "template.yaml"
    merged.write_text(webhooks.with_block(TEMPLATE.read_text(), _example()))
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(merged)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@dataclass
class FakeSecrets:
    values: dict[str, str]
    read: list[str] = field(default_factory=list)

    def get(self, secret_id: str) -> str:
        self.read.append(secret_id)
        return self.values[secret_id]


@dataclass
class FakeHttp:
    status: int = 204
    posted: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.posted.append((url, body, headers))
        return self.status

    def client_credentials_token(self, auth: Auth, client_secret: str) -> str:
        assert (auth.client_id, client_secret) == ("eforms", "s3cret")
        return "token-1"


CONFIG = {
    "arn:aws:sqs:eu-north-1:1:archive": {
        "name": "archive",
        "url": "https://arkiv.example.se/h",
        "signingSecret": "signing-archive",
        "auth": {"type": "api_key", "header": "X-Key", "secret": "eforms/archive"},
    },
    "arn:aws:sqs:eu-north-1:1:hr": {
        "name": "hr",
        "url": "https://hr.example.se/h",
        "signingSecret": "signing-hr",
        "auth": {
            "type": "oauth_client_credentials",
            "tokenUrl": "https://login.example.se/token",
            "clientId": "eforms",
            "secret": "eforms/hr",
        },
    },
}
EVENT = json.dumps({"id": "ev-1", "source": "eforms.cases", "detail-type": "case.submitted", "detail": {}})


def test_a_delivery_is_signed_and_carries_its_auth() -> None:
    secrets = FakeSecrets(
        {
            "signing-archive": "k1",
            "signing-hr": "k2",
            "eforms/archive": json.dumps({"apiKey": "abc"}),
            "eforms/hr": json.dumps({"clientSecret": "s3cret"}),
        }
    )
    http = FakeHttp()
    deliverer = Deliverer(targets(json.dumps(CONFIG)), secrets, http)
    target, status = deliverer.deliver("arn:aws:sqs:eu-north-1:1:archive", EVENT, now=1_800_000_000)
    assert (target.name, status) == ("archive", 204)
    url, body, headers = http.posted[0]
    assert (url, body) == ("https://arkiv.example.se/h", EVENT.encode())
    assert headers["X-Key"] == "abc"
    assert headers["webhook-id"] == "ev-1"
    assert signing.verifies(b"k1", "ev-1", 1_800_000_000, body, headers["webhook-signature"], now=1_800_000_000)
    deliverer.deliver("arn:aws:sqs:eu-north-1:1:hr", EVENT, now=1_800_000_000)
    assert http.posted[1][2]["Authorization"] == "Bearer token-1"
    with pytest.raises(UnknownQueue):
        deliverer.deliver("arn:aws:sqs:eu-north-1:1:other", EVENT, now=1_800_000_000)
    for malformed in ("not json", "[]", '{"detail": {}}', '{"id": 7}', '{"id": ""}'):
        with pytest.raises(MalformedEvent):
            deliverer.deliver("arn:aws:sqs:eu-north-1:1:archive", malformed, now=1_800_000_000)
    assert len(http.posted) == 2  # nothing malformed was sent


def test_retries_back_off_from_half_a_minute_to_an_hour() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 4, 8, 12)] == [30, 60, 120, 240, 3600, 3600]
    assert sum(retry_delay(n) for n in range(1, webhooks.MAX_RECEIVES)) > 5 * 3600  # hours before giving up
    assert [delivered(s) for s in (200, 204, 299, 301, 404, 500, 0)] == [True] * 3 + [False] * 4
