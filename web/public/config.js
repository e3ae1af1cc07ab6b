// Where the API is and how people sign in. Locally the API is on the same origin and personas sign in
// through the dev token issuer; a deployment overwrites this file (docs/operations.md).
window.EFORMS = { apiBase: "", signIn: "dev" };
