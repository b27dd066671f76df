import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeHttpServer, pattern } from "./fake-http-server.js";
import { type Harness, httpHarness } from "./http-harness.js";

let server: FakeHttpServer;
let harness: Harness;
let base: string;

beforeAll(async () => {
  server = await new FakeHttpServer().start();
  base = `http://api.test:${server.port}`;
  harness = httpHarness({ allowedHosts: ["api.test"] });
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body_type: string;
  body?: unknown;
  body_base64?: string;
  final_url: string;
  redirects: number;
}

async function call(parameters: Record<string, unknown>, idempotencyKey?: string) {
  const outcome = await harness.http.invoke({
    operation: "request",
    parameters,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });
  return { ...outcome, answer: outcome.result as unknown as Answer };
}

describe("answers, by kind of body", () => {
  it("parses a JSON answer, with the status, lower-cased headers and final URL", async () => {
    const { answer, tries } = await call({ url: `${base}/json` });
    expect(tries).toBe(1);
    expect(answer).toMatchObject({
      status: 200,
      body_type: "json",
      final_url: `${base}/json`,
      redirects: 0,
    });
    expect((answer.body as { slideshow: { title: string } }).slideshow.title).toBe(
      "Sample Slide Show",
    );
    expect(answer.headers["content-type"]).toBe("application/json");
    const seen = server.last();
    expect(seen).toMatchObject({ method: "GET", path: "/json" });
    expect(seen?.headers.host).toBe(`api.test:${server.port}`);
  });

  it("gives textual answers as text, decoded with their charset", async () => {
    expect((await call({ url: `${base}/robots.txt` })).answer).toMatchObject({
      body_type: "text",
      body: "User-agent: *\nDisallow: /deny\n",
    });
    expect((await call({ url: `${base}/xml` })).answer.body).toContain("<slideshow");
    expect((await call({ url: `${base}/html` })).answer.body).toContain("Moby-Dick");
    expect((await call({ url: `${base}/encoding/latin1` })).answer).toMatchObject({
      body_type: "text",
      body: "café",
    });
  });

  it("gives binary answers in base64", async () => {
    const { answer } = await call({ url: `${base}/bytes/300` });
    expect(answer.body_type).toBe("binary");
    expect(Buffer.from(answer.body_base64 ?? "", "base64").equals(pattern(300))).toBe(true);
  });

  it("answers HEAD without a body, whatever Content-Length announces", async () => {
    const { answer } = await call({
      method: "HEAD",
      url: `${base}/bytes/5000000`,
      max_response_bytes: 1024,
    });
    expect(answer).toMatchObject({ status: 200, body_type: "empty", body: null });
    expect(server.last()?.method).toBe("HEAD");
  });

  it("returns response headers, a repeated one as an array", async () => {
    const { answer } = await call({
      url: `${base}/response-headers`,
      query: { "X-Custom": "Yes", "Cache-Control": "no-store" },
    });
    expect(answer.headers).toMatchObject({ "x-custom": "Yes", "cache-control": "no-store" });
  });
});

describe("what is sent", () => {
  it("sends the caller's headers and merges query parameters into the URL", async () => {
    const { answer } = await call({
      url: `${base}/get?a=1&keep=2#fragment`,
      headers: { "X-Trace": "t-1", Accept: "application/json" },
      query: { a: "9", list: [1, 2], flag: true },
    });
    const seen = server.last();
    expect(seen?.query).toEqual({ a: "9", keep: "2", list: ["1", "2"], flag: "true" });
    expect(seen?.headers).toMatchObject({ "x-trace": "t-1", accept: "application/json" });
    expect(answer.final_url).toBe(`${base}/get?keep=2&a=9&list=1&list=2&flag=true`);
  });

  it("sends a JSON body with its content type", async () => {
    const { answer } = await call({
      method: "POST",
      url: `${base}/post`,
      json: { name: "build", steps: [1, 2], ok: null },
    });
    const seen = server.last();
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen?.body.toString() ?? "")).toEqual({
      name: "build",
      steps: [1, 2],
      ok: null,
    });
    expect((answer.body as { json: unknown }).json).toEqual({
      name: "build",
      steps: [1, 2],
      ok: null,
    });
  });

  it("sends a text body as UTF-8 text", async () => {
    await call({ method: "PUT", url: `${base}/put`, body: "héllo" });
    const seen = server.last();
    expect(seen?.method).toBe("PUT");
    expect(seen?.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(seen?.body.toString("utf8")).toBe("héllo");
  });

  it("sends a base64 body as its bytes, keeping a content type the caller set", async () => {
    const bytes = pattern(700);
    await call({
      method: "PATCH",
      url: `${base}/patch`,
      headers: { "Content-Type": "image/png" },
      body_base64: bytes.toString("base64"),
    });
    const seen = server.last();
    expect(seen?.headers["content-type"]).toBe("image/png");
    expect(seen?.body.equals(bytes)).toBe(true);
  });

  it("sends DELETE and OPTIONS", async () => {
    await call({ method: "DELETE", url: `${base}/delete` });
    expect(server.last()?.method).toBe("DELETE");
    await call({ method: "OPTIONS", url: `${base}/anything` });
    expect(server.last()?.method).toBe("OPTIONS");
  });
});

describe("limits and statuses", () => {
  it("fails past max_response_bytes, named, whether Content-Length announces it or not", async () => {
    const announced = await expectCode(
      call({ url: `${base}/bytes/2048`, max_response_bytes: 1024 }),
      "out_of_range",
    );
    expect(announced.details).toMatchObject({
      reason: "too_large",
      limit: 1024,
      field: "parameters.max_response_bytes",
    });
    expect(announced.message).toContain("max_response_bytes (1024 bytes)");
    const streamed = await expectCode(
      call({ url: `${base}/stream-bytes/100000`, max_response_bytes: 10_000 }),
      "out_of_range",
    );
    expect(streamed.details.reason).toBe("too_large");
    const exact = await call({ url: `${base}/stream-bytes/10000`, max_response_bytes: 10_000 });
    expect(Buffer.from(exact.answer.body_base64 ?? "", "base64").length).toBe(10_000);
  });

  it("fails on a status outside accept_status, with the status in the details", async () => {
    const before = server.count("/status/500");
    const error = await expectCode(call({ url: `${base}/status/500` }), "unavailable");
    expect(error.details).toMatchObject({ integration: "http", remote_status: 500 });
    expect(error.message).toContain("HTTP 500");
    // A request may act: an outage is not retried.
    expect(server.count("/status/500") - before).toBe(1);
    const teapot = await expectCode(call({ url: `${base}/status/418` }), "invalid_argument");
    expect(teapot.details.remote_status).toBe(418);
    const accepted = await call({ url: `${base}/status/404`, accept_status: [404] });
    expect(accepted.answer.status).toBe(404);
    // A status the caller did not expect is an unexpected answer, even a 200.
    const strict = await expectCode(call({ url: `${base}/get`, accept_status: [201] }), "internal");
    expect(strict.details).toMatchObject({ reason: "remote_error", remote_status: 200 });
  });

  it("fails at the call's deadline when the remote does not answer", async () => {
    const started = Date.now();
    const error = await expectCode(
      harness.http.invoke({
        operation: "request",
        parameters: { url: `${base}/delay/10` },
        timeoutMs: 300,
      }),
      "deadline_exceeded",
    );
    expect(error.details.reason).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("a stateful resource and idempotency keys", () => {
  it("creates, reads back, lists and deletes", async () => {
    const created = await call({ method: "POST", url: `${base}/items`, json: { name: "a" } });
    expect(created.answer.status).toBe(201);
    const id = (created.answer.body as { id: string }).id;
    const read = await call({ url: `${base}/items/${id}` });
    expect(read.answer.body).toEqual({ id, name: "a" });
    const list = await call({ url: `${base}/items` });
    expect((list.answer.body as { items: unknown[] }).items).toContainEqual({ id, name: "a" });
    const deleted = await call({ method: "DELETE", url: `${base}/items/${id}` });
    expect(deleted.answer).toMatchObject({ status: 204, body_type: "empty" });
    const gone = await expectCode(call({ url: `${base}/items/${id}` }), "not_found");
    expect(gone.details.remote_status).toBe(404);
  });

  it("acts once per idempotency key, GET included, and can send the key in a header", async () => {
    const before = server.count("/items");
    const parameters = {
      method: "POST",
      url: `${base}/items`,
      json: { name: "once" },
      idempotency_header: "Idempotency-Key",
    };
    const first = await call(parameters, "create-once");
    const again = await call(parameters, "create-once");
    expect(again.replayed).toBe(true);
    expect(again.answer).toEqual(first.answer);
    expect(server.count("/items") - before).toBe(1);
    expect(server.last()?.headers["idempotency-key"]).toBe("create-once");
    const reads = server.count("/json");
    await call({ url: `${base}/json` }, "read-once");
    expect((await call({ url: `${base}/json` }, "read-once")).replayed).toBe(true);
    expect(server.count("/json") - reads).toBe(1);
  });
});
