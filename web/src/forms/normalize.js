// The JavaScript twin of layers/shared/eforms/core/forms/normalize.py: a field declaring ``x-case: "upper"`` is
// upper-cased as it is typed, so the form's own check agrees with the server's (tests/unit/test_totals_twin.py
// runs both).

/** ``data`` with every ``x-case: "upper"`` string upper-cased. */
export function normalized(schema, data) {
  if (schema?.["x-case"] === "upper" && typeof data === "string") return data.toUpperCase();
  if (Array.isArray(data)) return schema?.items ? data.map((row) => normalized(schema.items, row)) : data;
  if (data && typeof data === "object") {
    const properties = schema?.properties || {};
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, properties[key] ? normalized(properties[key], value) : value]));
  }
  return data;
}
