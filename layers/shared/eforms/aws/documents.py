"""Signed case PDFs in S3: private, encrypted with the stack's KMS key (bucket default), versioned.

Object keys carry no personal data: ``cases/<caseId>/<fingerprint>.pdf`` (both are random-looking ids).
People get a short-lived presigned URL, never the bucket.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eforms.aws.clients import client

URL_SECONDS = 300
REPORT_RETENTION_YEARS = 2


def document_key(case_id: str, fingerprint: str) -> str:
    return f"cases/{case_id}/{fingerprint}.pdf"


class DocumentStore:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def put_pdf(self, key: str, body: bytes, *, retention_years: int) -> None:
        client("s3").put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            ContentType="application/pdf",
            # Lifecycle rules expire documents by this tag, so a PDF is kept exactly as long as its case.
            Tagging=f"retentionYears={retention_years}",
        )

    def put_report(self, key: str, body: bytes) -> None:
        """A monthly service report: kept as long as the figures it shows can be read (24 months)."""
        self.put_pdf(key, body, retention_years=REPORT_RETENTION_YEARS)

    def discard(self, key: str) -> None:
        """Every version of ``key`` gone (the bucket keeps versions): an unsent certificate the officer
        replaced — perhaps someone else's document — is not kept for the case's retention."""
        s3 = client("s3")
        listed = s3.list_object_versions(Bucket=self.bucket, Prefix=key)
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
            if v["Key"] == key
        ]
        if doomed:
            s3.delete_objects(Bucket=self.bucket, Delete={"Objects": doomed, "Quiet": True})

    def read_pdf(self, key: str) -> bytes:
        """The PDF itself, for the admin tools (a subject-access export); people get :meth:`download_url`."""
        body: bytes = client("s3").get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body

    def download_url(
        self, key: str, filename: str, content_type: str = "application/pdf", version: str = ""
    ) -> tuple[str, datetime]:
        """A link to ``key`` (to one ``version`` of it, where given: a write-once file's own)."""
        expires = datetime.now(UTC) + timedelta(seconds=URL_SECONDS)
        url = client("s3").generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": key,
                **({"VersionId": version} if version else {}),
                "ResponseContentType": content_type,
                "ResponseContentDisposition": f'attachment; filename="{filename}"',
            },
            ExpiresIn=URL_SECONDS,
        )
        return str(url), expires
