import { Fragment, useCallback, useEffect, useMemo, useState } from "react";
import { fieldOf, readOnlyExcept, untitled, withoutEmpty } from "../forms/uiSchema.js";
import { api, worksAtDesk } from "../api.js";
import { generalErrors, toErrorSchema } from "../errors.js";
import { day, dayInYear, month, payOf, when } from "../i18n.js";
import { statusText, takeSent } from "../status.js";
import { normalized } from "../forms/normalize.js";
import { errorsIn, validatorFor } from "../validator.js";
import { AttachmentList } from "./Attachments.jsx";
import ErrorSummary, { clientErrors, serverErrors } from "./ErrorSummary.jsx";
import { SlaBadge } from "../desk/Desk.jsx";
import Thread from "../components/Thread.jsx";
import { DESK_ACTIONS, DeskPanel } from "../desk/DeskPanel.jsx";
import { PayRunState } from "../desk/PayTransactions.jsx";
import { CompletionAnswer, Rate, Withdraw } from "./SenderActions.jsx";
import DownloadButton from "../components/DownloadButton.jsx";
import EForm from "./EForm.jsx";
import { useWords } from "../words.js";

/** The form's schema with only the questions this case answered: a filed case is read, not filled in, and an
 * optional group nobody used (e.g. "the employee the case concerns") would show as empty boxes. */
function answeredOnly(schema, data) {
  const answered = Object.keys(data || {});
  const properties = Object.fromEntries(Object.entries(schema.properties || {}).filter(([name]) => answered.includes(name)));
  return { ...schema, properties, required: (schema.required || []).filter((name) => answered.includes(name)) };
}

/** What happens next, as the server says it (``next``): who decides, by when payroll answers, which pay it
 * reaches. Just after sending, it is the receipt, under the case number. */
function NextStep({ found, form, sent }) {
  const { language, t } = useWords();
  const next = found.next;
  if (!next || (next.waitingOn === "nobody" && !sent)) return null;
  const thisYear = new Date().getFullYear();
  const lines = [];
  if (next.waitingOn === "approver" || next.waitingOn === "team") lines.push(t.next.approver({ who: next.who }));
  if (next.waitingOn === "payroll") {
    lines.push(next.answerBy ? t.next.payroll({ by: day(next.answerBy, language) }) : t.next.payrollSoon({ count: next.workingDays }));
  }
  if (next.waitingOn === "you") lines.push(t.next.you);
  if (next.waitingOn === "sender") lines.push(t.next.sender);
  // Which pay it reaches, for a form that changes pay (it names the month its answers concern) and is still to be decided.
  if (next.sendBy && !found.payroll && form.expected?.payMonthFrom?.length > 0 && next.waitingOn !== "sender") {
    lines.push(
      t.next.pay({ day: dayInYear(next.sendBy, language, thisYear), pay: payOf(next.payPeriod, language, t, thisYear) }),
    );
  }
  return (
    <div className="notice next-step" data-testid="next" role={sent ? "status" : undefined}>
      {sent && (
        <p>
          <strong>{t.next.sent}.</strong> {t.next.number}: <strong data-testid="receipt-number">{found.caseNumber || found.caseId}</strong>
        </p>
      )}
      {lines.map((line) => (
        <p key={line}>{line}</p>
      ))}
    </div>
  );
}

export default function CaseView({ caseId, user }) {
  const { language, t } = useWords();
  const [sent] = useState(() => takeSent(caseId));
  const [found, setFound] = useState(null);
  const [form, setForm] = useState(null);
  const load = useCallback(async () => {
    try {
      const loaded = await api("GET", `/cases/${caseId}`, { language });
      setFound(loaded);
      setForm(await api("GET", `/forms/${loaded.formId}?version=${loaded.formVersion}`, { language }));
    } catch {
      setFound(false);
    }
  }, [caseId, language]);
  useEffect(() => {
    load();
  }, [load]);
  const validator = useMemo(() => validatorFor(), []);
  if (found === false) return <p>{t.notFound}</p>;
  if (!found || !form) return <p>{t.loading}</p>;

  // What the reader may do now is the server's answer (``actions``, in the order of the work): nothing here
  // re-derives it from the status or the reader's roles.
  const can = (action) => (found.actions || []).includes(action);
  const me = found.viewerId || user.id; // after BankID sign-in only the server knows the id
  const isApplicant = [found.applicant.id, found.subject.id].includes(me);
  const isPayroll = worksAtDesk(user.roles);
  const correcting = can("resubmit");
  const completing = can("answer_completion");
  const working = DESK_ACTIONS.some(can);
  const talking = found.payroll && (isApplicant || isPayroll);

  return (
    <section>
      <h1>
        {found.formTitle} <small data-testid="case-number">{found.caseNumber || found.caseId}</small>
      </h1>
      {isPayroll && found.history[0]?.details?.personnummer === "unverified" && (
        <p className="notice" role="note" data-testid="personnummer-unverified">
          {t.personnummerUnverified}
        </p>
      )}
      <NextStep found={found} form={form} sent={sent} />
      <dl className="facts">
        <dt>{t.status}</dt>
        <dd>
          <span data-testid="status">{statusText(found, t)}</span>
          {found.awaitsYou && (
            <>
              {" "}
              <span className="badge todo" data-testid="todo">
                {t.next.todo}
              </span>
            </>
          )}
        </dd>
        <dt>{t.employee}</dt>
        <dd>{found.subject.name}</dd>
        {found.organisation && (
          <>
            <dt>{t.organisation}</dt>
            <dd data-testid="case-organisation">{found.organisation.name}</dd>
          </>
        )}
        <dt>{t.filed}</dt>
        <dd>{when(found.createdAt, language)}</dd>
        {/* What the server computed from the answers (a time report's hours per activity), as the PDF has it. */}
        {(found.computed || []).map((item) => (
          <Fragment key={item.field}>
            <dt>{item.label}</dt>
            <dd data-testid="computed">{item.value}</dd>
          </Fragment>
        ))}
        {found.payroll && (
          <>
            <dt>{t.dueDate}</dt>
            <dd data-testid="due-date">
              {day(found.payroll.dueDate, language)} <SlaBadge state={found.payroll.sla} />
            </dd>
            {/* Only for a form that changes pay (it says which answer gives the month): a certificate has none. */}
            {form.expected?.payMonthFrom?.length > 0 && (
              <>
                <dt>{t.payPeriod}</dt>
                <dd data-testid="pay-period">{month(found.payroll.payPeriod, language)}</dd>
              </>
            )}
            <dt>{t.assignee}</dt>
            <dd data-testid="assignee">{found.payroll.assignee ? found.payroll.assignee.name : t.nobody}</dd>
          </>
        )}
      </dl>
      {found.hasPdf && <DownloadButton path={`/cases/${caseId}/pdf`} label={t.downloadPdf} />}
      {found.payroll?.certificate?.deliveredAt && (
        <DownloadButton
          path={`/cases/${caseId}/certificate`}
          label={t.downloadCertificate}
         
          testId="download-certificate"
        />
      )}
      {completing && (
        <CompletionAnswer found={found} form={form} validator={validator} onDone={load} />
      )}
      {correcting && (
        <Correction found={found} form={form} validator={validator} onDone={load} />
      )}
      {!correcting && !(completing && found.correction.fields.length > 0) && (
        <EForm
         
         
          schema={answeredOnly(form.schema, found.data)}
          uiSchema={{ ...untitled(form.uiSchema), "ui:submitButtonOptions": { norender: true } }}
          formData={found.data}
          validator={validator}
          disabled
        />
      )}
      <AttachmentList found={found} />
      {working && <DeskPanel found={found} me={me} onDone={load} />}
      <PayRunState payRun={found.payRun} />
      {talking && (
        <Thread
          found={found}
          form={form}
         
         
          onDone={load}
          key={found.version}
        />
      )}
      {can("decide") && <Decision found={found} form={form} onDone={load} />}
      {can("share_pdf") && <Share caseId={caseId} onDone={load} />}
      {can("withdraw") && <Withdraw found={found} onDone={load} />}
      {can("rate") && <Rate found={found} onDone={load} />}
      <h2>{t.history}</h2>
      <ol className="history">
        {found.history.map((entry) => (
          <li key={`${entry.at}-${entry.action}`}>
            {when(entry.at, language)} — {entry.actor.id === "system" ? "" : `${entry.actor.name}: `}
            {t.actions[entry.action] || entry.action}
            {entry.details?.message ? ` — ${entry.details.message}` : ""}
            {entry.details?.note ? ` — ${entry.details.note}` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Correction({ found, form, validator, onDone }) {
  const { language, t } = useWords();
  const open = found.correction.fields.map(fieldOf);
  const [data, setData] = useState(found.data);
  const [extraErrors, setExtraErrors] = useState(undefined);
  const [summary, setSummary] = useState([]);
  const titles = found.correction.fields.map((p) => form.schema.properties?.[fieldOf(p)]?.title || p);
  return (
    <div className="correction">
      <div className="notice" role="status">
        <p>
          {t.correctionAsked} <strong>{titles.join(", ")}</strong>
        </p>
        {found.correction.message && (
          <p>
            {t.message}: {found.correction.message}
          </p>
        )}
      </div>
      <ErrorSummary lines={summary} />
      <EForm
       
       
        schema={form.schema}
        uiSchema={{
          ...readOnlyExcept(form.uiSchema, form.schema, open, t.correction.byManager),
          "ui:submitButtonOptions": { submitText: t.resubmit },
        }}
        formData={data}
        onChange={(event) => setData(normalized(form.schema, withoutEmpty(event.formData)))}
        validator={validator}
        transformErrors={errorsIn(language, form.schema)}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
        onError={(errors) => setSummary(clientErrors(errors, form.schema))}
        onSubmit={async ({ formData }) => {
          setSummary([]);
          try {
            await api("POST", `/cases/${found.caseId}/resubmission`, {
              language,
              body: { data: formData, version: found.version },
            });
            onDone();
          } catch (error) {
            setSummary(serverErrors(error.problem, form.schema));
            setExtraErrors(toErrorSchema(error.problem));
          }
        }}
      />
    </div>
  );
}

function Decision({ found, form, onDone }) {
  const { language, t } = useWords();
  const [decision, setDecision] = useState("approve");
  const [message, setMessage] = useState("");
  const [fields, setFields] = useState([]);
  const [problem, setProblem] = useState(null);
  return (
    <form
      className="decision"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          const body = { decision, message, version: found.version };
          if (decision === "return") body.fields = fields;
          await api("POST", `/cases/${found.caseId}/decision`, { language, body });
          onDone();
        } catch (error) {
          setProblem(error.problem);
        }
      }}
    >
      <fieldset>
        <legend>{t.decide}</legend>
        {[
          ["approve", t.approve],
          ["reject", t.reject],
          ["return", t.returnForCorrection],
        ].map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="decision"
              value={value}
              checked={decision === value}
              onChange={() => setDecision(value)}
            />
            {label}
          </label>
        ))}
        {decision === "return" && (
          <fieldset>
            <legend>{t.fieldsToOpen}</legend>
            {form.correctableFields.map((pointer) => (
              <label key={pointer}>
                <input
                  type="checkbox"
                  checked={fields.includes(pointer)}
                  onChange={(e) =>
                    setFields(e.target.checked ? [...fields, pointer] : fields.filter((f) => f !== pointer))
                  }
                />
                {form.schema.properties?.[fieldOf(pointer)]?.title || pointer}
              </label>
            ))}
          </fieldset>
        )}
        <label>
          {t.message}
          <textarea value={message} maxLength={2000} onChange={(e) => setMessage(e.target.value)} />
        </label>
        {problem && (
          <div role="alert" className="problem">
            {generalErrors(problem, "/nothing").map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        <button type="submit">{t.send}</button>
      </fieldset>
    </form>
  );
}

function Share({ caseId, onDone }) {
  const { language, t } = useWords();
  const [administratorId, setAdministratorId] = useState("");
  const [result, setResult] = useState(null);
  return (
    <form
      className="share"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          await api("POST", `/cases/${caseId}/pdf/recipients`, { language, body: { administratorId } });
          setResult(t.shared);
          onDone();
        } catch (error) {
          setResult(generalErrors(error.problem, "/nothing").join(" "));
        }
      }}
    >
      <label>
        {t.shareWith}
        <input value={administratorId} onChange={(e) => setAdministratorId(e.target.value)} />
      </label>
      <button type="submit">{t.send}</button>
      {result && <p role="status">{result}</p>}
    </form>
  );
}
