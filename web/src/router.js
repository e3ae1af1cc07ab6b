// Hash routes (#/forms/leave-application): the static files need no server-side routing. One small module,
// so a page can move the reader on without importing the app (and the app's every page with it).
import { useEffect, useState } from "react";

const current = () => window.location.hash.replace(/^#/, "") || "/";

/** The route now ("/cases/01J…?x=1"), following the address bar. */
export function useRoute() {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const changed = () => setRoute(current());
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export function go(path) {
  window.location.hash = path;
}
