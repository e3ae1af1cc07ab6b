import { useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import { Problem, useAction } from "../components/Problem.jsx";
import { month, when } from "../i18n.js";
import { useWords } from "../words.js";

const POLL_MS = 2000;

/** This month and the next (Stockholm), the periods a file may be made for, with any still waiting. */
function periodsOffered(pending) {
  const [year, monthNow] = new Date()
    .toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" })
    .split("-")
    .map(Number);
  const pad = (n) => String(n).padStart(2, "0");
  const next = monthNow === 12 ? `${year + 1}-01` : `${year}-${pad(monthNow + 1)}`;
  return [...new Set([...pending, `${year}-${pad(monthNow)}`, next])].sort();
}

/** The organisation's pay-run files (docs/records.md §5): what waits for the next, making a period's file,
 * and every file made, each downloadable once ready. The server decides what a file holds; a batch being made
 * is asked for again every two seconds until it is ready. */
export default function PayRuns() {
  const { language, t } = useWords();
  const words = t.payRuns;
  const [organisations, setOrganisations] = useState(null);
  const [organisation, setOrganisation] = useState("");
  const [found, setFound] = useState(null);
  const [period, setPeriod] = useState("");
  useEffect(() => {
    api("GET", "/desk/teams", { language }).then((reply) => {
      const served = reply.items.flatMap((team) => team.organisations);
      setOrganisations(served);
      setOrganisation((before) => before || served[0]?.id || "");
    });
  }, [language]);
  const query = `organisation=${encodeURIComponent(organisation)}`;
  const load = useCallback(() => {
    if (!organisation) return Promise.resolve();
    return api("GET", `/pay-runs?${query}`, { language }).then(setFound);
  }, [organisation, query, language]);
  useEffect(() => {
    setFound(null);
    load();
  }, [load]);
  const making = found?.items.some((batch) => batch.state !== "ready");
  useEffect(() => {
    if (!making) return undefined;
    const timer = setTimeout(load, POLL_MS);
    return () => clearTimeout(timer);
  }, [making, found, load]);
  const offered = periodsOffered(found?.pending.periods || []);
  const chosen = period || found?.pending.periods[0] || offered[0];
  const [problem, run] = useAction(load);
  const names = (periods) => periods.map((p) => month(p, language)).join(", ");
  return (
    <section>
      <h1>{words.title}</h1>
      <p>{words.intro}</p>
      {organisations && organisations.length > 1 && (
        <label>
          {t.organisation}
          <select value={organisation} data-testid="pay-runs-organisation" onChange={(e) => setOrganisation(e.target.value)}>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {!found && <p>{t.loading}</p>}
      {found && (
        <>
          <p data-testid="pay-runs-pending">
            {found.pending.cases
              ? words.pending({ count: found.pending.cases, periods: names(found.pending.periods) })
              : words.nothingPending}
          </p>
          <form
            className="search"
            onSubmit={(event) => {
              event.preventDefault();
              run(() => api("POST", `/pay-runs?${query}`, { language, body: { payPeriod: chosen } }));
            }}
          >
            <label>
              {words.period}
              <select value={chosen} data-testid="pay-run-period" onChange={(e) => setPeriod(e.target.value)}>
                {offered.map((p) => (
                  <option key={p} value={p}>
                    {month(p, language)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" data-testid="make-pay-run">
              {words.make}
            </button>
          </form>
          <Problem problem={problem} />
          <h2>{words.files}</h2>
          {found.items.length === 0 && <p>{words.none}</p>}
          {found.items.length > 0 && (
            <table className="cases" data-testid="pay-runs">
              <thead>
                <tr>
                  <th scope="col">{words.period}</th>
                  <th scope="col">{words.state}</th>
                  <th scope="col">{words.cases}</th>
                  <th scope="col">{words.transactions}</th>
                  <th scope="col">{words.requestedBy}</th>
                  <th scope="col">{words.cutAt}</th>
                  <th scope="col">{words.download}</th>
                </tr>
              </thead>
              <tbody>
                {found.items.map((batch) => (
                  <tr key={batch.payPeriod} data-testid={`pay-run-${batch.payPeriod}`}>
                    <td data-label={words.period}>{month(batch.payPeriod, language)}</td>
                    <td data-label={words.state}>
                      <span role="status">{words.states[batch.state] || batch.state}</span>
                    </td>
                    <td data-label={words.cases}>{batch.file ? batch.file.cases : "—"}</td>
                    <td data-label={words.transactions}>{batch.file ? batch.file.transactions : "—"}</td>
                    <td data-label={words.requestedBy}>{batch.requestedBy.name}</td>
                    <td data-label={words.cutAt}>{batch.cutAt ? when(batch.cutAt, language) : "—"}</td>
                    <td data-label={words.download}>
                      {batch.file && (
                        <button
                          type="button"
                          data-testid={`download-pay-run-${batch.payPeriod}`}
                          title={`${words.fingerprint} ${batch.file.sha256}`}
                          onClick={async () => {
                            const ready = await api("GET", `/pay-runs/${batch.payPeriod}?${query}`, { language });
                            window.location.assign(ready.download.url);
                          }}
                        >
                          {words.download}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
