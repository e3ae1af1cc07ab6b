// The API client: bearer token, language and JSON problems, in one place.

const config = window.EFORMS || { apiBase: "", signIn: "dev" };
const TOKEN_KEY = "eforms.token";
const USER_KEY = "eforms.user";

export function currentUser() {
  const raw = sessionStorage.getItem(USER_KEY);
  return raw ? JSON.parse(raw) : null;
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(method, path, { body, language } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": language || "sv" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(config.apiBase + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && token) {
    // The session's token expired (or was revoked): back to the sign-in page, then to this view.
    signOut();
    window.location.reload();
  }
  const text = await response.text();
  const payload = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, payload);
  return payload;
}

/** Local sign-in: the dev token issuer signs a token for a demo persona. */
export async function signInAs(persona) {
  const reply = await api("POST", "/dev/token", { body: { persona: persona.id } });
  sessionStorage.setItem(TOKEN_KEY, reply.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(persona));
}

export const signInMode = config.signIn;

/** OIDC sign-in (config.signIn === "oidc"): off to the provider; the page comes back signed in. */
export async function signInWithProvider() {
  const { startSignIn } = await import("./oidc.js");
  await startSignIn(config.oidc);
}

/** Finish an OIDC sign-in if this page load is the provider's redirect back; true when signed in now. */
export async function finishSignIn() {
  if (signInMode !== "oidc" || !new URLSearchParams(window.location.search).has("state")) return false;
  const { completeSignIn } = await import("./oidc.js");
  const result = await completeSignIn(config.oidc);
  if (!result) return false;
  sessionStorage.setItem(TOKEN_KEY, result.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(result.user));
  return true;
}
