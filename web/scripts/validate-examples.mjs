// Runs documents through the web client's own validator (react-jsonschema-form's ajv, as configured in
// src/validator.js) so the tests can check that browser and server agree on every example.
// stdin: [{"schema": {...}, "data": {...}}, ...]  stdout: [{"valid": bool, "pointers": [...]}, ...]
import { readFileSync } from "node:fs";
import { validatorFor } from "../src/validator.js";

const validator = validatorFor();
const cases = JSON.parse(readFileSync(0, "utf-8"));
const results = cases.map(({ schema, data }) => {
  const { errors } = validator.rawValidation(schema, data);
  const pointers = new Set();
  for (const error of errors || []) {
    // "if" only says which branch applied; "const" is the detail of a failed oneOf choice, reported at its oneOf.
    if (["if", "const"].includes(error.keyword)) continue;
    const missing = error.keyword === "required" ? `/${error.params.missingProperty}` : "";
    pointers.add(error.instancePath + missing);
  }
  return { valid: !errors || errors.length === 0, pointers: [...pointers].sort() };
});
process.stdout.write(JSON.stringify(results));
