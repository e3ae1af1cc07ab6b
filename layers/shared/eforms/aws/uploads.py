"""Attachment files in the case documents bucket: posted by browsers to ``quarantine/``, checked, then kept
under ``attachments/`` (encrypted with the stack's key by the bucket default, like the PDFs).

Tags drive the bucket's lifecycle rules (template.yaml): ``retentionYears`` keeps a file as long as its
case; ``state=draft`` marks a checked file no case has taken yet, removed after a day.

On AWS, GuardDuty Malware Protection for S3 scans every new object under ``quarantine/`` and tags it
``GuardDutyMalwareScanStatus``; with ``EFORMS_MALWARE_SCANNER=guardduty`` the check waits for that tag.
Locally (no scanner) the platform's own check (type by magic bytes, size, the EICAR signature) decides alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import quote

from eforms.aws.clients import client

CHUNK = 256 * 1024
URL_SECONDS = 300
_GUARDDUTY_TAG = "GuardDutyMalwareScanStatus"


class S3FileStore:
    def __init__(self, bucket: str, *, scanner: str = "none", public_url: str | None = None) -> None:
        self.bucket = bucket
        self.scanner = scanner
        self.public_url = public_url  # the local stack's same-origin S3 endpoint for browsers

    def presigned_post(self, key: str, *, content_type: str, max_bytes: int, seconds: int) -> dict[str, Any]:
        post: dict[str, Any] = client("s3").generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"key": key},
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=seconds,
        )
        if self.public_url:
            post["url"] = f"{self.public_url}/{self.bucket}"
        return post

    def read(self, key: str) -> Iterator[bytes] | None:
        s3 = client("s3")
        try:
            body = s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        except s3.exceptions.NoSuchKey:
            return None
        return iter(lambda: body.read(CHUNK), b"")

    def malware_verdict(self, key: str) -> Literal["clean", "infected", "pending"]:
        if self.scanner != "guardduty":
            return "clean"
        tags = client("s3").get_object_tagging(Bucket=self.bucket, Key=key)["TagSet"]
        status = {t["Key"]: t["Value"] for t in tags}.get(_GUARDDUTY_TAG)
        if status is None:
            return "pending"
        return "clean" if status == "NO_THREATS_FOUND" else "infected"

    def promote(self, source: str, target: str, *, retention_years: int) -> None:
        client("s3").copy_object(
            Bucket=self.bucket,
            Key=target,
            CopySource={"Bucket": self.bucket, "Key": source},
            TaggingDirective="REPLACE",
            Tagging=f"retentionYears={retention_years}&state=draft",
            MetadataDirective="COPY",
        )

    def remove(self, key: str) -> None:
        client("s3").delete_object(Bucket=self.bucket, Key=key)

    def keep(self, key: str, *, retention_years: int) -> None:
        client("s3").put_object_tagging(
            Bucket=self.bucket,
            Key=key,
            Tagging={"TagSet": [{"Key": "retentionYears", "Value": str(retention_years)}]},
        )

    def download_url(self, key: str, *, filename: str, content_type: str) -> tuple[str, datetime]:
        """A short-lived link that downloads the file under its own name (RFC 6266 for any script)."""
        expires = datetime.now(UTC) + timedelta(seconds=URL_SECONDS)
        ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'")
        url = client("s3").generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                "ResponseContentType": content_type,
                "ResponseContentDisposition": (
                    f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
                ),
            },
            ExpiresIn=URL_SECONDS,
        )
        return str(url), expires

    def read_all(self, key: str) -> bytes:
        """The whole file, for the admin tools (a subject-access export)."""
        body: bytes = client("s3").get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body
