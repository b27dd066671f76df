import { createHash, randomBytes } from "node:crypto";
import {
  type FailureKind,
  FakeAwsError,
  type FakeAnswer,
  type FakeRequest,
  type FakeService,
} from "./fake-aws-types.js";
import { el, escapeXml } from "./fake-xml.js";

const NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

/** An object the fake stores. */
export interface FakeObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

interface FakeBucket {
  created: Date;
  objects: Map<string, FakeObject>;
}

/** The bucket and key of a path-style request: /bucket/key/with/slashes. */
function locate(path: string): { bucket: string; key: string } {
  const [, bucket = "", ...rest] = path.split("/");
  return {
    bucket: decodeURIComponent(bucket),
    key: rest.map((segment) => decodeURIComponent(segment)).join("/"),
  };
}

function xml(body: string): FakeAnswer {
  return {
    status: 200,
    headers: { "content-type": "application/xml" },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  };
}

/** S3's REST API, path style: buckets listed, objects listed, put, got and deleted. */
export class FakeS3 implements FakeService {
  readonly name = "s3" as const;
  readonly buckets = new Map<string, FakeBucket>();

  addBucket(name: string, created = new Date("2024-01-02T03:04:05.000Z")): void {
    this.buckets.set(name, { created, objects: new Map() });
  }

  /** Stores an object (as PutObject would). */
  putObject(bucket: string, key: string, body: Buffer | string, contentType: string): FakeObject {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    const object: FakeObject = {
      body: bytes,
      contentType,
      etag: `"${createHash("md5").update(bytes).digest("hex")}"`,
      lastModified: new Date(Math.floor(Date.now() / 1000) * 1000),
    };
    this.bucket(bucket).objects.set(key, object);
    return object;
  }

  getObject(bucket: string, key: string): FakeObject | undefined {
    return this.buckets.get(bucket)?.objects.get(key);
  }

  actionOf(method: string, path: string, query: URLSearchParams): string {
    const { bucket, key } = locate(path);
    if (bucket === "") return "s3:ListBuckets";
    if (key === "") {
      if (method === "GET")
        return query.get("list-type") === "2" ? "s3:ListObjectsV2" : "s3:ListObjects";
      return `s3:${method}Bucket`;
    }
    const verbs: Readonly<Record<string, string>> = {
      GET: "GetObject",
      HEAD: "HeadObject",
      PUT: "PutObject",
      DELETE: "DeleteObject",
    };
    return `s3:${verbs[method] ?? `${method}Object`}`;
  }

  handle(request: FakeRequest): FakeAnswer {
    const { bucket, key } = locate(request.rawPath);
    switch (request.action) {
      case "s3:ListBuckets":
        return this.listBuckets(request.query);
      case "s3:ListObjectsV2":
        return this.listObjects(bucket, request.query);
      case "s3:PutObject":
        return this.put(bucket, key, request);
      case "s3:GetObject":
        return this.get(bucket, key);
      case "s3:DeleteObject":
        this.bucket(bucket).objects.delete(key);
        return { status: 204 };
      default:
        throw new FakeAwsError(
          501,
          "NotImplemented",
          "A header you provided implies functionality that is not implemented",
        );
    }
  }

  private bucket(name: string): FakeBucket {
    const bucket = this.buckets.get(name);
    if (bucket === undefined) {
      throw new FakeAwsError(404, "NoSuchBucket", "The specified bucket does not exist", {
        BucketName: name,
      });
    }
    return bucket;
  }

  private listBuckets(query: URLSearchParams): FakeAnswer {
    const prefix = query.get("prefix") ?? "";
    const names = [...this.buckets.keys()].filter((name) => name.startsWith(prefix)).sort();
    const after = query.get("continuation-token");
    const from = after === null ? 0 : names.findIndex((name) => name > after);
    const max = Number(query.get("max-buckets") ?? names.length);
    const page = from < 0 ? [] : names.slice(from, from + max);
    const more = from >= 0 && from + max < names.length;
    const buckets = page
      .map((name) => {
        const created = this.buckets.get(name)?.created.toISOString();
        return `<Bucket>${el("Name", name)}${el("CreationDate", created)}</Bucket>`;
      })
      .join("");
    return xml(
      `<ListAllMyBucketsResult xmlns="${NAMESPACE}"><Owner><ID>${"a".repeat(64)}</ID><DisplayName>owner</DisplayName></Owner><Buckets>${buckets}</Buckets>${more ? el("ContinuationToken", page.at(-1)) : ""}${prefix === "" ? "" : el("Prefix", prefix)}</ListAllMyBucketsResult>`,
    );
  }

  private listObjects(name: string, query: URLSearchParams): FakeAnswer {
    const bucket = this.bucket(name);
    const prefix = query.get("prefix") ?? "";
    const delimiter = query.get("delimiter") ?? "";
    const maxKeys = Number(query.get("max-keys") ?? 1000);
    const token = query.get("continuation-token");
    const after = token === null ? "" : Buffer.from(token, "base64").toString("utf8");
    const entries: { key: string; object?: FakeObject }[] = [];
    const prefixes = new Set<string>();
    const sorted = [...bucket.objects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, object] of sorted) {
      if (!key.startsWith(prefix) || key <= after) continue;
      const cut = delimiter === "" ? -1 : key.indexOf(delimiter, prefix.length);
      if (cut >= 0) {
        const common = key.slice(0, cut + delimiter.length);
        if (!prefixes.has(common)) entries.push({ key: common });
        prefixes.add(common);
      } else {
        entries.push({ key, object });
      }
    }
    const page = entries.slice(0, maxKeys);
    const truncated = entries.length > maxKeys;
    const contents = page
      .filter((entry) => entry.object !== undefined)
      .map(({ key, object }) =>
        [
          "<Contents>",
          el("Key", key),
          el("LastModified", object?.lastModified.toISOString()),
          el("ETag", object?.etag),
          el("Size", object?.body.length),
          el("StorageClass", "STANDARD"),
          "</Contents>",
        ].join(""),
      )
      .join("");
    const common = page
      .filter((entry) => entry.object === undefined)
      .map(({ key }) => `<CommonPrefixes>${el("Prefix", key)}</CommonPrefixes>`)
      .join("");
    const lastKey = page.at(-1)?.key ?? "";
    // A common prefix is skipped whole: the next page starts after every key under it.
    const resumeAfter = page.at(-1)?.object === undefined ? `${lastKey}\u{10ffff}` : lastKey;
    return xml(
      [
        `<ListBucketResult xmlns="${NAMESPACE}">`,
        el("Name", name),
        el("Prefix", prefix),
        delimiter === "" ? "" : el("Delimiter", delimiter),
        el("MaxKeys", maxKeys),
        el("KeyCount", page.length),
        el("IsTruncated", truncated),
        token === null ? "" : el("ContinuationToken", token),
        truncated ? el("NextContinuationToken", Buffer.from(resumeAfter).toString("base64")) : "",
        contents,
        common,
        "</ListBucketResult>",
      ].join(""),
    );
  }

  private put(bucket: string, key: string, request: FakeRequest): FakeAnswer {
    this.bucket(bucket);
    const declared = request.headers["content-md5"];
    const md5 = createHash("md5").update(request.body).digest("base64");
    if (typeof declared === "string" && declared !== md5) {
      throw new FakeAwsError(
        400,
        "BadDigest",
        "The Content-MD5 you specified did not match what we received.",
      );
    }
    const object = this.putObject(
      bucket,
      key,
      request.body,
      request.headers["content-type"] ?? "binary/octet-stream",
    );
    return { status: 200, headers: { etag: object.etag } };
  }

  private get(bucket: string, key: string): FakeAnswer {
    const object = this.bucket(bucket).objects.get(key);
    if (object === undefined) {
      throw new FakeAwsError(404, "NoSuchKey", "The specified key does not exist.", { Key: key });
    }
    return {
      status: 200,
      headers: {
        "content-type": object.contentType,
        "content-length": String(object.body.length),
        etag: object.etag,
        "last-modified": object.lastModified.toUTCString(),
        "accept-ranges": "bytes",
      },
      body: object.body,
    };
  }

  failure(kind: FailureKind, request: FakeRequest): FakeAwsError {
    const key = request.accessKeyId ?? "";
    switch (kind) {
      case "throttle":
        return new FakeAwsError(503, "SlowDown", "Please reduce your request rate.");
      case "unavailable":
        return new FakeAwsError(
          500,
          "InternalError",
          "We encountered an internal error. Please try again.",
        );
      case "denied":
      case "missing_auth":
        return new FakeAwsError(403, "AccessDenied", "Access Denied");
      case "unknown_key":
        return new FakeAwsError(
          403,
          "InvalidAccessKeyId",
          "The AWS Access Key Id you provided does not exist in our records.",
          { AWSAccessKeyId: key },
        );
      case "bad_signature":
        return new FakeAwsError(
          403,
          "SignatureDoesNotMatch",
          "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
          { AWSAccessKeyId: key },
        );
      case "bad_token":
        return new FakeAwsError(
          400,
          "InvalidToken",
          "The provided token is malformed or otherwise invalid.",
        );
    }
  }

  render(error: FakeAwsError, requestId: string, method: string): FakeAnswer {
    const extra = Object.entries(error.extra)
      .map(([name, value]) => el(name, value))
      .join("");
    const headers = {
      "content-type": "application/xml",
      "x-amz-request-id": requestId,
      "x-amz-id-2": randomBytes(24).toString("base64"),
      ...error.headers,
    };
    // HEAD answers carry no body, only the status.
    if (method === "HEAD") return { status: error.status, headers };
    return {
      status: error.status,
      headers,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${randomBytes(24).toString("base64")}</HostId></Error>`,
    };
  }
}
