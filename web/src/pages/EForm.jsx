import Form from "@rjsf/core";
import { TranslatableString, replaceStringParameters } from "@rjsf/utils";

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

const TEMPLATES = {
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
  };
  return (key, params) => replaceStringParameters(own[key] ?? key, params);
}

/** Every form of the client: rjsf with the words and buttons above. Rows are added and removed, not
 * reordered (the order of a time report's rows means nothing); a form's own uiSchema may say otherwise. */
export default function EForm({ t, uiSchema, ...props }) {
  const ui = { ...uiSchema, "ui:globalOptions": { orderable: false, copyable: false, ...uiSchema?.["ui:globalOptions"] } };
  return <Form {...props} uiSchema={ui} templates={TEMPLATES} translateString={translator(t)} />;
}
