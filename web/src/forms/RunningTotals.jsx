import { number } from "../i18n.js";
import { compute } from "./totals.js";

/** In place of a form's computed field (``x-totals.into``): the sums so far, per group and in all, as the
 * sender types. Read only — nobody edits a sum (rjsf drew an empty map with an "add" button) — and never sent:
 * the server computes the totals the case keeps by the same rule. */
export default function RunningTotals({ schema, idSchema, fieldPathId, registry }) {
  const { formData, totals: spec, t, language } = registry.formContext || {};
  if (!spec || !t) return null;
  const sums = Object.entries(compute(spec, formData));
  const all = sums.reduce((sum, [, hours]) => sum + hours, 0);
  const id = `${fieldPathId?.$id || idSchema?.$id || "root_totals"}-title`;
  return (
    <div className="running-totals" role="group" aria-labelledby={id} data-testid="running-totals">
      <p className="control-label" id={id}>
        {schema.title}
      </p>
      {sums.length === 0 ? (
        <p>{t.totals.none}</p>
      ) : (
        <table>
          <tbody>
            {sums.filter(([group]) => group).map(([group, hours]) => (
              <tr key={group}>
                <th scope="row">{group}</th>
                <td>{t.totals.hours({ n: number(hours, language) })}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.totals.all}</th>
              <td data-testid="grand-total">{t.totals.hours({ n: number(Math.round(all * 100) / 100, language) })}</td>
            </tr>
          </tfoot>
        </table>
      )}
      <p className="field-description">{t.totals.note}</p>
    </div>
  );
}
