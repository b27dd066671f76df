/** One uploaded part of a multipart/form-data body. */
export interface FormFile {
  field: string;
  filename: string;
  data: Buffer;
}

/** A Web API call's arguments as Slack reads them: query string, then the body. */
export interface ParsedBody {
  args: Record<string, unknown>;
  files: FormFile[];
}

/**
 * Reads arguments the ways Slack accepts them: the query string, and a body that is
 * application/x-www-form-urlencoded (what the Node SDK sends), application/json, or
 * multipart/form-data (binary arguments). A JSON body that is not an object is refused.
 */
export function parseBody(
  url: URL,
  contentType: string | undefined,
  body: Buffer,
): ParsedBody | "invalid_json" {
  const args: Record<string, unknown> = Object.fromEntries(url.searchParams.entries());
  const files: FormFile[] = [];
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (body.length === 0) return { args, files };
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return "invalid_json";
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return "invalid_json";
    Object.assign(args, parsed);
  } else if (type === "multipart/form-data") {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
    if (boundary !== undefined) {
      for (const part of multipartParts(body, boundary)) {
        if (part.filename === undefined) args[part.name] = part.data.toString("utf8");
        else files.push({ field: part.name, filename: part.filename, data: part.data });
      }
    }
  } else {
    Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString("utf8")).entries()));
  }
  return { args, files };
}

interface Part {
  name: string;
  filename: string | undefined;
  data: Buffer;
}

function multipartParts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF before the next delimiter.
    const part = body.subarray(afterDelimiter + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) parts.push({ name, filename, data: part.subarray(headerEnd + 4) });
    }
    start = next;
  }
  return parts;
}

/** A string argument, or undefined when absent or empty. */
export function stringArg(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null || value === "") return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A boolean argument as Slack reads it ("true", "1", true). */
export function booleanArg(args: Record<string, unknown>, key: string): boolean | undefined {
  const value = args[key];
  if (value === undefined || value === "") return undefined;
  return value === true || value === "true" || value === "1" || value === 1;
}

/** A JSON argument sent as a JSON string (form bodies) or as JSON (JSON bodies). */
export function jsonArg(args: Record<string, unknown>, key: string): unknown {
  const value = args[key];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
