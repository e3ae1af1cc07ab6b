import { useEffect, useState } from "react";
import { api, finishSignIn, signInAs, signInMode, signInWithProvider } from "../api.js";

/** Locally: pick a demo persona. Deployed ("oidc"): the organisation's OpenID Connect provider. */
export default function SignIn({ t, onSignedIn }) {
  const [personas, setPersonas] = useState([]);
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
  }, [onSignedIn]);
  if (signInMode === "oidc") {
    return (
      <section>
        <h1>{t.signIn}</h1>
        {error && <p role="alert">{error}</p>}
        <button type="button" data-testid="oidc-sign-in" onClick={() => signInWithProvider().catch((e) => setError(e.message))}>
          {t.signInWithProvider}
        </button>
      </section>
    );
  }
  return (
    <section>
      <h1>{t.signIn}</h1>
      <p>{t.signInAs}</p>
      {error && <p role="alert">{error}</p>}
      <ul className="personas">
        {personas.map((persona) => (
          <li key={persona.id}>
            <button
              type="button"
              data-persona={persona.id}
              onClick={async () => {
                await signInAs(persona);
                onSignedIn();
              }}
            >
              <strong>{persona.name}</strong>
              <span>{persona.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
