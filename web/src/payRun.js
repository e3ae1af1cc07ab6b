/** Which pay run a form sent now reaches, told before sending ("Skicka senast 8 januari för att nå
 * januarilönen"). The server owns the calendar: `expected.payRuns` lists the pay runs a case sent today can
 * still make, each with its last day to send (docs/desk.md, "Pay period"). The page only picks the first one
 * not earlier than the month the answers concern — the earliest date or month at the form's declared
 * `expected.payMonthFrom` pointers, as the server picks it when payroll receives the case. */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])(?:-\d{2})?$/;

function monthsAt(node, parts) {
  if (!parts.length) {
    const found = typeof node === "string" ? MONTH.exec(node) : null;
    return found ? [`${found[1]}-${found[2]}`] : [];
  }
  const [head, ...rest] = parts;
  if (head === "*") return Array.isArray(node) ? node.flatMap((item) => monthsAt(item, rest)) : [];
  return node && typeof node === "object" && head in node ? monthsAt(node[head], rest) : [];
}

/** The earliest YYYY-MM at `pointers` in `data`, or null. */
export function concernedMonth(pointers, data) {
  const found = (pointers || []).flatMap((pointer) => monthsAt(data, pointer.split("/").slice(1)));
  return found.length ? found.sort()[0] : null;
}

/** The pay run `{payPeriod, sendBy}` the answers reach if sent now, or null (none in the calendar). */
export function payRunFor(expected, data) {
  const floor = concernedMonth(expected?.payMonthFrom, data);
  return (expected?.payRuns || []).find((run) => !floor || run.payPeriod >= floor) || null;
}
