import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Ajv } from "ajv";
import { type Config, loadConfig } from "../../src/config/index.js";
import { startCoordinator } from "../../src/coordinator/index.js";
import { startGateway } from "../../src/gateway/index.js";
import type { RunningComponent } from "../../src/lifecycle/index.js";
import { createLogger, type Logger } from "../../src/observability/index.js";

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A logger whose JSON lines are kept for the test to read. */
export function capturingLogger(
  process: string,
  level = "debug",
): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(
        ...chunk
          .toString("utf8")
          .split("\n")
          .filter((l) => l !== ""),
      );
      callback();
    },
  });
  const logger = createLogger({ process, level, destination });
  return { logger, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

export interface ConfigOverrides {
  coordinatorPort: number;
  dataDir?: string;
  bodyLimitBytes?: number;
  integrationPort?: number;
  orchestratorPort?: number;
  leaseTtlMs?: number;
  events?: { queueLimit?: number; stallTimeoutMs?: number };
}

/** A resolved config on 127.0.0.1 with the gateway on port 0. */
export async function testConfig(overrides: ConfigOverrides): Promise<Config> {
  return loadConfig({
    env: {},
    flags: {},
    base: {
      host: "127.0.0.1",
      dataDir: overrides.dataDir ?? join(tmpdir(), "gateway-test-unused"),
      ports: {
        gateway: 0,
        coordinator: overrides.coordinatorPort,
        integration: overrides.integrationPort ?? (await freePort()),
        orchestrator: overrides.orchestratorPort ?? (await freePort()),
      },
      gateway: { bodyLimitBytes: overrides.bodyLimitBytes ?? 1024 * 1024, requestTimeoutMs: 5_000 },
      coordinator: { leaseTtlMs: overrides.leaseTtlMs ?? 30_000 },
      events: overrides.events ?? {},
    },
  });
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export interface RequestOptions {
  /** Sent as JSON with Content-Type application/json. */
  body?: unknown;
  /** Sent verbatim (with `headers` as given). */
  raw?: string;
  headers?: Record<string, string>;
}

/** The gateway under test: where it listens and how to call it. */
export class TestGateway {
  private constructor(
    readonly component: RunningComponent,
    readonly url: string,
    readonly logs: () => Array<Record<string, unknown>>,
  ) {}

  static async start(config: Config): Promise<TestGateway> {
    const { logger, lines } = capturingLogger("gateway-test");
    const component = await startGateway(config, logger);
    return new TestGateway(component, `http://127.0.0.1:${component.port}`, lines);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(this.url + path, { method, headers, body });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  close(): Promise<void> {
    return this.component.close();
  }
}

/** A temp folder removed by the returned function. */
export async function tempDir(
  prefix: string,
): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The parts of an OpenAPI document the tests read. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
}

/** A schema with a component `$ref` replaced by the component (one level). */
export function resolveRef(document: OpenApiDocument, schema: unknown): unknown {
  const $ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof $ref !== "string" || !$ref.startsWith("#/components/schemas/")) return schema;
  return document.components?.schemas?.[$ref.slice("#/components/schemas/".length)];
}

export interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string; schema?: unknown; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    { description?: string; content?: Record<string, { schema: unknown }> }
  >;
}

/**
 * Checks responses against the schemas the OpenAPI document gives for them, so the document
 * cannot drift from what the API sends. Every object schema in it forbids unknown fields.
 */
export class ResponseChecker {
  private readonly ajv = new Ajv({
    strict: false,
    discriminator: true,
    allErrors: true,
    validateFormats: false,
  });

  constructor(private readonly document: OpenApiDocument) {
    // Component $refs ("#/components/schemas/Task") resolve against the document itself.
    this.ajv.addSchema(document, "openapi.json");
  }

  /** Errors of `body` against the documented response of `method path` with `status`; [] when it conforms. */
  errors(method: string, path: string, status: number, body: unknown): string[] {
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    if (operation === undefined) return [`${method} ${path} is not documented`];
    const response =
      operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
    const schema = response?.content?.["application/json"]?.schema;
    if (schema === undefined) return [`${method} ${path} documents no JSON response for ${status}`];
    const pointer = `#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method.toLowerCase()}/responses/${
      operation.responses[String(status)] ? String(status) : `${String(status)[0]}XX`
    }/content/application~1json/schema`;
    const validate = this.ajv.getSchema(`openapi.json${pointer}`);
    if (validate === undefined) return [`no schema at ${pointer}`];
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
    );
  }
}

/** A real coordinator (own temp data folder, port 0) with a gateway in front of it. */
export class TestSystem {
  private constructor(
    readonly gateway: TestGateway,
    private readonly coordinator: RunningComponent,
    private readonly dir: { remove: () => Promise<void> },
    readonly coordinatorLogs: () => Array<Record<string, unknown>>,
  ) {}

  static async start(
    options: Pick<ConfigOverrides, "leaseTtlMs" | "integrationPort" | "events"> = {},
  ): Promise<TestSystem> {
    const dir = await tempDir("gateway-system-");
    const config = await testConfig({
      coordinatorPort: 0,
      dataDir: dir.path,
      leaseTtlMs: options.leaseTtlMs,
      integrationPort: options.integrationPort,
      events: options.events,
    });
    const { logger, lines } = capturingLogger("coordinator-test", "warn");
    const coordinator = await startCoordinator(config, logger, {
      onFatal: (error) => {
        throw error;
      },
    });
    config.ports.coordinator = coordinator.port;
    const gateway = await TestGateway.start(config);
    return new TestSystem(gateway, coordinator, dir, lines);
  }

  request(method: string, path: string, options?: RequestOptions): Promise<HttpResult> {
    return this.gateway.request(method, path, options);
  }

  /** Stops the coordinator only (the gateway stays up); close() still cleans up. */
  stopCoordinator(): Promise<void> {
    return this.coordinator.close();
  }

  async close(): Promise<void> {
    await this.gateway.close();
    await this.coordinator.close();
    await this.dir.remove();
  }
}
