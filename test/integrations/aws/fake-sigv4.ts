import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** What a SigV4-signed request says about its signature. */
export interface SignedParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  amzDate: string;
  signedHeaders: string[];
  signature: string;
  /** Signed in the query string (a presigned URL), not the Authorization header. */
  presigned: boolean;
  /** Seconds a presigned URL lives. */
  expires?: number;
  securityToken?: string;
}

const HEADER_AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** The SigV4 parts of a request, or undefined when it is not signed (or not readably). */
export function signedParts(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
): SignedParts | undefined {
  const authorization = header(headers, "authorization");
  if (authorization !== undefined) {
    const match = HEADER_AUTH.exec(authorization);
    if (match === null) return undefined;
    const [, accessKeyId = "", date = "", region = "", service = "", signed = "", signature = ""] =
      match;
    const token = header(headers, "x-amz-security-token");
    return {
      accessKeyId,
      date,
      region,
      service,
      amzDate: header(headers, "x-amz-date") ?? "",
      signedHeaders: signed.split(";"),
      signature,
      presigned: false,
      ...(token === undefined ? {} : { securityToken: token }),
    };
  }
  if (query.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return undefined;
  const [accessKeyId = "", date = "", region = "", service = ""] = (
    query.get("X-Amz-Credential") ?? ""
  ).split("/");
  const token = query.get("X-Amz-Security-Token");
  return {
    accessKeyId,
    date,
    region,
    service,
    amzDate: query.get("X-Amz-Date") ?? "",
    signedHeaders: (query.get("X-Amz-SignedHeaders") ?? "").split(";"),
    signature: query.get("X-Amz-Signature") ?? "",
    presigned: true,
    expires: Number(query.get("X-Amz-Expires") ?? "0"),
    ...(token === null ? {} : { securityToken: token }),
  };
}

/** RFC 3986 encoding, as SigV4 wants it. */
function escape(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
const hmac = (key: Buffer | string, data: string) =>
  createHmac("sha256", key).update(data).digest();

/**
 * Whether the signature is the one `secretAccessKey` gives for this request, recomputed as
 * AWS does: S3 signs the path as sent, the other services its encoding once more.
 */
export function signatureMatches(
  parts: SignedParts,
  request: {
    method: string;
    rawPath: string;
    rawQuery: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
  },
  secretAccessKey: string,
): boolean {
  const s3 = parts.service === "s3";
  const path = s3 ? request.rawPath : escape(request.rawPath).replace(/%2F/g, "/");
  const pairs = request.rawQuery
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      const key = decodeURIComponent(at < 0 ? pair : pair.slice(0, at));
      const value = at < 0 ? "" : decodeURIComponent(pair.slice(at + 1));
      return [escape(key), escape(value)] as const;
    })
    .filter(([key]) => key !== "X-Amz-Signature")
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const canonicalHeaders = parts.signedHeaders
    .map((name) => `${name}:${(header(request.headers, name) ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const payload = parts.presigned
    ? "UNSIGNED-PAYLOAD"
    : (header(request.headers, "x-amz-content-sha256") ?? sha256(request.body));
  const canonical = [
    request.method,
    path,
    pairs.map(([key, value]) => `${key}=${value}`).join("&"),
    canonicalHeaders,
    parts.signedHeaders.join(";"),
    payload,
  ].join("\n");
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", parts.amzDate, scope, sha256(canonical)].join("\n");
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, parts.date), parts.region), parts.service),
    "aws4_request",
  );
  const expected = Buffer.from(createHmac("sha256", key).update(toSign).digest("hex"));
  const given = Buffer.from(parts.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Whether the body is what x-amz-content-sha256 says it is (when it names a hash). */
export function payloadHashMatches(headers: IncomingHttpHeaders, body: Buffer): boolean {
  const declared = header(headers, "x-amz-content-sha256");
  if (declared === undefined || !/^[0-9a-f]{64}$/.test(declared)) return true;
  return declared === sha256(body);
}

/** When a SigV4 timestamp (20240501T100000Z) was. */
export function timeOf(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (m === null) return Number.NaN;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}
