import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../src/domain/index.js";
import { FakeHttpServer } from "./fake-http-server.js";
import { httpHarness } from "./http-harness.js";

let server: FakeHttpServer;

beforeAll(async () => {
  server = await new FakeHttpServer().start();
});
afterAll(() => server.close());

type Refusal =
  | { reason: "forbidden_address"; range: string; redirect?: number }
  | { reason: "unsupported_scheme" | "invalid_url"; redirect?: number };

/** A URL (with {port} for the fake server's port) and why it must be refused. */
interface Row {
  url: string;
  refusal: Refusal;
  /** Reaches the fake server when the policy lets private networks through (the control). */
  reachable?: boolean;
}

const forbidden = (range: string, redirect?: number): Refusal => ({
  reason: "forbidden_address",
  range,
  ...(redirect === undefined ? {} : { redirect }),
});
const scheme: Refusal = { reason: "unsupported_scheme" };

/** A redirect, from the allowed api.test (the fake server), to `target`. */
const via = (target: string) =>
  `http://api.test:{port}/redirect-to?url=${encodeURIComponent(target)}`;

const TABLE: Row[] = [
  // Loopback in every spelling the URL parser accepts.
  { url: "http://127.0.0.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://localhost:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://LOCALHOST:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://localhost.:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://LocalHost.:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://api.localhost:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://2130706433:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://0177.0.0.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://017700000001:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://0x7f.0.0.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://0x7f000001:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://0x7F.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://127.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://127.0.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://127.0.0.1.:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://127.255.255.254:{port}/secret", refusal: forbidden("loopback") },
  { url: "http://%31%32%37.0.0.1:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://１２７.０.０.１:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  {
    url: "http://example.com@127.0.0.1:{port}/secret",
    refusal: forbidden("loopback"),
  },
  { url: "http://[::1]:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  {
    url: "http://[0:0:0:0:0:0:0:1]:{port}/secret",
    refusal: forbidden("loopback"),
    reachable: true,
  },
  {
    url: "http://[::ffff:127.0.0.1]:{port}/secret",
    refusal: forbidden("loopback"),
    reachable: true,
  },
  { url: "http://[::ffff:7f00:1]:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://[::127.0.0.1]:{port}/secret", refusal: forbidden("loopback") },
  { url: "http://[64:ff9b::127.0.0.1]:{port}/secret", refusal: forbidden("loopback") },
  { url: "http://[2002:7f00:1::1]:{port}/secret", refusal: forbidden("loopback") },
  { url: "https://127.0.0.1:{port}/secret", refusal: forbidden("loopback") },
  { url: "http://[fe80::1%25lo]:{port}/secret", refusal: { reason: "invalid_url" } },
  // Unspecified, private, shared, link-local, multicast, broadcast, reserved.
  { url: "http://0.0.0.0:{port}/secret", refusal: forbidden("unspecified") },
  { url: "http://0:{port}/secret", refusal: forbidden("unspecified") },
  { url: "http://[::]:{port}/secret", refusal: forbidden("unspecified") },
  { url: "http://10.0.0.1:{port}/secret", refusal: forbidden("private") },
  { url: "http://012.1:{port}/secret", refusal: forbidden("private") },
  { url: "http://172.16.0.1:{port}/secret", refusal: forbidden("private") },
  { url: "http://172.31.255.255:{port}/secret", refusal: forbidden("private") },
  { url: "http://192.168.1.1:{port}/secret", refusal: forbidden("private") },
  { url: "http://3232235777:{port}/secret", refusal: forbidden("private") },
  { url: "http://[fc00::1]:{port}/secret", refusal: forbidden("private") },
  { url: "http://[fd12:3456::1]:{port}/secret", refusal: forbidden("private") },
  { url: "http://[::ffff:10.0.0.1]:{port}/secret", refusal: forbidden("private") },
  { url: "http://100.64.0.1:{port}/secret", refusal: forbidden("carrier_grade_nat") },
  { url: "http://169.254.1.1:{port}/secret", refusal: forbidden("link_local") },
  { url: "http://[fe80::1]:{port}/secret", refusal: forbidden("link_local") },
  { url: "http://224.0.0.1:{port}/secret", refusal: forbidden("multicast") },
  { url: "http://[ff02::1]:{port}/secret", refusal: forbidden("multicast") },
  { url: "http://255.255.255.255:{port}/secret", refusal: forbidden("broadcast") },
  { url: "http://240.0.0.1:{port}/secret", refusal: forbidden("reserved") },
  { url: "http://192.0.2.1:{port}/secret", refusal: forbidden("reserved") },
  { url: "http://[2001:db8::1]:{port}/secret", refusal: forbidden("reserved") },
  // Cloud metadata, by address and by name.
  { url: "http://169.254.169.254/latest/meta-data/", refusal: forbidden("cloud_metadata") },
  { url: "http://0xa9fea9fe/latest/meta-data/", refusal: forbidden("cloud_metadata") },
  { url: "http://[::ffff:169.254.169.254]/latest/", refusal: forbidden("cloud_metadata") },
  { url: "http://169.254.170.2/v2/credentials", refusal: forbidden("cloud_metadata") },
  { url: "http://[fd00:ec2::254]/latest/", refusal: forbidden("cloud_metadata") },
  { url: "http://100.100.100.200/latest/meta-data/", refusal: forbidden("cloud_metadata") },
  {
    url: "http://metadata.google.internal/computeMetadata/v1/",
    refusal: forbidden("cloud_metadata"),
  },
  {
    url: "http://METADATA.Google.Internal./computeMetadata/v1/",
    refusal: forbidden("cloud_metadata"),
  },
  { url: "http://metadata.goog/computeMetadata/v1/", refusal: forbidden("cloud_metadata") },
  { url: "http://instance-data/latest/", refusal: forbidden("cloud_metadata") },
  { url: "http://metadata%2Egoogle.internal/", refusal: forbidden("cloud_metadata") },
  // Host names that resolve to forbidden addresses (the test resolver).
  { url: "http://loopback.test:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://v6loopback.test:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://mapped.test:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  { url: "http://mixed.test:{port}/secret", refusal: forbidden("loopback") },
  { url: "http://private.test:{port}/secret", refusal: forbidden("private") },
  { url: "http://private172.test:{port}/secret", refusal: forbidden("private") },
  { url: "http://home.test:{port}/secret", refusal: forbidden("private") },
  { url: "http://ula.test:{port}/secret", refusal: forbidden("private") },
  { url: "http://nat64.test:{port}/secret", refusal: forbidden("private") },
  { url: "http://cgnat.test:{port}/secret", refusal: forbidden("carrier_grade_nat") },
  { url: "http://linklocal.test:{port}/secret", refusal: forbidden("link_local") },
  { url: "http://metadata.test/latest/", refusal: forbidden("cloud_metadata") },
  { url: "http://ecs-credentials.test/v2/credentials", refusal: forbidden("cloud_metadata") },
  { url: "http://ec2v6.test/latest/", refusal: forbidden("cloud_metadata") },
  { url: "http://sixtofour.test/latest/", refusal: forbidden("cloud_metadata") },
  { url: "http://zero.test:{port}/secret", refusal: forbidden("unspecified") },
  { url: "http://multicast.test:{port}/secret", refusal: forbidden("multicast") },
  { url: "http://LOOPBACK.test.:{port}/secret", refusal: forbidden("loopback"), reachable: true },
  // Redirects from an allowed host to forbidden ones: refused at the hop.
  { url: via("http://127.0.0.1:{port}/secret"), refusal: forbidden("loopback", 1) },
  { url: via("http://localhost:{port}/secret"), refusal: forbidden("loopback", 1) },
  { url: via("http://[::ffff:7f00:1]:{port}/secret"), refusal: forbidden("loopback", 1) },
  { url: via("http://0x7f000001:{port}/secret"), refusal: forbidden("loopback", 1) },
  { url: via("http://loopback.test:{port}/secret"), refusal: forbidden("loopback", 1) },
  { url: via("http://169.254.169.254/latest/meta-data/"), refusal: forbidden("cloud_metadata", 1) },
  { url: via("http://metadata.google.internal/"), refusal: forbidden("cloud_metadata", 1) },
  { url: via("http://10.0.0.1/"), refusal: forbidden("private", 1) },
  { url: via("file:///etc/passwd"), refusal: { reason: "unsupported_scheme", redirect: 1 } },
  {
    url: via("gopher://127.0.0.1:{port}/_secret"),
    refusal: { reason: "unsupported_scheme", redirect: 1 },
  },
  // Schemes other than http and https.
  { url: "file:///etc/passwd", refusal: scheme },
  { url: "file://localhost/etc/passwd", refusal: scheme },
  { url: "ftp://127.0.0.1:{port}/secret", refusal: scheme },
  { url: "ftp://example.com/file", refusal: scheme },
  { url: "gopher://127.0.0.1:{port}/_GET%20/secret", refusal: scheme },
  { url: "data:text/plain,secret", refusal: scheme },
  { url: "javascript:alert(1)", refusal: scheme },
  { url: "ws://127.0.0.1:{port}/secret", refusal: scheme },
  { url: "dict://127.0.0.1:{port}/", refusal: scheme },
  { url: "/secret", refusal: { reason: "invalid_url" } },
  { url: "http://[::1/secret", refusal: { reason: "invalid_url" } },
];

const withPort = (url: string) =>
  url.replaceAll("{port}", String(server.port)).replaceAll("%7Bport%7D", String(server.port));

describe("server-side request forgery: the table", () => {
  it("has at least 40 rows", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });

  it("refuses every row with the expected reason, and none of them reaches the server", async () => {
    // api.test is allowed BY NAME: its address (127.0.0.1) is not opened to other names.
    const { http, logs } = httpHarness({ allowedHosts: ["api.test"] });
    const outcomes: string[] = [];
    for (const row of TABLE) {
      const url = withPort(row.url);
      const error = await http
        .invoke({ operation: "request", parameters: { url }, timeoutMs: 2_000 })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      if (!(error instanceof AppError)) {
        outcomes.push(`${url}: not refused`);
        continue;
      }
      const expected = {
        code: row.refusal.reason === "forbidden_address" ? "permission_denied" : "invalid_argument",
        reason: row.refusal.reason,
        range: "range" in row.refusal ? row.refusal.range : undefined,
        redirect: row.refusal.redirect,
      };
      const got = {
        code: error.code,
        reason: error.details.reason,
        range: error.details.range,
        redirect: error.details.redirect,
      };
      if (JSON.stringify(got) !== JSON.stringify(expected))
        outcomes.push(`${url}: ${JSON.stringify(got)} (${error.message})`);
    }
    expect(outcomes).toEqual([]);
    // Only the redirecting hops (to the allowed api.test) were received, never a target.
    const redirecting = TABLE.filter((row) => row.url.includes("/redirect-to")).length;
    expect(server.count("/redirect-to")).toBe(redirecting);
    expect(server.count()).toBe(redirecting);
    expect(logs()).not.toContain("/secret");
  });

  it("control: the loopback rows do reach the server once private networks are allowed", async () => {
    const { http } = httpHarness({ allowPrivateNetworks: true });
    const reachable = TABLE.filter((row) => row.reachable === true);
    expect(reachable.length).toBeGreaterThanOrEqual(20);
    const before = server.count("/secret");
    for (const row of reachable) {
      const error = await http
        .invoke({
          operation: "request",
          parameters: { url: withPort(row.url), accept_status: [404] },
          timeoutMs: 2_000,
        })
        .then(
          (outcome) =>
            (outcome.result as { status: number }).status === 404 ? undefined : outcome,
          (e: unknown) => e,
        );
      expect(error, row.url).toBeUndefined();
    }
    expect(server.count("/secret") - before).toBe(reachable.length);
  });
});
