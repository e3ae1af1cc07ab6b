import { useEffect, useId, useState } from "react";
import { api } from "../api.js";
import { useWords } from "../words.js";

/** A type-ahead over the directory (GET /people): type two letters of any part of a name, pick the person.
 * The server decides whom the reader may find (payroll: anyone; a manager: their own people). ``value`` is
 * the picked person's id ("" until one is picked). */
export default function EmployeePicker({ value, onChange, label }) {
  const { language, t } = useWords();
  const [text, setText] = useState("");
  const [found, setFound] = useState([]);
  const [picked, setPicked] = useState(null);
  const id = useId();
  useEffect(() => {
    if (picked || text.trim().length < 2) {
      setFound([]);
      return undefined;
    }
    const timer = setTimeout(async () => {
      try {
        const reply = await api("GET", `/people?q=${encodeURIComponent(text.trim())}&limit=8`, { language });
        setFound(reply.items);
      } catch {
        setFound([]);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, picked, language]);
  useEffect(() => {
    if (!value) setPicked(null);
  }, [value]);
  return (
    <div className="picker">
      <label htmlFor={id}>{label || t.findPerson}</label>
      <input
        id={id}
        value={picked ? picked.name : text}
        autoComplete="off"
        data-testid="person-search"
        aria-describedby={`${id}-hint`}
        onChange={(event) => {
          setPicked(null);
          onChange("");
          setText(event.target.value);
        }}
      />
      <p id={`${id}-hint`} className="hint">
        {t.findPersonHint}
      </p>
      {found.length > 0 && (
        <ul className="picker-results" aria-label={t.peopleFound} data-testid="people-found">
          {found.map((person) => (
            <li key={person.id}>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setPicked(person);
                  setFound([]);
                  onChange(person.id);
                }}
              >
                {person.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {text.trim().length >= 2 && !picked && found.length === 0 && (
        <p role="status" className="hint">
          {t.nobodyFound}
        </p>
      )}
    </div>
  );
}
