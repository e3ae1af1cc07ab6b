import { month } from "../i18n.js";
import { useWords } from "../words.js";

const DATES = ["from", "to", "date"];
const NUMBERS = ["extent", "hours", "quantity", "amount"];

/** The pay transactions a case gives (``found.transactions``: the server's, by the form's rules and the
 * organisation's codes): editable while the officer registers them, shown as confirmed to the second officer.
 * ``problemAt(pointer)`` gives the server's refusal of one value, shown under it. */
export default function PayTransactions({ rows, onChange, problemAt }) {
  const { t } = useWords();
  if (!rows?.length) return null;
  const editable = Boolean(onChange);
  const set = (index, name, value) =>
    onChange(rows.map((row, n) => (n === index ? { ...row, [name]: NUMBERS.includes(name) ? Number(value) : value } : row)));
  return (
    <div className="pay-transactions" data-testid="pay-transactions">
      <h3>{t.pay.title}</h3>
      {editable && <p className="hint">{t.pay.intro}</p>}
      {rows.map((row, index) => (
        <dl key={`${row.item}-${index}`} className="facts">
          <dt>{t.pay.item}</dt>
          <dd>
            {t.pay.items[row.item] || row.item} ({t.pay.code} {row.code})
          </dd>
          {row.employee && [
            <dt key="employee-t">{t.pay.employee}</dt>,
            <dd key="employee-d">{row.employee}</dd>,
          ]}
          {[...DATES, ...NUMBERS]
            .filter((name) => name in row)
            .map((name) => {
              const pointer = `/transactions/${index}/${name}`;
              const problem = problemAt?.(pointer);
              const id = `tx-${index}-${name}`;
              return [
                <dt key={`${name}-t`}>
                  <label htmlFor={id}>{t.pay[name]}</label>
                </dt>,
                <dd key={`${name}-d`}>
                  {editable ? (
                    <input
                      id={id}
                      type={DATES.includes(name) ? "date" : "number"}
                      step="any"
                      min={DATES.includes(name) ? undefined : 0}
                      value={row[name] ?? ""}
                      aria-invalid={problem ? true : undefined}
                      aria-describedby={problem ? `${id}-error` : undefined}
                      onChange={(event) => set(index, name, event.target.value)}
                    />
                  ) : (
                    <span id={id}>{row[name]}</span>
                  )}
                  {problem && (
                    <span className="field-error" id={`${id}-error`}>
                      {problem}
                    </span>
                  )}
                </dd>,
              ];
            })}
        </dl>
      ))}
    </div>
  );
}

/** Once the registration is approved: the pay-run file its transactions wait for, or the one that holds them
 * (``found.payRun``, the server's; docs/records.md §5), with the way to the desk's pay-run files. */
export function PayRunState({ payRun }) {
  const { language, t } = useWords();
  if (!payRun) return null;
  const said = payRun.state === "pending" ? t.pay.waitsForFile : t.pay.inFile;
  return (
    <p data-testid="pay-run-state">
      {said({ month: month(payRun.payPeriod, language) })} <a href="#/desk/pay-runs">{t.payRuns.title}</a>
    </p>
  );
}
