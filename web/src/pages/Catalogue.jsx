import { useEffect, useState } from "react";
import { api } from "../api.js";
import { useWords } from "../words.js";

/** The e-services, grouped as the catalogue declares (schemas/categories.json), so a person finds theirs
 * in one look. Only what the caller may file is listed (a BankID sign-in sees the forms open to it). */
export default function Catalogue() {
  const { language, t } = useWords();
  const [catalogue, setCatalogue] = useState(null);
  useEffect(() => {
    api("GET", "/forms", { language }).then(setCatalogue);
  }, [language]);
  if (!catalogue) return <p>{t.loading}</p>;
  return (
    <section>
      <h1>{t.forms}</h1>
      {catalogue.organisation && (
        <p data-testid="organisation-name">{catalogue.organisation.names[language] || catalogue.organisation.names.sv}</p>
      )}
      {catalogue.forms.length === 0 && <p data-testid="no-forms">{t.noFormsForYou}</p>}
      {catalogue.categories.map((group) => (
        <section key={group.id} aria-labelledby={`group-${group.id}`} data-testid={`group-${group.id}`}>
          <h2 id={`group-${group.id}`}>{group.title}</h2>
          <ul className="cards">
            {catalogue.forms
              .filter((form) => form.category === group.id)
              .map((form) => (
                <li key={form.formId} lang={form.languages.includes(language) ? undefined : form.languages[0]}>
                  <a href={`#/forms/${form.formId}`}>
                    <strong>{form.title}</strong>
                  </a>
                  <p>{form.description}</p>
                </li>
              ))}
          </ul>
        </section>
      ))}
      {catalogue.contact && (
        <p className="contact" data-testid="payroll-contact">
          {t.yourPayrollContact}: {catalogue.contact.name}
          {catalogue.contact.email && (
            <>
              , <a href={`mailto:${catalogue.contact.email}`}>{catalogue.contact.email}</a>
            </>
          )}
          {catalogue.contact.phone && (
            <>
              , <a href={`tel:${catalogue.contact.phone.replace(/\s/g, "")}`}>{catalogue.contact.phone}</a>
            </>
          )}
        </p>
      )}
    </section>
  );
}
