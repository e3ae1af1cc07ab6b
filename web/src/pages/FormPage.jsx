import Form from "@rjsf/core";
import { useEffect, useMemo, useState } from "react";
import { api } from "../api.js";
import { go } from "../App.jsx";
import { generalErrors, toErrorSchema } from "../errors.js";
import { validatorFor } from "../validator.js";

/** A form rendered from its JSON Schema; the server's field errors are shown at their fields. */
export default function FormPage({ formId, language, t }) {
  const [form, setForm] = useState(null);
  const [data, setData] = useState({});
  const [extraErrors, setExtraErrors] = useState(undefined);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api("GET", `/forms/${encodeURIComponent(formId)}`, { language })
      .then(setForm)
      .catch(() => setForm(false));
  }, [formId, language]);
  const validator = useMemo(() => validatorFor(), []);
  if (form === false) return <p>{t.notFound}</p>;
  if (!form) return <p>{t.loading}</p>;

  async function submit({ formData }) {
    setBusy(true);
    setProblem(null);
    setExtraErrors(undefined);
    try {
      const created = await api("POST", "/cases", {
        language,
        body: { formId, formVersion: form.version, data: formData },
      });
      go(`/cases/${created.caseId}`);
    } catch (error) {
      setProblem(error.problem);
      setExtraErrors(toErrorSchema(error.problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section>
      <h1>{form.title}</h1>
      <p>{form.description}</p>
      {problem && (
        <div role="alert" className="problem">
          <p>{t.fixErrors}</p>
          {generalErrors(problem).map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <Form
        schema={form.schema}
        uiSchema={{ ...form.uiSchema, "ui:submitButtonOptions": { submitText: t.submit, props: { disabled: busy } } }}
        formData={data}
        onChange={(event) => setData(event.formData)}
        onSubmit={submit}
        validator={validator}
        extraErrors={extraErrors}
        showErrorList={false}
        noHtml5Validate
      />
    </section>
  );
}
