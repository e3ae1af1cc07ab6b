import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api.js";

/** A listing read page by page: ``path`` is the first page's address (its filters in the query), each next
 * page asked for with the server's ``nextToken``. Only the latest request's answer is shown, so a slower
 * answer to an earlier filter (or the unfiltered first load) never overwrites the newer one. */
export function usePages(path, language) {
  const [items, setItems] = useState(null);
  const [nextToken, setNextToken] = useState(null);
  const [error, setError] = useState(null);
  const latest = useRef(0);
  const load = useCallback(
    async (token) => {
      const mine = ++latest.current;
      const address = token ? `${path}${path.includes("?") ? "&" : "?"}nextToken=${encodeURIComponent(token)}` : path;
      try {
        const reply = await api("GET", address, { language });
        if (mine !== latest.current) return;
        setItems((before) => (token ? [...(before || []), ...reply.items] : reply.items));
        setNextToken(reply.nextToken);
        setError(null);
      } catch (e) {
        if (mine === latest.current) setError(e.message);
      }
    },
    [path, language],
  );
  useEffect(() => {
    setItems(null);
    load(null);
  }, [load]);
  return { items, nextToken, error, load };
}
