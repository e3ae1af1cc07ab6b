/** The button under every list that fetches its next page, shown while the server says there is one. */
export default function LoadMore({ nextToken, load, t }) {
  if (!nextToken) return null;
  return (
    <p>
      <button type="button" onClick={() => load(nextToken)}>
        {t.loadMore}
      </button>
    </p>
  );
}
