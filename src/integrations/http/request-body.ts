import { AppError } from "../../domain/index.js";

/** Largest request body sent, whichever way it is given. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** The body of a request as the caller gave it: at most one of the three. */
export interface BodyParameters {
  method: string;
  json?: unknown;
  body?: string;
  body_base64?: string;
}

/** A body ready to send, with the content type it implies unless the caller set one. */
export interface OutgoingBody {
  bytes: Buffer;
  contentType: string;
}

/** The bytes to send, or undefined without a body; refuses two bodies and a body on HEAD. */
export function outgoingBody(parameters: BodyParameters): OutgoingBody | undefined {
  const given = (["json", "body", "body_base64"] as const).filter(
    (key) => parameters[key] !== undefined,
  );
  if (given.length > 1)
    throw AppError.invalidArgument(
      `parameters.${given[1]}`,
      `give at most one of parameters.json, parameters.body and parameters.body_base64 (got ${given.map((key) => `parameters.${key}`).join(" and ")})`,
    );
  const body = build(parameters);
  if (body === undefined) return undefined;
  if (parameters.method === "HEAD")
    throw AppError.invalidArgument(`parameters.${given[0]}`, "a HEAD request has no body");
  if (body.bytes.length > MAX_REQUEST_BYTES)
    throw AppError.invalidArgument(
      `parameters.${given[0]}`,
      `the request body is ${body.bytes.length} bytes, more than ${MAX_REQUEST_BYTES}`,
    );
  return body;
}

function build(parameters: BodyParameters): OutgoingBody | undefined {
  if (parameters.json !== undefined)
    return {
      bytes: Buffer.from(JSON.stringify(parameters.json), "utf8"),
      contentType: "application/json",
    };
  if (parameters.body !== undefined)
    return {
      bytes: Buffer.from(parameters.body, "utf8"),
      contentType: "text/plain; charset=utf-8",
    };
  if (parameters.body_base64 !== undefined)
    return {
      bytes: Buffer.from(parameters.body_base64, "base64"),
      contentType: "application/octet-stream",
    };
  return undefined;
}
