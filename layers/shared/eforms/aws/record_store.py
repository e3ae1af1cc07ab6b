"""The write-once records bucket (docs/records.md §3): every object locked in compliance mode until its
retain-until date, which nobody can shorten, and no version of which anyone can delete before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from botocore.exceptions import ClientError

from eforms.aws.clients import client

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3RecordStore:
    """Implements :class:`eforms.core.documents.records.RecordStore`."""

    def __init__(self, bucket: str, documents_bucket: str) -> None:
        self.bucket = bucket
        self.documents_bucket = documents_bucket

    def has(self, key: str) -> bool:
        try:
            client("s3").head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return False
            raise
        return True

    def keep(self, key: str, body: bytes, content_type: str, retain_until: datetime, retention_years: int) -> bool:
        """Write it locked, only if no version of ``key`` exists yet (``If-None-Match``): two deliveries of one
        event at once write one version; the one that finds it there returns False."""
        try:
            self.put_locked(key, body, content_type, retain_until, retention_years)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "PreconditionFailed":
                return False
            raise
        return True

    def put_locked(self, key: str, body: bytes, content_type: str, retain_until: datetime, retention_years: int) -> str:
        """Write it locked, only if no version exists (``PreconditionFailed`` otherwise); the version written."""
        answer = client("s3").put_object(
            Bucket=self.bucket,
            Key=key,
            IfNoneMatch="*",
            Body=body,
            ContentType=content_type,
            Tagging=f"retentionYears={retention_years}",  # the bucket's lifecycle rule for it, after the lock
            ObjectLockMode="COMPLIANCE",
            ObjectLockRetainUntilDate=retain_until,
            ChecksumAlgorithm="SHA256",  # Object Lock writes must carry a checksum
        )
        return str(answer.get("VersionId", ""))

    def first_version(self, key: str) -> str:
        """The oldest version of ``key``: the one written once, under its lock."""
        listed = client("s3").list_object_versions(Bucket=self.bucket, Prefix=key).get("Versions", [])
        mine = sorted((v for v in listed if v["Key"] == key), key=lambda v: v["LastModified"])
        return str(mine[0]["VersionId"]) if mine else ""

    def keep_copy(self, key: str, source_key: str, retain_until: datetime, retention_years: int) -> bool:
        """Read the document and write it locked. Not ``CopyObject``: a locked write must carry a checksum
        (moto insists on it for a copy too, which has no body to sum), and a case's files are a few MB."""
        source = client("s3").get_object(Bucket=self.documents_bucket, Key=source_key)
        content_type = source.get("ContentType", "application/octet-stream")
        return self.keep(key, source["Body"].read(), content_type, retain_until, retention_years)


class LockedPayRunFiles:
    """Pay-run files kept write-once beside the records (docs/records.md §5): locked in compliance mode until
    their batch's retention ends, so the file payroll imported is the file kept. Implements
    :class:`eforms.core.payroll.pay_runs.PayRunFiles`."""

    def __init__(self, bucket: str) -> None:
        self.records = S3RecordStore(bucket, "")

    def keep(self, key: str, body: bytes, *, until: date, years: int) -> str:
        moment = datetime(until.year, until.month, until.day, tzinfo=UTC)
        try:
            return self.records.put_locked(key, body, "application/xml", moment, years)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "PreconditionFailed":
                raise
        return self.records.first_version(key)  # kept already by another run: the same bytes, its version
