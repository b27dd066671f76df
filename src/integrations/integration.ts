import type { Static, TObject } from "@sinclair/typebox";
import type { JsonValue } from "../domain/index.js";
import type { Logger } from "../observability/index.js";

/** How an outside system looks from here right now. */
export const INTEGRATION_STATES = ["not_configured", "healthy", "degraded", "down"] as const;

export type IntegrationState = (typeof INTEGRATION_STATES)[number];

/** What the service reports about one integration. */
export interface IntegrationStatus {
  state: IntegrationState;
  /** Why it is in that state, e.g. "set SLACK_BOT_TOKEN". Empty when healthy. */
  message: string;
  /** Environment variables still to set before it can work ([] once configured). */
  missing: string[];
  /** When the last status check ran (ms since epoch); null before the first. */
  checkedAt: number | null;
  /** How long the last status check took; null before the first. */
  latencyMs: number | null;
}

/**
 * One setting of a plugin. It is read from the config file
 * (`integrations.settings.<plugin>.<key>`), else from the environment variable `env`, else
 * `default`.
 */
export interface SettingSpec {
  /** The environment variable, e.g. "SLACK_BOT_TOKEN". */
  env: string;
  description: string;
  /** A required setting without a value leaves the integration not configured. */
  required?: boolean;
  /** Redacted from everything the service logs, answers or stores. */
  secret?: boolean;
  default?: string;
}

/** A plugin's resolved settings: required ones are strings, optional ones may be undefined. */
export type Settings = Readonly<Record<string, string | undefined>>;

/** What one call of an operation gets besides its parameters. */
export interface OperationCall {
  /** Aborted at the call's deadline or when the caller goes away; hand it to the client library. */
  readonly signal: AbortSignal;
  /**
   * Stable across retries of the same logical call (a task's attempts share it). Operations with
   * side effects pass it to the remote API where that API de-duplicates; the service also
   * replays the recorded result of a call whose key it has seen.
   */
  readonly idempotencyKey: string;
  readonly logger: Logger;
}

/** One operation of an integration: its parameters' schema and how to run it. */
export interface Operation<Client = unknown> {
  description: string;
  /** TypeBox object schema of `parameters`; unknown fields are refused. */
  parameters: TObject;
  /** Changes something remotely (posts, creates, starts, deletes): results are recorded by key. */
  sideEffect: boolean;
  /**
   * Secret settings (keys of the plugin's `settings`) that this operation's result carries by
   * design, left unredacted in that result only: a presigned URL embeds the access key id and
   * session token it was signed with, and is useless masked. Errors and logs stay redacted.
   */
  revealsSettings?: readonly string[];
  /** Returns the result as JSON; throws an AppError (see integration-errors) on failure. */
  run(client: Client, parameters: unknown, call: OperationCall): Promise<JsonValue>;
}

/** Declares an operation with its parameters typed from the schema. */
export function defineOperation<Client, P extends TObject>(operation: {
  description: string;
  parameters: P;
  sideEffect: boolean;
  revealsSettings?: readonly string[];
  run(client: Client, parameters: Static<P>, call: OperationCall): Promise<JsonValue>;
}): Operation<Client> {
  // Parameters reach `run` only after validation against `parameters`.
  return operation;
}

/** What a plugin gets to build its client. */
export interface PluginContext {
  readonly logger: Logger;
  /** Network policy of the generic HTTP integration (hosts explicitly allowed), from the config. */
  readonly allowPrivateNetworks: boolean;
  readonly allowedHosts: readonly string[];
}

/**
 * One outside system (Slack, GitHub, AWS, ...): a module whose default export is a plugin. The
 * service knows nothing about any system beyond this interface; a user's own plugin is loaded
 * from a path named in the config (see docs/plugins.md).
 */
export interface IntegrationPlugin<Client = unknown> {
  /** Unique, lower case, e.g. "slack". */
  readonly name: string;
  readonly description: string;
  readonly settings: Readonly<Record<string, SettingSpec>>;
  /** Builds the client from complete settings; called once, when configured. */
  connect(settings: Settings, context: PluginContext): Client;
  /** A cheap authenticated call proving the integration works (its `test` operation). */
  check(client: Client, call: OperationCall): Promise<JsonValue>;
  /**
   * Operations by name (lower snake case). An integration with sub-services names them
   * `<service>.<operation>`, e.g. "ec2.list_instances", addressed as
   * `{service: "ec2", operation: "list_instances"}`.
   */
  readonly operations: Readonly<Record<string, Operation<Client>>>;
  /**
   * Secrets derived from the settings in another spelling than theirs (e.g. the Basic
   * authentication header made of a user and a token), so those are redacted too.
   */
  derivedSecrets?(settings: Settings): string[];
  /** Turns what its client library throws into an AppError; unrecognised errors return undefined. */
  mapError?(error: unknown): Error | undefined;
}

/** Declares a plugin with its client type inferred. */
export function definePlugin<Client>(plugin: IntegrationPlugin<Client>): IntegrationPlugin<Client> {
  return plugin;
}
