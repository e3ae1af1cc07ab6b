"""`python3 dev deploy`: what runs without an AWS account runs here, against moto.

The SAM CLI itself needs a real account, so these tests play it: `sam deploy` becomes a CloudFormation stack in
moto with the template's own WebClientSettings output and the environment's parameters, read from the
samconfig.toml the deploy was given. Everything after it is the real code against moto: reading the outputs,
the second deploy of a first run, config.js, the upload with its cache headers, and the CloudFront invalidation.
"""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.client import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from devstack.template import ROOT, load
from ops import deploy
from tests.support.faults import throttled
from tests.support.world import Worlds

REGION = "eu-north-1"
CLOUDFRONT_HOST = "https://d111111abcdef8.cloudfront.net"


def _distribution(cloudfront: Any) -> str:
    reply = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "eforms-test",
            "Comment": "web",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {"Id": "web", "DomainName": "web.s3.amazonaws.com", "S3OriginConfig": {"OriginAccessIdentity": ""}}
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "web",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
            },
        }
    )
    distribution_id: str = reply["Distribution"]["Id"]
    return distribution_id


class FakeSam:
    """`sam build` does nothing here; `sam deploy` creates or updates a stack with the outputs the real one has."""

    def __init__(self, distribution_id: str) -> None:
        self.calls: list[list[str]] = []
        self.deployed_with: list[str] = []
        self.distribution_id = distribution_id
        real = load().document
        self.settings = real["Outputs"]["WebClientSettings"]
        self.parameters = {
            name: real["Parameters"][name]
            for name in (
                "SignInWith",
                "OidcIssuer",
                "OidcAudience",
                "WebSignInToken",
                "BankIdIssuer",
                "BankIdAudience",
                "AccessibilityContact",
                "Country",
                "PublicBaseUrl",
            )
        }

    def __call__(self, args: Sequence[str]) -> int:
        self.calls.append(list(args[1:2]))
        if args[1] != "deploy":
            return 0
        config_file = Path(args[args.index("--config-file") + 1])
        env = args[args.index("--config-env") + 1]
        overrides = deploy.environment(config_file.read_text(), env).overrides
        self.deployed_with.append(overrides["PublicBaseUrl"])
        template = {
            "Parameters": {
                name: {k: v for k, v in spec.items() if k in ("Type", "Default")}
                for name, spec in self.parameters.items()
            },
            "Conditions": {"UsesCognito": load().document["Conditions"]["UsesCognito"]},
            "Resources": {"WebBucket": {"Type": "AWS::S3::Bucket"}},
            "Outputs": {
                "PublicUrl": {"Value": CLOUDFRONT_HOST},
                "WebBucketName": {"Value": {"Ref": "WebBucket"}},
                "WebDistributionId": {"Value": self.distribution_id},
                "WebClientSettings": self.settings,
            },
        }
        cloudformation = boto3.client("cloudformation", region_name=REGION)
        values = [{"ParameterKey": k, "ParameterValue": v} for k, v in overrides.items() if k in self.parameters]
        stack = tomllib.loads(config_file.read_text())[env]["deploy"]["parameters"]["stack_name"]
        try:
            cloudformation.update_stack(StackName=stack, TemplateBody=json.dumps(template), Parameters=values)
        except cloudformation.exceptions.ClientError as error:
            if "does not exist" not in str(error):
                raise
            cloudformation.create_stack(StackName=stack, TemplateBody=json.dumps(template), Parameters=values)
        return 0


@pytest.fixture
def aws(worlds: Worlds) -> Iterator[None]:
    """An empty emulated AWS account of the deploy's own: the session's world is put away first (moto is one
    per process), and the next test that asks for it gets it built again."""
    worlds.close()
    with mock_aws():
        yield


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    built = tmp_path / "dist"
    (built / "assets").mkdir(parents=True)
    (built / "index.html").write_text(
        '<!doctype html><script src="./config.js"></script><script src="./assets/index-abc123.js"></script>'
    )
    (built / "config.js").write_text('window.EFORMS = { apiBase: "", signIn: "dev" };')  # the local one
    (built / "assets" / "index-abc123.js").write_text("console.log('app');")
    (built / "assets" / "index-def456.css").write_text("body{}")
    (built / ".source-sha256").write_text("stamp")
    return built


class Clients:
    """The deploy's AWS clients, one per service and kept, so a test can make one of them fail. No SDK
    retries: a refused call stands for one that failed after them."""

    def __init__(self) -> None:
        self.made: dict[str, Any] = {}

    def __call__(self, service: str, region: str) -> Any:
        if service not in self.made:
            config = Config(retries={"total_max_attempts": 1})
            self.made[service] = boto3.client(service, region_name=region, config=config)
        return self.made[service]


def _run(
    tmp_path: Path, dist: Path, env: str = "dev", clients: Clients | None = None
) -> tuple[deploy.Deploy, FakeSam, dict[str, Any]]:
    samconfig = tmp_path / "samconfig.toml"
    if not samconfig.exists():
        shutil.copy(ROOT / "samconfig.toml", samconfig)
    cloudfront = boto3.client("cloudfront", region_name=REGION)
    listed = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    sam = FakeSam(listed[0]["Id"] if listed else _distribution(cloudfront))
    runner = deploy.Deploy(env, "sam", samconfig, dist, run=sam, clients=clients or Clients())
    return runner, sam, runner()


def _object(key: str) -> dict[str, Any]:
    s3 = boto3.client("s3", region_name=REGION)
    bucket = s3.list_buckets()["Buckets"][0]["Name"]
    found: dict[str, Any] = s3.get_object(Bucket=bucket, Key=key)
    return found


def test_the_first_deploy_learns_its_address_deploys_again_and_publishes_the_client(
    aws: None, tmp_path: Path, dist: Path
) -> None:
    runner, sam, result = _run(tmp_path, dist)
    assert sam.calls == [["build"], ["deploy"], ["deploy"]]
    assert sam.deployed_with == ["https://replace-with-the-PublicUrl-output.cloudfront.net", CLOUDFRONT_HOST]
    assert f'"PublicBaseUrl={CLOUDFRONT_HOST}"' in runner.samconfig.read_text()  # for the next run, and for git
    assert (
        deploy.environment(runner.samconfig.read_text(), "prod").overrides["PublicBaseUrl"]
        == "https://e-blanketter.example.se"
    )

    assert sorted(result["written"]) == ["assets/index-abc123.js", "assets/index-def456.css", "config.js", "index.html"]
    asset, page, config = _object("app/assets/index-abc123.js"), _object("app/index.html"), _object("app/config.js")
    assert (asset["CacheControl"], asset["ContentType"]) == (
        "public, max-age=31536000, immutable",
        "text/javascript; charset=utf-8",
    )
    assert (page["CacheControl"], page["ContentType"]) == ("no-cache", "text/html; charset=utf-8")
    assert config["CacheControl"] == "no-cache"
    assert _object("app/assets/index-def456.css")["ContentType"] == "text/css; charset=utf-8"

    # config.js from the stack's outputs: the provider and client id samconfig gave the stack, no BankID (not offered).
    text = config["Body"].read().decode()
    settings = json.loads(text.split("window.EFORMS = ", 1)[1].rstrip().rstrip(";"))
    assert settings == {
        "apiBase": "",
        "signIn": "oidc",
        "oidc": {"issuer": "https://login.example.se/realms/test", "clientId": "eforms-web-test"},
        "accessibilityContact": "tillganglighet-test@example.se",
        "country": "SE",
    }
    invalidations = boto3.client("cloudfront").list_invalidations(DistributionId=result["outputs"]["WebDistributionId"])
    assert invalidations["InvalidationList"]["Quantity"] == 1


def test_a_second_run_deploys_once_and_uploads_only_what_changed(aws: None, tmp_path: Path, dist: Path) -> None:
    _run(tmp_path, dist)
    _, sam, again = _run(tmp_path, dist)
    assert sam.calls == [["build"], ["deploy"]]
    assert sam.deployed_with == [CLOUDFRONT_HOST]
    assert again["written"] == []  # nothing changed: nothing sent,
    assert again["invalidation"] is None  # nothing purged

    (dist / "assets" / "index-abc123.js").unlink()
    (dist / "assets" / "index-0f0f0f.js").write_text("console.log('new');")
    (dist / "index.html").write_text('<!doctype html><script src="./assets/index-0f0f0f.js"></script>')
    _, _, changed = _run(tmp_path, dist)
    assert changed["written"] == ["assets/index-0f0f0f.js", "index.html"]  # the entry point last
    assert changed["invalidation"]
    assert _object("app/assets/index-abc123.js")  # the previous build's assets stay for browsers that hold its page


def _new_build(dist: Path, asset: str, script: str) -> None:
    for old in (dist / "assets").glob("*.js"):
        old.unlink()
    (dist / "assets" / asset).write_text(script)
    (dist / "index.html").write_text(f'<!doctype html><script src="./assets/{asset}"></script>')


def _invalidations(result: dict[str, Any]) -> int:
    listed = boto3.client("cloudfront").list_invalidations(DistributionId=result["outputs"]["WebDistributionId"])
    count: int = listed["InvalidationList"]["Quantity"]
    return count


def test_an_upload_that_fails_halfway_keeps_the_old_page_and_the_next_run_finishes_it(
    aws: None, tmp_path: Path, dist: Path
) -> None:
    _, _, first = _run(tmp_path, dist)
    old_page = _object("app/index.html")["Body"].read()
    _new_build(dist, "index-0f0f0f.js", "console.log('new');")
    clients = Clients()
    with (
        throttled("s3", "PutObject", on=clients("s3", REGION), after=1) as refused,
        pytest.raises(ClientError, match="SlowDown"),
    ):
        _run(tmp_path, dist, clients=clients)
    assert refused == ["PutObject"]  # the new asset went up; the page after it did not
    assert _object("app/index.html")["Body"].read() == old_page  # browsers still get a page whose assets exist
    assert _object("app/assets/index-abc123.js")
    assert _invalidations(first) == 1  # nothing to forget yet

    _, _, again = _run(tmp_path, dist)
    assert again["written"] == ["index.html"]  # the asset is there already
    assert b"index-0f0f0f.js" in _object("app/index.html")["Body"].read()
    assert again["invalidation"]
    assert _invalidations(again) == 2


def test_an_invalidation_refused_is_made_by_the_next_run_and_a_rollback_is_invalidated_again(
    aws: None, tmp_path: Path, dist: Path
) -> None:
    _, _, first = _run(tmp_path, dist)
    old_page = (dist / "index.html").read_text()
    _new_build(dist, "index-0f0f0f.js", "console.log('new');")
    clients = Clients()
    cloudfront = clients("cloudfront", REGION)
    with (
        throttled("cloudfront", "CreateInvalidation", on=cloudfront, code="TooManyInvalidationsInProgress") as refused,
        pytest.raises(ClientError, match="TooManyInvalidationsInProgress"),
    ):
        _run(tmp_path, dist, clients=clients)
    assert refused
    assert _invalidations(first) == 1
    _, _, again = _run(tmp_path, dist)  # everything is uploaded already; CloudFront was never told
    assert again["written"] == []
    assert again["invalidation"]
    assert _invalidations(again) == 2
    _, _, idle = _run(tmp_path, dist)
    assert idle["invalidation"] is None  # told once is enough

    (dist / "assets" / "index-0f0f0f.js").unlink()
    (dist / "assets" / "index-abc123.js").write_text("console.log('app');")
    (dist / "index.html").write_text(old_page)  # back to the first build, as a rollback does
    _, _, rollback = _run(tmp_path, dist)
    assert rollback["written"] == ["index.html"]
    assert rollback["invalidation"]
    assert _invalidations(rollback) == 3


def test_deploy_stopped_by_aws_says_to_run_it_again(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    def failing(self: deploy.Deploy) -> dict[str, Any]:
        raise ClientError({"Error": {"Code": "SlowDown", "Message": "Reduce your request rate."}}, "PutObject")

    monkeypatch.setattr(deploy.Deploy, "__call__", failing)
    assert deploy.main(["--config-env", "dev"]) == 1
    assert "Run the same command again" in capsys.readouterr().err


def test_a_domain_of_its_own_deploys_once_and_must_be_the_public_address(aws: None, tmp_path: Path, dist: Path) -> None:
    samconfig = tmp_path / "samconfig.toml"
    _, sam, _ = _run(tmp_path, dist, "prod")
    assert sam.calls == [["build"], ["deploy"]]
    samconfig.write_text(deploy.with_public_base_url(samconfig.read_text(), "prod", "https://elsewhere.example.se"))
    with pytest.raises(SystemExit, match=r"PublicBaseUrl must be https://e-blanketter\.example\.se"):
        _run(tmp_path, dist, "prod")


def test_config_js_offers_bankid_and_the_access_token_only_when_the_stack_says_so() -> None:
    settings = {
        "oidc": {"issuer": "https://idp.example.se", "clientId": "web", "token": "access_token"},
        "bankid": {"issuer": "https://broker.example.se", "clientId": "web-bankid"},
        "accessibilityContact": "",
        "country": "DK",
    }
    config = json.loads(deploy.render_config(settings).split("= ", 1)[1].rstrip().rstrip(";"))
    assert config["oidc"] == {"issuer": "https://idp.example.se", "clientId": "web", "token": "access_token"}
    assert config["bankid"] == {"issuer": "https://broker.example.se", "clientId": "web-bankid"}
    assert "accessibilityContact" not in config
    assert config["country"] == "DK"
    with pytest.raises(SystemExit, match="OIDC issuer"):
        deploy.render_config({"oidc": {"issuer": "", "clientId": "web"}})


def test_without_credentials_nothing_is_built(aws: None, tmp_path: Path, dist: Path) -> None:
    def no_credentials(service: str, region: str) -> Any:
        from botocore.exceptions import NoCredentialsError

        class Refusing:
            def get_caller_identity(self) -> None:
                raise NoCredentialsError

        return Refusing()

    samconfig = tmp_path / "samconfig.toml"
    shutil.copy(ROOT / "samconfig.toml", samconfig)
    sam = FakeSam("unused")
    with pytest.raises(SystemExit, match="no usable AWS credentials"):
        deploy.Deploy("dev", "sam", samconfig, dist, run=sam, clients=no_credentials)()
    assert sam.calls == []
