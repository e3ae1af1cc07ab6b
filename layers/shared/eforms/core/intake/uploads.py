"""Uploading a form's attachments: straight from the browser to S3, checked, then attached at submission.

1. ``start``: the caller says what they will upload (form, kind, name, type, size); every problem is a 422
   before anything exists. The answer is a presigned POST whose policy fixes the object key (under
   ``quarantine/``), the size range and the content type: S3 itself refuses anything else, and the API
   never carries the file's bytes.
2. ``check``: once the browser has posted the file, it is read from quarantine and judged
   (:mod:`eforms.core.documents.scanning`; on AWS also GuardDuty's verdict). A clean file moves to
   ``attachments/``, tagged as a draft; anything else is deleted and the reason given (422).
3. At submission (:mod:`eforms.core.intake.submission`) the caller's clean uploads join the case, in the
   transaction that stores it; the files lose their draft tag and are kept as long as the case.

An upload belongs to whoever started it: anyone else is told it does not exist. Uploads never submitted,
and their files, expire after a day (a TTL on the record, lifecycle rules on the bucket).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from eforms.core.common.clock import Clock, stockholm_date
from eforms.core.common.errors import Conflict, FieldError, NotFound, ValidationFailed
from eforms.core.documents import scanning
from eforms.core.forms.attachments import TYPES, AttachmentKind
from eforms.core.forms.catalogue import Catalogue, FormDefinition, resolve_form, version_errors
from eforms.core.identity.caller import Caller
from eforms.core.identity.directory import Directory
from eforms.core.intake.eligibility import check_may_file

State = Literal["pending", "clean", "rejected"]
DRAFT_HOURS = 24
POST_SECONDS = 600  # how long the browser has to post the file
MAX_NAME = 200
_UPLOAD_ID = re.compile(r"^up_[A-Za-z0-9_-]{22}$")
_START_FIELDS = frozenset({"formId", "formVersion", "kind", "name", "contentType", "size"})


@dataclass(frozen=True)
class Upload:
    upload_id: str
    owner_id: str
    form_id: str
    form_version: int
    kind: str
    name: str
    content_type: str
    declared_size: int
    state: State
    created_at: datetime
    expires_at: datetime  # the record's TTL: an upload never submitted is forgotten after a day
    size: int | None = None  # as read by the check
    sha256: str | None = None
    reason: str | None = None  # why the check refused it

    @property
    def post_expires_at(self) -> datetime:
        """When the presigned POST the file goes up with stops being accepted (the record lives longer)."""
        return self.created_at + timedelta(seconds=POST_SECONDS)

    def usable_by(self, caller_id: str, now: datetime) -> bool:
        """Its uploader's, and not yet forgotten: anyone else is told it does not exist."""
        return self.owner_id == caller_id and self.expires_at > now

    @property
    def quarantine_key(self) -> str:
        return f"quarantine/{self.upload_id}"

    @property
    def key(self) -> str:
        """Where a clean file lives, before and after it joins a case (no personal data in the key)."""
        return f"attachments/{self.upload_id}"


class UploadStore(Protocol):
    def put(self, upload: Upload) -> None:
        """Store a new upload record."""
        ...

    def get(self, upload_id: str) -> Upload | None: ...

    def update(self, upload: Upload, *, expected_state: State) -> None:
        """Write ``upload`` if the stored one is still in ``expected_state``; ``Conflict`` otherwise."""
        ...


class FileStore(Protocol):
    def presigned_post(self, key: str, *, content_type: str, max_bytes: int, seconds: int) -> dict[str, Any]:
        """``{"url", "fields"}`` for a browser form post whose policy fixes key, type and size range."""
        ...

    def read(self, key: str) -> Iterable[bytes] | None:
        """The object's bytes in chunks, or None if nothing was posted."""
        ...

    def malware_verdict(self, key: str) -> Literal["clean", "infected", "pending"]:
        """The malware scanner's verdict (GuardDuty on AWS; ``clean`` where no scanner runs)."""
        ...

    def promote(self, source: str, target: str, *, retention_years: int) -> None:
        """Copy a checked file out of quarantine, tagged as a draft kept for ``retention_years`` once attached.
        The quarantine copy stays until :meth:`remove`, so a check that fails half-way can be run again."""
        ...

    def remove(self, key: str) -> None: ...

    def keep(self, key: str, *, retention_years: int) -> None:
        """The file joined a case: no longer a draft, kept as long as the case."""
        ...


def new_upload_id() -> str:
    return "up_" + secrets.token_urlsafe(16)


def is_upload_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_UPLOAD_ID.match(value))


def name_errors(name: Any, pointer: str) -> list[FieldError]:
    """A file name people will see and download: plain, short, no path and no control characters."""
    if not isinstance(name, str) or not name.strip():
        return [FieldError(pointer, "required" if name is None else "wrong_type", {"expected": "string"})]
    if len(name) > MAX_NAME:
        return [FieldError(pointer, "too_long", {"limit": MAX_NAME})]
    if any(c in name for c in "/\\") or name.strip() in (".", "..") or name.startswith("."):
        return [FieldError(pointer, "unsafe_file_name")]
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        return [FieldError(pointer, "control_characters")]
    return []


def parse_start(body: Any, catalogue: Catalogue, today: date) -> tuple[FormDefinition, AttachmentKind, str, str, int]:
    """``{"formId", "formVersion"?, "kind", "name", "contentType", "size"}`` checked against the form."""
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("", "wrong_type", {"expected": "object"})])
    errors = [FieldError(f"/{k}", "unknown_field") for k in body if k not in _START_FIELDS]
    version = body.get("formVersion")
    if "formVersion" in body:
        errors += version_errors(version)
    if errors:
        raise ValidationFailed(errors)
    form = resolve_form(catalogue, body.get("formId"), version, today)
    kinds = {k.kind: k for k in form.attachments}
    kind = kinds.get(body.get("kind"))  # type: ignore[arg-type]
    if kind is None:
        raise ValidationFailed([FieldError("/kind", "invalid_choice", {"allowed": list(kinds)})])
    name, content_type, size = body.get("name"), body.get("contentType"), body.get("size")
    errors = name_errors(name, "/name")
    if content_type not in kind.types:
        errors.append(FieldError("/contentType", "file_type_not_allowed", {"allowed": list(kind.types)}))
    if isinstance(size, bool) or not isinstance(size, int):
        errors.append(FieldError("/size", "wrong_type", {"expected": "integer"}))
    elif size < 1:
        errors.append(FieldError("/size", "file_empty"))
    elif size > kind.max_bytes:
        errors.append(FieldError("/size", "file_too_large", {"limit": kind.max_bytes}))
    if errors:
        raise ValidationFailed(errors)
    return form, kind, str(name).strip(), str(content_type), int(size)  # type: ignore[arg-type]


@dataclass
class Uploads:
    catalogue: Catalogue
    uploads: UploadStore
    files: FileStore
    clock: Clock
    directory: Directory

    def start(self, caller: Caller, body: Any) -> tuple[Upload, dict[str, Any]]:
        now = self.clock()
        today = stockholm_date(now)
        form, kind, name, content_type, size = parse_start(body, self.catalogue, today)
        check_may_file(form, caller, self.directory, today)
        upload = Upload(
            upload_id=new_upload_id(),
            owner_id=caller.id,
            form_id=form.form_id,
            form_version=form.version,
            kind=kind.kind,
            name=name,
            content_type=content_type,
            declared_size=size,
            state="pending",
            created_at=now,
            expires_at=now + timedelta(hours=DRAFT_HOURS),
        )
        self.uploads.put(upload)
        post = self.files.presigned_post(
            upload.quarantine_key, content_type=content_type, max_bytes=kind.max_bytes, seconds=POST_SECONDS
        )
        return upload, post

    def owned(self, caller: Caller, upload_id: str) -> Upload:
        """The caller's upload; anyone else's, or none, is the same 404."""
        upload = self.uploads.get(upload_id) if is_upload_id(upload_id) else None
        if upload is None or not upload.usable_by(caller.id, self.clock()):
            raise NotFound("upload_not_found")
        return upload

    def check(self, caller: Caller, upload_id: str) -> Upload:
        """Judge the posted file: clean → out of quarantine; otherwise deleted, and 422 says why."""
        upload = self.owned(caller, upload_id)
        if upload.state == "clean":
            return upload  # checked before: a retried check changes nothing
        if upload.state == "rejected":
            raise ValidationFailed([FieldError("/file", upload.reason or "file_rejected")])
        kind = {k.kind: k for k in self.catalogue.get(upload.form_id, upload.form_version).attachments}[upload.kind]
        chunks = self.files.read(upload.quarantine_key)
        if chunks is None:
            raise Conflict("file_not_uploaded")
        verdict = scanning.inspect(chunks, declared_type=upload.content_type, max_bytes=kind.max_bytes)
        if verdict.clean:
            malware = self.files.malware_verdict(upload.quarantine_key)
            if malware == "pending":
                raise Conflict("scan_in_progress")
            if malware == "infected":
                verdict = scanning.Verdict("file_infected", verdict.size, "")
        # Each step can fail (S3, DynamoDB): the record changes before the quarantined file goes, so a check
        # that stopped half-way finds the file again when retried, and a file left behind expires in a day.
        if not verdict.clean:
            self.uploads.update(replace(upload, state="rejected", reason=verdict.reason), expected_state="pending")
            self.files.remove(upload.quarantine_key)
            raise ValidationFailed([FieldError("/file", str(verdict.reason))])
        retention = self.catalogue.get(upload.form_id, upload.form_version).retention_years
        self.files.promote(upload.quarantine_key, upload.key, retention_years=retention)
        clean = replace(upload, state="clean", size=verdict.size, sha256=verdict.sha256)
        self.uploads.update(clean, expected_state="pending")
        self.files.remove(upload.quarantine_key)
        return clean


def extension(content_type: str) -> str:
    return TYPES.get(content_type, ("bin", ()))[0]
