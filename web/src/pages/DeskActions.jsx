import { useCallback, useEffect, useState } from "react";
import { fieldOf, readOnlyExcept, withoutEmpty } from "../forms/uiSchema.js";
import ErrorSummary, { clientErrors, serverErrors } from "./ErrorSummary.jsx";
import { errorsIn } from "../validator.js";
import { api, ApiError } from "../api.js";
import { generalErrors, toErrorSchema } from "../errors.js";
import { when } from "../i18n.js";
import EForm from "./EForm.jsx";
import DownloadButton from "../components/DownloadButton.jsx";
import EmployeePicker from "./EmployeePicker.jsx";


/** Shows a refusal from the API where the person acted (the server's words, in their language). */
function Problem({ problem }) {
  if (!problem) return null;
  return (
    <div role="alert" className="problem">
      {generalErrors(problem, "/nothing").map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

function useAction(onDone) {
  const [problem, setProblem] = useState(null);
  const run = async (call) => {
    setProblem(null);
    try {
      await call();
      onDone();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: String(error) });
    }
  };
  return [problem, run];
}

/** The one conversation between payroll and the sender; text is shown as text, never as HTML. One can write
 * while the server lists ``message`` for the reader; a finished case keeps its thread to read. A completion
 * request is a message of it too: payroll ticks "ask for completion" (and the fields to reopen) before
 * sending, and the case then waits for the sender. */
export function Thread({ found, form, language, t, onDone }) {
  const caseId = found.caseId;
  const open = (found.actions || []).includes("message");
  const asking = (found.actions || []).includes("request_completion");
  const [thread, setThread] = useState(null);
  const [text, setText] = useState("");
  const [completion, setCompletion] = useState(false);
  const [fields, setFields] = useState([]);
  const [problem, run] = useAction(onDone);
  const load = useCallback(async () => {
    setThread(await api("GET", `/cases/${caseId}/messages`, { language }));
    await api("POST", `/cases/${caseId}/messages/read`, { language, body: {} });
  }, [caseId, language]);
  useEffect(() => {
    load();
  }, [load]);
  if (!thread) return null;
  return (
    <section className="thread" aria-labelledby="thread-title">
      <h2 id="thread-title">{t.messages}</h2>
      {thread.items.length === 0 && <p>{t.noMessages}</p>}
      <ol className="messages">
        {thread.items.map((m) => (
          <li key={`${m.at}-${m.author.id}`} className={`message from-${m.side}`} data-testid="message">
            <p className="meta">
              <strong>{m.author.name}</strong> · {when(m.at, language)} {m.unread && <em>({t.unread})</em>}
              {m.kind !== "message" && <span className="badge">{t.messageKinds[m.kind]}</span>}
            </p>
            <p className="text">{m.text}</p>
          </li>
        ))}
      </ol>
      {open && (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run(async () => {
            if (completion) {
              const body = { version: found.version, message: text, fields };
              await api("POST", `/cases/${caseId}/completion-request`, { language, body });
            } else {
              await api("POST", `/cases/${caseId}/messages`, { language, body: { text } });
            }
            setText("");
            setCompletion(false);
            setFields([]);
            await load();
          });
        }}
      >
        <label>
          {t.writeMessage}
          <textarea value={text} maxLength={4000} onChange={(e) => setText(e.target.value)} />
        </label>
        {asking && (
          <label className="inline">
            <input type="checkbox" checked={completion} onChange={(e) => setCompletion(e.target.checked)} data-testid="ask-completion" />
            {t.askForCompletion}
          </label>
        )}
        {completion && form.correctableFields.length > 0 && (
          <fieldset>
            <legend>{t.fieldsToOpen}</legend>
            {form.correctableFields.map((pointer) => (
              <label key={pointer} className="inline">
                <input
                  type="checkbox"
                  checked={fields.includes(pointer)}
                  onChange={(e) => setFields(e.target.checked ? [...fields, pointer] : fields.filter((f) => f !== pointer))}
                />
                {form.schema.properties?.[fieldOf(pointer)]?.title || pointer}
              </label>
            ))}
          </fieldset>
        )}
        <Problem problem={problem} />
        <button type="submit">{completion ? t.requestCompletion : t.send}</button>
      </form>
      )}
    </section>
  );
}

/** The payroll desk's actions the server says are open now (``found.actions``), in the order of the work:
 * take or give the case → ask the sender → register → check (never one's own registration) → finish. No rule
 * is written out here: an action the server does not list is not shown. */
export const DESK_ACTIONS = [
  "appoint_approver",
  "claim",
  "assign",
  "register",
  "approve_registration",
  "return_registration",
  "upload_certificate",
  "send_certificate",
  "resolve",
  "dismiss",
];
const OUTCOME_OF = { resolve: "resolved", dismiss: "dismissed" };

/** Where a refusal is shown: each problem at the action that got it, each field's at the field — and gone
 * with the next action that succeeds (a stale "Fältet är obligatoriskt." naming nothing helped nobody). */
function useProblems(onDone) {
  const [problems, setProblems] = useState({});
  const run = async (action, call) => {
    setProblems({});
    try {
      await call();
      onDone();
    } catch (error) {
      setProblems({ [action]: error instanceof ApiError ? error.problem : { title: String(error) } });
    }
  };
  return [problems, run];
}

/** The message for one field (a body pointer such as ``/reference``), from a 422 problem. */
function FieldError({ problem, pointer, id }) {
  const messages = (problem?.errors || []).filter((e) => e.pointer === pointer).map((e) => e.message);
  if (!messages.length) return null;
  return (
    <span className="field-error" id={id} data-testid="field-error">
      {messages.join(" ")}
    </span>
  );
}

/** A labelled field with the server's refusal of it underneath, tied to it for screen readers. */
function Field({ label, problem, pointer, id, children }) {
  return (
    <label>
      {label}
      {children(id)}
      <FieldError problem={problem} pointer={pointer} id={id} />
    </label>
  );
}

/** What a problem says that no field of its action shows (``fields``: the pointers that are shown there). */
function ActionProblem({ problem, fields = [] }) {
  if (!problem) return null;
  const messages = generalErrors(problem, ...fields.map((f) => f));
  const placedOnly = (problem.errors || []).length > 0 && (problem.errors || []).every((e) => fields.includes(e.pointer));
  if (placedOnly) return null;
  return (
    <div role="alert" className="problem">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

export function DeskPanel({ found, me, language, t, onDone }) {
  const [problems, runAction] = useProblems(onDone);
  const [officers, setOfficers] = useState([]);
  const [assignee, setAssignee] = useState("");
  const [closing, setClosing] = useState("");
  const [reference, setReference] = useState("");
  const [payPeriod, setPayPeriod] = useState(found.payroll?.payPeriod || "");
  const [note, setNote] = useState("");
  const [outcome, setOutcome] = useState("");
  const can = (action) => found.actions.includes(action);
  useEffect(() => {
    if (found.actions.includes("assign")) {
      api("GET", "/desk/officers", { language }).then((reply) => setOfficers(reply.items));
    }
  }, [found.actions, language]);
  const post = (action, body) =>
    runAction(action, () =>
      api("POST", `/cases/${found.caseId}/${action}`, { language, body: { version: found.version, ...body } }),
    );
  const run = (call) => runAction("certificate", call);
  const registration = found.payroll?.registration;
  // A certificate is sent from its preview (naming whom it goes to), never from the closing list.
  const outcomes = ["resolve", "dismiss"].filter(can);
  const pending = found.payroll?.certificate && !found.payroll.certificate.deliveredAt;
  return (
    <section className="desk-panel" aria-labelledby="desk-title">
      <h2 id="desk-title">{t.desk}</h2>
      {can("appoint_approver") && (
        <Appoint language={language} t={t} post={post} problem={problems.approver} />
      )}
      {(can("claim") || can("assign")) && (
        <div className="actions-row">
          {can("claim") && (
            <button type="button" onClick={() => post("claim", {})}>
              {t.claim}
            </button>
          )}
          {can("assign") && (
            <>
              <label>
                {t.assignTo}
                <select value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                  <option value="">—</option>
                  {officers.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" disabled={!assignee} onClick={() => post("claim", { assigneeId: assignee })}>
                {t.assign}
              </button>
            </>
          )}
          <ActionProblem problem={problems.claim} />
        </div>
      )}
      {can("register") && (
        <fieldset>
          <legend>{t.register}</legend>
          <Field label={t.reference} problem={problems.registration} pointer="/reference" id="reference-error">
            {(error) => (
              <input value={reference} maxLength={64} aria-describedby={error} onChange={(e) => setReference(e.target.value)} />
            )}
          </Field>
          <Field label={t.payPeriod} problem={problems.registration} pointer="/payPeriod" id="pay-period-error">
            {(error) => (
              <input
                value={payPeriod}
                pattern="\d{4}-\d{2}"
                aria-describedby={error}
                onChange={(e) => setPayPeriod(e.target.value)}
              />
            )}
          </Field>
          <Field label={t.note} problem={problems.registration} pointer="/note" id="note-error">
            {(error) => (
              <textarea value={note} maxLength={2000} aria-describedby={error} onChange={(e) => setNote(e.target.value)} />
            )}
          </Field>
          <ActionProblem problem={problems.registration} fields={["/reference", "/payPeriod", "/note"]} />
          <button type="button" onClick={() => post("registration", { reference, payPeriod, note })}>
            {t.register}
          </button>
        </fieldset>
      )}
      {registration && (can("approve_registration") || can("return_registration") || registration.by.id === me) && (
        <fieldset>
          <legend>{t.check}</legend>
          <p>
            {t.registeredBy}: {registration.by.name} · {t.reference}: {registration.reference} · {t.payPeriod}:{" "}
            {registration.payPeriod}
          </p>
          {can("approve_registration") ? (
            <>
              <label>
                {t.note}
                <textarea value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
              </label>
              <button type="button" onClick={() => post("registration/check", { outcome: "approve", note })}>
                {t.checkApprove}
              </button>{" "}
              {can("return_registration") && (
                <button type="button" className="secondary" onClick={() => post("registration/check", { outcome: "return", note })}>
                  {t.checkReturn}
                </button>
              )}
              <FieldError problem={problems["registration/check"]} pointer="/note" id="check-note-error" />
              <ActionProblem problem={problems["registration/check"]} fields={["/note"]} />
            </>
          ) : (
            <p className="notice">{t.youRegistered}</p>
          )}
        </fieldset>
      )}
      {can("upload_certificate") && (
        <fieldset>
          <legend>{t.uploadCertificate}</legend>
          {pending && can("send_certificate") && (
            <CertificatePreview found={found} language={language} t={t} onSend={() => post("closure", { outcome: "delivered" })} />
          )}
          {!found.payroll?.certificate && can("send_certificate") && (
            // On paper (the form needs no upload for this case): the officer marks it sent by post.
            <button type="button" className="secondary" onClick={() => post("closure", { outcome: "delivered" })}>
              {t.markSentByPost}
            </button>
          )}
          <ActionProblem problem={problems.certificate || problems.closure} />
          <label>
            {pending ? t.uploadAnother : t.uploadCertificate}
            <input
              type="file"
              accept="application/pdf"
              data-testid="certificate-file"
              onChange={(e) => {
                const file = e.target.files[0];
                if (!file) return;
                run(() => upload(found, file, language));
              }}
            />
          </label>
        </fieldset>
      )}
      {outcomes.length > 0 && (
        <fieldset>
          <legend>{t.close}</legend>
          <label>
            {t.outcome}
            <select value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="close-outcome">
              <option value="">{t.chooseOutcome}</option>
              {outcomes.map((o) => (
                <option key={o} value={OUTCOME_OF[o]}>
                  {t.outcomes[OUTCOME_OF[o]]}
                </option>
              ))}
            </select>
          </label>
          <Field label={t.message} problem={problems.closure} pointer="/message" id="closing-error">
            {(error) => (
              <textarea value={closing} maxLength={4000} aria-describedby={error} onChange={(e) => setClosing(e.target.value)} />
            )}
          </Field>
          <ActionProblem problem={problems.closure} fields={["/message"]} />
          <button type="button" disabled={!outcome} onClick={() => post("closure", { outcome, message: closing })}>
            {t.close}
          </button>
        </fieldset>
      )}
    </section>
  );
}

/** Nobody in the route's place may decide a step: payroll names the employee who will (they are then asked
 * by email like a manager). The server refuses the filer, whom it concerns and earlier deciders. */
function Appoint({ language, t, post, problem }) {
  const [employeeId, setEmployeeId] = useState("");
  return (
    <fieldset data-testid="appoint-approver">
      <legend>{t.appointApprover}</legend>
      <p className="notice">{t.appointWhy}</p>
      <EmployeePicker language={language} t={t} value={employeeId} onChange={setEmployeeId} label={t.appointWho} />
      <FieldError problem={problem} pointer="/employeeId" id="appoint-error" />
      <ActionProblem problem={problem} fields={["/employeeId"]} />
      <button type="button" disabled={!employeeId} onClick={() => post("approver", { employeeId })}>
        {t.appoint}
      </button>
    </fieldset>
  );
}

/** The uploaded certificate before it is sent: the officer opens it and sees, by name, whom it goes to — an
 * upload of the wrong file (someone else's) is caught here, before anyone else sees it. */
function CertificatePreview({ found, language, t, onSend }) {
  const certificate = found.payroll.certificate;
  const names = certificate.recipients.map((p) => p.name).join(", ");
  return (
    <div className="notice" data-testid="certificate-preview">
      <p>
        {t.certificateUploaded} ({Math.ceil(certificate.size / 1024)} kB, {when(certificate.at, language)}).{" "}
        {t.checkBeforeSending}
      </p>
      <DownloadButton path={`/cases/${found.caseId}/certificate`} label={t.openCertificate} language={language} />
      <p>
        <strong>{t.certificateGoesTo}:</strong> <span data-testid="certificate-recipients">{names}</span>
      </p>
      <button type="button" onClick={onSend}>
        {t.sendCertificateTo(names)}
      </button>
    </div>
  );
}

async function upload(found, file, language) {
  const response = await fetch(
    `${(window.EFORMS || {}).apiBase || ""}/cases/${found.caseId}/certificate?version=${found.version}`,
    {
      method: "PUT",
      headers: {
        "Content-Type": "application/pdf",
        "Accept-Language": language,
        Authorization: `Bearer ${sessionStorage.getItem("eforms.token")}`,
      },
      body: file,
    },
  );
  if (!response.ok) throw new ApiError(response.status, await response.json());
}

/** The sender answers payroll's completion request: a message and, if asked, the reopened fields. */
export function CompletionAnswer({ found, form, validator, language, t, onDone }) {
  const open = found.correction.fields.map(fieldOf);
  const [data, setData] = useState(found.data);
  const [message, setMessage] = useState("");
  const [extraErrors, setExtraErrors] = useState(undefined);
  const [summary, setSummary] = useState([]);
  const ui = readOnlyExcept(form.uiSchema, form.schema, open, t.correction.byPayroll);
  const send = async (formData) => {
    setSummary([]);
    try {
      const body = { version: found.version, message };
      if (open.length) body.data = formData;
      await api("POST", `/cases/${found.caseId}/completion`, { language, body });
      onDone();
    } catch (error) {
      setSummary(serverErrors(error.problem, form.schema));
      setExtraErrors(toErrorSchema(error.problem));
    }
  };
  return (
    <section className="correction" aria-labelledby="completion-title">
      <h2 id="completion-title">{t.completionAsked}</h2>
      <div className="notice" role="status">
        <p>{found.correction.message}</p>
      </div>
      <label>
        {t.message}
        <textarea value={message} maxLength={4000} onChange={(e) => setMessage(e.target.value)} />
      </label>
      <ErrorSummary lines={summary} t={t} />
      {open.length > 0 ? (
        <EForm
          t={t}
          language={language}
          schema={form.schema}
          uiSchema={{ ...ui, "ui:submitButtonOptions": { submitText: t.answerCompletion } }}
          formData={data}
          onChange={(event) => setData(withoutEmpty(event.formData))}
          validator={validator}
          transformErrors={errorsIn(language, form.schema)}
          extraErrors={extraErrors}
          showErrorList={false}
          noHtml5Validate
          onError={(errors) => setSummary(clientErrors(errors, form.schema))}
          onSubmit={({ formData }) => send(formData)}
        />
      ) : (
        <button type="button" onClick={() => send(null)}>
          {t.answerCompletion}
        </button>
      )}
    </section>
  );
}

export function Withdraw({ found, language, t, onDone }) {
  const [asking, setAsking] = useState(false);
  const [problem, run] = useAction(onDone);
  return (
    <div className="withdraw">
      <Problem problem={problem} />
      {asking ? (
        <button
          type="button"
          className="danger"
          onClick={() =>
            run(() => api("POST", `/cases/${found.caseId}/withdrawal`, { language, body: { version: found.version } }))
          }
        >
          {t.withdrawConfirm}
        </button>
      ) : (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          {t.withdraw}
        </button>
      )}
    </div>
  );
}

/** The sender's word on how it went, once payroll has finished: 1–5 and, if they like, why. */
export function Rate({ found, language, t, onDone }) {
  const [score, setScore] = useState(null);
  const [comment, setComment] = useState("");
  const [problem, run] = useAction(onDone);
  const body = () => ({ version: found.version, score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  return (
    <form
      className="rate"
      data-testid="rate"
      onSubmit={(event) => {
        event.preventDefault();
        run(() => api("POST", `/cases/${found.caseId}/rating`, { language, body: body() }));
      }}
    >
      <fieldset>
        <legend>{t.rate.question}</legend>
        <Problem problem={problem} />
        <div className="scores">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value}>
              <input type="radio" name="score" value={value} checked={score === value} onChange={() => setScore(value)} />
              {value}
            </label>
          ))}
        </div>
        <p className="hint">{t.rate.scale}</p>
        <label>
          {t.rate.comment}
          <textarea value={comment} maxLength={1000} onChange={(event) => setComment(event.target.value)} />
        </label>
        <button type="submit" disabled={score === null}>
          {t.rate.send}
        </button>
      </fieldset>
    </form>
  );
}

/** A button that fetches a short-lived download link from ``path`` and follows it. */
