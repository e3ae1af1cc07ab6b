import { useEffect, useRef, useState } from "react";
import { api, download } from "../api.js";
import { month as monthName } from "../i18n.js";

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
/** The promise a share is held against: every case answered in time; none sent back. */
const TARGETS = { feedbackInTime: 1, certificatesInTime: 1 };

function thisMonth(offset = 0) {
  const now = new Date();
  const date = new Date(now.getFullYear(), now.getMonth() + offset, 1);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}`;
}

const NUMBER_LOCALES = { sv: "sv-SE", en: "en-GB", da: "da-DK" };

function percent(share, language) {
  if (!share || share.share === null) return "—";
  const value = (share.share * 100).toLocaleString(NUMBER_LOCALES[language], { maximumFractionDigits: 1 });
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
export default function Statistics({ language, t }) {
  const words = t.stats;
  const [organisations, setOrganisations] = useState(null); // null until known: whose figures to ask for
  const [filters, setFilters] = useState({ organisation: "", from: thisMonth(-11), to: thisMonth() });
  const [applied, setApplied] = useState(filters);
  const [found, setFound] = useState(null);
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
  }, [query, language, organisations]);
  const set = (name) => (event) => setFilters({ ...filters, [name]: event.target.value });
  const months = found ? found.months : [];
  const labels = months.map((m) => monthName(m.month, language));
  const volumes = {
    type: "bar",
    data: {
      labels,
      datasets: [
        { label: words.received, data: months.map((m) => m.figures.received), backgroundColor: "#1d5189" },
        { label: words.closed, data: months.map((m) => m.figures.closed), backgroundColor: "#7a9cc6" },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false },
  };
  const trend = {
    type: "line",
    data: {
      labels,
      datasets: [
        {
          label: words.feedbackInTime,
          data: months.map((m) => (m.figures.feedbackInTime.share === null ? null : m.figures.feedbackInTime.share * 100)),
          borderColor: "#1d5189",
        },
        {
          label: `${words.target} ${TARGETS.feedbackInTime * 100} %`,
          data: months.map(() => TARGETS.feedbackInTime * 100),
          borderColor: "#b3261e",
          borderDash: [6, 4],
          pointRadius: 0,
        },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } },
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
        }}
      >
        {organisations && organisations.length > 0 && (
          <label>
            {words.organisation}
            <select value={filters.organisation} onChange={set("organisation")} data-testid="statistics-organisation">
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {words.from}
          <MonthPicker value={filters.from} onChange={set("from")} language={language} testId="statistics-from" />
        </label>
        <label>
          {words.to}
          <MonthPicker value={filters.to} onChange={set("to")} language={language} testId="statistics-to" />
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
            <table className="figures" aria-labelledby="volumes">
              <thead>
                <tr>
                  <th scope="col">{words.month}</th>
                  <th scope="col">{words.received}</th>
                  <th scope="col">{words.closed}</th>
                  <th scope="col">{words.feedbackInTime}</th>
                </tr>
              </thead>
              <tbody>
                {months.map((m, n) => (
                  <tr key={m.month}>
                    <th scope="row">{labels[n]}</th>
                    <td>{m.figures.received}</td>
                    <td>{m.figures.closed}</td>
                    <td>{percent(m.figures.feedbackInTime, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="chart-with-table">
            <h3>{words.feedbackTrend}</h3>
            <Chart config={trend} label={words.feedbackTrend} />
          </div>
          <Breakdown
            title={words.byForm}
            heading={words.form}
            rows={found.forms}
            columns={["received", "closed", "feedbackInTime", "fourEyesReturns"]}
            words={words}
            language={language}
          />
          {found.officers && (
            <Breakdown
              title={words.byOfficer}
              heading={words.officer}
              rows={found.officers}
              columns={["handled", "registrations", "fourEyesReturns"]}
              words={words}
              language={language}
            />
          )}
        </>
      )}
    </section>
  );
}

/** A month of the last three years, named in the page's language (a browser's own month field speaks the
 * browser's, not the page's). */
function MonthPicker({ value, onChange, language, testId }) {
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

function Breakdown({ title, heading, rows, columns, words, language }) {
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
