// Sign-in with the organisation's OpenID Connect provider: authorization code flow with PKCE, as a public
// client (no secret in a browser). The provider's endpoints come from its discovery document, so the
// deployment's config.js names only the issuer and the client id (docs/operations.md, "First deploy").
// Locally the dev identity provider in devstack/front.py plays the provider.

const PENDING_KEY = "eforms.oidc.pending";

function base64url(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomString(byteCount) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

async function discover(issuer) {
  const response = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OIDC discovery failed (${response.status})`);
  return response.json();
}

function redirectUri() {
  return `${window.location.origin}${window.location.pathname}`;
}

/** Leave for the provider's sign-in page; it comes back to this page with ?code=…&state=…. */
export async function startSignIn(oidc) {
  const provider = await discover(oidc.issuer);
  const verifier = randomString(48);
  const state = randomString(24);
  const challenge = base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, back: window.location.hash }));
  const query = new URLSearchParams({
    response_type: "code",
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scope || "openid profile email",
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  window.location.assign(`${provider.authorization_endpoint}?${query}`);
}

function claimsOf(jwt) {
  const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const json = decodeURIComponent(
    Array.from(atob(payload), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`).join(""),
  );
  return JSON.parse(json);
}

function rolesOf(claims) {
  const raw = claims.roles ?? [];
  return (Array.isArray(raw) ? raw : String(raw).split(/[\s,]+/)).map((r) => String(r).toLowerCase()).filter(Boolean);
}

/**
 * On return from the provider: trade the code for tokens. Returns { token, user, back } or null when this
 * page load is not a return from the provider. Throws when the return is not the one this tab started.
 */
export async function completeSignIn(oidc) {
  const params = new URLSearchParams(window.location.search);
  if (!params.has("code") && !params.has("error")) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || "null");
  sessionStorage.removeItem(PENDING_KEY);
  window.history.replaceState(null, "", redirectUri() + (pending?.back || ""));
  if (params.has("error")) throw new Error(params.get("error_description") || params.get("error"));
  if (!pending || params.get("state") !== pending.state) throw new Error("The sign-in was not started here.");
  const provider = await discover(oidc.issuer);
  const response = await fetch(provider.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code: params.get("code"),
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = await response.json();
  if (!response.ok) throw new Error(tokens.error_description || tokens.error || `HTTP ${response.status}`);
  // The API's JWT authorizer accepts the token whose audience it is configured with: the id token by
  // default (audience = this client's id), or the access token when the provider issues one for the API.
  const token = oidc.token === "access_token" ? tokens.access_token : tokens.id_token;
  const claims = claimsOf(tokens.id_token);
  const user = { id: claims[oidc.idClaim || "sub"], name: claims.name || claims.email || "", roles: rolesOf(claims) };
  return { token, user, back: pending.back };
}
