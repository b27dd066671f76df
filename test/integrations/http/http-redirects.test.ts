import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeHttpServer } from "./fake-http-server.js";
import type { HostResolver } from "../../../src/integrations/http/index.js";
import { type Harness, httpHarness, testResolver } from "./http-harness.js";

let server: FakeHttpServer;
let harness: Harness;
let base: string;

beforeAll(async () => {
  server = await new FakeHttpServer().start();
  base = `http://api.test:${server.port}`;
  harness = httpHarness({ allowedHosts: ["api.test", "other.test"] });
});
afterAll(() => server.close());

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: { method: string; headers: Record<string, string>; data: string; url: string };
  final_url: string;
  redirects: number;
}

async function call(parameters: Record<string, unknown>): Promise<Answer> {
  const outcome = await harness.http.invoke({ operation: "request", parameters });
  return outcome.result as unknown as Answer;
}

const redirectTo = (target: string, status = 302) =>
  `${base}/redirect-to?url=${encodeURIComponent(target)}&status_code=${status}`;

describe("following redirects", () => {
  it("follows relative and absolute redirects and counts them", async () => {
    const relative = await call({ url: `${base}/redirect/3` });
    expect(relative).toMatchObject({ status: 200, redirects: 3, final_url: `${base}/get` });
    const absolute = await call({ url: `${base}/absolute-redirect/2` });
    expect(absolute).toMatchObject({ status: 200, redirects: 2, final_url: `${base}/get` });
  });

  it("fails after 5 redirects", async () => {
    expect((await call({ url: `${base}/redirect/5` })).redirects).toBe(5);
    const error = await expectCode(call({ url: `${base}/redirect/6` }), "internal");
    expect(error.message).toContain("more than 5 redirects");
    expect(error.details).toMatchObject({ reason: "remote_error", remote_status: 302 });
  });

  it("returns the redirect itself when not following", async () => {
    const answer = await call({ url: `${base}/redirect/1`, follow_redirects: false });
    expect(answer).toMatchObject({ status: 302, redirects: 0 });
    expect(answer.headers.location).toBe("/get");
  });

  it("turns a 303 into a GET without body, and a 302 answering a POST too", async () => {
    for (const status of [303, 302]) {
      const answer = await call({
        method: "POST",
        url: redirectTo("/anything/after", status),
        json: { a: 1 },
      });
      expect(answer.body.method).toBe("GET");
      expect(answer.body.data).toBe("");
      expect(answer.body.headers["content-type"]).toBeUndefined();
      expect(answer.redirects).toBe(1);
    }
  });

  it("keeps the method and body through a 307 and a 308", async () => {
    for (const status of [307, 308]) {
      const answer = await call({
        method: "PUT",
        url: redirectTo("/anything/after", status),
        body: "same body",
      });
      expect(answer.body).toMatchObject({ method: "PUT", data: "same body" });
    }
  });

  it("keeps credentials on the same origin and drops them when a redirect leaves it", async () => {
    const headers = { Authorization: "Bearer same-origin-only", "X-Trace": "t-9" };
    const same = await call({ url: redirectTo("/anything/same"), headers });
    expect(same.body.headers.authorization).toBe("[redacted]");
    expect(server.last()?.headers.authorization).toBe("Bearer same-origin-only");
    const other = await call({
      url: redirectTo(`http://other.test:${server.port}/anything/other`),
      headers,
    });
    expect(other.final_url).toBe(`http://other.test:${server.port}/anything/other`);
    expect(server.last()?.headers.authorization).toBeUndefined();
    expect(server.last()?.headers["x-trace"]).toBe("t-9");
  });
});

describe("the network policy at every hop", () => {
  it("refuses a redirect from an allowed host to a forbidden address at that hop", async () => {
    const before = server.count();
    const error = await expectCode(
      call({ url: redirectTo(`http://127.0.0.1:${server.port}/secret`) }),
      "permission_denied",
    );
    expect(error.details).toMatchObject({
      reason: "forbidden_address",
      host: "127.0.0.1",
      address: "127.0.0.1",
      range: "loopback",
      redirect: 1,
      allow_with: ["integrations.allowedHosts", "integrations.allowPrivateNetworks"],
    });
    expect(error.message).toContain("refused at redirect 1");
    expect(server.count() - before).toBe(1);
    expect(server.count("/secret")).toBe(0);
  });

  it("refuses a hop whose NAME resolves to a forbidden address, at connect time", async () => {
    const error = await expectCode(
      call({ url: redirectTo(`http://loopback.test:${server.port}/secret`) }),
      "permission_denied",
    );
    expect(error.details).toMatchObject({ host: "loopback.test", address: "127.0.0.1" });
    expect(error.details.redirect).toBe(1);
    expect(server.count("/secret")).toBe(0);
  });

  it("checks each new connection's fresh lookup (DNS rebinding)", async () => {
    let lookups = 0;
    // A name whose first answer is a reachable address, and every later one a private one.
    const flipping: HostResolver = async (hostname) => {
      if (hostname !== "rebind.test") return testResolver()(hostname);
      lookups += 1;
      return [{ address: lookups === 1 ? "127.0.0.1" : "10.0.0.9", family: 4 }];
    };
    // The address is allowed, not the name: a new lookup must be checked again.
    const { http } = httpHarness({ allowedHosts: ["127.0.0.1"], resolve: flipping });
    // The server closes the connection, so the next request opens (and resolves) anew.
    const url = `http://rebind.test:${server.port}/response-headers?Connection=close`;
    const first = await http.invoke({ operation: "request", parameters: { url } });
    expect((first.result as { status: number }).status).toBe(200);
    const error = await expectCode(
      http.invoke({ operation: "request", parameters: { url } }),
      "permission_denied",
    );
    expect(error.details).toMatchObject({ host: "rebind.test", address: "10.0.0.9" });
    expect(lookups).toBe(2);
  });
});
