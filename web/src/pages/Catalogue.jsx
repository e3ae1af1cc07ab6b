import { useEffect, useState } from "react";
import { api } from "../api.js";

export default function Catalogue({ language, t }) {
  const [forms, setForms] = useState(null);
  useEffect(() => {
    api("GET", "/forms", { language }).then((reply) => setForms(reply.forms));
  }, [language]);
  if (!forms) return <p>{t.loading}</p>;
  return (
    <section>
      <h1>{t.forms}</h1>
      <ul className="cards">
        {forms.map((form) => (
          <li key={form.formId}>
            <a href={`#/forms/${form.formId}`}>
              <strong>{form.title}</strong>
            </a>
            <p>{form.description}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
