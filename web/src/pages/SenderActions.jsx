// What the sender does on their case page: answer a completion request, withdraw, rate the service.
import { useState } from "react";
import { api } from "../api.js";
import { Problem, useAction } from "../components/Problem.jsx";
import { toErrorSchema } from "../errors.js";
import { fieldOf, readOnlyExcept, withoutEmpty } from "../forms/uiSchema.js";
import { errorsIn } from "../validator.js";
import { useWords } from "../words.js";
import EForm from "./EForm.jsx";
import ErrorSummary, { clientErrors, serverErrors } from "./ErrorSummary.jsx";

/** The sender answers payroll's completion request: a message and, if asked, the reopened fields. */
export function CompletionAnswer({ found, form, validator, onDone }) {
  const { language, t } = useWords();
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
      <ErrorSummary lines={summary} />
      {open.length > 0 ? (
        <EForm
         
         
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

export function Withdraw({ found, onDone }) {
  const { language, t } = useWords();
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
export function Rate({ found, onDone }) {
  const { language, t } = useWords();
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


