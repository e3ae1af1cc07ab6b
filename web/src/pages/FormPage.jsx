import { useEffect, useMemo, useState } from "react";
import { api } from "../api.js";
import { go } from "../router.js";
import { toErrorSchema } from "../errors.js";
import { day, dayInYear, dayOf, payOf, when } from "../i18n.js";
import { normalized } from "../forms/normalize.js";
import { notApplying, without } from "../forms/conditional.js";
import { hide, markPrefilled, prefilled, untitled, withoutEmpty } from "../forms/uiSchema.js";
import { payRunFor } from "../payRun.js";
import { markSent } from "../status.js";
import { errorsIn, validatorFor } from "../validator.js";
import { AttachmentFields, attachmentProblems } from "./Attachments.jsx";
import ErrorSummary, { clientErrors, serverErrors } from "./ErrorSummary.jsx";
import EForm from "./EForm.jsx";
import { useWords } from "../words.js";

/** A form rendered from its JSON Schema; the server's field errors are shown at their fields. */
export default function FormPage({ formId, draft }) {
  const { language, t } = useWords();
  const [form, setForm] = useState(null);
  const [data, setData] = useState(draft?.data || {});
  // The draft these answers are kept in (resumed, or saved here): saving again overwrites it, sending deletes it.
  const [saved, setSaved] = useState(draft || null);
  const [savedNote, setSavedNote] = useState(draft ? t.drafts.resumed({ at: when(draft.updatedAt, language) }) : "");
  const [draftTitle, setDraftTitle] = useState(draft?.title || "");
  const [extraErrors, setExtraErrors] = useState(undefined);
  const [problem, setProblem] = useState(null);
  const [summary, setSummary] = useState([]);
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState([]);
  const [receipt, setReceipt] = useState(false);
  useEffect(() => {
    api("GET", `/forms/${encodeURIComponent(formId)}?prefill=true`, { language })
      .then((loaded) => {
        setForm(loaded);
        if (loaded.prefill?.length) setData((current) => prefilled(current, loaded.prefill));
      })
      .catch(() => setForm(false));
  }, [formId, language]);
  const validator = useMemo(() => validatorFor(), []);
  if (form === false) return <p>{t.notFound}</p>;
  if (!form) return <p>{t.loading}</p>;

  const sending = files.some((f) => f.state === "sending");
  const kindProblems = attachmentProblems(problem); // "" holds those no kind can show (an expired upload)

  async function submit({ formData }) {
    setBusy(true);
    setProblem(null);
    setSummary([]);
    setExtraErrors(undefined);
    try {
      const body = { formId, formVersion: form.version, data: formData, emailReceipt: receipt };
      if (saved) body.draftId = saved.draftId;
      const attached = files.filter((f) => f.state === "clean").map((f) => f.uploadId);
      if (form.attachments?.length) body.attachments = attached;
      const created = await api("POST", "/cases", { language, body });
      markSent(created.caseId); // its page opens as the receipt: the number, who decides, which pay
      go(`/cases/${created.caseId}`);
    } catch (error) {
      setProblem(error.problem);
      setSummary(serverErrors(error.problem, form.schema, "/data", form.attachments || []));
      setExtraErrors(toErrorSchema(error.problem));
    } finally {
      setBusy(false);
    }
  }

  /** Keep the answers as they are, valid or not, to finish later (here or on another device). */
  async function saveDraft() {
    setBusy(true);
    setProblem(null);
    setSavedNote(t.drafts.saving);
    try {
      const content = { data, ...(draftTitle.trim() ? { title: draftTitle.trim() } : {}) };
      const kept = saved
        ? await api("PUT", `/drafts/${encodeURIComponent(saved.draftId)}`, { language, body: { version: saved.version, ...content } })
        : await api("POST", "/drafts", { language, body: { formId, formVersion: form.version, ...content } });
      setSaved(kept);
      setSavedNote(t.drafts.saved({ at: when(kept.updatedAt, language), until: dayOf(kept.expiresAt, language) }));
    } catch (error) {
      setSavedNote("");
      setProblem(error.problem);
      setSummary(serverErrors(error.problem, form.schema, "/data", []));
    } finally {
      setBusy(false);
    }
  }

  // Whether a rule's condition holds for the answers so far: the form's own validator decides, as the server's does.
  const holds = (condition, answers) => validator.isValid(condition, answers, form.schema);

  // A form not published in the reader's language reads as written: its texts are marked with that language
  // (WCAG 3.1.2), so a screen reader pronounces Danish labels as Danish in the Swedish client.
  const written = (form.languages || []).includes(language) ? undefined : form.languages?.[0];
  const run = form.expected ? payRunFor(form.expected, data) : null;
  const thisYear = new Date().getFullYear();

  return (
    <section>
      <h1 lang={written}>{form.title}</h1>
      <p lang={written}>{form.description}</p>
      {form.expected && (
        <div className="notice" data-testid="expected">
          <p>
            <strong>{t.expected}:</strong> {t.expectedAnswer} {day(form.expected.dueDate, language)}.
          </p>
          {run && (
            <p data-testid="send-by">
              {t.sendBy({ day: dayInYear(run.sendBy, language, thisYear), pay: payOf(run.payPeriod, language, t, thisYear) })}
            </p>
          )}
          {form.route.some((step) => step.approver !== "payroll") && <p>{t.expectedNote}</p>}
        </div>
      )}
      {saved?.retired && (
        <p className="notice" data-testid="draft-retired">
          {t.drafts.retired}
        </p>
      )}
      <ErrorSummary lines={summary} />
      <div lang={written}>
        <EForm
         
         
          schema={form.schema}
          uiSchema={hide(markPrefilled(untitled(form.uiSchema), form.prefill, t), notApplying(form.schema, data, holds))}
          formData={data}
          onChange={(event) => {
            const answers = normalized(form.schema, withoutEmpty(event.formData));
            setData(without(answers, notApplying(form.schema, answers, holds))); // what no longer applies goes
          }}
          onSubmit={submit}
          onError={(errors) => setSummary(clientErrors(errors, form.schema))}
          validator={validator}
          transformErrors={errorsIn(written || language, form.schema)} // the form's own words, with its labels
          extraErrors={extraErrors}
          showErrorList={false}
          noHtml5Validate
          // An optional object left untouched (e.g. "the employee the case concerns") stays absent, not {}:
          // schemas may forbid it unless asked for, as the support form does.
          experimental_defaultFormStateBehavior={{ emptyObjectFields: "skipEmptyDefaults" }}
        >
          <AttachmentFields
            form={form}
            formId={formId}
            files={files}
            setFiles={setFiles}
            problems={kindProblems}
           
           
          />
          <p className="receipt" lang={written && language}>
            <label className="inline">
              <input type="checkbox" checked={receipt} onChange={(event) => setReceipt(event.target.checked)} />
              {t.emailReceipt}
            </label>
          </p>
          <div className="draft-bar" lang={written && language}>
            <label>
              {t.drafts.name}
              <input value={draftTitle} maxLength={80} onChange={(event) => setDraftTitle(event.target.value)} />
            </label>
            <button type="button" className="secondary" onClick={saveDraft} disabled={busy} data-testid="save-draft">
              {t.drafts.save}
            </button>
            {form.attachments?.length > 0 && <p className="hint">{t.drafts.noFiles}</p>}
            <p role="status" data-testid="draft-status">
              {savedNote}
            </p>
          </div>
          {/* Children replace rjsf's own submit button: it waits while a file is still on its way. */}
          <button type="submit" className="btn btn-info" disabled={busy || sending} lang={written && language}>
            {sending ? t.waitForFiles : t.submit}
          </button>
        </EForm>
      </div>
    </section>
  );
}
