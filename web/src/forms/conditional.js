// Fields that apply only under a condition, read from the form's own JSON Schema (issue 29 §2): an ``allOf``
// rule whose ``then`` requires a field and whose ``else`` forbids it (``{"not": {"required": [...]}}``) makes
// the field part of the form only while its ``if`` holds — the child's birth date for parental leave, the
// postal address for delivery by post. The server's validator refuses such a field otherwise (the same
// rule); the form shows it only while it applies, and drops what was typed into it once it does not.

/** ``[{ names, when }]``: each rule's conditional fields and the condition (an ``if`` schema) they need. */
export function conditionalFields(schema) {
  const found = [];
  for (const rule of schema?.allOf || []) {
    const required = rule?.then?.required || [];
    const forbidden = rule?.else?.not?.required || [];
    const names = required.filter((name) => forbidden.includes(name));
    if (rule?.if && names.length) found.push({ names, when: rule.if });
  }
  return found;
}

/** The conditional fields that do not apply to ``data`` now (``holds(condition, data)`` decides an ``if``). */
export function notApplying(schema, data, holds) {
  const hidden = new Set();
  for (const { names, when } of conditionalFields(schema)) {
    if (!holds(when, data)) names.forEach((name) => hidden.add(name));
  }
  return [...hidden];
}

/** ``data`` without the fields in ``names`` (what was typed into a field that no longer applies). */
export function without(data, names) {
  if (!names.length) return data;
  return Object.fromEntries(Object.entries(data || {}).filter(([name]) => !names.includes(name)));
}
