// Running totals while a form is filled in, by the rule the server uses (``x-totals``:
// layers/shared/eforms/core/forms/totals.py). The server stays authoritative: it computes the totals the case
// keeps; these only show the sender the same sums as they type. tests/unit/test_totals_twin.py runs both on
// the same rows and fails if they ever differ.

const TIME = /^([01][0-9]|2[0-3]):([0-5][0-9])$/;

/** ``HH:MM`` as minutes after midnight, or null for anything else. */
export function minutes(value) {
  const match = typeof value === "string" ? TIME.exec(value) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

const isNumber = (value) => typeof value === "number" && Number.isFinite(value);

function hours(spec, row) {
  const given = row[String(spec.hours)];
  if (isNumber(given)) return given;
  const start = minutes(row[String(spec.start)]);
  const end = minutes(row[String(spec.end)]);
  if (start === null || end === null || start === end) return null;
  return (((end - start) % 1440) + 1440) % 1440 / 60;
}

/** Hours per group, in the order the groups first appear; rows that are not well formed count nothing. */
export function compute(spec, data) {
  const rows = data && typeof data === "object" ? data[spec.rows] : null;
  const totals = new Map();
  const by = spec.by; // without it (an overtime report's shifts), one sum under the empty group
  for (const row of Array.isArray(rows) ? rows : []) {
    if (!row || typeof row !== "object" || Array.isArray(row)) continue;
    if (by !== undefined && typeof row[by] !== "string") continue;
    const counted = hours(spec, row);
    if (counted === null) continue;
    const group = by !== undefined ? row[by] : "";
    totals.set(group, Math.round(((totals.get(group) || 0) + counted) * 100) / 100);
  }
  return Object.fromEntries(totals);
}
