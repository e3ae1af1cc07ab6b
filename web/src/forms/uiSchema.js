// How a form is drawn and its answers kept: the helpers every page that shows a form shares (the form page,
// a case under correction, payroll's request to complete). Plain functions, no component: no import cycles.

/** The answers without what was never filled in: an untouched optional group (e.g. "the employee the case
 * concerns") is left out rather than sent as {}, which a schema may forbid unless the group applies. */
export function withoutEmpty(value) {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== "object") return value;
  const kept = {};
  for (const [key, inner] of Object.entries(value)) {
    const cleaned = withoutEmpty(inner);
    const empty = cleaned === undefined || (cleaned && typeof cleaned === "object" && !Array.isArray(cleaned) && !Object.keys(cleaned).length);
    if (!empty) kept[key] = cleaned;
  }
  return kept;
}

/** The form's uiSchema without the title and description of the form as a whole: the page's heading says
 * them already, and read twice they are noise to a screen reader. */
export function untitled(uiSchema) {
  return { ...uiSchema, "ui:options": { ...(uiSchema?.["ui:options"] || {}), label: false } };
}

/** Top-level field name of a JSON pointer ("/period" → "period"). */
export const fieldOf = (pointer) => pointer.split("/")[1];

/** The form's uiSchema with every top-level field read-only except those ``open`` (a correction or a
 * completion reopens only the fields it names). The two look different: a locked field is greyed with the
 * reason under it (``locked``: who did not ask for it), a reopened one is marked and highlighted. */
export function readOnlyExcept(uiSchema, schema, open, { locked, reopened } = {}) {
  const ui = untitled(uiSchema);
  for (const name of Object.keys(schema.properties || {})) {
    const own = ui[name] || {};
    ui[name] = open.includes(name)
      ? { ...own, "ui:classNames": "reopened", ...(reopened ? { "ui:help": reopened } : {}) }
      : { ...own, "ui:readonly": true, "ui:classNames": "locked", ...(locked ? { "ui:help": locked } : {}) };
  }
  return ui;
}

/** The answers with what the sign-in already says (``prefill``: a BankID sign-in's personnummer) set at their
 * fields; a locked one wins over a draft's, an editable one only fills a field still empty. */
export function prefilled(data, prefill = []) {
  const result = structuredClone(data);
  for (const { pointer, value, editable } of prefill) {
    const parts = pointer.split("/").slice(1);
    const last = parts.pop();
    let node = result;
    for (const part of parts) node = node?.[part];
    if (node && typeof node === "object" && (!editable || node[last] === undefined)) node[last] = value;
  }
  return result;
}

/** The uiSchema with each locked prefilled field read-only, saying where its answer came from; an editable one
 * says it was filled in for them and may be changed. */
export function markPrefilled(uiSchema, prefill = [], t) {
  const ui = { ...uiSchema };
  for (const { pointer, source, editable } of prefill) {
    const marks = editable
      ? { "ui:help": t.prefill.editable }
      : { "ui:readonly": true, "ui:help": t.prefill[source], "ui:classNames": "prefilled" };
    const parts = pointer.split("/").slice(1);
    let node = ui;
    parts.forEach((part, index) => {
      node[part] = { ...(node[part] || {}) };
      if (index === parts.length - 1) Object.assign(node[part], marks);
      node = node[part];
    });
  }
  return ui;
}

/** The uiSchema with each field in ``names`` left out of the page (a field that does not apply now). */
export function hide(uiSchema, names) {
  const ui = { ...uiSchema };
  for (const name of names) ui[name] = { ...(ui[name] || {}), "ui:field": "notApplying" };
  return ui;
}
