import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { unexpectedAnswer } from "./errors.js";

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** GET /crumbIssuer/api/json */
export const CrumbJson = Type.Object({
  crumb: Type.String({ minLength: 1 }),
  crumbRequestField: Type.String({ minLength: 1 }),
});

/** GET /api/json?tree=mode,nodeDescription */
export const RootJson = Type.Object({
  mode: Type.Optional(Nullable(Type.String())),
  nodeDescription: Type.Optional(Nullable(Type.String())),
});

/** GET /queue/item/N/api/json: waiting (`why`), left with a build (`executable`) or cancelled. */
export const QueueItemJson = Type.Object({
  id: Type.Integer(),
  why: Type.Optional(Nullable(Type.String())),
  cancelled: Type.Optional(Type.Boolean()),
  executable: Type.Optional(
    Nullable(Type.Object({ number: Type.Integer(), url: Type.Optional(Type.String()) })),
  ),
});

const ParameterValueJson = Type.Object({
  name: Type.String(),
  // A password parameter shows no value; a file parameter shows none either.
  value: Type.Optional(Type.Unknown()),
});

/** GET /job/X/N/api/json?tree=... */
export const BuildJson = Type.Object({
  number: Type.Integer(),
  building: Type.Boolean(),
  result: Nullable(Type.String()),
  duration: Type.Number(),
  estimatedDuration: Type.Optional(Type.Number()),
  timestamp: Type.Number(),
  url: Type.String(),
  actions: Type.Optional(
    Type.Array(
      Nullable(Type.Object({ parameters: Type.Optional(Type.Array(ParameterValueJson)) })),
    ),
  ),
});

/** GET /api/json?tree=jobs[...] of the root or of a folder; other items have no `jobs`. */
export const JobListJson = Type.Object({
  jobs: Type.Optional(
    Type.Array(
      Type.Object({
        _class: Type.Optional(Type.String()),
        name: Type.String(),
        fullName: Type.Optional(Type.String()),
        url: Type.Optional(Type.String()),
        color: Type.Optional(Nullable(Type.String())),
      }),
    ),
  ),
});

export type BuildJson = Static<typeof BuildJson>;

/** Parses a JSON answer and checks it has the fields this plugin reads. */
export function parseAnswer<T extends TSchema>(schema: T, text: string, what: string): Static<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw unexpectedAnswer(`${what} is not JSON`);
  }
  if (!Value.Check(schema, parsed)) {
    const first = Value.Errors(schema, parsed).First();
    const where = first === undefined ? "" : ` (${first.path || "/"}: ${first.message})`;
    throw unexpectedAnswer(`${what} lacks the expected fields${where}`);
  }
  return parsed;
}
