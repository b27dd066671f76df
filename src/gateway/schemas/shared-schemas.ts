import { AgentJsonSchema } from "./agent-schemas.js";
import { ErrorBodySchema } from "./error-schemas.js";
import { CollaborationJsonSchema, MessageJsonSchema } from "./message-schemas.js";
import { KnowledgeEntryJsonSchema } from "./knowledge-schemas.js";
import { EventJsonSchema } from "./event-schemas.js";
import { ProgressJsonSchema, ProjectDetailJsonSchema } from "./project-schemas.js";
import { TaskDetailJsonSchema, TaskJsonSchema } from "./task-schemas.js";
import { LeaseJsonSchema } from "./worker-schemas.js";

/**
 * Response schemas registered once under their `$id` and used through `ref()`: each is one
 * named component of the OpenAPI document. A schema listed here must never also be embedded
 * inline, or it would be registered twice.
 */
export const SHARED_SCHEMAS = [
  ErrorBodySchema,
  TaskJsonSchema,
  TaskDetailJsonSchema,
  ProgressJsonSchema,
  ProjectDetailJsonSchema,
  AgentJsonSchema,
  LeaseJsonSchema,
  MessageJsonSchema,
  CollaborationJsonSchema,
  KnowledgeEntryJsonSchema,
  EventJsonSchema,
] as const;
