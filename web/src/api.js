// The API client: bearer token, language and JSON problems, in one place.

const config = window.EFORMS || { apiBase: "", signIn: "dev" };
const TOKEN_KEY = "eforms.token";
const USER_KEY = "eforms.user";
// "bankid" while signed in with BankID: the API takes the broker's tokens on its /bankid routes.
const VIA_KEY = "eforms.via";
// The organisation a BankID sign-in's errand is for (BankID names a person, not an organisation).
const ERRAND_KEY = "eforms.errand";
const BANKID_API = "/bankid";
const DEV_BANKID = "/bankid-idp";

export function currentUser() {
  const raw = sessionStorage.getItem(USER_KEY);
  return raw ? JSON.parse(raw) : null;
}

/** Whether the signed-in person works at the payroll desk: an officer, or the centre-wide role. Only for the
 * menu and the page's layout; what they may do with a case is the server's answer (``actions``). */
export function worksAtDesk(roles = []) {
  return roles.includes("payroll") || roles.includes("centre");
}

/** The organisation a BankID errand is for: sent with every request while signed in with BankID. */
export function setErrandOrganisation(organisationId) {
  if (organisationId) sessionStorage.setItem(ERRAND_KEY, organisationId);
  else sessionStorage.removeItem(ERRAND_KEY);
}

export function signOut() {
  sessionStorage.removeItem(ERRAND_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  sessionStorage.removeItem(VIA_KEY);
}

/** Signed in with BankID (a former employee or an outsider) rather than a work account. */
export function signedInWithBankId() {
  return sessionStorage.getItem(VIA_KEY) === "bankid";
}

/** Where an API path is served: the dev identity providers as they are, the rest under /bankid when
 * signed in with BankID. */
function urlOf(path) {
  const own = path.startsWith("/dev/") || path.startsWith(`${DEV_BANKID}/`);
  return config.apiBase + (!own && signedInWithBankId() ? BANKID_API : "") + path;
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
  const errand = sessionStorage.getItem(ERRAND_KEY);
  if (errand && signedInWithBankId()) headers["X-Organisation"] = errand;
  const response = await fetch(urlOf(path), {
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

/** A file the API answers (an export): fetched with the session's token, then saved under ``filename``. */
export async function download(path, filename, { language } = {}) {
  const headers = { "Accept-Language": language || "sv" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(urlOf(path), { headers });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** Whether the signed-in person follows up the service's figures: the desk's people, a customer's contact. */
export function followsUp(roles = []) {
  return worksAtDesk(roles) || roles.includes("contact");
}

/** Local sign-in: a dev provider signs a token for a demo persona (the organisation's, or BankID's). */
export async function signInAs(persona, via = "work") {
  const reply = await api("POST", via === "bankid" ? `${DEV_BANKID}/dev/token` : "/dev/token", {
    body: { persona: persona.id },
  });
  sessionStorage.setItem(TOKEN_KEY, reply.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(via === "bankid" ? { ...persona, roles: [] } : persona));
  if (via === "bankid") sessionStorage.setItem(VIA_KEY, "bankid");
}

/** The local BankID broker's demo people. */
export async function bankIdPersonas() {
  return (await api("GET", `${DEV_BANKID}/dev/personas`)).personas;
}

export const signInMode = config.signIn;
/** The deployment's accessibility contact and the country whose law and supervisory authority apply (config.js). */
export const accessibility = { contact: config.accessibilityContact || "", country: config.country === "DK" ? "DK" : "SE" };
/** Whether this deployment offers BankID sign-in (config.js names the broker). */
export const offersBankId = config.signIn !== "oidc" || Boolean(config.bankid);

/** OIDC sign-in (config.signIn === "oidc"): off to the provider; the page comes back signed in. */
export async function signInWithProvider(via = "work") {
  const { startSignIn } = await import("./oidc.js");
  sessionStorage.setItem(VIA_KEY, via);
  await startSignIn(via === "bankid" ? config.bankid : config.oidc);
}

/** Finish an OIDC sign-in if this page load is the provider's redirect back; true when signed in now. */
export async function finishSignIn() {
  if (signInMode !== "oidc" || !new URLSearchParams(window.location.search).has("state")) return false;
  const { completeSignIn } = await import("./oidc.js");
  const bankid = signedInWithBankId();
  const result = await completeSignIn(bankid ? config.bankid : config.oidc);
  if (!result) return false;
  sessionStorage.setItem(TOKEN_KEY, result.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(bankid ? { ...result.user, roles: [] } : result.user));
  return true;
}
