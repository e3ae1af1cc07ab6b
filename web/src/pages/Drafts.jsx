import { useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import { dayOf, when } from "../i18n.js";
import { useWords } from "../words.js";

/** My drafts, the most recently saved first: each resumes where it was left (on any device), or is deleted.
 * A list of cards, not a table: it fits a phone. Nothing shows while there are none. */
export default function Drafts() {
  const { language, t } = useWords();
  const [items, setItems] = useState(null);
  const [notice, setNotice] = useState("");
  const load = useCallback(() => {
    api("GET", "/drafts", { language })
      .then((reply) => setItems(reply.items))
      .catch(() => setItems([]));
  }, [language]);
  useEffect(load, [load]);
  if (!items || (items.length === 0 && !notice)) return null;

  async function discard(draftId) {
    await api("DELETE", `/drafts/${encodeURIComponent(draftId)}`, { language });
    setNotice(t.drafts.discarded);
    load();
  }

  return (
    <section className="drafts" aria-labelledby="drafts-heading" data-testid="drafts">
      <h2 id="drafts-heading">{t.drafts.title}</h2>
      <p role="status">{notice}</p>
      {items.length === 0 && <p>{t.drafts.none}</p>}
      <ul className="cards">
        {items.map((draft) => (
          <li key={draft.draftId} className="card">
            <a href={`#/drafts/${draft.draftId}`}>
              {draft.formTitle}
              {draft.title ? ` – ${draft.title}` : ""}
            </a>
            <p>
              {t.drafts.savedAt} {when(draft.updatedAt, language)} · {t.drafts.keptUntil} {dayOf(draft.expiresAt, language)}
            </p>
            <p className="actions">
              <a className="button" href={`#/drafts/${draft.draftId}`}>
                {t.drafts.resume}
              </a>
              <button
                type="button"
                className="secondary"
                onClick={() => discard(draft.draftId)}
                aria-label={`${t.drafts.discard}: ${draft.formTitle}${draft.title ? ` – ${draft.title}` : ""}`}
              >
                {t.drafts.discard}
              </button>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
