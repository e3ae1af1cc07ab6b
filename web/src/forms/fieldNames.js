// How an error names its field: by the title the schema gives it, and within a repeated group by the row's
// number as the form shows it ("Rad 3", not the pointer's 0-based "rows 2").

/** ``{ title, row }`` for the field at ``path`` (["rows", "2", "date"]): the schema's title of the field (null
 * for a whole row), and the 1-based number of the innermost row it is in (null outside rows). */
export function fieldName(schema, path) {
  let node = schema;
  let row = null;
  for (const part of path) {
    if (/^\d+$/.test(part)) {
      node = node?.items;
      row = Number(part) + 1;
    } else {
      node = node?.properties?.[part];
    }
  }
  const wholeRow = /^\d+$/.test(path[path.length - 1] || "");
  const title = wholeRow ? null : node?.title || (row ? null : path.join(" "));
  return { title, row };
}

/** The words a summary line starts with: "Rad 3, Datum", "Rad 3", "Rubrik". */
export function nameOf({ title, row }, rowWord) {
  return [row ? `${rowWord} ${row}` : null, title].filter(Boolean).join(", ") || null;
}
