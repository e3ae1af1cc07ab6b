import { useEffect, useState } from "react";
import { api } from "../api.js";
import { when } from "../i18n.js";

const TITLES = { mine: "myCases", approvals: "approvals", team: "team", payroll: "payroll" };

function pathFor(scope, filters) {
  if (scope === "approvals") return "/approvals";
  const query = new URLSearchParams({ scope });
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  return `/cases?${query}`;
}

/** A listing: my cases, cases to decide, my team's (with search), or the payroll queue. */
export default function CaseList({ scope, language, t }) {
  const [filters, setFilters] = useState({ employee: "", formId: "", from: "", to: "", signed: "" });
  const [applied, setApplied] = useState(filters);
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setItems(null);
    api("GET", pathFor(scope, scope === "team" ? applied : {}), { language })
      .then((reply) => setItems(reply.items))
      .catch((e) => setError(e.message));
  }, [scope, applied, language]);
  const set = (name) => (event) =>
    setFilters({ ...filters, [name]: event.target.type === "checkbox" ? (event.target.checked ? "true" : "") : event.target.value });
  return (
    <section>
      <h1>{t[TITLES[scope]]}</h1>
      {scope === "team" && (
        <form
          className="search"
          onSubmit={(event) => {
            event.preventDefault();
            setApplied(filters);
          }}
        >
          <label>
            {t.employee}
            <input value={filters.employee} onChange={set("employee")} />
          </label>
          <label>
            {t.form}
            <input value={filters.formId} onChange={set("formId")} />
          </label>
          <label>
            {t.from}
            <input type="date" value={filters.from} onChange={set("from")} />
          </label>
          <label>
            {t.to}
            <input type="date" value={filters.to} onChange={set("to")} />
          </label>
          <label>
            <input type="checkbox" checked={filters.signed === "true"} onChange={set("signed")} />
            {t.signedOnly}
          </label>
          <button type="submit">{t.search}</button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
      {!items && !error && <p>{t.loading}</p>}
      {items && items.length === 0 && <p>{t.noCases}</p>}
      {items && items.length > 0 && (
        <table className="cases">
          <thead>
            <tr>
              <th scope="col">{t.form}</th>
              <th scope="col">{t.employee}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.filed}</th>
              <th scope="col">PDF</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.caseId}>
                <td>
                  <a href={`#/cases/${item.caseId}`}>{item.formTitle}</a>
                </td>
                <td>{item.subject.name}</td>
                <td>{t.statuses[item.status] || item.status}</td>
                <td>{when(item.createdAt, language)}</td>
                <td>{item.hasPdf ? "✓" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
