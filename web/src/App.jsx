import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from "react";
import { api, currentUser, followsUp, signedInWithBankId, signOut, worksAtDesk } from "./api.js";
import { LANGUAGES, words } from "./i18n.js";
import CaseList from "./pages/CaseList.jsx";
import Catalogue from "./pages/Catalogue.jsx";
import Mailbox from "./pages/Mailbox.jsx";
import SignIn from "./pages/SignIn.jsx";
import Statement from "./pages/Statement.jsx";
import { go, useRoute } from "./router.js";
import { Words } from "./words.js";

// The pages that draw a form (the renderer and its validator are most of the client's weight), the desk and
// the statistics load when first opened: the first page a phone loads is the catalogue and the lists.
const FormPage = lazy(() => import("./pages/FormPage.jsx"));
const DraftPage = lazy(() => import("./pages/DraftPage.jsx"));
const CaseView = lazy(() => import("./pages/CaseView.jsx"));
const Desk = lazy(() => import("./desk/Desk.jsx"));
const PayRuns = lazy(() => import("./desk/PayRuns.jsx"));
const Statistics = lazy(() => import("./pages/Statistics.jsx"));

function page(route, props) {
  const [path, query = ""] = route.split("?");
  const parts = path.split("/").filter(Boolean);
  const params = new URLSearchParams(query);
  if (parts[0] === "mailbox") return <Mailbox {...props} />;
  if (parts[0] === "accessibility") return <Statement {...props} />;
  if (!props.user) return <SignIn {...props} />;
  // Keyed by form: another form (by link or the back button) starts empty, not with the last form's answers.
  if (parts[0] === "forms" && parts[1]) return <FormPage {...props} formId={parts[1]} key={parts[1]} />;
  if (parts[0] === "drafts" && parts[1]) return <DraftPage {...props} draftId={parts[1]} key={parts[1]} />;
  if (parts[0] === "cases" && parts[1]) return <CaseView {...props} caseId={parts[1]} key={parts[1]} />;
  if (parts[0] === "cases") return <CaseList {...props} scope="mine" key="mine" />;
  if (parts[0] === "approvals") return <CaseList {...props} scope="approvals" key="approvals" />;
  if (parts[0] === "team") return <CaseList {...props} scope="team" key="team" params={params} />;
  // "All cases at payroll" is the desk's queue with its status filter (an old bookmark still lands there).
  if (parts[0] === "payroll") return <Desk {...props} />;
  if (parts[0] === "statistics") return <Statistics {...props} params={params} />;
  if (parts[0] === "desk" && parts[1] === "pay-runs") return <PayRuns {...props} />;
  if (parts[0] === "desk") return <Desk {...props} />;
  return <Catalogue {...props} />;
}

/** The language chosen here before, else the first of the browser's that we speak, else Swedish. */
function firstLanguage() {
  const spoken = LANGUAGES.map(([code]) => code);
  const chosen = localStorage.getItem("eforms.language");
  if (spoken.includes(chosen)) return chosen;
  const preferred = (navigator.languages || [navigator.language || ""]).map((tag) => tag.slice(0, 2).toLowerCase());
  return preferred.find((code) => spoken.includes(code)) || "sv";
}

export default function App() {
  const route = useRoute();
  const [language, setLanguage] = useState(firstLanguage);
  const [user, setUser] = useState(currentUser);
  const t = words(language);
  const said = useMemo(() => ({ language, t }), [language, t]);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t.appTitle;
    localStorage.setItem("eforms.language", language);
  }, [language, t]);
  const onSignedIn = useCallback(() => setUser(currentUser()), []);
  // The languages the person's organisation reads (a Danish school: Danish, English): the picker offers
  // those only, so no screen mixes the client's words with the server's in another language.
  const [offered, setOffered] = useState(null);
  useEffect(() => {
    setOffered(null);
    if (!user) return;
    api("GET", "/forms", { language })
      .then((reply) => setOffered(reply.organisation?.languages || null))
      .catch(() => setOffered(null));
  }, [user]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (offered && !offered.includes(language)) setLanguage(offered[0]);
  }, [offered, language]);
  const roles = user?.roles || [];
  // Anyone may be asked to decide (a team step of a route asks its members), not only managers: the
  // approvals tab shows whenever something waits for this person.
  const [asked, setAsked] = useState(false);
  useEffect(() => {
    setAsked(false);
    if (!user || roles.includes("manager") || signedInWithBankId()) return; // BankID never decides
    api("GET", "/approvals", { language })
      .then((reply) => setAsked(reply.items.length > 0))
      .catch(() => setAsked(false));
  }, [user]); // eslint-disable-line react-hooks/exhaustive-deps
  const nav = [
    ["#/", t.forms, true],
    ["#/cases", t.myCases, true],
    ["#/approvals", t.approvals, roles.includes("manager") || asked],
    ["#/team", t.team, roles.includes("manager")],
    ["#/desk", t.desk, worksAtDesk(roles)],
    ["#/statistics", t.stats.title, followsUp(roles)],
  ];
  return (
    <Words.Provider value={said}>
      <header className="top">
        <a className="brand" href="#/">
          {t.appTitle}
        </a>
        {user && (
          <nav aria-label={t.mainMenu}>
            {nav
              .filter(([, , shown]) => shown)
              .map(([href, label]) => (
                <a key={href} href={href} aria-current={`#${route}` === href ? "page" : undefined}>
                  {label}
                </a>
              ))}
          </nav>
        )}
        <div className="who">
          <label className="language">
            <span className="visually-hidden">{t.language}</span>
            <select value={language} onChange={(event) => setLanguage(event.target.value)} data-testid="language">
              {LANGUAGES.filter(([code]) => !offered || offered.includes(code)).map(([code, name]) => (
                <option key={code} value={code} lang={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          {user && (
            <>
              <span data-testid="signed-in-as">{user.name}</span>
              {signedInWithBankId() && <small data-testid="via-bankid">({t.viaBankId})</small>}
              <button
                type="button"
                className="link"
                onClick={() => {
                  signOut();
                  setUser(null);
                  go("/");
                }}
              >
                {t.signOut}
              </button>
            </>
          )}
        </div>
      </header>
      <main>
        <Suspense fallback={<p>{t.loading}</p>}>{page(route, { user, onSignedIn })}</Suspense>
      </main>
      <footer className="bottom">
        <a href="#/accessibility" aria-current={route === "/accessibility" ? "page" : undefined}>
          {t.statement.link}
        </a>
      </footer>
    </Words.Provider>
  );
}
