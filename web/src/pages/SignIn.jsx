import { useEffect, useState } from "react";
import {
  api,
  bankIdPersonas,
  finishSignIn,
  offersBankId,
  setErrandOrganisation,
  signInAs,
  signInMode,
  signInWithProvider,
} from "../api.js";
import { useWords } from "../words.js";

/** Two ways in: the work account (the organisation's OpenID Connect provider) and BankID (through the
 * broker; for former employees and people outside the organisation). Locally each is a list of demo
 * personas; deployed ("oidc") each is a button to its provider. */
export default function SignIn({ onSignedIn }) {
  const { language, t } = useWords();
  const [personas, setPersonas] = useState([]);
  const [organisations, setOrganisations] = useState([]);
  const [bankid, setBankid] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (signInMode === "oidc") {
      finishSignIn()
        .then((signedIn) => signedIn && onSignedIn())
        .catch((e) => setError(e.message));
      return;
    }
    api("GET", "/dev/personas")
      .then((reply) => {
        setPersonas(reply.personas);
        setOrganisations(reply.organisations || []);
      })
      .catch((e) => setError(e.message));
    bankIdPersonas()
      .then(setBankid)
      .catch(() => setBankid([]));
  }, [onSignedIn]);
  if (signInMode === "oidc") {
    return (
      <section>
        <h1>{t.signIn}</h1>
        {error && <p role="alert">{error}</p>}
        <p>
          <button type="button" data-testid="oidc-sign-in" onClick={() => signInWithProvider().catch((e) => setError(e.message))}>
            {t.signInWithProvider}
          </button>
        </p>
        {offersBankId && (
          <p>
            <button
              type="button"
              data-testid="bankid-sign-in"
              onClick={() => signInWithProvider("bankid").catch((e) => setError(e.message))}
            >
              {t.signInWithBankId}
            </button>
            <br />
            <small>{t.bankIdWho}</small>
          </p>
        )}
      </section>
    );
  }
  const pick = async (persona, via) => {
    await signInAs(persona, via);
    onSignedIn();
  };
  return (
    <section>
      <h1>{t.signIn}</h1>
      {error && <p role="alert">{error}</p>}
      <h2>{t.signInWithProvider}</h2>
      <p>{t.signInAs}</p>
      <Organisations
        organisations={organisations}
        personas={personas}
       
       
        onPick={(p) => pick(p, "work")}
      />
      {bankid.length > 0 && (
        <>
          <h2>{t.signInWithBankId}</h2>
          <p>{t.bankIdWho}</p>
          {organisations.some((o) => o.bankid) && (
            <p>
              <label>
                {t.errandFor}{" "}
                <select data-testid="errand-organisation" onChange={(event) => setErrandOrganisation(event.target.value)}>
                  <option value="">{t.errandForCentre}</option>
                  {organisations
                    .filter((o) => o.bankid && !o.default)
                    .map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.names[language] || o.names.sv}
                      </option>
                    ))}
                </select>
              </label>
            </p>
          )}
          <Personas personas={bankid} onPick={(p) => pick(p, "bankid")} attribute="data-bankid-persona" />
        </>
      )}
    </section>
  );
}

/** The people of each organisation under its name; the organisation is picked, or found from the domain of
 * the work email typed (as the deployed sign-in page finds the identity provider to send the person to). */
function Organisations({ organisations, personas, onPick }) {
  const { language, t } = useWords();
  const [email, setEmail] = useState("");
  const domain = email.includes("@") ? email.split("@").pop().trim().toLowerCase() : "";
  const found = domain ? organisations.find((o) => o.emailDomains.includes(domain)) : null;
  if (organisations.length === 0) {
    return <Personas personas={personas} onPick={onPick} attribute="data-persona" />;
  }
  const shown = found ? [found] : organisations;
  return (
    <>
      <p>
        <label>
          {t.workEmail}{" "}
          <input type="email" value={email} data-testid="work-email" onChange={(event) => setEmail(event.target.value)} />
        </label>
      </p>
      {domain && !found && <p role="status">{t.noOrganisationForEmail}</p>}
      {shown.map((organisation) => {
        const people = personas.filter((p) => p.organisation === organisation.id);
        if (people.length === 0) return null;
        return (
          <div key={organisation.id} data-organisation={organisation.id}>
            <h3>{organisation.names[language] || organisation.names.sv}</h3>
            <Personas personas={people} onPick={onPick} attribute="data-persona" />
          </div>
        );
      })}
    </>
  );
}

function Personas({ personas, onPick, attribute }) {
  return (
    <ul className="personas">
      {personas.map((persona) => (
        <li key={persona.id}>
          <button type="button" {...{ [attribute]: persona.id }} onClick={() => onPick(persona)}>
            <strong>{persona.name}</strong>
            <span>{persona.description}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
