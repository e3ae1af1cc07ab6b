import { useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import { fieldOf } from "../forms/uiSchema.js";
import { when } from "../i18n.js";
import { useWords } from "../words.js";
import { Problem, useAction } from "./Problem.jsx";

/** The one conversation between payroll and the sender; text is shown as text, never as HTML. One can write
 * while the server lists ``message`` for the reader; a finished case keeps its thread to read. A completion
 * request is a message of it too: payroll ticks "ask for completion" (and the fields to reopen) before
 * sending, and the case then waits for the sender. */
export default function Thread({ found, form, onDone }) {
  const { language, t } = useWords();
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

