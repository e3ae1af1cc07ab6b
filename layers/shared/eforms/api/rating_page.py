"""The rating page behind a finished case's emailed link (docs/statistics.md §1): server-rendered HTML like
the decision page (same header, styles and headers), no JavaScript.

Accessibility: the score is a ``fieldset`` of five labelled radio buttons with a ``legend``; errors are
summarised at the top (``role="alert"``, focused on load) and marked on their fields. What the person typed is
shown back as text, never as markup.
"""

from __future__ import annotations

import html

from eforms.api.link_pages import notice_page, page
from eforms.api.resolver import Response
from eforms.core.cases.model import Case
from eforms.core.common.errors import FieldError
from eforms.core.common.i18n import Language, message, text
from eforms.core.common.input_safety import shown_back
from eforms.core.forms.catalogue import FormDefinition
from eforms.core.statistics.satisfaction import MAX_COMMENT


def _t(key: str, lang: Language, **params: object) -> str:
    return text(f"page.rating.{key}", lang, **params)


def rating_form(
    case: Case,
    form: FormDefinition,
    lang: Language,
    *,
    errors: list[FieldError] | None = None,
    attempted: dict[str, str] | None = None,
    status: int = 200,
) -> Response[str]:
    """The question, the five scores and a comment; ``attempted`` puts back what a refused post held."""
    errors, attempted = errors or [], attempted or {}
    wrong = {e.pointer.strip("/"): message(e.code, lang, e.params) for e in errors}
    parts: list[str] = []
    if errors:
        items = "".join(f'<li><a href="#{name}">{html.escape(line)}</a></li>' for name, line in wrong.items())
        parts.append(
            '<div class="alert" role="alert" tabindex="-1" autofocus aria-labelledby="errors-h">'
            f'<h2 id="errors-h">{html.escape(_t("errors_title", lang))}</h2><ul>{items}</ul></div>'
        )
    parts.append(f"<p>{html.escape(_t('lead', lang, title=form.title(lang), case_id=case.reference))}</p>")
    chosen = attempted.get("score", "")
    radios = "".join(
        f'<input type="radio" id="{"score" if n == 1 else f"score-{n}"}" name="score" value="{n}"'
        f"{' checked' if chosen == str(n) else ''}{' required' if n == 1 else ''}>"
        f'<label for="{"score" if n == 1 else f"score-{n}"}">{html.escape(_t(f"score_{n}", lang))}</label><br>'
        for n in range(1, 6)
    )
    score_error = f'<p class="error" id="score-error">{html.escape(wrong["score"])}</p>' if "score" in wrong else ""
    comment_error = (
        f'<p class="error" id="comment-error">{html.escape(wrong["comment"])}</p>' if "comment" in wrong else ""
    )
    invalid = ' aria-invalid="true" aria-describedby="comment-error"' if comment_error else ""
    parts.append(
        f'<form method="post"><input type="hidden" name="lang" value="{lang}">'
        f"<fieldset><legend>{html.escape(_t('question', lang))}</legend>{score_error}{radios}</fieldset>"
        f'<label for="comment">{html.escape(_t("comment", lang))}</label>{comment_error}'
        f'<textarea id="comment" name="comment" maxlength="{MAX_COMMENT}"{invalid}>'
        f"{html.escape(shown_back(attempted.get('comment', '')))}</textarea>"
        f"<p>{html.escape(_t('anonymous', lang))}</p>"
        f'<button type="submit">{html.escape(_t("send", lang))}</button></form>'
    )
    return page(lang, _t("title", lang), "".join(parts), status)


def thanks_page(lang: Language) -> Response[str]:
    return notice_page(lang, "page.rating", "thanks", 200)


def rating_problem(kind: str, lang: Language, status: int) -> Response[str]:
    """Why the link rates nothing: not a link we sent (404), rated already (410), not finished (409)."""
    return notice_page(lang, "page.rating", kind, status)
