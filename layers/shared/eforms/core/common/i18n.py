"""Swedish-first messages with English translations, and choosing between them.

The service speaks Swedish by default (its users are Swedish municipal employees) and English on
request. Messages are keyed by the same stable codes the API returns, so a client may also translate
them itself. Placeholders use ``str.format`` names taken from the error's params.
"""

from __future__ import annotations

from typing import Any, Literal

Language = Literal["sv", "en"]
DEFAULT_LANGUAGE: Language = "sv"
SUPPORTED: tuple[Language, ...] = ("sv", "en")

MESSAGES: dict[str, dict[Language, str]] = {
    # Request-level errors.
    "bad_request": {"sv": "Felaktig begäran.", "en": "Bad request."},
    "invalid_json": {"sv": "Innehållet är inte giltig JSON.", "en": "The body is not valid JSON."},
    "invalid_encoding": {"sv": "Innehållet är inte giltig UTF-8.", "en": "The body is not valid UTF-8."},
    "empty_body": {"sv": "Innehållet saknas.", "en": "The request body is missing."},
    "too_deeply_nested": {
        "sv": "Innehållet är för djupt nästlat (högst {limit} nivåer).",
        "en": "The body is nested too deeply (at most {limit} levels).",
    },
    "unsupported_media_type": {
        "sv": "Innehållstypen måste vara application/json.",
        "en": "The content type must be application/json.",
    },
    "payload_too_large": {
        "sv": "Innehållet är för stort (högst {limit} byte).",
        "en": "The body is too large (at most {limit} bytes).",
    },
    "unauthorized": {"sv": "Du är inte inloggad.", "en": "You are not signed in."},
    "forbidden": {"sv": "Du har inte behörighet till detta.", "en": "You are not allowed to do this."},
    "not_found": {"sv": "Hittades inte.", "en": "Not found."},
    "route_not_found": {"sv": "Adressen finns inte.", "en": "No such resource."},
    "case_not_found": {"sv": "Ärendet hittades inte.", "en": "The case was not found."},
    "pdf_not_available": {
        "sv": "Det finns ingen signerad PDF för ärendet ännu.",
        "en": "There is no signed PDF for this case yet.",
    },
    "unknown_form": {"sv": "E-tjänsten {formId} finns inte.", "en": "There is no e-form {formId}."},
    "unknown_form_version": {
        "sv": "E-tjänsten {formId} har ingen version {version}.",
        "en": "The e-form {formId} has no version {version}.",
    },
    "form_version_retired": {
        "sv": "Version {version} av e-tjänsten tas inte längre emot. Ladda om sidan och fyll i version {latest}.",
        "en": "Version {version} of this e-form is no longer accepted. Reload the page and fill in version {latest}.",
    },
    "upload_changed": {
        "sv": "Filen kontrollerades samtidigt av en annan begäran. Försök igen.",
        "en": "The file was being checked by another request at the same time. Please try again.",
    },
    "conflict": {"sv": "Ärendet har ändrats av någon annan.", "en": "The case was changed by someone else."},
    "idempotency_key_invalid": {
        "sv": "Idempotency-Key måste vara 8–128 tecken av A–Z, a–z, 0–9, '-', '_', '.' eller ':'.",
        "en": "Idempotency-Key must be 8–128 characters of A–Z, a–z, 0–9, '-', '_', '.' or ':'.",
    },
    "idempotency_key_reused": {
        "sv": "Idempotency-Key har redan använts för en annan begäran.",
        "en": "The Idempotency-Key was already used for a different request.",
    },
    "request_in_progress": {
        "sv": "En likadan begäran behandlas redan. Försök igen om en stund.",
        "en": "An identical request is already being processed. Try again shortly.",
    },
    "invalid_query": {"sv": "Ogiltig parameter {parameter}.", "en": "Invalid parameter {parameter}."},
    "invalid_page_token": {"sv": "Ogiltig sidmarkör.", "en": "Invalid page token."},
    "validation_failed": {"sv": "Formuläret innehåller fel.", "en": "The form has errors."},
    # Field-level errors.
    "required": {"sv": "Fältet är obligatoriskt.", "en": "This field is required."},
    "unknown_field": {"sv": "Fältet finns inte i formuläret.", "en": "This field is not part of the form."},
    "not_allowed": {"sv": "Fältet får inte fyllas i här.", "en": "This field must not be filled in here."},
    "wrong_type": {
        "sv": "Fel typ av värde (förväntat {expected}).",
        "en": "Wrong type of value (expected {expected}).",
    },
    "invalid_choice": {"sv": "Välj ett av de tillåtna alternativen.", "en": "Choose one of the allowed options."},
    "no_match": {"sv": "Värdet passar inte formuläret.", "en": "The value does not fit the form."},
    # Repeatable rows (x-rows): times, a row's length, overlaps.
    "time_order": {
        "sv": "Sluttiden måste vara efter starttiden.",
        "en": "The end time must be after the start time.",
    },
    "row_hours": {
        "sv": "En rad ska vara mellan {min} och {max} timmar.",
        "en": "A row must be between {min} and {max} hours.",
    },
    "rows_overlap": {"sv": "Tiden överlappar rad {row}.", "en": "The time overlaps row {row}."},
    "totals_mismatch": {
        "sv": "Summorna stämmer inte med raderna. Rätt summor: {computed}.",
        "en": "The totals do not match the rows. The right totals: {computed}.",
    },
    # A rule a form states in its own words (x-ruleMessage): its texts come as the error's parameters.
    "form_rule": {"sv": "{sv}", "en": "{en}"},
    "too_short": {"sv": "För kort (minst {limit} tecken).", "en": "Too short (at least {limit} characters)."},
    "too_long": {"sv": "För långt (högst {limit} tecken).", "en": "Too long (at most {limit} characters)."},
    "below_minimum": {"sv": "Värdet måste vara minst {limit}.", "en": "The value must be at least {limit}."},
    "above_maximum": {"sv": "Värdet får vara högst {limit}.", "en": "The value must be at most {limit}."},
    "not_multiple_of": {
        "sv": "Värdet måste vara en multipel av {limit}.",
        "en": "The value must be a multiple of {limit}.",
    },
    "pattern_mismatch": {"sv": "Värdet har fel format.", "en": "The value has the wrong format."},
    "invalid_date": {"sv": "Ange ett datum som ÅÅÅÅ-MM-DD.", "en": "Enter a date as YYYY-MM-DD."},
    "invalid_email": {"sv": "Ange en giltig e-postadress.", "en": "Enter a valid email address."},
    "invalid_personnummer": {
        "sv": "Ange ett giltigt personnummer eller samordningsnummer (ÅÅÅÅMMDD-NNNN).",
        "en": "Enter a valid personal identity or coordination number (YYYYMMDD-NNNN).",
    },
    "invalid_format": {"sv": "Värdet har fel format.", "en": "The value has the wrong format."},
    "date_order": {
        "sv": "Slutdatumet får inte vara före startdatumet.",
        "en": "The end date must not be before the start date.",
    },
    "too_few_working_days": {
        "sv": "Perioden har för få arbetsdagar.",
        "en": "The period has too few working days.",
    },
    "date_in_past": {"sv": "Datumet får inte ha passerat.", "en": "The date must not be in the past."},
    "too_few_items": {"sv": "Välj minst {limit}.", "en": "Choose at least {limit}."},
    "too_many_items": {"sv": "Välj högst {limit}.", "en": "Choose at most {limit}."},
    "duplicate_items": {"sv": "Samma val förekommer flera gånger.", "en": "The same option appears more than once."},
    "control_characters": {
        "sv": "Texten innehåller otillåtna styrtecken.",
        "en": "The text contains control characters that are not allowed.",
    },
    "invalid_text": {"sv": "Texten innehåller ogiltiga tecken.", "en": "The text contains invalid characters."},
    "unknown_employee": {
        "sv": "Det finns ingen medarbetare med det anställningsnumret.",
        "en": "There is no employee with that employee number.",
    },
    "not_your_employee": {
        "sv": "Du kan bara skapa ärenden för dina egna medarbetare.",
        "en": "You can only file cases for your own employees.",
    },
    "on_behalf_not_permitted": {
        "sv": "Endast chefer och administratörer kan skapa ärenden för en annan medarbetare.",
        "en": "Only managers and administrators can file cases for another employee.",
    },
    "on_behalf_self": {
        "sv": "Ärendet gäller dig själv; välj inte annan medarbetare.",
        "en": "The case concerns yourself; do not choose another employee.",
    },
    "message_required": {"sv": "Skriv ett meddelande till medarbetaren.", "en": "Write a message to the employee."},
    "fields_required": {"sv": "Välj minst ett fält som ska rättas.", "en": "Choose at least one field to correct."},
    "field_not_correctable": {
        "sv": "Det här fältet kan inte öppnas för rättelse.",
        "en": "This field cannot be opened for correction.",
    },
    "field_locked": {
        "sv": "Fältet är låst: bara fälten som chefen öppnat får ändras.",
        "en": "This field is locked: only the fields your manager opened may change.",
    },
    "case_not_awaiting_decision": {
        "sv": "Ärendet väntar inte längre på beslut.",
        "en": "The case is no longer waiting for a decision.",
    },
    "case_not_returned": {
        "sv": "Ärendet är inte återskickat för rättelse.",
        "en": "The case is not returned for correction.",
    },
    "action_not_allowed": {
        "sv": "Det går inte att göra med ärendet i dess nuvarande läge ({status}).",
        "en": "That cannot be done with the case in its current state ({status}).",
    },
    "four_eyes_same_officer": {
        "sv": "Du registrerade ärendet själv. En annan handläggare måste kontrollera registreringen.",
        "en": "You registered this case yourself. Another officer must check the registration.",
    },
    "not_a_payroll_officer": {
        "sv": "Ärenden kan bara tilldelas handläggare på Lönecentrum.",
        "en": "Cases can only be assigned to payroll officers.",
    },
    "outcome_not_for_form": {
        "sv": "Det avslutet passar inte den här e-tjänsten.",
        "en": "That outcome does not fit this e-service.",
    },
    "certificate_missing": {
        "sv": "Intyget ska levereras digitalt: ladda upp det utfärdade intyget först.",
        "en": "The certificate is to be delivered digitally: upload the issued certificate first.",
    },
    "certificate_not_available": {"sv": "Det finns inget intyg i ärendet.", "en": "The case has no certificate."},
    "not_a_pdf": {
        "sv": "Filen är inte en PDF (det avgörs av innehållet, inte av namnet).",
        "en": "The file is not a PDF (judged by its content, not its name).",
    },
    "thread_full": {
        "sv": "Ärendet har redan {limit} meddelanden. Kontakta Lönecentrum på annat sätt.",
        "en": "The case already has {limit} messages. Please contact payroll another way.",
    },
    "service_unavailable": {
        "sv": "Tjänsten är tillfälligt överbelastad. Inget har ändrats; försök igen om en stund.",
        "en": "The service is busy just now. Nothing was changed; please try again in a moment.",
    },
    "case_changed": {
        "sv": "Ärendet har ändrats sedan du öppnade det. Ladda om och försök igen.",
        "en": "The case has changed since you opened it. Reload and try again.",
    },
    "not_the_approver": {
        "sv": "Du är inte den som ska besluta i ärendet.",
        "en": "You are not the one asked to decide this case.",
    },
    "not_the_applicant": {
        "sv": "Bara den som skickade in ärendet kan rätta det.",
        "en": "Only the person who filed the case can correct it.",
    },
    "approver_unavailable": {
        "sv": "Vi hittar ingen som kan besluta om ditt ärende. Kontakta Lönecentrum.",
        "en": "We cannot find anyone who can decide on your case. Please contact payroll.",
    },
    # Who may file a form (x-eform.access).
    "form_needs_work_account": {
        "sv": "Den här e-tjänsten kräver att du loggar in med ditt arbetskonto, inte med BankID.",
        "en": "This e-service needs you to sign in with your work account, not with BankID.",
    },
    "form_needs_bankid": {
        "sv": "Den här e-tjänsten kräver inloggning med BankID.",
        "en": "This e-service needs you to sign in with BankID.",
    },
    "not_in_directory": {
        "sv": "Ditt konto finns inte i personalregistret. Logga in med BankID eller kontakta Lönecentrum.",
        "en": "Your account is not in the staff directory. Sign in with BankID or contact payroll.",
    },
    # Attachments (bilagor): the upload, its check, and the submission that uses it.
    "unsafe_file_name": {
        "sv": "Filnamnet får inte innehålla snedstreck, sökvägar eller styrtecken.",
        "en": "The file name must not contain slashes, paths or control characters.",
    },
    "file_type_not_allowed": {
        "sv": "Den filtypen tas inte emot här.",
        "en": "That type of file is not accepted here.",
    },
    "file_empty": {"sv": "Filen är tom.", "en": "The file is empty."},
    "file_too_large": {
        "sv": "Filen är större än vad som tas emot här.",
        "en": "The file is larger than is accepted here.",
    },
    "file_type_mismatch": {
        "sv": "Filens innehåll stämmer inte med filtypen (det avgörs av innehållet, inte av namnet).",
        "en": "The file's content does not match its type (judged by its content, not its name).",
    },
    "file_infected": {
        "sv": "Filen stoppades av viruskontrollen och har tagits bort.",
        "en": "The file was stopped by the malware check and has been deleted.",
    },
    "file_rejected": {"sv": "Filen togs inte emot.", "en": "The file was not accepted."},
    "file_not_uploaded": {
        "sv": "Filen har inte kommit fram än. Ladda upp den och försök igen.",
        "en": "The file has not arrived yet. Upload it and try again.",
    },
    "scan_in_progress": {
        "sv": "Filen kontrolleras fortfarande. Försök igen om en stund.",
        "en": "The file is still being checked. Please try again in a moment.",
    },
    "upload_not_found": {
        "sv": "Den uppladdade filen finns inte (eller har gått ut). Ladda upp den igen.",
        "en": "The uploaded file does not exist (or has expired). Please upload it again.",
    },
    "upload_not_checked": {
        "sv": "Filen är inte kontrollerad än.",
        "en": "The file has not been checked yet.",
    },
    "attachment_required": {
        "sv": "Här behöver du bifoga en fil.",
        "en": "A file is required here.",
    },
    "too_many_files": {
        "sv": "Högst {limit} filer av det här slaget.",
        "en": "At most {limit} files of this kind.",
    },
    "attachment_not_found": {"sv": "Bilagan finns inte.", "en": "The attachment does not exist."},
}


def negotiate(accept_language: str | None) -> Language:
    """Pick ``sv`` or ``en`` from an Accept-Language header, honouring q-values; Swedish when unsure."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    best: tuple[float, Language] | None = None
    for position, part in enumerate(accept_language.split(",")[:20]):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower().split("-")[0]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag == "*":
            tag = DEFAULT_LANGUAGE
        if tag in SUPPORTED and quality > 0:
            # Earlier entries win ties, as the header's order expresses preference too.
            score = quality - position * 1e-6
            if best is None or score > best[0]:
                best = (score, tag)
    return best[1] if best else DEFAULT_LANGUAGE


def message(code: str, language: Language, params: dict[str, Any] | None = None) -> str:
    """The human message for ``code``; an unknown code falls back to the generic one, never raises."""
    texts = MESSAGES.get(code) or MESSAGES["bad_request"]
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    try:
        return template.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return template
