import { randomUUID } from "node:crypto";
import { Ajv, type ValidateFunction } from "ajv";
import { AppError, type JsonObject, type JsonValue } from "../../domain/index.js";
import type { Logger } from "../../observability/index.js";
import { validationError } from "../../schemas/index.js";
import type {
  IntegrationPlugin,
  IntegrationStatus,
  Operation,
  PluginContext,
} from "../integration.js";
import type { CallJournal } from "./call-journal.js";
import { IdempotentCalls } from "./idempotent-calls.js";
import { StatusTracker } from "./status-tracker.js";
import { withDeadline } from "./with-deadline.js";
import { createRedactor, type Redactor } from "./redactor.js";
import type { ResolvedSettings } from "./resolve-settings.js";
import { type RetryPolicy, runWithRetry } from "./run-with-retry.js";
import { normaliseThrown } from "./normalise-thrown.js";

/** The built-in operation every integration has: its status check, run on demand. */
export const TEST_OPERATION = "test";

/** One operation as listed to callers. */
export interface OperationInfo {
  name: string;
  description: string;
  /** JSON Schema of its parameters. */
  parameters: JsonObject;
  sideEffect: boolean;
}

/** One call of an operation. */
export interface InvokeRequest {
  operation: string;
  /** Sub-service (AWS: ec2, s3, lambda): the operation called is `<service>.<operation>`. */
  service?: string;
  parameters: unknown;
  /** Makes a side effect happen once per key; none means every call acts. */
  idempotencyKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface InvokeOutcome {
  result: JsonValue;
  /** Tries it took (retries after rate limits and outages count). */
  tries: number;
  durationMs: number;
  /** True when the result is the recorded answer of an earlier call with the same key. */
  replayed: boolean;
}

/** Limits and policies of the runtime. */
export interface RuntimeOptions {
  journal: CallJournal;
  retry: RetryPolicy;
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
  /** A status check slower than this reports `degraded`. */
  degradedLatencyMs: number;
  /** A status is checked again when older than this. */
  statusTtlMs: number;
  logger: Logger;
}

const ajv = new Ajv({
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
  coerceTypes: false,
  strictTypes: false,
  verbose: true,
  logger: false,
});

/**
 * One plugin made safe to call: parameters validated, calls bounded by a deadline, rate
 * limits retried, side effects recorded by idempotency key, secrets redacted from every
 * result, error and log line, and its status tracked.
 */
export class IntegrationRuntime {
  readonly name: string;
  readonly description: string;
  private readonly client: unknown;
  private readonly redactor: Redactor;
  private readonly secrets: readonly string[];
  private readonly resultRedactors = new Map<Operation, Redactor>();
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly tracker: StatusTracker;
  private readonly onceByKey: IdempotentCalls;

  constructor(
    private readonly plugin: IntegrationPlugin,
    private readonly resolved: ResolvedSettings,
    context: PluginContext,
    private readonly options: RuntimeOptions,
  ) {
    this.name = plugin.name;
    this.description = plugin.description;
    this.secrets = [...resolved.secrets, ...(plugin.derivedSecrets?.(resolved.settings) ?? [])];
    this.redactor = createRedactor(this.secrets);
    this.client = this.configured ? plugin.connect(resolved.settings, context) : undefined;
    this.onceByKey = new IdempotentCalls(this.name, options.journal);
    this.tracker = new StatusTracker(
      this.name,
      () => this.runCheck(),
      {
        ttlMs: options.statusTtlMs,
        degradedLatencyMs: options.degradedLatencyMs,
        logger: options.logger,
      },
      {
        state: "not_configured",
        message: this.notConfiguredMessage(),
        missing: [...resolved.missing],
        checkedAt: null,
        latencyMs: null,
      },
    );
  }

  get configured(): boolean {
    return this.resolved.missing.length === 0;
  }

  /** The state as last known, without checking; null for a configured one not checked yet. */
  get lastState(): IntegrationStatus["state"] | null {
    if (!this.configured) return "not_configured";
    const current = this.tracker.current;
    return current.checkedAt === null ? null : current.state;
  }

  /** Whether `name` (with its service prefix, if any) is one of its operations or `test`. */
  knowsOperation(name: string): boolean {
    return name === TEST_OPERATION || this.plugin.operations[name] !== undefined;
  }

  /** Environment variables still to set ([] once configured). */
  get missingVariables(): string[] {
    return [...this.resolved.missing];
  }

  /** Every operation with its schema, `test` first. */
  operations(): OperationInfo[] {
    const list: OperationInfo[] = [
      {
        name: TEST_OPERATION,
        description: "Checks the credentials and reachability with a cheap call.",
        parameters: { type: "object", properties: {}, additionalProperties: false },
        sideEffect: false,
      },
    ];
    for (const [name, op] of Object.entries(this.plugin.operations)) {
      list.push({
        name,
        description: op.description,
        parameters: JSON.parse(JSON.stringify(op.parameters)) as JsonObject,
        sideEffect: op.sideEffect,
      });
    }
    return list;
  }

  /**
   * The current status: the last check's when it is fresh, otherwise a new check (waited for
   * at most `waitMs`; a check still running then is reported as degraded).
   */
  status(options: { refresh?: boolean; waitMs?: number } = {}): Promise<IntegrationStatus> {
    if (!this.configured) return Promise.resolve(this.tracker.current);
    return this.tracker.status(options);
  }

  /** Calls one operation (or `test`). Throws a redacted AppError on failure. */
  async invoke(request: InvokeRequest): Promise<InvokeOutcome> {
    const name = this.operationName(request);
    if (name === TEST_OPERATION) {
      this.requireConfigured();
      const started = Date.now();
      const status = await this.tracker.check();
      if (status.state === "down")
        throw this.tracker.lastError ?? new AppError("unavailable", status.message);
      return {
        result: { state: status.state, latency_ms: status.latencyMs },
        tries: 1,
        durationMs: Date.now() - started,
        replayed: false,
      };
    }
    const operation = this.plugin.operations[name];
    if (operation === undefined) {
      throw AppError.invalidArgument(
        "operation",
        `${this.name} has no operation ${JSON.stringify(name)}; valid operations are ${this.operationNames().join(", ")}`,
        { valid: this.operationNames() },
      );
    }
    this.requireConfigured();
    const parameters = this.validate(name, operation, request.parameters);
    if (!operation.sideEffect || request.idempotencyKey === undefined) {
      return this.perform(
        name,
        operation,
        parameters,
        request,
        request.idempotencyKey ?? randomUUID(),
      );
    }
    const key = request.idempotencyKey;
    return this.onceByKey.run(key, name, parameters, () =>
      this.perform(name, operation, parameters, request, key),
    );
  }

  private async runCheck(): Promise<void> {
    const timeoutMs = this.options.defaultTimeoutMs;
    try {
      await withDeadline(this.name, this.options.logger, timeoutMs, undefined, (call) =>
        this.plugin.check(this.client, call),
      );
    } catch (thrown) {
      throw this.redactError(this.normalise(thrown, timeoutMs));
    }
  }

  private async perform(
    name: string,
    operation: Operation,
    parameters: unknown,
    request: InvokeRequest,
    key: string,
  ): Promise<InvokeOutcome> {
    const started = Date.now();
    const timeoutMs = Math.min(
      request.timeoutMs ?? this.options.defaultTimeoutMs,
      this.options.maxTimeoutMs,
    );
    try {
      const { value, tries } = await withDeadline(
        this.name,
        this.options.logger,
        timeoutMs,
        request.signal,
        (call, deadline) =>
          runWithRetry(
            () => operation.run(this.client, parameters, { ...call, idempotencyKey: key }),
            {
              policy: this.options.retry,
              retryUnavailable: !operation.sideEffect,
              deadline,
              signal: call.signal,
              normalise: (thrown) => this.normalise(thrown, timeoutMs, call.signal),
            },
          ),
      );
      const durationMs = Date.now() - started;
      this.options.logger.info(
        { integration: this.name, operation: name, tries, durationMs },
        "integration call done",
      );
      const result = this.resultRedactor(operation).json(value);
      return { result, tries, durationMs, replayed: false };
    } catch (thrown) {
      const error = this.redactError(this.normalise(thrown, timeoutMs));
      this.options.logger.warn(
        {
          integration: this.name,
          operation: name,
          durationMs: Date.now() - started,
          err: error.toJSON(),
        },
        "integration call failed",
      );
      throw error;
    }
  }

  private normalise(thrown: unknown, timeoutMs: number, signal?: AbortSignal): AppError {
    if (signal?.aborted && signal.reason instanceof AppError) return signal.reason;
    return normaliseThrown(this.name, thrown, (error) => this.plugin.mapError?.(error), timeoutMs);
  }

  /** Redacts an operation's result: every secret but those it carries by design. */
  private resultRedactor(operation: Operation): Redactor {
    const revealed = operation.revealsSettings ?? [];
    if (revealed.length === 0) return this.redactor;
    let redactor = this.resultRedactors.get(operation);
    if (redactor === undefined) {
      const kept = new Set(revealed.map((key) => this.resolved.settings[key]));
      redactor = createRedactor(this.secrets.filter((secret) => !kept.has(secret)));
      this.resultRedactors.set(operation, redactor);
    }
    return redactor;
  }

  private redactError(error: AppError): AppError {
    if (!this.redactor.active) return error;
    const details = this.redactor.json(error.details) as JsonObject;
    return new AppError(error.code, this.redactor.text(error.message), details);
  }

  private validate(name: string, operation: Operation, parameters: unknown): unknown {
    let validator = this.validators.get(name);
    if (validator === undefined) {
      validator = ajv.compile(operation.parameters);
      this.validators.set(name, validator);
    }
    // Validation fills in defaults, so it works on a copy of what the caller sent.
    const copy: unknown = parameters === undefined ? {} : structuredClone(parameters);
    if (!validator(copy)) throw validationError(validator.errors ?? [], "parameters");
    return copy;
  }

  private operationName(request: InvokeRequest): string {
    if (request.service === undefined || request.service === "") return request.operation;
    if (request.operation.includes(".")) {
      throw AppError.invalidArgument(
        "operation",
        `operation ${JSON.stringify(request.operation)} already names a service; drop "service" or the prefix`,
      );
    }
    const name = `${request.service}.${request.operation}`;
    if (this.plugin.operations[name] === undefined) {
      const services = [
        ...new Set(
          Object.keys(this.plugin.operations)
            .filter((op) => op.includes("."))
            .map((op) => op.split(".")[0] ?? ""),
        ),
      ];
      if (!services.includes(request.service)) {
        throw AppError.invalidArgument(
          "service",
          services.length === 0
            ? `${this.name} has no services; call its operations without "service"`
            : `${this.name} has no service ${JSON.stringify(request.service)}; valid services are ${services.join(", ")}`,
          { valid: services },
        );
      }
    }
    return name;
  }

  private operationNames(): string[] {
    return [TEST_OPERATION, ...Object.keys(this.plugin.operations)];
  }

  private requireConfigured(): void {
    if (this.configured) return;
    throw new AppError("unavailable", this.notConfiguredMessage(), {
      integration: this.name,
      reason: "not_configured",
      missing: [...this.resolved.missing],
    });
  }

  private notConfiguredMessage(): string {
    if (this.configured) return "";
    const missing = Object.entries(this.plugin.settings).filter(([, spec]) =>
      this.resolved.missing.includes(spec.env),
    );
    const list = (items: string[]) =>
      items.length === 1
        ? (items[0] ?? "")
        : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
    const variables = list(missing.map(([, spec]) => spec.env));
    const keys = missing.map(([key]) => key);
    const inFile =
      keys.length === 1
        ? `integrations.settings.${this.name}.${keys[0]}`
        : `${list(keys)} under integrations.settings.${this.name}`;
    return `${this.name} is not configured: set ${variables} (or ${inFile} in the config file)`;
  }
}
