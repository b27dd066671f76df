import { Type } from "@sinclair/typebox";
import { AppError } from "../../domain/index.js";
import { defineOperation } from "../integration.js";
import type { SlackClient } from "./client.js";
import { userIdParameter } from "./common-parameters.js";
import { userSummary } from "./summaries.js";

/** lookup_user: users.info or users.lookupByEmail. */
export const lookupUser = defineOperation({
  description:
    "Finds a user by ID (users.info) or by email address (users.lookupByEmail, which needs the users:read.email scope).",
  parameters: Type.Object(
    {
      user_id: Type.Optional(userIdParameter()),
      email: Type.Optional(
        Type.String({
          pattern: "^[^@\\s]+@[^@\\s]+$",
          maxLength: 254,
          description: 'an email address such as "ada@example.com"',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  sideEffect: false,
  run: async (client: SlackClient, p, call) => {
    if ((p.user_id === undefined) === (p.email === undefined)) {
      throw AppError.invalidArgument(
        "parameters.user_id",
        "give exactly one of parameters.user_id and parameters.email",
      );
    }
    const web = client.web(call);
    const found =
      p.user_id !== undefined
        ? await web.users.info({ user: p.user_id })
        : await web.users.lookupByEmail({ email: p.email ?? "" });
    return userSummary(found.user ?? {});
  },
});
