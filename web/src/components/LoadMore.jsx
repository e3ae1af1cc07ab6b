import { useWords } from "../words.js";
/** The button under every list that fetches its next page, shown while the server says there is one. */
export default function LoadMore({ nextToken, load }) {
  const { t } = useWords();
  if (!nextToken) return null;
  return (
    <p>
      <button type="button" onClick={() => load(nextToken)}>
        {t.loadMore}
      </button>
    </p>
  );
}
