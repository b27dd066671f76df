import { Type } from "@sinclair/typebox";
import type { JsonValue } from "../../domain/index.js";
import { defineOperation, type Operation } from "../integration.js";
import type { AwsClients } from "./client.js";
import { loadLambda } from "./sdk.js";
import { awsCall } from "./errors.js";

const listFunctionsParameters = Type.Object(
  {
    max_items: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 50, description: "Functions per page (at most 50)." }),
    ),
    marker: Type.Optional(
      Type.String({ minLength: 1, description: "next_marker of the previous page." }),
    ),
  },
  { additionalProperties: false },
);

const listFunctions = defineOperation<AwsClients, typeof listFunctionsParameters>({
  description:
    "Lists the region's Lambda functions (name, runtime, handler, memory, timeout, last modified), a page at a time.",
  parameters: listFunctionsParameters,
  sideEffect: false,
  async run(client, { max_items, marker }, { signal }) {
    const { ListFunctionsCommand } = await loadLambda();
    const answer = await awsCall(
      "lambda",
      (await client.lambda()).send(
        new ListFunctionsCommand({
          ...(max_items === undefined ? {} : { MaxItems: max_items }),
          ...(marker === undefined ? {} : { Marker: marker }),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      functions: (answer.Functions ?? []).map((fn) => ({
        name: fn.FunctionName ?? null,
        arn: fn.FunctionArn ?? null,
        runtime: fn.Runtime ?? null,
        handler: fn.Handler ?? null,
        description: fn.Description ?? "",
        memory_mb: fn.MemorySize ?? null,
        timeout_s: fn.Timeout ?? null,
        last_modified: fn.LastModified ?? null,
        package_type: fn.PackageType ?? null,
        architectures: fn.Architectures ?? [],
      })),
      next_marker: answer.NextMarker ?? null,
    };
  },
});

const invokeParameters = Type.Object(
  {
    function_name: Type.String({
      minLength: 1,
      maxLength: 170,
      pattern: "^[A-Za-z0-9:._$-]+$",
      description: 'The function\'s name, ARN or partial ARN, e.g. "resize-images".',
    }),
    qualifier: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        pattern: "^[A-Za-z0-9$_-]+$",
        description: 'A version or alias, e.g. "prod"; default $LATEST.',
      }),
    ),
    payload: Type.Optional(
      Type.Unknown({ description: "The event handed to the function: any JSON value." }),
    ),
    invocation_type: Type.Optional(
      Type.Union([Type.Literal("RequestResponse"), Type.Literal("Event"), Type.Literal("DryRun")], {
        default: "RequestResponse",
        description:
          "RequestResponse waits for the result; Event queues the call and returns at once; DryRun only checks the call is allowed.",
      }),
    ),
    log_tail: Type.Optional(
      Type.Boolean({
        default: false,
        description: "With RequestResponse: also return the last 4 KB of the function's log.",
      }),
    ),
  },
  { additionalProperties: false },
);

/** The function's answer: JSON parsed when it is JSON, else the text; null when empty. */
function answerOf(payload: Uint8Array | null | undefined): JsonValue {
  // The SDK gives null, not undefined, for the empty body of an Event or DryRun call.
  if (payload === undefined || payload === null || payload.length === 0) return null;
  const text = Buffer.from(payload).toString("utf8");
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

const invoke = defineOperation<AwsClients, typeof invokeParameters>({
  description:
    "Invokes a Lambda function with a JSON payload; returns the HTTP status, the function error if it failed (Handled or Unhandled), the version that ran and its answer, parsed when it is JSON.",
  parameters: invokeParameters,
  sideEffect: true,
  async run(client, { function_name, qualifier, payload, invocation_type, log_tail }, { signal }) {
    const { InvokeCommand } = await loadLambda();
    const type = invocation_type ?? "RequestResponse";
    const answer = await awsCall(
      "lambda",
      (await client.lambda()).send(
        new InvokeCommand({
          FunctionName: function_name,
          InvocationType: type,
          ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
          ...(payload === undefined ? {} : { Payload: Buffer.from(JSON.stringify(payload)) }),
          ...(log_tail === true && type === "RequestResponse" ? { LogType: "Tail" } : {}),
        }),
        { abortSignal: signal },
      ),
    );
    return {
      status_code: answer.StatusCode ?? null,
      function_error: answer.FunctionError ?? null,
      executed_version: answer.ExecutedVersion ?? null,
      payload: answerOf(answer.Payload),
      ...(answer.LogResult === undefined
        ? {}
        : { log_tail: Buffer.from(answer.LogResult, "base64").toString("utf8") }),
    };
  },
});

/** The Lambda operations, named as the plugin lists them. */
export const LAMBDA_OPERATIONS: Readonly<Record<string, Operation<AwsClients>>> = {
  "lambda.list_functions": listFunctions,
  "lambda.invoke": invoke,
};
