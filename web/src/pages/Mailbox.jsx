import { useEffect, useState } from "react";
import { api } from "../api.js";
import { useWords } from "../words.js";

/**
 * The local mailbox: every email the system sent (read from moto's SES), rendered. Links open in the
 * whole window, so a decision link is one click away. Only the local stack has /dev/mailbox.
 */
export default function Mailbox() {
  const { t } = useWords();
  const [emails, setEmails] = useState(null);
  const [open, setOpen] = useState(0);
  useEffect(() => {
    const load = () => api("GET", "/dev/mailbox").then((reply) => setEmails(reply.emails));
    load();
    const timer = setInterval(load, 3000);
    return () => clearInterval(timer);
  }, []);
  if (!emails) return <p>{t.loading}</p>;
  if (emails.length === 0) return <p>{t.noEmails}</p>;
  const shown = emails[Math.min(open, emails.length - 1)];
  return (
    <section className="mailbox">
      <h1>{t.emails}</h1>
      <div className="mail-split">
        <ol className="mail-list">
          {emails.map((mail, index) => (
            <li key={`${index}-${mail.subject}`}>
              <button type="button" aria-pressed={index === open} onClick={() => setOpen(index)}>
                <strong>{mail.subject}</strong>
                <span>{mail.to.join(", ")}</span>
              </button>
            </li>
          ))}
        </ol>
        <iframe
          title={shown.subject}
          className="mail-body"
          sandbox="allow-popups allow-top-navigation-by-user-activation"
          srcDoc={shown.html.replace("<body", '<base target="_top"><body')}
        />
      </div>
    </section>
  );
}
