import { useEffect, useState } from "react";
import { api, bankIdPersonas, finishSignIn, offersBankId, signInAs, signInMode, signInWithProvider } from "../api.js";

/** Two ways in: the work account (the organisation's OpenID Connect provider) and BankID (through the
 * broker; for former employees and people outside the organisation). Locally each is a list of demo
 * personas; deployed ("oidc") each is a button to its provider. */
export default function SignIn({ t, onSignedIn }) {
  const [personas, setPersonas] = useState([]);
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
      .then((reply) => setPersonas(reply.personas))
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
      <Personas personas={personas} onPick={(p) => pick(p, "work")} attribute="data-persona" />
      {bankid.length > 0 && (
        <>
          <h2>{t.signInWithBankId}</h2>
          <p>{t.bankIdWho}</p>
          <Personas personas={bankid} onPick={(p) => pick(p, "bankid")} attribute="data-bankid-persona" />
        </>
      )}
    </section>
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
