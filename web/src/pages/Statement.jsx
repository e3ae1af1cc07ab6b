import { accessibility } from "../api.js";
import { day } from "../i18n.js";
import { useWords } from "../words.js";

/** When the statement was last reviewed against the service; update it with each review (docs/accessibility.md). */
export const REVIEWED = "2026-11-24";

/**
 * The accessibility statement the Swedish DOS law (2018:1937, 12 §) and the Danish web accessibility act require:
 * how far the service complies, what is not accessible and why, how to report a problem, and the supervisory
 * authority. Open to everyone, signed in or not, and linked from every page's footer.
 */
export default function Statement() {
  const { language, t } = useWords();
  const s = t.statement;
  const [supervision, href, linkText] = s.supervision[accessibility.country];
  return (
    <article className="statement">
      <h1>{s.title}</h1>
      <p>{s.intro({ law: s.law[accessibility.country] })}</p>
      <h2>{s.howTitle}</h2>
      <p>{s.how}</p>
      <h2>{s.gapsTitle}</h2>
      <ul>
        {s.gaps.map((gap) => (
          <li key={gap}>{gap}</li>
        ))}
      </ul>
      <h2>{s.contactTitle}</h2>
      {accessibility.contact ? (
        <p>
          {s.contact} <a href={`mailto:${accessibility.contact}`}>{accessibility.contact}</a>
        </p>
      ) : (
        <p>{s.contactNone}</p>
      )}
      <h2>{s.supervisionTitle}</h2>
      <p>
        {supervision} <a href={href}>{linkText}</a>
      </p>
      <h2>{s.testedTitle}</h2>
      <p>{s.tested}</p>
      <p>
        {s.reviewed} <time dateTime={REVIEWED}>{day(REVIEWED, language)}</time>.
      </p>
    </article>
  );
}
