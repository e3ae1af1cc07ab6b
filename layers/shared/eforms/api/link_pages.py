"""The pages people reach from an emailed link without signing in (the decision page, the rating page):
plain server-rendered HTML, one look, no JavaScript.

Security: the token in the URL is the capability, so a page sends no referrer, cannot be framed, loads nothing
from elsewhere and is never cached. Accessibility: one ``h1``, visible focus, colours well above WCAG AA
contrast, the other languages one link away.
"""

from __future__ import annotations

import html

from eforms.api.resolver import Response
from eforms.core.common.i18n import SUPPORTED, Language, text

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}
_STYLE = """
body{font-family:Arial,Helvetica,sans-serif;color:#1a1a1a;background:#fff;margin:0;line-height:1.5}
header{background:#1b4f8a;color:#fff;padding:.75rem 1rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}header nav a{margin-left:.75rem}
main{max-width:46rem;margin:0 auto;padding:1rem}
footer{max-width:46rem;margin:1rem auto;padding:1rem;border-top:1px solid #767676}
dl{display:grid;grid-template-columns:minmax(10rem,1fr) 2fr;gap:.25rem 1rem;border-top:1px solid #767676;padding-top:.5rem}
dt{font-weight:bold}dd{margin:0}
section{border:1px solid #767676;border-radius:4px;padding:1rem;margin:1rem 0}
label,legend{display:block;font-weight:bold;margin:.5rem 0 .25rem}
textarea{width:100%;min-height:5rem;font:inherit;box-sizing:border-box}
fieldset{border:0;padding:0;margin:0}
fieldset label{display:inline;font-weight:normal;margin-left:.25rem}
button{background:#1b4f8a;color:#fff;border:0;border-radius:4px;padding:.6rem 1.2rem;font:inherit;cursor:pointer;margin-top:.5rem}
button.danger{background:#a4262c}
:focus{outline:3px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 6px #1a1a1a}
.alert{border-left:6px solid #a4262c;background:#fdf2f2;padding:.75rem 1rem}
.notice{border-left:6px solid #1b4f8a;background:#eef4fb;padding:.75rem 1rem}
.error{color:#a4262c;font-weight:bold}
table{border-collapse:collapse;margin:1rem 0}caption{font-weight:bold;text-align:left;padding-bottom:.25rem}
th,td{text-align:left;padding:.25rem .75rem .25rem 0;vertical-align:top}
"""


def t(key: str, lang: Language) -> str:
    """The page's words live with every other server text (``core/common/i18n``), under ``page``."""
    return text(f"page.{key}", lang)


def page(lang: Language, title: str, body: str, status: int, switch_query: str = "") -> Response[str]:
    """A whole page reached from an emailed link (the decision page, the rating page): the service's header with
    the other languages, one ``h1``, the accessibility statement; never cached, framed or referred."""
    switches = " ".join(
        f'<a href="?lang={other}{switch_query}" lang="{other}" hreflang="{other}">{t("language_name", other)}</a>'
        for other in SUPPORTED
        if other != lang
    )
    document = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>"
        f"<header><span>{html.escape(t('service', lang))}</span><nav>{switches}</nav></header>"
        f'<main id="main"><h1>{html.escape(title)}</h1>{body}</main>'
        # The accessibility statement is the web client's page on the same origin (CloudFront serves both).
        f'<footer><a href="/app/#/accessibility">{html.escape(t("accessibility_statement", lang))}</a></footer>'
        "</body></html>"
    )
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=document, headers=dict(HEADERS))


def notice(words: str) -> str:
    """One line the page says (a result, a refusal), announced to screen readers."""
    return f'<p class="notice" role="status">{html.escape(words)}</p>'


def notice_page(lang: Language, keys: str, kind: str, status: int) -> Response[str]:
    """A page that only says one thing: its title ``<keys>.title_<kind>``, its line ``<keys>.<kind>``."""
    return page(lang, text(f"{keys}.title_{kind}", lang), notice(text(f"{keys}.{kind}", lang)), status)
