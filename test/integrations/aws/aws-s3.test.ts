import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { AwsHarness, CANARY, SECRETS } from "./aws-harness.js";

const h = new AwsHarness();

beforeAll(async () => {
  await h.start();
  h.fake.s3.addBucket("reports");
  h.fake.s3.addBucket("archive");
  h.fake.s3.addBucket("logs");
  for (const key of ["2024/jan.csv", "2024/feb.csv", "2025/mar.csv", "readme.txt", "z.bin"]) {
    h.fake.s3.putObject("archive", key, `content of ${key}`, "text/csv");
  }
});
afterAll(() => h.close());
afterEach(() => {
  for (const secret of SECRETS) expect(h.logs).not.toContain(secret);
});

type Listed = {
  objects: { key: string; size: number }[];
  common_prefixes: string[];
  is_truncated: boolean;
  next_continuation_token: string | null;
};

describe("s3.list_buckets and s3.list_objects", () => {
  it("lists buckets, a page at a time when asked", async () => {
    const all = await h.aws().invoke({ service: "s3", operation: "list_buckets", parameters: {} });
    expect(all.result).toEqual({
      buckets: [
        { name: "archive", created: "2024-01-02T03:04:05.000Z" },
        { name: "logs", created: "2024-01-02T03:04:05.000Z" },
        { name: "reports", created: "2024-01-02T03:04:05.000Z" },
      ],
      continuation_token: null,
    });
    const page = await h
      .aws()
      .invoke({ operation: "s3.list_buckets", parameters: { max_buckets: 2 } });
    expect(page.result).toMatchObject({ buckets: [{ name: "archive" }, { name: "logs" }] });
    const token = (page.result as { continuation_token: string }).continuation_token;
    const rest = await h.aws().invoke({
      operation: "s3.list_buckets",
      parameters: { max_buckets: 2, continuation_token: token },
    });
    expect(rest.result).toMatchObject({ buckets: [{ name: "reports" }], continuation_token: null });
    expect(h.fake.last("s3:ListBuckets").query.get("continuation-token")).toBe(token);
  });

  it("lists objects under a prefix, grouped by a delimiter, a page at a time", async () => {
    const aws = h.aws();
    const grouped = (
      await aws.invoke({
        operation: "s3.list_objects",
        parameters: { bucket: "archive", delimiter: "/" },
      })
    ).result as Listed;
    expect(grouped.common_prefixes).toEqual(["2024/", "2025/"]);
    expect(grouped.objects.map((o) => o.key)).toEqual(["readme.txt", "z.bin"]);
    const sent = h.fake.last("s3:ListObjectsV2");
    expect(sent.rawPath).toBe("/archive/");
    expect(sent.query.get("list-type")).toBe("2");
    expect(sent.query.get("delimiter")).toBe("/");

    const first = (
      await aws.invoke({
        operation: "s3.list_objects",
        parameters: { bucket: "archive", prefix: "2024/", max_keys: 1 },
      })
    ).result as Listed;
    expect(first).toMatchObject({
      objects: [{ key: "2024/feb.csv", size: 23 }],
      is_truncated: true,
    });
    expect(h.fake.last("s3:ListObjectsV2").query.get("max-keys")).toBe("1");
    const second = (
      await aws.invoke({
        operation: "s3.list_objects",
        parameters: {
          bucket: "archive",
          prefix: "2024/",
          max_keys: 1,
          continuation_token: first.next_continuation_token ?? "",
        },
      })
    ).result as Listed;
    expect(second).toMatchObject({
      objects: [{ key: "2024/jan.csv" }],
      is_truncated: false,
      next_continuation_token: null,
    });
  });

  it("says not_found for a bucket that does not exist", async () => {
    const error = await expectCode(
      h.aws().invoke({ operation: "s3.list_objects", parameters: { bucket: "nope" } }),
      "not_found",
    );
    expect(error.message).toBe(
      "aws: s3 NoSuchBucket (HTTP 404): The specified bucket does not exist",
    );
  });
});

describe("s3.upload, s3.download and s3.delete_object", () => {
  it("uploads text and reads it back as text", async () => {
    const aws = h.aws();
    const up = await aws.invoke({
      operation: "s3.upload",
      parameters: { bucket: "reports", key: "daily/summary é.txt", content: "all good ✓" },
    });
    expect(up.result).toEqual({
      bucket: "reports",
      key: "daily/summary é.txt",
      size: 12,
      content_type: "text/plain; charset=utf-8",
      etag: h.fake.s3.getObject("reports", "daily/summary é.txt")?.etag,
      version_id: null,
    });
    const put = h.fake.last("s3:PutObject");
    expect(put.rawPath).toBe("/reports/daily/summary%20%C3%A9.txt");
    expect(put.body.toString("utf8")).toBe("all good ✓");
    expect(put.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const down = await aws.invoke({
      operation: "s3.download",
      parameters: { bucket: "reports", key: "daily/summary é.txt" },
    });
    expect(down.result).toMatchObject({
      size: 12,
      content_type: "text/plain; charset=utf-8",
      encoding: "text",
      content: "all good ✓",
    });
  });

  it("uploads base64 content and reads binary back as base64", async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 2]);
    await h.aws().invoke({
      operation: "s3.upload",
      parameters: { bucket: "reports", key: "blob.bin", content_base64: bytes.toString("base64") },
    });
    const stored = h.fake.s3.getObject("reports", "blob.bin");
    expect(stored?.body.equals(bytes)).toBe(true);
    expect(stored?.contentType).toBe("application/octet-stream");
    const down = await h
      .aws()
      .invoke({ operation: "s3.download", parameters: { bucket: "reports", key: "blob.bin" } });
    expect(down.result).toMatchObject({
      encoding: "base64",
      content_base64: bytes.toString("base64"),
      size: 5,
    });
  });

  it("hands back text typed as text but not UTF-8 as base64, and JSON as text", async () => {
    h.fake.s3.putObject(
      "reports",
      "latin1.txt",
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      "text/plain",
    );
    h.fake.s3.putObject("reports", "data.json", '{"ok":true}', "application/json");
    const aws = h.aws();
    const latin = await aws.invoke({
      operation: "s3.download",
      parameters: { bucket: "reports", key: "latin1.txt" },
    });
    expect(latin.result).toMatchObject({ encoding: "base64", content_base64: "Y2Fm6Q==" });
    const json = await aws.invoke({
      operation: "s3.download",
      parameters: { bucket: "reports", key: "data.json" },
    });
    expect(json.result).toMatchObject({ encoding: "text", content: '{"ok":true}' });
  });

  it("refuses an object larger than max_bytes, saying how large it is", async () => {
    h.fake.s3.putObject("reports", "big.log", "x".repeat(2_000), "text/plain");
    const error = await expectCode(
      h.aws().invoke({
        operation: "s3.download",
        parameters: { bucket: "reports", key: "big.log", max_bytes: 1_000 },
      }),
      "invalid_argument",
    );
    expect(error.message).toBe(
      "s3 object reports/big.log is 2000 bytes, more than max_bytes (1000): raise max_bytes (at most 10485760) or download it through s3.presigned_url",
    );
    expect(error.details).toMatchObject({ field: "parameters.max_bytes", size: 2000 });
    const fits = await h.aws().invoke({
      operation: "s3.download",
      parameters: { bucket: "reports", key: "big.log", max_bytes: 2_000 },
    });
    expect(fits.result).toMatchObject({ size: 2000, encoding: "text" });
  });

  it("needs exactly one of content and content_base64", async () => {
    const both = await expectCode(
      h.aws().invoke({
        operation: "s3.upload",
        parameters: { bucket: "reports", key: "k", content: "a", content_base64: "YQ==" },
      }),
      "invalid_argument",
    );
    expect(both.message).toBe(
      "give exactly one of parameters.content and parameters.content_base64",
    );
    await expectCode(
      h.aws().invoke({ operation: "s3.upload", parameters: { bucket: "reports", key: "k" } }),
      "invalid_argument",
    );
    const notBase64 = await expectCode(
      h.aws().invoke({
        operation: "s3.upload",
        parameters: { bucket: "reports", key: "k", content_base64: "not base64!" },
      }),
      "invalid_argument",
    );
    expect(notBase64.details.field).toBe("parameters.content_base64");
  });

  it("says not_found for a missing key, and deletes objects (a repeat is harmless)", async () => {
    const aws = h.aws();
    const missing = await expectCode(
      aws.invoke({ operation: "s3.download", parameters: { bucket: "reports", key: "nope.txt" } }),
      "not_found",
    );
    expect(missing.message).toBe("aws: s3 NoSuchKey (HTTP 404): The specified key does not exist.");
    h.fake.s3.putObject("reports", "old/report.txt", "x", "text/plain");
    const deleted = await aws.invoke({
      operation: "s3.delete_object",
      parameters: { bucket: "reports", key: "old/report.txt" },
    });
    expect(deleted.result).toEqual({
      bucket: "reports",
      key: "old/report.txt",
      deleted: true,
      version_id: null,
      delete_marker: false,
    });
    expect(h.fake.last("s3:DeleteObject").rawPath).toBe("/reports/old/report.txt");
    expect(h.fake.s3.getObject("reports", "old/report.txt")).toBeUndefined();
    await aws.invoke({
      operation: "s3.delete_object",
      parameters: { bucket: "reports", key: "old/report.txt" },
    });
  });

  it("says permission_denied on S3's AccessDenied", async () => {
    h.fake.failNext("s3:PutObject", 1, { kind: "denied" });
    const error = await expectCode(
      h.aws().invoke({
        operation: "s3.upload",
        parameters: { bucket: "reports", key: "locked.txt", content: "x" },
      }),
      "permission_denied",
    );
    expect(error.message).toBe("aws: s3 AccessDenied (HTTP 403): Access Denied");
  });

  it("retries SlowDown after the Retry-After it came with", async () => {
    h.fake.failNext("s3:GetObject", 1, { kind: "throttle", retryAfterSeconds: 1 });
    const started = Date.now();
    const outcome = await h
      .aws({ retryMaxDelayMs: 2_000 })
      .invoke({ operation: "s3.download", parameters: { bucket: "archive", key: "readme.txt" } });
    expect(outcome.tries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });
});

describe("s3.presigned_url", () => {
  it("makes a GET URL the object can be fetched with, without credentials", async () => {
    const outcome = await h.aws().invoke({
      operation: "s3.presigned_url",
      parameters: { bucket: "archive", key: "2024/jan.csv", expires_in: 60 },
    });
    const result = outcome.result as { url: string; method: string; expires_at: string };
    expect(result.method).toBe("GET");
    expect(Date.parse(result.expires_at) - Date.now()).toBeGreaterThan(55_000);
    const url = new URL(result.url);
    expect(url.origin).toBe(h.fake.url);
    expect(url.pathname).toBe("/archive/2024/jan.csv");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("60");
    // The URL carries the key id and session token by design, never the secret key.
    expect(url.searchParams.get("X-Amz-Credential")).toMatch(new RegExp(`^${CANARY.accessKeyId}/`));
    expect(result.url).not.toContain(CANARY.secretAccessKey);
    const before = h.fake.calls("s3:GetObject").length;
    const response = await fetch(result.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("content of 2024/jan.csv");
    expect(h.fake.calls("s3:GetObject").length - before).toBe(1);
  });

  it("makes a PUT URL an upload goes through, with the signed content type", async () => {
    const outcome = await h.aws().invoke({
      operation: "s3.presigned_url",
      parameters: {
        bucket: "reports",
        key: "up/load.json",
        method: "put",
        content_type: "application/json",
      },
    });
    const { url, method } = outcome.result as { url: string; method: string };
    expect(method).toBe("PUT");
    const response = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: '{"uploaded":1}',
    });
    expect(response.status).toBe(200);
    expect(h.fake.s3.getObject("reports", "up/load.json")?.body.toString()).toBe('{"uploaded":1}');
    const tampered = await fetch(url.replace("/up/load.json", "/other.json"), {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("keeps expires_in within 1 second and 7 days, and content_type to put", async () => {
    for (const expires_in of [0, 604_801]) {
      const error = await expectCode(
        h.aws().invoke({
          operation: "s3.presigned_url",
          parameters: { bucket: "reports", key: "k", expires_in },
        }),
        "invalid_argument",
      );
      expect(error.details.field).toBe("parameters.expires_in");
    }
    const error = await expectCode(
      h.aws().invoke({
        operation: "s3.presigned_url",
        parameters: { bucket: "reports", key: "k", content_type: "text/plain" },
      }),
      "invalid_argument",
    );
    expect(error.details.field).toBe("parameters.content_type");
  });
});
