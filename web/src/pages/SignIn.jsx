import { useEffect, useState } from "react";
import { api, signInAs, signInMode } from "../api.js";

/** Locally: pick a demo persona. On AWS the organisation's OIDC provider signs people in instead. */
export default function SignIn({ t, onSignedIn }) {
  const [personas, setPersonas] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (signInMode !== "dev") return;
    api("GET", "/dev/personas")
      .then((reply) => setPersonas(reply.personas))
      .catch((e) => setError(e.message));
  }, []);
  if (signInMode !== "dev") {
    return <p>{t.signIn}: OIDC</p>;
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
