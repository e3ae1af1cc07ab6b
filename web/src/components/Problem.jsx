// A refusal shown where the person acted, and the hook that runs an action and keeps its refusal: shared by
// the sender's actions, the thread and the desk.
import { useState } from "react";
import { ApiError } from "../api.js";
import { generalErrors } from "../errors.js";

/** Shows a refusal from the API where the person acted (the server's words, in their language). */
export function Problem({ problem }) {
  if (!problem) return null;
  return (
    <div role="alert" className="problem">
      {generalErrors(problem, "/nothing").map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** Runs an action against the API: ``onDone`` after it succeeds, its refusal kept to show where it was made. */
export function useAction(onDone) {
  const [problem, setProblem] = useState(null);
  const run = async (call) => {
    setProblem(null);
    try {
      await call();
      onDone();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: String(error) });
    }
  };
  return [problem, run];
}
