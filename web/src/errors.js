// The server's field errors, shown at their fields in react-jsonschema-form.

/** A 422 problem's errors (pointers into the request body) as rjsf's extraErrors, rooted at ``base``. */
export function toErrorSchema(problem, base = "/data") {
  const schema = {};
  for (const error of problem?.errors || []) {
    if (!error.pointer.startsWith(base)) continue;
    const path = error.pointer
      .slice(base.length)
      .split("/")
      .filter(Boolean)
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
    let node = schema;
    for (const part of path) node = node[part] = node[part] || {};
    node.__errors = [...(node.__errors || []), error.message];
  }
  return schema;
}

/** Errors the form cannot place at a field (pointer outside ``bases``), as plain messages. */
export function generalErrors(problem, ...bases) {
  const at = bases.length ? bases : ["/data"];
  const isPlaced = (error) => at.some((base) => error.pointer.startsWith(base));
  const placed = (problem?.errors || []).filter(isPlaced);
  const other = (problem?.errors || []).filter((e) => !isPlaced(e)).map((e) => e.message);
  return placed.length || other.length ? other : [problem?.title || "Error"];
}
