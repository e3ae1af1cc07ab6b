import { useEffect, useRef } from "react";
import { generalErrors } from "../errors.js";
import { fieldName, nameOf } from "../forms/fieldNames.js";
import { useWords } from "../words.js";

/** The id react-jsonschema-form gives the field at ``path`` (["period", "to"] → "root_period_to"). */
function fieldId(path) {
  return ["root", ...path].join("_");
}

/** rjsf's client-side errors (``onError``) as summary lines. ``property`` is "period" or ".period.to". */
export function clientErrors(errors, schema) {
  return errors.map((error) => {
    const path = (error.property || "").replace(/^\./, "").split(".").filter(Boolean);
    return { id: path.length ? fieldId(path) : null, name: path.length ? fieldName(schema, path) : null, message: error.message };
  });
}

/** A 422 problem's errors as summary lines: those under ``base`` link to their field, the others are text. */
export function serverErrors(problem, schema, base = "/data", attachmentKinds = []) {
  const placed = (problem?.errors || []).filter((error) => error.pointer.startsWith(base));
  const lines = placed.map((error) => {
    const path = error.pointer
      .slice(base.length)
      .split("/")
      .filter(Boolean)
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
    return { id: path.length ? fieldId(path) : null, name: path.length ? fieldName(schema, path) : null, message: error.message };
  });
  // An attachment's error names its kind (params.kind); one that names none (an expired upload) is text.
  const attached = (problem?.errors || [])
    .filter((error) => error.pointer.startsWith("/attachments"))
    .map((error) => {
      const kind = attachmentKinds.find((k) => k.kind === error.params?.kind);
      return { id: kind ? `attachment-${kind.kind}` : null, label: kind?.title || null, message: error.message };
    });
  const other = generalErrors(problem, base, "/attachments").map((message) => ({ id: null, label: null, message }));
  return [...lines, ...attached, ...other];
}

/** Focus the field with ``id``, or the first control inside it (a group's fieldset, a radio group's
 * options "root_x-0", "root_x-1"), and bring it into view. */
function focusField(id) {
  const CONTROLS = "input:not([type=hidden]), select, textarea, button";
  const target = document.getElementById(id) || document.querySelector(`[id^="${CSS.escape(id)}-"]`);
  const control = target?.matches(CONTROLS) ? target : target?.querySelector(CONTROLS);
  (control || target)?.focus();
  (control || target)?.scrollIntoView({ block: "center" });
}

/**
 * What is wrong with the form, at its top, taking the focus when it appears (WCAG 3.3.1, 2.4.3): a screen
 * reader reads the heading and the list, and each line is a link that moves the focus to its field, whose own
 * error is tied to it by aria-describedby (rjsf's ``<id>__error``).
 */
export default function ErrorSummary({ lines }) {
  const { t } = useWords();
  const box = useRef(null);
  useEffect(() => {
    if (lines.length) box.current?.focus();
  }, [lines]);
  if (!lines.length) return null;
  return (
    <div className="problem error-summary" tabIndex={-1} ref={box} aria-labelledby="error-summary-title" data-testid="error-summary">
      <h2 id="error-summary-title">{t.fixErrors}</h2>
      <ul>
        {lines.map(({ id, name, label: given, message }, index) => {
          const label = name ? nameOf(name, t.rows.item) : given;
          return (
            <li key={`${index}-${id}`}>
              {id && label ? (
                <a
                  href={`#${id}`}
                  onClick={(event) => {
                    event.preventDefault(); // the client's routes live in the hash: move the focus, not the route
                    focusField(id);
                  }}
                >
                  {label}: {message}
                </a>
              ) : label ? (
                `${label}: ${message}`
              ) : (
                message
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
