import { useState } from "react";
import { usePages } from "../components/usePages.js";
import { statusText } from "../status.js";
import Drafts from "./Drafts.jsx";
import LoadMore from "../components/LoadMore.jsx";
import { when } from "../i18n.js";
import { useWords } from "../words.js";

const TITLES = { mine: "myCases", approvals: "approvals", team: "team" };

function pathFor(scope, filters) {
  const query = new URLSearchParams(scope === "approvals" ? {} : { scope });
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const text = query.toString();
  return `${scope === "approvals" ? "/approvals" : "/cases"}${text ? `?${text}` : ""}`;
}

/** A listing: my cases, cases to decide, my team's (with search), or the payroll queue; every page on request. */
export default function CaseList({ scope }) {
  const { language, t } = useWords();
  const [filters, setFilters] = useState({ employee: "", formId: "", from: "", to: "", signed: "" });
  const [applied, setApplied] = useState(filters);
  const { items, nextToken, error, load } = usePages(pathFor(scope, scope === "team" ? applied : {}), language);
  const set = (name) => (event) =>
    setFilters({ ...filters, [name]: event.target.type === "checkbox" ? (event.target.checked ? "true" : "") : event.target.value });
  return (
    <section>
      <h1>{t[TITLES[scope]]}</h1>
      {scope === "mine" && <Drafts />}
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
          <label className="inline">
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
                <td data-label={t.form}>
                  <a href={`#/cases/${item.caseId}`}>{item.formTitle}</a>
                </td>
                <td data-label={t.employee}>{item.subject.name}</td>
                <td data-label={t.status}>
                  {statusText(item, t)}
                  {item.awaitsYou && (
                    <>
                      {" "}
                      <span className="badge todo">{t.next.todo}</span>
                    </>
                  )}
                </td>
                <td data-label={t.filed}>{when(item.createdAt, language)}</td>
                <td data-label="PDF">{item.hasPdf ? "✓" : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore nextToken={nextToken} load={load} />
    </section>
  );
}
