"""Uploading an attachment the way the web client does: start (API), post the file (straight to S3 with the
presigned POST; moto answers it as S3 would), check (API)."""

from __future__ import annotations

from typing import Any

import requests

from tests.support.world import Api, Reply

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def start(
    api: Api,
    form: str,
    kind: str,
    *,
    name: str = "kurs.pdf",
    content_type: str = "application/pdf",
    size: int = len(PDF),
    as_: str = "anna",
) -> Reply:
    body = {"formId": form, "kind": kind, "name": name, "contentType": content_type, "size": size}
    return api.call("POST", "/uploads", as_=as_, json_body=body)


def post_file(upload: dict[str, Any], content: bytes, *, name: str = "file") -> requests.Response:
    """What the browser sends to S3: the policy's fields, then the file, as multipart/form-data."""
    return requests.post(upload["url"], data=upload["fields"], files={"file": (name, content)}, timeout=10)


def attach(api: Api, form: str, kind: str, content: bytes = PDF, *, as_: str = "anna", **kwargs: Any) -> str:
    """A clean upload's id, ready to name in a submission."""
    started = start(api, form, kind, size=len(content), as_=as_, **kwargs)
    assert started.status == 201, started.text
    body = started.json()
    assert post_file(body["upload"], content).status_code == 204
    checked = api.call("POST", f"/uploads/{body['uploadId']}/check", as_=as_)
    assert checked.status == 200, checked.text
    return str(body["uploadId"])
