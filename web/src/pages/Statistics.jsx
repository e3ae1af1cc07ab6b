import { useEffect, useRef, useState } from "react";
import { api, download } from "../api.js";
import { month as monthName, number, shortMonth } from "../i18n.js";
import { useWords } from "../words.js";

/** The shares, in the order the page and its tables show them (docs/statistics.md §1). */
const SHARES = [
  "feedbackInTime",
  "certificatesInTime",
  "askedToComplete",
  "fourEyesReturns",
  "beforeCutOff",
  "satisfied",
  "responseRate",
];
/** The shares drawn against their targets (the organisation's, from the server: docs/statistics.md §5). */
const TARGETED = [
  ["feedbackInTime", "#1d5189"],
  ["satisfied", "#2e7d32"],
];

function thisMonth(offset = 0) {
  const now = new Date();
  const date = new Date(now.getFullYear(), now.getMonth() + offset, 1);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}`;
}

function percent(share, language) {
  if (!share || share.share === null) return "—";
  const value = number(share.share * 100, language, 1);
  return `${value} % (${share.count}/${share.of})`;
}

/** A chart drawn with Chart.js (loaded when the page is first shown, not with the client), described for
 * screen readers by its label and by the table beside it, which holds the same numbers. */
function Chart({ config, label }) {
  const canvas = useRef(null);
  useEffect(() => {
    let chart = null;
    let live = true;
    import("chart.js/auto").then(({ default: ChartJs }) => {
      if (live && canvas.current) chart = new ChartJs(canvas.current, config);
    });
    return () => {
      live = false;
      if (chart) chart.destroy();
    };
  }, [config]);
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

/** Follow-up: an organisation's figures for a period, with their trend by month against the promise, per
 * e-service and (for the centre's own) per officer; the same as CSV or Excel. */
export default function Statistics({ user, params }) {
  const { language, t } = useWords();
  const words = t.stats;
  const [organisations, setOrganisations] = useState(null); // null until known: whose figures to ask for
  // The monthly report's email links here with its organisation chosen (?organisation=).
  const linked = params?.get("organisation") || "";
  const [filters, setFilters] = useState({ organisation: linked, from: thisMonth(-11), to: thisMonth() });
  const [applied, setApplied] = useState(filters);
  const [found, setFound] = useState(null);
  const [asked, setAsked] = useState(0); // "Visa" again with the same filters reads the figures again
  const [error, setError] = useState(null);
  useEffect(() => {
    api("GET", "/desk/teams", { language })
      .then((reply) => {
        const served = reply.items.flatMap((team) => team.organisations);
        setOrganisations(served);
        if (served.length > 0) {
          setFilters((before) => ({ ...before, organisation: before.organisation || served[0].id }));
          setApplied((before) => ({ ...before, organisation: before.organisation || served[0].id }));
        }
      })
      .catch(() => setOrganisations([])); // a customer's contact person: their own organisation only
  }, [language]);
  const query = new URLSearchParams(Object.entries(applied).filter(([, value]) => value)).toString();
  useEffect(() => {
    if (organisations === null) return;
    setError(null);
    api("GET", `/statistics?${query}`, { language })
      .then(setFound)
      .catch((e) => setError(e.message));
  }, [query, language, organisations, asked]);
  const set = (name) => (event) => setFilters({ ...filters, [name]: event.target.value });
  // The e-services to filter by: those the organisation's figures name (kept while one of them is chosen).
  const [forms, setForms] = useState([]);
  useEffect(() => {
    if (found && !applied.formId) setForms(found.forms.map((f) => ({ id: f.id, name: f.title })));
  }, [found, applied.formId]);
  const months = found ? found.months : [];
  const labels = months.map((m) => monthName(m.month, language));
  // On a phone a year of months fits only upright and short ("jan. 26"): the table below names each in full.
  const axes = {
    x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 6, callback: (i) => shortMonth(months[i].month, language) } },
  };
  const legend = { legend: { position: "bottom", labels: { boxWidth: 14 } } };
  const layout = { padding: { top: 8, right: 10 } }; // a point at 100 % or in the last month is drawn whole
  const volumes = {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: words.received, data: months.map((m) => m.figures.received), backgroundColor: "#1d5189" },
        { label: words.closed, data: months.map((m) => m.figures.closed), backgroundColor: "#7a9cc6" },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { ...axes, y: { beginAtZero: true, ticks: { precision: 0 } } }, // cases are counted whole
      plugins: legend,
      layout,
    },
  };
  const targets = found ? found.targets : {};
  const trend = {
    type: "line",
    data: {
      labels,
      datasets: TARGETED.flatMap(([name, colour]) => [
        {
          label: words[name],
          data: months.map((m) => (m.figures[name].share === null ? null : m.figures[name].share * 100)),
          borderColor: colour,
          backgroundColor: colour,
        },
        ...(name in targets
          ? [
              {
                label: `${words.target}: ${words[name]} ${Math.round(targets[name] * 100)} %`,
                data: months.map(() => targets[name] * 100),
                borderColor: colour,
                borderDash: [6, 4],
                pointRadius: 0,
              },
            ]
          : []),
      ]),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { ...axes, y: { min: 0, max: 100 } },
      plugins: legend,
      layout,
    },
  };
  const file = (format) =>
    download(`/statistics?${query}&format=${format}`, `statistics-${found?.organisation.id}-${applied.from}-${applied.to}.${format}`, {
      language,
    }).catch((e) => setError(e.message));
  return (
    <section className="statistics">
      <h1>{words.title}</h1>
      <form
        className="search"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied(filters);
          setAsked((n) => n + 1);
        }}
      >
        {organisations && organisations.length > 0 && (
          <Choice label={words.organisation} value={filters.organisation} onChange={set("organisation")}
            choices={organisations} testId="statistics-organisation" />
        )}
        <Choice label={words.form} value={filters.formId || ""} onChange={set("formId")}
          choices={[{ id: "", name: words.allForms }, ...forms]} testId="statistics-form" />
        <label>
          {words.from}
          <MonthPicker value={filters.from} onChange={set("from")} testId="statistics-from" />
        </label>
        <label>
          {words.to}
          <MonthPicker value={filters.to} onChange={set("to")} testId="statistics-to" />
        </label>
        <button type="submit">{words.show}</button>
      </form>
      {error && <p role="alert">{error}</p>}
      {!found && !error && <p>{t.loading}</p>}
      {found && (
        <>
          <h2 data-testid="statistics-heading">
            {found.organisation.name}: {monthName(found.from, language)} – {monthName(found.to, language)}
          </h2>
          <p className="actions">
            <button type="button" onClick={() => file("csv")} data-testid="statistics-csv">
              {words.csv}
            </button>{" "}
            <button type="button" onClick={() => file("xlsx")} data-testid="statistics-xlsx">
              {words.xlsx}
            </button>
          </p>
          <table className="figures" data-testid="statistics-total">
            <caption>{words.whole}</caption>
            <thead>
              <tr>
                <th scope="col">{words.figure}</th>
                <th scope="col">{words.value}</th>
              </tr>
            </thead>
            <tbody>
              {["received", "atPayroll", "closed", "handled", "backlog"].map((name) => (
                <tr key={name}>
                  <th scope="row">{words[name]}</th>
                  <td>{found.total[name === "atPayroll" ? "at_payroll" : name]}</td>
                </tr>
              ))}
              {SHARES.map((name) => (
                <tr key={name}>
                  <th scope="row">{words[name]}</th>
                  <td>{percent(found.total[name], language)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{words.leadMedian}</th>
                <td>{found.total.leadTime.median ?? words.none}</td>
              </tr>
              <tr>
                <th scope="row">{words.leadP90}</th>
                <td>{found.total.leadTime.p90 ?? words.none}</td>
              </tr>
            </tbody>
          </table>
          <div className="chart-with-table">
            <h3 id="volumes">{words.volumes}</h3>
            <Chart config={volumes} label={words.volumes} />
            <MonthTable labelledBy="volumes" months={months} labels={labels} words={words}
              columns={[
                [words.received, (f) => f.received],
                [words.closed, (f) => f.closed],
                [words.feedbackInTime, (f) => percent(f.feedbackInTime, language)],
              ]} />
          </div>
          <div className="chart-with-table">
            <h3 id="trend">{words.trendTitle}</h3>
            <Chart config={trend} label={words.trendTitle} />
            <MonthTable labelledBy="trend" testId="statistics-trend" months={months} labels={labels} words={words}
              columns={TARGETED.map(([name]) => [
                name in targets ? `${words[name]} (${words.target} ${Math.round(targets[name] * 100)} %)` : words[name],
                (f) => percent(f[name], language),
              ])} />
          </div>
          <Breakdown
            title={words.byForm}
            heading={words.form}
            rows={found.forms}
            columns={["received", "closed", "feedbackInTime", "fourEyesReturns"]}
            words={words}
           
          />
          <ServiceReports organisation={found.organisation.id} words={words} />
          {(user?.roles || []).includes("centre") && (
            <Comments organisation={found.organisation.id} from={found.from} to={found.to} words={words} />
          )}
          {found.officers && (
            <Breakdown
              title={words.byOfficer}
              heading={words.officer}
              rows={found.officers}
              columns={["handled", "registrations", "fourEyesReturns"]}
              words={words}
             
            />
          )}
        </>
      )}
    </section>
  );
}

/** What senders wrote with their ratings, for the centre's managers (docs/statistics.md): newest first, each
 * with its case and score. The words are shown as text, whatever they hold. */
function Comments({ organisation, from, to, words }) {
  const { language } = useWords();
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const query = new URLSearchParams({ organisation, from, to }).toString();
    api("GET", `/statistics/comments?${query}`, { language })
      .then((reply) => setItems(reply.items))
      .catch((e) => setError(e.message));
  }, [organisation, from, to, language]);
  return (
    <section className="comments" aria-labelledby="comments" data-testid="statistics-comments">
      <h3 id="comments">{words.comments}</h3>
      {error && <p role="alert">{error}</p>}
      {items && items.length === 0 && <p>{words.commentsNone}</p>}
      {items && items.length > 0 && (
        <ul>
          {items.map((c) => (
            <li key={c.caseId}>
              <p>
                <strong>{`${c.score}/5`}</strong> · {c.formTitle} · <a href={`#/cases/${c.caseId}`}>{c.caseNumber}</a> ·{" "}
                {c.ratedAt.slice(0, 10)}
              </p>
              <blockquote>{c.comment}</blockquote>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The monthly service reports kept for the organisation (docs/statistics.md §6), newest first, each the PDF
 * that was emailed to its contact person. */
function ServiceReports({ organisation, words }) {
  const { language } = useWords();
  const [reports, setReports] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setReports(null);
    api("GET", `/statistics/reports?organisation=${encodeURIComponent(organisation)}`, { language })
      .then((reply) => setReports(reply.items))
      .catch((e) => setError(e.message));
  }, [organisation, language]);
  const fetchPdf = (month) =>
    download(
      `/statistics/reports/${month}?organisation=${encodeURIComponent(organisation)}`,
      `${words.report}-${organisation}-${month}.pdf`,
      { language },
    ).catch((e) => setError(e.message));
  return (
    <section className="service-reports" aria-labelledby="service-reports" data-testid="service-reports">
      <h3 id="service-reports">{words.reports}</h3>
      <p>{words.reportsLead}</p>
      {error && <p role="alert">{error}</p>}
      {reports && reports.length === 0 && <p>{words.reportsNone}</p>}
      {reports && reports.length > 0 && (
        <ul>
          {reports.map(({ month }) => (
            <li key={month}>
              <button type="button" className="link" onClick={() => fetchPdf(month)} data-testid={`report-${month}`}>
                {words.report} {monthName(month, language)} (PDF)
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A chart's numbers month by month, for whoever reads the table rather than the picture: ``columns`` are
 * [heading, (figures) => cell]. */
function MonthTable({ labelledBy, testId, months, labels, words, columns }) {
  return (
    <table className="figures" aria-labelledby={labelledBy} data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">{words.month}</th>
          {columns.map(([heading]) => (
            <th scope="col" key={heading}>
              {heading}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {months.map((m, n) => (
          <tr key={m.month}>
            <th scope="row">{labels[n]}</th>
            {columns.map(([heading, cell]) => (
              <td key={heading}>{cell(m.figures)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A labelled choice of ``{ id, name }``s. */
function Choice({ label, value, onChange, choices, testId }) {
  return (
    <label>
      {label}
      <select value={value} onChange={onChange} data-testid={testId}>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A month of the last three years, named in the page's language (a browser's own month field speaks the
 * browser's, not the page's). */
function MonthPicker({ value, onChange, testId }) {
  const { language } = useWords();
  const choices = Array.from({ length: 36 }, (_, n) => thisMonth(-n));
  return (
    <select value={value} onChange={onChange} data-testid={testId}>
      {choices.map((m) => (
        <option key={m} value={m}>
          {monthName(m, language)}
        </option>
      ))}
    </select>
  );
}

function Breakdown({ title, heading, rows, columns, words }) {
  const { language } = useWords();
  if (rows.length === 0) return null;
  const shown = (figures, name) => (SHARES.includes(name) ? percent(figures[name], language) : figures[name]);
  return (
    <table className="figures">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          {columns.map((name) => (
            <th scope="col" key={name}>
              {words[name]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <th scope="row">{row.title || row.name || row.id}</th>
            {columns.map((name) => (
              <td key={name}>{shown(row.figures, name)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
