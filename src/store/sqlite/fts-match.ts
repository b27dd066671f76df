import { searchTerms } from "../../domain/index.js";

/**
 * An FTS5 MATCH expression for a user's plain words: each term a quoted string (a phrase when
 * the term has several words), all required, the last also as a prefix. Terms hold only
 * letters, digits, marks and spaces, and quotes are doubled all the same, so nothing the user
 * typed is read as FTS5 syntax. Null when the text has no term.
 */
export function ftsMatch(text: string): string | null {
  const terms = searchTerms(text);
  if (terms.length === 0) return null;
  const quoted = terms.map((term) => `"${term.replaceAll('"', '""')}"`);
  return `${quoted.join(" ")}*`;
}
