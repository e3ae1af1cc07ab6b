"""``python3 dev deploy --config-env dev|prod``: from a clean clone to a running stack with its web client.

One run, first deploy included, and safe to repeat (a second run with nothing changed deploys an empty change
set and uploads nothing):

1. ``sam build`` and ``sam deploy --config-env ENV``: samconfig.toml holds the environment's parameters.
2. Without a domain of its own (``WebDomain`` empty) the service's address is CloudFront's, known only once the
   distribution exists. The first run writes the ``PublicUrl`` output into samconfig.toml's ``PublicBaseUrl``
   and deploys again, so emails link to the right place; later runs find it set and deploy once.
3. The web client (``web/dist``, built by ``dev`` before this runs) goes to ``WebBucket`` under ``app/``:
   content-hashed assets cached for a year as immutable, everything else (``index.html``, ``config.js``)
   revalidated on every load; files already there unchanged are skipped, and ``index.html`` goes last, so a
   browser never gets an entry point whose assets are not there yet.
4. ``app/config.js`` is written from the stack's ``WebClientSettings`` output: the sign-in provider, the BankID
   broker, the accessibility contact and country. The template is its one source.
5. CloudFront forgets the entry points it may still hold, unless its last invalidation from here was for the
   same entry points (so a run stopped by an AWS failure is finished by running it again).

Credentials come from the usual AWS environment (profile, SSO, variables). docs/operations.md, "First deploy".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import mimetypes
import re
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "app/"
# Vite writes every bundled file under assets/ with a content hash in its name: a new build is a new name.
HASHED = "assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
ENTRY_POINTS = ("index.html", "config.js")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}

Run = Callable[[Sequence[str]], int]
Clients = Callable[[str, str], Any]


@dataclass(frozen=True)
class Environment:
    """One ``[ENV.deploy.parameters]`` section of samconfig.toml."""

    name: str
    stack: str
    region: str
    overrides: dict[str, str]


def environment(samconfig: str, name: str) -> Environment:
    config = tomllib.loads(samconfig)
    if name not in config or "deploy" not in config[name]:
        raise SystemExit(f"samconfig.toml has no [{name}.deploy.parameters]")
    deploy = config[name]["deploy"]["parameters"]
    region = (
        deploy.get("region")
        or config[name].get("global", {}).get("parameters", {}).get("region")
        or config.get("default", {}).get("global", {}).get("parameters", {}).get("region")
    )
    if not region:
        raise SystemExit(f"samconfig.toml names no region for {name}")
    entries = deploy.get("parameter_overrides", [])
    overrides = dict(entry.split("=", 1) for entry in entries)
    return Environment(name=name, stack=deploy["stack_name"], region=region, overrides=overrides)


def with_public_base_url(samconfig: str, name: str, url: str) -> str:
    """samconfig.toml with the environment's ``PublicBaseUrl`` set to ``url``, every other byte as it was."""
    header = f"[{name}.deploy.parameters]"
    start = samconfig.index(header)
    end = samconfig.find("\n[", start + len(header))
    end = len(samconfig) if end < 0 else end
    section, count = re.subn(r'"PublicBaseUrl=[^"]*"', f'"PublicBaseUrl={url}"', samconfig[start:end])
    if count != 1:
        raise SystemExit(f"samconfig.toml: [{name}.deploy.parameters] must set PublicBaseUrl exactly once")
    return samconfig[:start] + section + samconfig[end:]


def render_config(settings: dict[str, Any]) -> str:
    """The deployed web client's ``config.js`` from the stack's ``WebClientSettings``: the API on the same
    address (CloudFront serves both), sign-in through the organisation's provider, BankID when offered."""
    oidc = settings["oidc"]
    if not oidc.get("issuer") or not oidc.get("clientId"):
        raise SystemExit("WebClientSettings names no OIDC issuer and client id (OidcIssuer, OidcAudience)")
    config: dict[str, Any] = {
        "apiBase": "",
        "signIn": "oidc",
        "oidc": {"issuer": oidc["issuer"], "clientId": oidc["clientId"]},
    }
    if oidc.get("token") == "access_token":
        config["oidc"]["token"] = "access_token"  # noqa: S105 - the token's kind, not a secret
    bankid = settings.get("bankid") or {}
    if bankid.get("issuer"):
        config["bankid"] = {"issuer": bankid["issuer"], "clientId": bankid["clientId"]}
    if settings.get("accessibilityContact"):
        config["accessibilityContact"] = settings["accessibilityContact"]
    config["country"] = settings.get("country") or "SE"
    return (
        "// Written by `python3 dev deploy` from the stack's WebClientSettings output; the next deploy rewrites it.\n"
        f"window.EFORMS = {json.dumps(config, indent=2)};\n"
    )


def headers_for(relative: str) -> tuple[str, str]:
    """(Cache-Control, Content-Type) for a file of the web client, by its path under ``app/``."""
    cache = IMMUTABLE if relative.startswith(HASHED) else REVALIDATE
    suffix = Path(relative).suffix
    kind = TYPES.get(suffix) or mimetypes.guess_type(relative)[0] or "application/octet-stream"
    return cache, kind


def _files(dist: Path, replaced: dict[str, bytes]) -> dict[str, bytes]:
    found = {
        path.relative_to(dist).as_posix(): path.read_bytes()
        for path in sorted(dist.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(dist).parts)
    }
    return {**found, **replaced}


def _upload_order(name: str) -> tuple[int, str]:
    # Assets first, then config.js, index.html last: the entry point appears only once all it loads is there.
    return ({"index.html": 2, "config.js": 1}.get(name, 0), name)


def publish(files: dict[str, bytes], s3: Any, bucket: str) -> list[str]:
    """Upload the web client; the paths (under ``app/``) actually written, unchanged files skipped.

    Earlier builds' hashed assets stay: a browser still holding the previous index.html loads them."""
    present: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PREFIX):
        present |= {item["Key"]: item["ETag"].strip('"') for item in page.get("Contents", [])}
    written = []
    for name in sorted(files, key=_upload_order):
        body, key = files[name], PREFIX + name
        cache, kind = headers_for(name)
        if present.get(key) == hashlib.md5(body, usedforsecurity=False).hexdigest():
            head = s3.head_object(Bucket=bucket, Key=key)
            if head.get("CacheControl") == cache and head.get("ContentType") == kind:
                continue
        s3.put_object(Bucket=bucket, Key=key, Body=body, CacheControl=cache, ContentType=kind)
        written.append(name)
    return written


def invalidate(cloudfront: Any, distribution_id: str, files: dict[str, bytes], *, stamp: int) -> str | None:
    """Ask CloudFront to drop the entry points unless this tool's newest invalidation was for the entry
    points as they are now; the invalidation's id, else None.

    Decided by content, not by what this run uploaded: a run whose upload finished but whose invalidation
    failed is mended by running it again, and a rollback to an earlier build (the same content as an older
    invalidation) is invalidated again. Hashed assets never need it (a new build is a new name). The caller
    reference is the entry points' digest and ``stamp`` (a time in ms), so a rollback is a new request and
    not CloudFront's answer to the old one."""
    digest = hashlib.sha256(b"".join(files.get(name, b"") for name in ENTRY_POINTS)).hexdigest()[:24]
    if _newest_invalidated(cloudfront, distribution_id) == digest:
        return None
    paths = ["/app/", *(f"/app/{name}" for name in ENTRY_POINTS)]
    reply = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": f"{digest}-{stamp}"},
    )
    invalidation_id: str = reply["Invalidation"]["Id"]
    return invalidation_id


def _newest_invalidated(cloudfront: Any, distribution_id: str) -> str | None:
    """The entry points' digest in this tool's newest invalidation (CloudFront lists the newest first; the
    stamp in the caller reference orders them here). Invalidations made by hand are not ours: skipped."""
    listed = cloudfront.list_invalidations(DistributionId=distribution_id, MaxItems="5")["InvalidationList"]
    ours = []
    for item in listed.get("Items", []):
        found = cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])
        digest, _, stamp = found["Invalidation"]["InvalidationBatch"]["CallerReference"].partition("-")
        if stamp.isdigit():
            ours.append((int(stamp), digest))
    return max(ours)[1] if ours else None


def stack_outputs(cloudformation: Any, stack: str) -> dict[str, str] | None:
    """The stack's outputs, or None before its first deploy."""
    try:
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    except Exception as error:  # botocore ClientError "Stack with id … does not exist"
        if "does not exist" in str(error):
            return None
        raise
    return {item["OutputKey"]: item["OutputValue"] for item in described.get("Outputs", [])}


def _boto3_client(service: str, region: str) -> Any:
    import boto3

    return boto3.client(service, region_name=region)


def _subprocess(args: Sequence[str]) -> int:
    return subprocess.run(list(args), check=False, cwd=ROOT).returncode  # noqa: S603 - our own SAM CLI


@dataclass
class Deploy:
    """The steps, with the SAM CLI and AWS clients passed in (the tests run them against moto)."""

    env_name: str
    sam: str
    samconfig: Path
    dist: Path
    run: Run = _subprocess
    clients: Clients = _boto3_client

    def _check_credentials(self, region: str) -> None:
        """Fail in a second, before a minute of building, when there is no AWS account to deploy to."""
        try:
            who = self.clients("sts", region).get_caller_identity()
        except Exception as error:  # NoCredentialsError, an expired SSO session, …
            raise SystemExit(
                f"no usable AWS credentials ({type(error).__name__}): sign in first, e.g. aws sso login"
            ) from None
        print(f"==> deploying to account {who['Account']} in {region}", flush=True)

    def _sam(self, *args: str) -> None:
        command = [self.sam, *args, "--config-file", str(self.samconfig), "--config-env", self.env_name]
        print("==>", " ".join(command[1:]), flush=True)
        if self.run(command) != 0:
            raise SystemExit(f"sam {args[0]} failed")

    def _set_public_url(self, url: str) -> None:
        self.samconfig.write_text(with_public_base_url(self.samconfig.read_text(), self.env_name, url))
        print(f"==> samconfig.toml: PublicBaseUrl={url} for {self.env_name} (commit it)", flush=True)

    def _public_url_to_set(self, outputs: dict[str, str] | None) -> str | None:
        """CloudFront's address when the environment has no domain and samconfig.toml says otherwise."""
        env = environment(self.samconfig.read_text(), self.env_name)
        if env.overrides.get("WebDomain") or outputs is None:
            return None
        return outputs["PublicUrl"] if outputs["PublicUrl"] != env.overrides.get("PublicBaseUrl") else None

    def __call__(self) -> dict[str, Any]:
        env = environment(self.samconfig.read_text(), self.env_name)
        domain = env.overrides.get("WebDomain")
        if domain and env.overrides.get("PublicBaseUrl") != f"https://{domain}":
            raise SystemExit(f"PublicBaseUrl must be https://{domain} when WebDomain is {domain}")
        if not (self.dist / "index.html").exists():
            raise SystemExit(f"{self.dist} holds no built web client")
        self._check_credentials(env.region)
        cloudformation = self.clients("cloudformation", env.region)
        self._sam("build")
        if url := self._public_url_to_set(stack_outputs(cloudformation, env.stack)):
            self._set_public_url(url)  # the stack exists: deploy with its address from the start
        self._sam("deploy")
        outputs = stack_outputs(cloudformation, env.stack)
        if outputs is None:
            raise SystemExit(f"stack {env.stack} is not there after sam deploy")
        deploys = 1
        if url := self._public_url_to_set(outputs):
            self._set_public_url(url)  # the first deploy: emails must link to the address it just made
            self._sam("deploy")
            deploys += 1
        config = render_config(json.loads(outputs["WebClientSettings"])).encode()
        s3 = self.clients("s3", env.region)
        files = _files(self.dist, {"config.js": config})  # the build, with the deployment's config.js
        written = publish(files, s3, outputs["WebBucketName"])
        print(
            f"==> web client: {len(written)} file(s) uploaded to s3://{outputs['WebBucketName']}/{PREFIX}", flush=True
        )
        invalidation = invalidate(
            self.clients("cloudfront", env.region), outputs["WebDistributionId"], files, stamp=time.time_ns() // 10**6
        )
        if invalidation:
            print(f"==> CloudFront invalidation {invalidation} for the entry points", flush=True)
        print(f"==> {outputs['PublicUrl']}/app/", flush=True)
        return {"deploys": deploys, "written": written, "invalidation": invalidation, "outputs": outputs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 dev deploy", description=__doc__.split("\n\n")[0])
    parser.add_argument("--config-env", required=True, help="the samconfig.toml environment: dev or prod")
    parser.add_argument("--sam", default="sam", help="the SAM CLI (dev passes the pinned one)")
    args = parser.parse_args(argv)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        Deploy(args.config_env, args.sam, ROOT / "samconfig.toml", ROOT / "web" / "dist")()
    except (ClientError, BotoCoreError) as error:
        # The stack is deployed by then; the web client's upload writes its entry point last and the
        # invalidation is decided by content, so running the same command again finishes the job.
        print(f"deploy stopped: {error}. Run the same command again: it uploads what is missing.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
