import { useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import LoadMore from "../components/LoadMore.jsx";
import { Problem, useAction } from "../components/Problem.jsx";
import { month, when } from "../i18n.js";
import { useWords } from "../words.js";
import { periodsOffered } from "./payRunPeriods.js";

const POLL_MS = 2000;

const POLLS = 30; // a minute: a batch not made by then is stuck (its message dead-lettered), asked for again

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
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    api("GET", "/desk/teams", { language }).then((reply) => {
      const served = reply.items.flatMap((team) => team.organisations);
      setOrganisations(served);
      setOrganisation((before) => before || served[0]?.id || "");
    });
  }, [language]);
  const query = `organisation=${encodeURIComponent(organisation)}`;
  // The first page, or (with a token) the next one added under it: every file the organisation has.
  const load = useCallback(
    (nextToken) => {
      if (!organisation) return Promise.resolve();
      const more = nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : "";
      return api("GET", `/pay-runs?${query}${more}`, { language }).then((reply) =>
        setFound((before) => (nextToken && before ? { ...reply, items: [...before.items, ...reply.items] } : reply)),
      );
    },
    [organisation, query, language],
  );
  useEffect(() => {
    setFound(null);
    load();
  }, [load]);
  const making = found?.items.some((batch) => batch.state !== "ready");
  useEffect(() => {
    if (!making || polls >= POLLS) return undefined;
    const timer = setTimeout(() => load().then(() => setPolls((n) => n + 1)), POLL_MS);
    return () => clearTimeout(timer);
  }, [making, polls, load]);
  const { offered, chosen: suggested } = periodsOffered(found?.pending.periods || [], found?.items[0]?.payPeriod);
  const chosen = offered.includes(period) ? period : suggested;
  const [problem, run] = useAction(() => {
    setPolls(0);
    return load();
  });
  const ask = (payPeriod) => run(() => api("POST", `/pay-runs?${query}`, { language, body: { payPeriod } }));
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
      {organisations && organisations.length === 0 && <p>{words.noOrganisations}</p>}
      {!found && organisations?.length !== 0 && <p>{t.loading}</p>}
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
              ask(chosen);
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
                      {batch.state !== "ready" && polls >= POLLS && (
                        <>
                          {" "}
                          {words.slow}{" "}
                          <button type="button" className="secondary" onClick={() => ask(batch.payPeriod)}>
                            {words.askAgain}
                          </button>
                        </>
                      )}
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
                          onClick={() =>
                            run(async () => {
                              const ready = await api("GET", `/pay-runs/${batch.payPeriod}?${query}`, { language });
                              window.location.assign(ready.download.url);
                            })
                          }
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
          <LoadMore nextToken={found.nextToken} load={load} />
        </>
      )}
    </section>
  );
}
