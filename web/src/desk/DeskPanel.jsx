// The payroll desk's part of a case page: the actions the server lists as open now, each with its refusals.
import { useEffect, useState } from "react";
import { api, ApiError } from "../api.js";
import DownloadButton from "../components/DownloadButton.jsx";
import EmployeePicker from "../components/EmployeePicker.jsx";
import { generalErrors } from "../errors.js";
import { when } from "../i18n.js";
import { useWords } from "../words.js";
import PayTransactions from "./PayTransactions.jsx";

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

/** The messages of a 422 problem at one pointer, joined (for a value shown by another component). */
function messageAt(problem) {
  return (pointer) =>
    (problem?.errors || [])
      .filter((e) => e.pointer === pointer)
      .map((e) => e.message)
      .join(" ");
}

/** The pointers of a problem's errors under ``prefix`` (those a component shows at their values). */
function placed(problem, prefix) {
  return (problem?.errors || []).map((e) => e.pointer).filter((pointer) => pointer.startsWith(prefix) && pointer.split("/").length > 3);
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

export function DeskPanel({ found, me, onDone }) {
  const { language, t } = useWords();
  const [problems, runAction] = useProblems(onDone);
  const [officers, setOfficers] = useState([]);
  const [assignee, setAssignee] = useState("");
  const [closing, setClosing] = useState("");
  const [reference, setReference] = useState("");
  const [payPeriod, setPayPeriod] = useState(found.payroll?.payPeriod || "");
  const [note, setNote] = useState("");
  const [outcome, setOutcome] = useState("");
  // The pay transactions to confirm: the server's proposal, as the officer corrects it (docs/records.md §4).
  const [transactions, setTransactions] = useState(found.transactions || []);
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
        <Appoint post={post} problem={problems.approver} />
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
          <PayTransactions rows={transactions} onChange={setTransactions} problemAt={messageAt(problems.registration)} />
          <ActionProblem
            problem={problems.registration}
            fields={["/reference", "/payPeriod", "/note", ...placed(problems.registration, "/transactions/")]}
          />
          <button
            type="button"
            onClick={() =>
              post("registration", { reference, payPeriod, note, ...(transactions.length ? { transactions } : {}) })
            }
          >
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
          <PayTransactions rows={found.transactions} />
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
            <CertificatePreview found={found} onSend={() => post("closure", { outcome: "delivered" })} />
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
function Appoint({ post, problem }) {
  const { t } = useWords();
  const [employeeId, setEmployeeId] = useState("");
  return (
    <fieldset data-testid="appoint-approver">
      <legend>{t.appointApprover}</legend>
      <p className="notice">{t.appointWhy}</p>
      <EmployeePicker value={employeeId} onChange={setEmployeeId} label={t.appointWho} />
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
function CertificatePreview({ found, onSend }) {
  const { language, t } = useWords();
  const certificate = found.payroll.certificate;
  const names = certificate.recipients.map((p) => p.name).join(", ");
  return (
    <div className="notice" data-testid="certificate-preview">
      <p>
        {t.certificateUploaded} ({Math.ceil(certificate.size / 1024)} kB, {when(certificate.at, language)}).{" "}
        {t.checkBeforeSending}
      </p>
      <DownloadButton path={`/cases/${found.caseId}/certificate`} label={t.openCertificate} />
      <p>
        <strong>{t.certificateGoesTo}:</strong> <span data-testid="certificate-recipients">{names}</span>
      </p>
      <button type="button" onClick={onSend}>
        {t.sendCertificateTo({ names })}
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

