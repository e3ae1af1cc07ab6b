// Where the API is and how people sign in. Locally the API is on the same origin and personas sign in
// through the dev token issuer. A deployment overwrites this file with signIn: "oidc" and its provider
// (docs/operations.md, "First deploy"); tests/e2e/test_browser.py runs that flow against the dev provider.
window.EFORMS = { apiBase: "", signIn: "dev", accessibilityContact: "tillganglighet@lonecentrum.example", country: "SE" };
