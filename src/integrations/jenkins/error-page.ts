/** Longest remote text put into an error message. */
const MAX_SUMMARY = 200;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  "#39": "'",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#?\w+);/g, (whole, name: string) => ENTITIES[name] ?? whole);
}

function collapse(text: string): string {
  return decodeEntities(text).replace(/\s+/g, " ").trim();
}

function bound(text: string): string {
  return text.length <= MAX_SUMMARY ? text : `${text.slice(0, MAX_SUMMARY - 1)}…`;
}

function summariseHtml(body: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  // Jetty titles its pages "Error 404 Not Found"; Jenkins' own pages end in "[Jenkins]".
  const cleanTitle = collapse(title ?? "")
    .replace(/^Error \d{3}\s*/i, "")
    .replace(/\s*\[Jenkins\]$/i, "");
  if (cleanTitle !== "" && cleanTitle.toLowerCase() !== "jenkins") return cleanTitle;
  const text = body.replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " ");
  return collapse(text);
}

function summariseJson(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { message, error } = parsed as { message?: unknown; error?: unknown };
    if (typeof message === "string") return message;
    if (typeof error === "string") return error;
  } catch {
    // Not JSON after all.
  }
  return undefined;
}

/**
 * What an error answer says, short and without markup: Jenkins and the proxies in front of it
 * answer errors with HTML pages, whose title is the message.
 */
export function summariseErrorBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed === "") return "";
  if (trimmed.startsWith("{")) {
    const said = summariseJson(trimmed);
    if (said !== undefined) return bound(collapse(said));
  }
  if (/<[a-z!][^>]*>/i.test(trimmed)) return bound(summariseHtml(trimmed));
  return bound(collapse(trimmed));
}
