// Which pay periods the desk offers to make a pay-run file for (docs/records.md §5): plain logic, tested alone.

/** This month (Stockholm) and the next. */
function thisAndNext() {
  const [year, monthNow] = new Date()
    .toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" })
    .split("-")
    .map(Number);
  const pad = (n) => String(n).padStart(2, "0");
  return [`${year}-${pad(monthNow)}`, monthNow === 12 ? `${year + 1}-01` : `${year}-${pad(monthNow + 1)}`];
}

/** The periods a file may be made for: this month, the next and any still waiting, none before the newest file
 * made (the server refuses those: what they hold goes into the next file). This month's first, if it may be. */
export function periodsOffered(pending, newest, now = thisAndNext()) {
  const offered = [...new Set([...pending, ...now])].filter((p) => !newest || p >= newest).sort();
  const chosen = offered.includes(now[0]) ? now[0] : offered[0];
  return { offered, chosen };
}
