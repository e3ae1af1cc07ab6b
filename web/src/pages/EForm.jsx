import Form, { getDefaultRegistry } from "@rjsf/core";
import { TranslatableString, replaceStringParameters } from "@rjsf/utils";
import RunningTotals from "../forms/RunningTotals.jsx";
import { useWords } from "../words.js";

const { ObjectFieldTemplate } = getDefaultRegistry().templates;

/** A button of a repeatable group (rows of a time report, survivors, dates) that says what it does.
 *
 * rjsf's own buttons draw a Bootstrap glyph icon, and this client loads no Bootstrap: they were blank blue
 * pills with an English tooltip. The words come from the reader's language through ``translateString``. */
function wordButton(key, kind) {
  function WordButton({ className = "", registry, uiSchema, iconType, icon, ...rest }) {
    return (
      <button type="button" className={`${className} ${kind}`.trim()} {...rest}>
        {registry.translateString(key)}
      </button>
    );
  }
  return WordButton;
}

/** What a row says about itself when folded: its first few answers ("2026-12-01, PROJ1, 08:00"). */
function brief(data) {
  const answers = Object.values(data || {}).filter((v) => ["string", "number"].includes(typeof v) && v !== "");
  return answers.slice(0, 3).join(", ");
}

/** A repeated group's items are titled "Rad 1", "Rad 2" rather than rjsf's "Rader-1" (the group's title, a
 * hyphen and the number). Only that pattern is changed: an item whose schema has its own title keeps it.
 *
 * Each row folds (a month's time report is 20 rows: on a phone, a long scroll): its title opens and closes
 * it, and a folded row still says what it holds. Rows start open, so no answer and no error is hidden until
 * the person folds it. */
function NumberedItem(props) {
  const index = /_(\d+)$/.exec(props.fieldPathId?.$id ?? "");
  const number = index && Number(index[1]) + 1;
  const generated = number && typeof props.title === "string" && props.title.endsWith(`-${number}`);
  if (!generated) return <ObjectFieldTemplate {...props} />;
  const title = `${props.registry.translateString(TranslatableString.ArrayItemTitle)} ${number}`;
  const said = brief(props.formData);
  return (
    <details className="row" open data-testid="row">
      <summary>
        <span className="row-title">{title}</span>
        {said && <span className="row-brief">{said}</span>}
      </summary>
      <ObjectFieldTemplate {...props} title="" />
    </details>
  );
}

// A field that does not apply to the answers so far (forms/conditional.js) is not drawn at all.
const FIELDS = { runningTotals: RunningTotals, notApplying: () => null };

const TEMPLATES = {
  ObjectFieldTemplate: NumberedItem,
  ButtonTemplates: {
    AddButton: wordButton(TranslatableString.AddItemButton, "row-add"),
    RemoveButton: wordButton(TranslatableString.RemoveButton, "secondary row-remove"),
    MoveUpButton: wordButton(TranslatableString.MoveUpButton, "secondary"),
    MoveDownButton: wordButton(TranslatableString.MoveDownButton, "secondary"),
    CopyButton: wordButton(TranslatableString.CopyButton, "secondary"),
  },
};

/** rjsf's own words (buttons, an empty list) in the reader's language; the rest stay rjsf's. */
function translator(t) {
  const own = {
    [TranslatableString.AddItemButton]: t.rows.add,
    [TranslatableString.AddButton]: t.rows.add,
    [TranslatableString.RemoveButton]: t.rows.remove,
    [TranslatableString.MoveUpButton]: t.rows.up,
    [TranslatableString.MoveDownButton]: t.rows.down,
    [TranslatableString.CopyButton]: t.rows.copy,
    [TranslatableString.EmptyArray]: t.rows.none,
    [TranslatableString.ArrayItemTitle]: t.rows.item,
    // A yes/no question's answers: rjsf's own are English ("Yes" / "No") inside a Swedish form.
    [TranslatableString.YesLabel]: t.yes,
    [TranslatableString.NoLabel]: t.no,
  };
  return (key, params) => replaceStringParameters(own[key] ?? key, params);
}

/** Every form of the client: rjsf with the words, buttons and item titles above. Rows are added and
 * removed, not reordered (the order of a time report's rows means nothing); a form's own uiSchema may say
 * otherwise. */
export default function EForm({ uiSchema, ...props }) {
  const { language, t } = useWords();
  // A form only shown (the case page) has no row buttons at all, rather than greyed-out ones.
  const shown = props.disabled ? { addable: false, removable: false } : {};
  const global = { orderable: false, copyable: false, ...shown, ...uiSchema?.["ui:globalOptions"] };
  const ui = { ...uiSchema, "ui:globalOptions": global };
  // A computed field (x-totals.into) is the running sums, read only, by the server's rule.
  const totals = props.schema?.["x-totals"];
  if (totals?.into) ui[totals.into] = { ...ui[totals.into], "ui:field": "runningTotals" };
  const formContext = { ...props.formContext, formData: props.formData, totals, t, language };
  return (
    <Form
      {...props}
      uiSchema={ui}
      fields={FIELDS}
      formContext={formContext}
      templates={TEMPLATES}
      translateString={translator(t)}
    />
  );
}
