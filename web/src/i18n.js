// The client's own words in Swedish, English and Danish, one JSON file per language (src/locales/, as the
// server keeps its own). Form texts come translated from the API.
import da from "./locales/da.json" with { type: "json" };
import en from "./locales/en.json" with { type: "json" };
import sv from "./locales/sv.json" with { type: "json" };

/** The languages a person can choose, each named in itself. */
export const LANGUAGES = [
  ["sv", "Svenska"],
  ["en", "English"],
  ["da", "Dansk"],
];

const PLURAL = ["one", "other"];

/** A template ("Sparat {at}.") as a function of its values; a pair of plural forms ({one, other}) as one that
 * picks by ``count`` the way the language counts. Everything else as written. */
function compiled(value, locale) {
  if (typeof value === "string") {
    if (!/\{\w+\}/.test(value)) return value;
    return (values = {}) => value.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }
  if (Array.isArray(value)) return value.map((item) => compiled(item, locale));
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    if (keys.join() === PLURAL.join()) {
      const rules = new Intl.PluralRules(locale);
      const forms = { one: compiled(value.one, locale), other: compiled(value.other, locale) };
      return (values) => forms[rules.select(values.count) === "one" ? "one" : "other"](values);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, compiled(item, locale)]));
  }
  return value;
}

const LOCALES = { sv: "sv-SE", en: "en-GB", da: "da-DK" };

const WORDS = {
  sv: compiled(sv, LOCALES.sv),
  en: compiled(en, LOCALES.en),
  da: compiled(da, LOCALES.da),
};

export function words(language) {
  return WORDS[language] || WORDS.sv;
}

/** A calendar day (YYYY-MM-DD) in the reader's language, e.g. "24 nov. 2026" or "24 Nov 2026". */
export function day(isoDate, language) {
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    dateStyle: "medium",
  });
}

/** A pay period (YYYY-MM) as the month's name: "december 2026". */
export function month(period, language) {
  return new Date(`${period}-15T12:00:00Z`).toLocaleDateString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    month: "long",
    year: "numeric",
  });
}

/** A month short enough for a chart's axis on a phone: "jan. 26", "Jan 26". */
export function shortMonth(period, language) {
  return new Date(`${period}-15T12:00:00Z`).toLocaleDateString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    month: "short",
    year: "2-digit",
  });
}

/** A last day to send, e.g. "8 januari" (with the year when it is not this year's). */
export function dayInYear(isoDate, language, thisYear) {
  const sameYear = isoDate.slice(0, 4) === String(thisYear);
  return new Date(`${isoDate}T12:00:00Z`).toLocaleDateString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    day: "numeric",
    month: "long",
    ...(sameYear ? {} : { year: "numeric" }),
  });
}

/** The pay of a period (YYYY-MM) in words: "januarilönen", "the January pay", "januarlønnen" (with the year
 * when it is not this year's). */
export function payOf(period, language, t, thisYear) {
  const name = new Date(`${period}-15T12:00:00Z`).toLocaleDateString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    month: "long",
  });
  const year = period.slice(0, 4);
  return year === String(thisYear) ? t.payOf({ month: name }) : t.payOfYear({ month: name, year });
}

export function when(iso, language) {
  return new Date(iso).toLocaleString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    dateStyle: "short",
    timeStyle: "short",
  });
}

/** The Stockholm day of an instant ("7 jan. 2027"): when a draft is kept until. */
export function dayOf(iso, language) {
  return new Date(iso).toLocaleDateString(LOCALES[language] || LOCALES.sv, {
    timeZone: "Europe/Stockholm",
    dateStyle: "medium",
  });
}

/** A number as the reader writes it ("6,5" in Swedish and Danish, "6.5" in English), at most ``digits`` decimals. */
export function number(value, language, digits = 2) {
  return value.toLocaleString(LOCALES[language] || LOCALES.sv, { maximumFractionDigits: digits });
}
