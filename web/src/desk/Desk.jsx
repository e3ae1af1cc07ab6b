import { useEffect, useState } from "react";
import { api } from "../api.js";
import { usePages } from "../components/usePages.js";
import EmployeePicker from "../components/EmployeePicker.jsx";
import LoadMore from "../components/LoadMore.jsx";
import { day, month } from "../i18n.js";
import { useWords } from "../words.js";

const OPEN = ["at_payroll", "awaiting_completion", "registered"];
const FINISHED = ["completed", "closed", "withdrawn"];

function pathFor(filters) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const text = query.toString();
  return `/desk/cases${text ? `?${text}` : ""}`;
}

export function SlaBadge({ state }) {
  const { t } = useWords();
  return (
    <span className={`badge sla-${state}`} data-testid="sla">
      {t.slaStates[state] || state}
    </span>
  );
}

/** Payroll's work queue: soonest due first, with SLA badges, filters and every page on request. */
export default function Desk() {
  const { language, t } = useWords();
  const empty = { team: "", organisation: "", status: "", formId: "", assignee: "", employee: "", q: "" };
  const [filters, setFilters] = useState(empty);
  const [applied, setApplied] = useState(empty);
  const { items, nextToken, error, load } = usePages(pathFor(applied), language);
  const [forms, setForms] = useState([]);
  const [teams, setTeams] = useState([]);
  useEffect(() => {
    api("GET", "/forms", { language }).then((reply) => setForms(reply.forms));
    api("GET", "/desk/teams", { language }).then((reply) => setTeams(reply.items));
  }, [language]);
  // The customers of the team shown (the officer's first team unless another is picked).
  const team = teams.find((candidate) => candidate.id === filters.team) || teams[0];
  const customers = team ? team.organisations : [];
  const set = (name) => (event) =>
    setFilters({ ...filters, [name]: event.target.type === "checkbox" ? (event.target.checked ? "me" : "") : event.target.value });
  return (
    <section>
      <h1>{t.desk}</h1>
      <p>
        <a href="#/desk/pay-runs" data-testid="pay-runs-link">
          {t.payRuns.link}
        </a>
      </p>
      <form
        className="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(filters);
        }}
      >
        <label>
          {t.status}
          <select value={filters.status} onChange={set("status")}>
            <option value="">{t.allStatuses}</option>
            {[...OPEN, ...FINISHED].map((status) => (
              <option key={status} value={status}>
                {t.statuses[status]}
              </option>
            ))}
            <option value="awaiting_approval">{t.awaitingAppointment}</option>
          </select>
        </label>
        <label>
          {t.form}
          <select value={filters.formId} onChange={set("formId")}>
            <option value="">{t.allForms}</option>
            {forms.map((form) => (
              <option key={form.formId} value={form.formId}>
                {form.title}
              </option>
            ))}
          </select>
        </label>
        {teams.length > 1 && (
          <label>
            {t.payrollTeam}
            <select
              value={filters.team}
              data-testid="desk-team"
              onChange={(event) => setFilters({ ...filters, team: event.target.value, organisation: "" })}
            >
              {teams.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {customers.length > 1 && (
          <label>
            {t.organisation}
            <select value={filters.organisation} data-testid="desk-organisation" onChange={set("organisation")}>
              <option value="">{t.allOrganisations}</option>
              {customers.map((organisation) => (
                <option key={organisation.id} value={organisation.id}>
                  {organisation.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <EmployeePicker
         
         
          value={filters.employee}
          onChange={(employee) => setFilters((before) => ({ ...before, employee, q: "" }))}
          label={t.employee}
        />
        <label>
          {t.caseNumberOrPersonnummer}
          <input
            value={filters.q}
            data-testid="desk-q"
            placeholder="LC-2026-000123 / ÅÅÅÅMMDD-NNNN"
            onChange={(event) => setFilters({ ...filters, q: event.target.value.trim(), employee: "", status: "" })}
          />
        </label>
        <label className="inline">
          <input type="checkbox" checked={filters.assignee === "me"} onChange={set("assignee")} />
          {t.onlyMine}
        </label>
        <button type="submit">{t.filter}</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {!items && !error && <p>{t.loading}</p>}
      {items && items.length === 0 && <p>{t.noCases}</p>}
      {items && items.length > 0 && (
        <table className="cases" data-testid="desk-queue">
          <thead>
            <tr>
              <th scope="col">{t.caseNumber}</th>
              <th scope="col">{t.dueShort}</th>
              <th scope="col">{t.sla}</th>
              <th scope="col">{t.form}</th>
              <th scope="col">{t.employee}</th>
              <th scope="col">{t.organisation}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.payPeriod}</th>
              <th scope="col">{t.assignee}</th>
              <th scope="col">{t.messages}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.caseId}>
                <td data-label={t.caseNumber}>
                  <a href={`#/cases/${item.caseId}`}>{item.caseNumber || item.caseId}</a>
                </td>
                <td data-label={t.dueShort}>{item.payroll ? day(item.payroll.dueDate, language) : "—"}</td>
                <td data-label={t.sla}>{item.payroll && <SlaBadge state={item.payroll.sla} />}</td>
                <td data-label={t.form}>
                  <a href={`#/cases/${item.caseId}`}>{item.formTitle}</a>
                </td>
                <td data-label={t.employee}>{item.subject.name}</td>
                <td data-label={t.organisation} data-testid="row-organisation">
                  {item.organisation ? item.organisation.name : "—"}
                </td>
                <td data-label={t.status}>{t.statuses[item.status] || item.status}</td>
                <td data-label={t.payPeriod}>{item.payroll ? month(item.payroll.payPeriod, language) : "—"}</td>
                <td data-label={t.assignee}>{item.payroll?.assignee ? item.payroll.assignee.name : t.nobody}</td>
                <td data-label={t.messages}>{item.payroll?.waiting === "payroll" ? t.waitingReply : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore nextToken={nextToken} load={load} />
    </section>
  );
}
