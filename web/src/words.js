// The reader's language and the client's words in it, for every component under <Words.Provider> (App's):
// no page passes them down by hand.
import { createContext, useContext } from "react";

export const Words = createContext({ language: "sv", t: null });

/** ``{ language, t }``: the language the person chose and the client's words in it (src/locales/). */
export function useWords() {
  return useContext(Words);
}
