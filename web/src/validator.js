import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020.js";

/**
 * react-jsonschema-form's validator (ajv) for our draft 2020-12 schemas. The same instance decides the
 * example documents in tests (scripts/validate-examples.mjs), so browser and server are checked to agree.
 * ``x-`` keywords are our annotations (translations, form metadata) and carry no validation.
 */
export function validatorFor() {
  // multipleOfPrecision: 1234.56 is a multiple of 0.01, as a person counts (in binary floating point
  // 1234.56 / 0.01 is not a whole number); the server counts in decimal the same way.
  return customizeValidator({ AjvClass: Ajv2020, ajvOptionsOverrides: { strict: false, multipleOfPrecision: 9 } });
}

// The browser's field errors in the reader's language, in the server's words (core/common/i18n.py), so a
// person sees the same sentence before and after submitting.
const MESSAGES = {
  sv: {
    required: () => "Fältet är obligatoriskt.",
    minLength: (p) => `För kort (minst ${p.limit} tecken).`,
    maxLength: (p) => `För långt (högst ${p.limit} tecken).`,
    minimum: (p) => `Värdet måste vara minst ${p.limit}.`,
    maximum: (p) => `Värdet får vara högst ${p.limit}.`,
    exclusiveMinimum: (p) => `Värdet måste vara minst ${p.limit}.`,
    exclusiveMaximum: (p) => `Värdet får vara högst ${p.limit}.`,
    multipleOf: (p) => `Värdet måste vara en multipel av ${p.multipleOf}.`,
    minItems: (p) => `Välj minst ${p.limit}.`,
    maxItems: (p) => `Välj högst ${p.limit}.`,
    uniqueItems: () => "Samma val förekommer flera gånger.",
    pattern: () => "Värdet har fel format.",
    format: () => "Värdet har fel format.",
    choice: () => "Välj ett av de tillåtna alternativen.",
    type: () => "Fel typ av värde.",
    other: () => "Värdet passar inte formuläret.",
  },
  en: {
    required: () => "This field is required.",
    minLength: (p) => `Too short (at least ${p.limit} characters).`,
    maxLength: (p) => `Too long (at most ${p.limit} characters).`,
    minimum: (p) => `The value must be at least ${p.limit}.`,
    maximum: (p) => `The value must be at most ${p.limit}.`,
    exclusiveMinimum: (p) => `The value must be at least ${p.limit}.`,
    exclusiveMaximum: (p) => `The value must be at most ${p.limit}.`,
    multipleOf: (p) => `The value must be a multiple of ${p.multipleOf}.`,
    minItems: (p) => `Choose at least ${p.limit}.`,
    maxItems: (p) => `Choose at most ${p.limit}.`,
    uniqueItems: () => "The same option appears more than once.",
    pattern: () => "The value has the wrong format.",
    format: () => "The value has the wrong format.",
    choice: () => "Choose one of the allowed options.",
    type: () => "Wrong type of value.",
    other: () => "The value does not fit the form.",
  },
  da: {
    required: () => "Feltet skal udfyldes.",
    minLength: (p) => `For kort (mindst ${p.limit} tegn).`,
    maxLength: (p) => `For langt (højst ${p.limit} tegn).`,
    minimum: (p) => `Værdien skal være mindst ${p.limit}.`,
    maximum: (p) => `Værdien må højst være ${p.limit}.`,
    exclusiveMinimum: (p) => `Værdien skal være mindst ${p.limit}.`,
    exclusiveMaximum: (p) => `Værdien må højst være ${p.limit}.`,
    multipleOf: (p) => `Værdien skal være et multiplum af ${p.multipleOf}.`,
    minItems: (p) => `Vælg mindst ${p.limit}.`,
    maxItems: (p) => `Vælg højst ${p.limit}.`,
    uniqueItems: () => "Det samme valg forekommer flere gange.",
    pattern: () => "Værdien har forkert format.",
    format: () => "Værdien har forkert format.",
    choice: () => "Vælg en af de tilladte muligheder.",
    type: () => "Forkert type værdi.",
    other: () => "Værdien passer ikke til blanketten.",
  },
};
const CHOICE = new Set(["enum", "const", "oneOf", "anyOf"]);

/** The schema node a "#/properties/…/not" path points into, minus its last keyword: where a rule lives. */
function ruleNode(schema, schemaPath) {
  const parts = (schemaPath || "").replace(/^#\/?/, "").split("/").filter(Boolean).slice(0, -1);
  let node = schema;
  for (const part of parts) {
    node = node?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node && typeof node === "object" ? node : null;
}

/** rjsf's ``transformErrors``: every ajv message in the reader's language; a rule the form explains itself
 * (``x-ruleMessage``, already in the reader's language in the schema the API serves) in the form's words. */
export function errorsIn(language, schema) {
  const words = MESSAGES[language] || MESSAGES.sv;
  return (errors) =>
    errors
      .filter((error) => error.name !== "if" && !(error.name === "const" && error.schemaPath?.includes("/oneOf/")))
      .map((error) => {
        const rule = ruleNode(schema, error.schemaPath)?.["x-ruleMessage"];
        const limit = error.params?.limit;
        const say = rule
          ? () => rule
          : CHOICE.has(error.name)
            ? words.choice
            : words[error.name] || words.other;
        const message = say({ ...error.params, limit });
        return { ...error, message, stack: `${error.property || ""} ${message}`.trim() };
      });
}
