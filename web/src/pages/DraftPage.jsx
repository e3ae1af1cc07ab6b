import { useEffect, useState } from "react";
import { api } from "../api.js";
import FormPage from "./FormPage.jsx";
import { useWords } from "../words.js";

/** A saved draft, resumed: its form with the answers so far (on the newest version if the form changed). */
export default function DraftPage({ draftId, ...props }) {
  const { language, t } = useWords();
  const [draft, setDraft] = useState(null);
  useEffect(() => {
    api("GET", `/drafts/${encodeURIComponent(draftId)}`, { language })
      .then(setDraft)
      .catch(() => setDraft(false));
  }, [draftId]); // eslint-disable-line react-hooks/exhaustive-deps
  if (draft === false) return <p>{t.notFound}</p>;
  if (!draft) return <p>{t.loading}</p>;
  return <FormPage {...props} formId={draft.formId} draft={draft} />;
}
