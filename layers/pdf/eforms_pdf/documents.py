"""Producing a case's PDF: fingerprint, render, seal (docs/records.md §1), store in S3, record on the case.

Idempotent: a case whose stored PDF already has the current fingerprint is left alone, so a retried
workflow step never writes twice. Recording the PDF does not bump the case version (it is bookkeeping,
like the workflow token); a write that loses a race re-reads and tries again. Its ``case.pdf_created``
event comes from the outbox relay, which sees ``pdfKey`` appear on the case (docs/resilience.md).
"""

from __future__ import annotations

import dataclasses

from eforms.aws.documents import DocumentStore, document_key
from eforms.core.cases.model import CaseNotFound
from eforms.core.common.errors import Conflict
from eforms.core.documents.fingerprint import fingerprint
from eforms.settings import settings
from eforms.wiring import case_store, catalogue, now
from eforms_pdf.render import render
from eforms_pdf.sealing import sealed


def produce(case_id: str) -> dict[str, object]:
    store = case_store()
    for _ in range(3):
        case = store.get(case_id)
        if case is None:
            raise CaseNotFound(case_id)
        digest = fingerprint(case)
        key = document_key(case.case_id, digest)
        if case.pdf_key == key:
            return {"caseId": case_id, "fingerprint": digest, "created": False}  # a retried step
        form = catalogue().get(case.form_id, case.form_version)
        # Sealed with the history's head as it stands, and checked, before anything is stored: a seal that
        # does not verify publishes nothing (SealNotVerified; the workflow retries and makes it later).
        pdf = sealed(render(case, form, fingerprint=digest, generated_at=now()), head=case.chain_head)
        DocumentStore(settings().documents_bucket).put_pdf(key, pdf, retention_years=form.retention_years)
        signed = dataclasses.replace(case, fingerprint=digest, pdf_key=key)
        try:
            store.save(
                signed,
                expected_version=case.version,
                expected_token=case.task_token,
                new_history=[],
            )
        except Conflict:
            continue
        return {"caseId": case_id, "fingerprint": digest, "created": True, "bytes": len(pdf)}
    raise Conflict()
