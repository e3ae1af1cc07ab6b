// How a case's state reads to a person, from what the server says (never re-derived from roles or history).

/** The status with the outcome first once approvers said yes ("Beviljad – hos Lönecentrum"), from the
 * server's ``approved``. */
export function statusText(found, t) {
  return (found.approved && t.approvedStatuses[found.status]) || t.statuses[found.status] || found.status;
}

let sentNow = null;

/** The case just filed here: its page opens as the receipt (once; a reload or a later visit is the case page). */
export function markSent(caseId) {
  sentNow = caseId;
}

export function takeSent(caseId) {
  const sent = sentNow === caseId;
  if (sent) sentNow = null;
  return sent;
}
