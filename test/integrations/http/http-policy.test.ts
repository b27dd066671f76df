import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { AppError } from "../../../src/domain/index.js";
import {
  createIntegrationRegistry,
  createMemoryCallJournal,
} from "../../../src/integrations/index.js";
import { createHttpPlugin } from "../../../src/integrations/http/index.js";
import { createLogger } from "../../../src/observability/index.js";
import { expectCode } from "../../helpers/expect-code.js";
import { FakeHttpServer } from "./fake-http-server.js";
import { httpHarness, type HarnessOptions, testResolver } from "./http-harness.js";

let server: FakeHttpServer;

beforeAll(async () => {
  server = await new FakeHttpServer().start();
});
afterAll(() => server.close());

async function get(options: HarnessOptions, host: string, path = "/get") {
  const { http } = httpHarness(options);
  const outcome = await http.invoke({
    operation: "request",
    parameters: { url: `http://${host}:${server.port}${path}` },
    timeoutMs: 2_000,
  });
  return outcome.result as { status: number };
}

describe("integrations.allowedHosts", () => {
  it("an allowed ADDRESS lets that address through whatever name led to it", async () => {
    const options = { allowedHosts: ["127.0.0.1"] };
    expect((await get(options, "127.0.0.1")).status).toBe(200);
    expect((await get(options, "loopback.test")).status).toBe(200);
    // ::ffff:127.0.0.1 is 127.0.0.1.
    expect((await get(options, "mapped.test")).status).toBe(200);
    expect((await get(options, "0x7f000001")).status).toBe(200);
    // localhost is 127.0.0.1 AND ::1: one address not allowed refuses it.
    const localhost = await expectCode(get(options, "localhost"), "permission_denied");
    expect(localhost.details).toMatchObject({ host: "localhost", address: "::1" });
    await expectCode(get(options, "127.0.0.2"), "permission_denied");
    await expectCode(get(options, "private.test"), "permission_denied");
  });

  it("an allowed NAME lets through whatever it resolves to, and only that name", async () => {
    const options = { allowedHosts: ["Loopback.Test."] };
    expect((await get(options, "loopback.test")).status).toBe(200);
    expect((await get(options, "LOOPBACK.test.")).status).toBe(200);
    await expectCode(get(options, "127.0.0.1"), "permission_denied");
    await expectCode(get(options, "api.test"), "permission_denied");
  });

  it("takes CIDR ranges and *.suffix names", async () => {
    const ranges = { allowedHosts: ["127.0.0.0/8", "::1/128"] };
    expect((await get(ranges, "localhost")).status).toBe(200);
    expect((await get(ranges, "[::1]")).status).toBe(200);
    await expectCode(get(ranges, "10.0.0.1"), "permission_denied");
    const suffix = { allowedHosts: ["*.test"] };
    expect((await get(suffix, "api.test")).status).toBe(200);
    await expectCode(get(suffix, "127.0.0.1"), "permission_denied");
  });

  it("lets a metadata host name be looked up only when allowed by name", async () => {
    const refused = await expectCode(get({}, "metadata.google.internal", "/"), "permission_denied");
    expect(refused.details).toMatchObject({
      host: "metadata.google.internal",
      range: "cloud_metadata",
    });
    // Allowed, it is looked up (the test resolver does not know it): no longer refused by name.
    const looked = await expectCode(
      get({ allowedHosts: ["metadata.google.internal"] }, "metadata.google.internal", "/"),
      "unavailable",
    );
    expect(looked.message).toContain("ENOTFOUND");
  });

  it("refuses at start an entry that is no host, address or range, naming the option", () => {
    for (const entry of [
      "http://api.test",
      "api.test:8080",
      "10.0.0.0/33",
      "not a host",
      "*.",
      "::1/x",
    ]) {
      let thrown: unknown;
      try {
        httpHarness({ allowedHosts: [entry] });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, entry).toBeInstanceOf(AppError);
      expect((thrown as AppError).details.field, entry).toBe("integrations.allowedHosts");
      expect((thrown as AppError).message, entry).toContain(JSON.stringify(entry));
    }
  });
});

describe("integrations.allowPrivateNetworks", () => {
  it("lets loopback and private addresses through, still only over http and https", async () => {
    const options = { allowPrivateNetworks: true };
    expect((await get(options, "127.0.0.1")).status).toBe(200);
    expect((await get(options, "localhost")).status).toBe(200);
    expect((await get(options, "[::1]")).status).toBe(200);
    const { http } = httpHarness(options);
    const file = await expectCode(
      http.invoke({ operation: "request", parameters: { url: "file:///etc/passwd" } }),
      "invalid_argument",
    );
    expect(file.details).toMatchObject({ reason: "unsupported_scheme", field: "parameters.url" });
  });

  it("never opens cloud metadata services: only an allowedHosts entry naming them does", async () => {
    const { http } = httpHarness({ allowPrivateNetworks: true });
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "http://metadata.google.internal/computeMetadata/v1/",
      "http://[fd00:ec2::254]/",
    ]) {
      const error = await expectCode(
        http.invoke({ operation: "request", parameters: { url } }),
        "permission_denied",
      );
      expect(error.details, url).toMatchObject({
        reason: "forbidden_address",
        range: "cloud_metadata",
        allow_with: ["integrations.allowedHosts"],
      });
    }
  });
});

describe("https", () => {
  const fixture = (name: string) => readFileSync(new URL(`./tls/${name}`, import.meta.url), "utf8");
  let tlsServer: FakeHttpServer;

  beforeAll(async () => {
    // A certificate for api.test only, signed by a CA made for these tests.
    tlsServer = await new FakeHttpServer({
      tls: { key: fixture("api-test-key.pem"), cert: fixture("api-test-cert.pem") },
    }).start();
  });
  afterAll(() => tlsServer.close());

  const harness = (ca?: string) => {
    const config = loadConfig({
      env: {},
      flags: {},
      base: { integrations: { allowedHosts: ["*.test"] } },
    });
    return createIntegrationRegistry(
      [createHttpPlugin({ resolve: testResolver(), ...(ca === undefined ? {} : { ca }) })],
      {
        config: config.integrations,
        env: {},
        logger: createLogger({ process: "integration", level: "silent" }),
        journal: createMemoryCallJournal(),
      },
    ).get("http");
  };

  it("verifies the certificate against the host name, though it connects to the checked address", async () => {
    const http = harness(fixture("ca.pem"));
    const outcome = await http.invoke({
      operation: "request",
      parameters: { url: `https://api.test:${tlsServer.port}/json` },
    });
    expect(outcome.result).toMatchObject({ status: 200, body_type: "json" });
    const wrongName = await expectCode(
      http.invoke({
        operation: "request",
        parameters: { url: `https://other.test:${tlsServer.port}/json` },
      }),
      "internal",
    );
    expect(wrongName.message).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
  });

  it("refuses a certificate it cannot verify", async () => {
    const error = await expectCode(
      harness().invoke({
        operation: "request",
        parameters: { url: `https://api.test:${tlsServer.port}/json` },
      }),
      "internal",
    );
    expect(error.details.reason).toBe("remote_error");
    expect(error.message).toContain("TLS certificate was refused");
  });
});

describe("status", () => {
  it("is configured without settings and healthy without any network call, reporting the policy", async () => {
    const before = server.count();
    const { http } = httpHarness({ allowedHosts: ["api.test"] });
    expect(http.configured).toBe(true);
    const status = await http.status();
    expect(status).toMatchObject({ state: "healthy", missing: [], message: "" });
    const test = await http.invoke({ operation: "test", parameters: {} });
    expect(test.result).toMatchObject({ state: "healthy" });
    expect(server.count()).toBe(before);
    const plugin = createHttpPlugin({ resolve: testResolver() });
    const client = plugin.connect(
      {},
      {
        logger: createLogger({ process: "integration", level: "silent" }),
        allowPrivateNetworks: false,
        allowedHosts: ["api.test"],
      },
    );
    const call = {
      signal: new AbortController().signal,
      idempotencyKey: "k",
      logger: createLogger({ process: "integration", level: "silent" }),
    };
    expect(await plugin.check(client, call)).toEqual({
      schemes: ["http", "https"],
      allow_private_networks: false,
      allowed_hosts: ["api.test"],
    });
  });

  it("lists the request operation, declared as acting", () => {
    const { http } = httpHarness();
    const request = http.operations().find((op) => op.name === "request");
    expect(request?.sideEffect).toBe(true);
    expect(request?.parameters).toMatchObject({ required: ["url"], additionalProperties: false });
  });
});
