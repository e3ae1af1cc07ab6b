import { customizeValidator } from "@rjsf/validator-ajv8";
import Ajv2020 from "ajv/dist/2020.js";

/**
 * react-jsonschema-form's validator (ajv) for our draft 2020-12 schemas. The same instance decides the
 * example documents in tests (scripts/validate-examples.mjs), so browser and server are checked to agree.
 * ``x-`` keywords are our annotations (translations, form metadata) and carry no validation.
 */
export function validatorFor() {
  return customizeValidator({ AjvClass: Ajv2020, ajvOptionsOverrides: { strict: false } });
}
